import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContestEvent, ScoreboardRow } from '@judged/shared/protocol';
import { applyRowUpdates, Scoreboard } from '@judged/shared/scoring';
import { acResult, manualClock, problem, waResult } from '../../test-utils/store-fixtures.ts';
import { ContestError, openContest, type OpenedContest } from './index.ts';

const problems = [problem('hello', 'A'), problem('sum', 'B')];
const files = [{ name: 'a.cpp', source: 'int main(){}' }];
const HOUR = 3600_000;

const opened: OpenedContest[] = [];
const dirs: string[] = [];
function open(clock = manualClock(), dataDir = ':memory:'): OpenedContest & { clock: ReturnType<typeof manualClock> } {
  const o = openContest({ dataDir, problems, now: clock.now, languages: ['cpp', 'python3'] });
  opened.push(o);
  return Object.assign(o, { clock });
}
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.contest.close();
    o.store.close();
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function judge(o: OpenedContest, result = acResult()): string {
  const job = o.store.queue.claim('w', 60_000)!;
  expect(o.store.queue.complete(job.judgingId, 'w', result).accepted).toBe(true);
  return job.judgingId;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContestError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ContestError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('demo contest', () => {
  it('starts now for 5 hours with an admin, a judge, a balloon runner and demo teams whose passwords are returned once', async () => {
    const o = open();
    expect(o.created).toBe(true);
    const clock = o.contest.clock();
    expect(clock).toMatchObject({ state: 'running', durationMs: 5 * HOUR, startAtMs: o.clock.now(), scoreboardFrozen: false, penaltyTimeMin: 20 });
    expect(o.credentials.map((c) => c.role)).toEqual(['admin', 'judge', 'balloon', 'team', 'team', 'team', 'team']);
    for (const c of o.credentials) {
      expect(c.password).toMatch(/^[A-Za-z0-9]{12}$/);
      expect(o.store.db.prepare('SELECT password_hash FROM accounts WHERE username = ?').pluck().get(c.username)).not.toContain(c.password);
      expect((await o.contest.login(c.username, c.password)).user.role).toBe(c.role);
    }
    expect(o.contest.scoreboard('public').rows).toHaveLength(4);
  });
});

describe('submissions and the clock', () => {
  it('refuses submissions before the start and after the end with the reason, accepts them in between', () => {
    const o = open();
    const start = o.clock.now();
    o.contest.setContestTimes({ startAtMs: start + 10 * 60_000, durationMs: HOUR, freezeDurationMs: null });
    expect(code(() => o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files }))).toMatch(
      /^contest_not_running: the contest has not started yet: it starts at .*Z \(in 10 min\)$/,
    );
    o.clock.advance(10 * 60_000);
    const s = o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    expect(s).toMatchObject({ status: 'queued', contestTimeMs: 0, fileNames: ['a.cpp'] });
    o.clock.advance(HOUR);
    expect(code(() => o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files }))).toMatch(/^contest_not_running: the contest is over: it ended at .*; submissions are closed$/);
  });

  it('refuses unknown problems, languages, disabled teams and oversized sources', () => {
    const o = open();
    expect(code(() => o.contest.submit('team1', { problemId: 'nope', language: 'cpp', files }))).toMatch(/^not_found: no problem with id "nope"; the problems are: A=hello, B=sum$/);
    expect(code(() => o.contest.submit('team1', { problemId: 'hello', language: 'cobol', files }))).toMatch(/^unknown_language: .*use one of: cpp, python3$/);
    expect(code(() => o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files: [{ name: 'a.cpp', source: 'x'.repeat(300_000) }] }))).toMatch(/^source_too_large/);
    o.contest.setTeamEnabled('team2', false);
    expect(code(() => o.contest.submit('team2', { problemId: 'hello', language: 'cpp', files }))).toMatch(/^account_disabled/);
  });

  it("refuses a language this judge cannot run by its name, and enforces a problem's languages list and code limit", () => {
    const o = openContest({
      dataDir: ':memory:',
      problems,
      now: manualClock().now,
      languages: ['cpp', 'python3'],
      unavailable: new Map([['java', 'Java is not available on this judge: javac not found in /usr/local/bin:/usr/bin:/bin']]),
      problemRules: new Map([
        ['hello', { languages: ['cpp'], codeKiB: 1 }],
        ['sum', { languages: null, codeKiB: 128 }],
      ]),
    });
    opened.push(o);
    expect(code(() => o.contest.submit('team1', { problemId: 'sum', language: 'java', files: [{ name: 'A.java', source: 'class A {}' }] }))).toMatch(
      /^unknown_language: Java is not available on this judge: javac not found .* — submit in another language$/,
    );
    expect(code(() => o.contest.submit('team1', { problemId: 'hello', language: 'python3', files: [{ name: 'a.py', source: 'print(1)' }] }))).toMatch(/^unknown_language: problem A accepts only cpp, not python3$/);
    expect(code(() => o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files: [{ name: 'a.cpp', source: 'x'.repeat(1025) }] }))).toMatch(/^source_too_large: the source is 2 KiB; problem A allows at most 1 KiB$/);
    expect(o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files: [{ name: 'a.cpp', source: 'x'.repeat(1024) }] })).toMatchObject({ status: 'queued' });
    expect(o.contest.submit('team1', { problemId: 'sum', language: 'python3', files: [{ name: 'a.py', source: 'print(1)' }] })).toMatchObject({ status: 'queued' });
  });

  it('submitBatched() commits what arrives in one turn together, and refuses like submit()', async () => {
    const o = open();
    o.clock.advance(60_000);
    const heard: number[] = [];
    o.store.events.onEvent((e) => heard.push(e.seq));
    const all = Promise.all(Array.from({ length: 50 }, (_, i) => o.contest.submitBatched(`team${(i % 4) + 1}`, { problemId: 'hello', language: 'cpp', files })));
    expect(o.store.submissions.all()).toHaveLength(0); // not yet: the batch commits on setImmediate
    const subs = await all;
    expect(new Set(subs.map((s) => s.id)).size).toBe(50);
    expect(o.store.submissions.all()).toHaveLength(50);
    expect(heard.length).toBeGreaterThanOrEqual(50 * 3);
    await expect(o.contest.submitBatched('team1', { problemId: 'nope', language: 'cpp', files })).rejects.toThrow(/no problem with id "nope"/);
    o.clock.advance(5 * HOUR);
    await expect(o.contest.submitBatched('team1', { problemId: 'hello', language: 'cpp', files })).rejects.toMatchObject({ code: 'contest_not_running' });
  });

  it('submitBatched() with a client\u2019s id (Contest API PUT) takes it once, also when two come in one batch', async () => {
    const o = open();
    o.clock.advance(60_000);
    const [first, second] = await Promise.allSettled([
      o.contest.submitBatched('team1', { problemId: 'hello', language: 'cpp', files }, undefined, { id: '500' }),
      o.contest.submitBatched('team2', { problemId: 'hello', language: 'cpp', files }, undefined, { id: '500' }),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { id: '500' } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'conflict', message: expect.stringMatching(/submission 500 already exists/) } });
    await expect(o.contest.submitBatched('team2', { problemId: 'hello', language: 'cpp', files }, undefined, { id: '500' })).rejects.toMatchObject({ code: 'conflict' });
    // judged's own ids go on after the client's, and the submission is queued for judging like any.
    expect((await o.contest.submitBatched('team1', { problemId: 'hello', language: 'cpp', files })).id).toBe('501');
    expect(o.store.submissions.jurySubmission('500')).toMatchObject({ teamId: 'team1', status: 'queued' });
    // Any other id is kept beside the row id (its id in the API), once.
    const named = await o.contest.submitBatched('team2', { problemId: 'hello', language: 'cpp', files }, undefined, { id: 'site1-7' });
    expect(named.id).toBe('502');
    expect(o.store.submissions.jurySubmission('502')).toMatchObject({ clientId: 'site1-7' });
    await expect(o.contest.submitBatched('team2', { problemId: 'hello', language: 'cpp', files }, undefined, { id: 'site1-7' })).rejects.toMatchObject({ code: 'conflict' });
    expect(o.store.queue.counts().queued).toBe(3);
  });

  it('tick() writes a clock event at each state change, once, also across a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-contest-'));
    dirs.push(dir);
    const clock = manualClock();
    const o = open(clock, dir);
    const clockEvents = () => o.store.events.allEventsSince(0).filter((e) => e.event.kind === 'clock').map((e) => (e.event as Extract<ContestEvent, { kind: 'clock' }>).clock.state);
    expect(clockEvents()).toEqual(['running']);
    expect(o.contest.tick()).toBe(false);
    clock.advance(4 * HOUR); // freeze begins (last hour)
    expect(o.contest.tick()).toBe(true);
    expect(o.contest.tick()).toBe(false);
    expect(o.contest.clock()).toMatchObject({ state: 'frozen', scoreboardFrozen: true });
    o.contest.close();
    o.store.close();
    opened.splice(0);
    const again = open(clock, dir);
    expect(again.created).toBe(false);
    clock.advance(HOUR);
    again.contest.tick();
    const states = again.store.events.allEventsSince(0).filter((e) => e.event.kind === 'clock').map((e) => (e.event as Extract<ContestEvent, { kind: 'clock' }>).clock.state);
    expect(states).toEqual(['running', 'frozen', 'over']);
  });

  it('admin controls: startNow, freezeNow, unfreeze, finalize, each refused at the wrong time', () => {
    const o = open();
    expect(code(() => o.contest.control('startNow'))).toMatch(/^conflict: the contest has already started/);
    expect(code(() => o.contest.control('unfreeze'))).toMatch(/^conflict: the scoreboard is not frozen/);
    expect(code(() => o.contest.control('finalize'))).toMatch(/^conflict: results can be finalized only after the contest has ended/);
    o.clock.advance(HOUR);
    const frozen = o.contest.control('freezeNow');
    expect(frozen).toMatchObject({ state: 'frozen', scoreboardFrozen: true, freezeAtMs: o.clock.now() });
    o.clock.advance(4 * HOUR);
    expect(o.contest.clock().state).toBe('over');
    o.contest.control('unfreeze');
    expect(o.contest.clock()).toMatchObject({ scoreboardFrozen: false });
    expect(o.contest.control('finalize')).toMatchObject({ finalized: true });
  });

  it('setContestTimes validates and cannot unschedule a started contest', () => {
    const o = open();
    expect(code(() => o.contest.setContestTimes({ startAtMs: null, durationMs: HOUR, freezeDurationMs: null }))).toMatch(/^conflict: the contest has already started/);
    expect(code(() => o.contest.setContestTimes({ startAtMs: o.clock.now(), durationMs: HOUR, freezeDurationMs: 2 * HOUR }))).toMatch(/^bad_request: freezeDurationMs/);
    o.clock.advance(60_000);
    o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    expect(code(() => o.contest.setContestTimes({ startAtMs: o.clock.now() + 1, durationMs: HOUR, freezeDurationMs: null }))).toMatch(/^conflict: there are submissions/);
    // Moving the start earlier updates contest times of existing submissions.
    o.contest.setContestTimes({ startAtMs: o.clock.now() - 10 * 60_000, durationMs: HOUR, freezeDurationMs: null });
    expect(o.store.submissions.forTeam('team1')[0]!.contestTimeMs).toBe(10 * 60_000);
  });

  it('a contest not started yet gets no start in the past or within 30 s (MIN_START_LEAD_MS); startNow still starts it', () => {
    const o = open();
    const start = o.clock.now();
    o.clock.set(start - HOUR); // the demo contest starts at open: go back an hour before it
    const at = o.clock.now();
    const err = (() => {
      try {
        o.contest.setContestTimes({ startAtMs: at - 60_000, durationMs: HOUR, freezeDurationMs: null });
      } catch (e) {
        return e as ContestError;
      }
    })();
    expect(err).toBeInstanceOf(ContestError);
    expect(err).toMatchObject({ code: 'bad_request', field: 'startAtMs' });
    expect(err!.message).toBe('the new start is 60 s in the past: a start must be at least 30 s ahead (to start at once: contestControl startNow)');
    expect(code(() => o.contest.setContestTimes({ startAtMs: at + 29_000, durationMs: HOUR, freezeDurationMs: null }))).toMatch(/^bad_request: the new start is only 29 s from now/);
    expect(o.contest.setContestTimes({ startAtMs: at + 30_000, durationMs: HOUR, freezeDurationMs: null })).toMatchObject({ state: 'before', startAtMs: at + 30_000 });
    // 20 s later the start is 10 s away: changing only the duration keeps it (unchanged starts pass).
    o.clock.advance(20_000);
    expect(o.contest.setContestTimes({ startAtMs: at + 30_000, durationMs: 2 * HOUR, freezeDurationMs: null })).toMatchObject({ startAtMs: at + 30_000, durationMs: 2 * HOUR });
    expect(o.contest.control('startNow')).toMatchObject({ state: 'running', startAtMs: o.clock.now() });
  });
});

describe('scoreboard', () => {
  it('updates incrementally from verdicts, and the events let a client follow the board', () => {
    const o = open();
    const fromRuns = vi.spyOn(Scoreboard, 'fromRuns');
    // What a public client would hold: the snapshot, then row updates from events.
    let rows: ScoreboardRow[] = o.contest.scoreboard('public').rows;
    const head = o.store.events.headSeq();
    o.clock.advance(30 * 60_000);
    o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    judge(o, waResult());
    o.clock.advance(10 * 60_000);
    o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    judge(o);
    o.clock.advance(5 * 60_000);
    o.contest.submit('team2', { problemId: 'sum', language: 'cpp', files });
    judge(o);
    o.contest.submit('team3', { problemId: 'sum', language: 'cpp', files });
    expect(fromRuns).not.toHaveBeenCalled(); // no rebuild from all submissions per verdict
    fromRuns.mockRestore();

    for (const e of o.store.events.eventsSince(head, { role: 'public', teamId: null })) {
      if (e.event.kind === 'scoreboard') rows = applyRowUpdates(rows, e.event.rows);
    }
    const board = o.contest.scoreboard('public');
    expect(rows).toEqual(board.rows);
    const t1 = board.rows.find((r) => r.teamId === 'team1')!;
    expect(t1).toMatchObject({ solved: 1, penaltyMin: 40 + 20 });
    expect(t1.cells[0]).toMatchObject({ solved: true, attempts: 2, timeMin: 40, firstToSolve: true });
    const t3 = board.rows.find((r) => r.teamId === 'team3')!;
    expect(t3.cells[1]).toMatchObject({ pending: 1, solved: false });
    expect(board.rows.map((r) => [r.teamId, r.rank])).toEqual([
      ['team2', 1],
      ['team1', 2],
      ['team3', 3],
      ['team4', 3],
    ]);
  });

  it('hides results after the freeze from the public view only, and reveals them on unfreeze', () => {
    const o = open();
    o.clock.advance(4 * HOUR + 60_000); // in the freeze
    o.contest.tick();
    o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    const beforeVerdict = o.store.events.headSeq();
    judge(o);
    // The judgement changes nothing the public may see: no public scoreboard event at all.
    expect(o.store.events.eventsSince(beforeVerdict, { role: 'public', teamId: null })).toEqual([]);
    const pub = o.contest.scoreboard('public');
    expect(pub.frozen).toBe(true);
    expect(pub.rows.find((r) => r.teamId === 'team1')!.cells[0]).toMatchObject({ solved: false, pending: 1 });
    expect(o.contest.scoreboard('jury').rows.find((r) => r.teamId === 'team1')!.cells[0]).toMatchObject({ solved: true });
    // The public scoreboard events never carried the result.
    const pubEvents = o.store.events.eventsSince(0, { role: 'public', teamId: null }).filter((e) => e.event.kind === 'scoreboard');
    for (const e of pubEvents) if (e.event.kind === 'scoreboard') expect(e.event.rows.every((r) => r.solved === 0)).toBe(true);
    o.clock.advance(HOUR);
    o.contest.control('unfreeze');
    expect(o.contest.scoreboard('public')).toMatchObject({ frozen: false });
    expect(o.contest.scoreboard('public').rows[0]).toMatchObject({ teamId: 'team1', solved: 1 });
  });

  it('a rejudge changes nothing anyone sees until the jury applies it; then the board moves', () => {
    const o = open();
    o.clock.advance(60_000);
    const s = o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    const oldJudging = judge(o);
    const solved = (view: 'jury' | 'public') => o.contest.scoreboard(view).rows.find((r) => r.teamId === 'team1')?.solved;
    expect(solved('jury')).toBe(1);
    const team = { role: 'team' as const, teamId: 'team1' };
    const seqBefore = o.store.events.headSeq();
    const { rejudgingId } = o.contest.rejudge({ kind: 'submission', submissionId: s.id }, { byUsername: 'judge' });
    const newJudging = judge(o, waResult());

    // Pending: the jury sees WA beside AC; the boards, the team and the public see nothing new.
    const { rejudging, items } = o.contest.rejudging(rejudgingId);
    expect(rejudging).toMatchObject({ state: 'pending', submissionCount: 1, doneCount: 1, changedCount: 1 });
    expect(items).toEqual([expect.objectContaining({ submissionId: s.id, oldJudgingId: oldJudging, oldVerdict: 'AC', newJudgingId: newJudging, newStatus: 'done', newVerdict: 'WA' })]);
    expect(solved('jury')).toBe(1);
    expect(solved('public')).toBe(1);
    expect(o.store.submissions.teamSubmission(s.id)).toMatchObject({ verdict: 'AC' });
    const seen = (v: { role: 'team' | 'public'; teamId: string | null }) => o.store.events.eventsSince(seqBefore, v).map((e) => e.event.kind);
    expect(seen(team)).toEqual([]);
    expect(seen({ role: 'public', teamId: null })).toEqual([]);
    // A submission under review is not taken by a second rejudging.
    expect(code(() => o.contest.rejudge({ kind: 'submission', submissionId: s.id }, { byUsername: 'j' }))).toMatch(/^conflict: that submission is in a pending rejudging/);

    expect(o.contest.decideRejudging(rejudgingId, 'apply', 'chief')).toMatchObject({ state: 'applied', decidedBy: 'chief' });
    expect(solved('jury')).toBe(0);
    expect(o.store.submissions.teamSubmission(s.id)).toMatchObject({ verdict: 'WA' });
    expect(seen(team)).toEqual(expect.arrayContaining(['verdict', 'scoreboard']));
    expect(code(() => o.contest.decideRejudging(rejudgingId, 'cancel', 'chief'))).toMatch(/^conflict: rejudging \d+ was applied already/);
    expect(code(() => o.contest.rejudge({ kind: 'submission', submissionId: '999' }, { byUsername: 'j' }))).toMatch(/^not_found/);
    expect(code(() => o.contest.rejudge({ kind: 'team', teamId: 'nobody' }, { byUsername: 'j' }))).toMatch(/^not_found/);
  });

  it('a rejudging cannot be applied while it runs; cancelled, the old verdicts stay and the late result is refused', () => {
    const o = open();
    o.clock.advance(60_000);
    const a = o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    const b = o.contest.submit('team2', { problemId: 'hello', language: 'cpp', files });
    const c = o.contest.submit('team2', { problemId: 'sum', language: 'cpp', files });
    judge(o);
    judge(o, waResult());
    judge(o);
    // By team, and by verdict class.
    expect(o.contest.rejudge({ kind: 'team', teamId: 'team2' }, { byUsername: 'j' }).submissionCount).toBe(2);
    o.contest.decideRejudging(o.store.rejudgings.list()[0]!.id, 'cancel', 'j');
    const { rejudgingId, submissionCount } = o.contest.rejudge({ kind: 'all' }, { verdicts: ['WA'], byUsername: 'j' });
    expect(submissionCount).toBe(1);
    expect(o.contest.rejudging(rejudgingId).items.map((i) => i.submissionId)).toEqual([b.id]);
    const job = o.store.queue.claim('w', 60_000)!;
    expect(code(() => o.contest.decideRejudging(rejudgingId, 'apply', 'j'))).toMatch(/^conflict: rejudging \d+ has 1 judging\(s\) still to finish/);
    expect(o.contest.decideRejudging(rejudgingId, 'cancel', 'j')).toMatchObject({ state: 'cancelled', doneCount: 1 });
    expect(o.store.queue.complete(job.judgingId, 'w', acResult()).accepted).toBe(false);
    expect([a, b, c].map((s) => o.store.submissions.jurySubmission(s.id)!.verdict)).toEqual(['AC', 'WA', 'AC']);
    expect(o.contest.rejudging(rejudgingId).items[0]).toMatchObject({ oldVerdict: 'WA', newStatus: 'cancelled', newVerdict: null });
  });

  it('autoApply: each new verdict counts as soon as it ends (no review)', () => {
    const o = open();
    o.clock.advance(60_000);
    const s = o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    judge(o);
    const { rejudgingId } = o.contest.rejudge({ kind: 'problem', problemId: 'hello' }, { byUsername: 'j', autoApply: true });
    judge(o, waResult());
    expect(o.store.submissions.jurySubmission(s.id)!.verdict).toBe('WA');
    expect(o.contest.rejudging(rejudgingId).rejudging.state).toBe('applied');
  });

  it('is rebuilt from the database on restart, equal to what it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-contest-'));
    dirs.push(dir);
    const clock = manualClock();
    const o = open(clock, dir);
    clock.advance(20 * 60_000);
    o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    o.contest.submit('team2', { problemId: 'hello', language: 'cpp', files });
    judge(o);
    o.store.queue.claim('dies', 60_000); // the daemon dies while judging team2's
    const before = { pub: o.contest.scoreboard('public'), jury: o.contest.scoreboard('jury') };
    o.store.close();
    opened.splice(0);
    const again = open(clock, dir);
    expect(again.requeued).toBe(1);
    expect(again.contest.scoreboard('public')).toEqual(before.pub);
    expect(again.contest.scoreboard('jury')).toEqual(before.jury);
    judge(again);
    expect(again.contest.scoreboard('jury').rows.filter((r) => r.solved === 1)).toHaveLength(2);
  });

  it('disabling a team takes it off the board; enabling brings it back with its runs', async () => {
    const o = open();
    o.clock.advance(60_000);
    o.contest.submit('team1', { problemId: 'hello', language: 'cpp', files });
    judge(o);
    o.contest.setTeamEnabled('team1', false);
    expect(o.contest.scoreboard('public').rows.map((r) => r.teamId)).not.toContain('team1');
    expect(await codeOf(o.contest.login(o.credentials.find((c) => c.teamId === 'team1')!.username, o.credentials.find((c) => c.teamId === 'team1')!.password))).toMatch(
      /^account_disabled/,
    );
    o.contest.setTeamEnabled('team1', true);
    expect(o.contest.scoreboard('public').rows[0]).toMatchObject({ teamId: 'team1', solved: 1 });
  });

  it('addTeam creates the team, its login and its scoreboard row', async () => {
    const o = open();
    const t = o.contest.addTeam({ teamId: 'late', name: 'Late Team', organization: 'New Uni', username: 'late', password: 'late-pass-1' });
    expect(t).toEqual({ id: 'late', name: 'Late Team', organization: 'New Uni', enabled: true, hidden: false, location: null, groupIds: [] });
    expect((await o.contest.login('late', 'late-pass-1')).user).toMatchObject({ role: 'team', teamId: 'late', displayName: 'Late Team' });
    expect(o.contest.scoreboard('public').rows.map((r) => r.teamId)).toContain('late');
    expect(code(() => o.contest.addTeam({ teamId: 'late', name: 'X', organization: null, username: 'other', password: 'xxxxxxxx' }))).toMatch(/^conflict: team id "late" is taken/);
  });
});

describe('clarifications', () => {
  it('routes questions, private and public answers, and announcements to the right teams', () => {
    const o = open();
    const q = o.contest.ask('team1', 'hello', 'Is n < 10^9?');
    const q2 = o.contest.ask('team2', null, 'Can we use STL?');
    o.contest.answer(q.id, 'Yes.', 'all', 'judge');
    o.contest.answer(q2.id, 'Yes, of course.', 'team', 'judge');
    o.contest.announce(null, 'Problem B statement fixed.', 'admin');
    expect(code(() => o.contest.answer(q.id, 'again', 'team', 'judge'))).toMatch(/^conflict: question .* is already answered/);
    expect(code(() => o.contest.ask('team1', 'nope', 'x'))).toMatch(/^not_found/);

    const texts = (teamId: string) => o.contest.clarifications({ role: 'team', teamId }).map((c) => c.text);
    expect(texts('team1')).toEqual(['Is n < 10^9?', 'Yes.', 'Problem B statement fixed.']);
    expect(texts('team2')).toEqual(['Can we use STL?', 'Yes.', 'Yes, of course.', 'Problem B statement fixed.']);
    expect(texts('team3')).toEqual(['Yes.', 'Problem B statement fixed.']);
    const answerToAll = o.contest.clarifications({ role: 'team', teamId: 'team3' })[0]!;
    expect(answerToAll).toMatchObject({ kind: 'answer', quotedQuestion: 'Is n < 10^9?', toTeamId: null });
    expect(o.contest.clarifications({ role: 'judge', teamId: null })).toHaveLength(5);

    // The event log agrees with the reads: team3 got exactly the two messages meant for everybody.
    const ev = o.store.events.eventsSince(0, { role: 'team', teamId: 'team3' }).filter((e) => e.event.kind === 'clarification');
    expect(ev.map((e) => (e.event as Extract<ContestEvent, { kind: 'clarification' }>).clarification.text)).toEqual(['Yes.', 'Problem B statement fixed.']);
    expect(o.store.events.eventsSince(0, { role: 'public', teamId: null }).some((e) => e.event.kind === 'clarification')).toBe(false);
  });
});

describe('sessions', () => {
  it('login, resume and logout', async () => {
    const o = open();
    const c = o.credentials.find((x) => x.role === 'team')!;
    expect(await codeOf(o.contest.login(c.username, 'wrong'))).toBe('bad_credentials: wrong username or password');
    const s = await o.contest.login(c.username, c.password);
    expect(o.contest.resume(s.token).user).toEqual(s.user);
    o.contest.logout(s.token);
    expect(code(() => o.contest.resume(s.token))).toBe('session_invalid: the session expired or was ended: log in again');
    expect(await o.contest.authenticate(c.username, c.password)).toEqual(s.user);
    expect(await o.contest.authenticate(c.username, 'no')).toBeNull();
  });
});
