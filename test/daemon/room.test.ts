/**
 * The LAN room against the real server (in process, no judging: the test judges by hand through the
 * store's queue): printouts through a fake `lp` on PATH that records what it was sent, the page
 * budget, a team that tries to print a program, a huge file or escape sequences, or to read the print
 * queue or the balloons; balloons after an AC with the freeze rule, and a balloon runner that can see
 * and do nothing else. Each test checks afterwards what lp received in all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDaemon, type DaemonHandle } from '../../packages/daemon/src/server/start.ts';
import { silentLogger } from '../../packages/daemon/src/server/log.ts';
import { acResult } from '../../packages/daemon/test-utils/store-fixtures.ts';
import { PROTOCOL_VERSION, type ContestEvent } from '../../packages/shared/src/protocol.ts';
import { TestClient, daemonLogins, refusal } from './client.ts';
import { repoRoot } from './spawn-daemon.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
};

/** A fake lp first on PATH: each call's arguments and stdin land in `spool`; it fails while `spool/FAIL` exists. */
function fakeLp(): { spool: string; jobs: () => { args: string[]; text: string }[] } {
  const bin = tmp('judged-lp-bin-');
  const spool = tmp('judged-lp-spool-');
  fs.writeFileSync(
    path.join(bin, 'lp'),
    `#!/bin/sh\nif [ -e "${spool}/FAIL" ]; then echo "lp: The printer or class does not exist." >&2; exit 1; fi\nn=$(ls "${spool}" | wc -l)\nprintf '%s\\n' "$@" > "${spool}/$n.args"\ncat > "${spool}/$n.text"\necho "request id is lab-1 (1 file(s))"\n`,
    { mode: 0o755 },
  );
  const before = process.env.PATH;
  process.env.PATH = `${bin}:${before}`;
  cleanup.push(() => void (process.env.PATH = before));
  return {
    spool,
    jobs: () =>
      fs
        .readdirSync(spool)
        .filter((f) => f.endsWith('.args'))
        .sort((a, b) => parseInt(a) - parseInt(b))
        .map((f) => ({ args: fs.readFileSync(path.join(spool, f), 'utf8').trim().split('\n'), text: fs.readFileSync(path.join(spool, f.replace('.args', '.text')), 'utf8') })),
  };
}

async function room(opts: { printer?: string; printPages?: string } = {}) {
  const problems = tmp('judged-room-p-');
  fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problems, 'hello'), { recursive: true });
  const data = tmp('judged-room-d-');
  const d: DaemonHandle = await createDaemon({ problems, data, port: '0', workers: '1', ...opts }, { log: silentLogger, checkData: false, engine: null });
  cleanup.push(() => d.close());
  const { login, url } = daemonLogins(d, cleanup);
  /** Submits for `team` and judges it AC by hand (no workers run). */
  const accepted = async (team: TestClient) => {
    const source = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), 'utf8');
    const { submission } = await team.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source }] });
    const job = d.store.queue.claim('hand', 60_000)!;
    expect(d.store.queue.complete(job.judgingId, 'hand', acResult()).accepted).toBe(true);
    return submission.id;
  };
  return { d, url, login, accepted };
}

describe('printing', () => {
  it('prints through lp with a header (team, place, time, pages); a spent budget is refused and prints nothing', async () => {
    const lp = fakeLp();
    const { d, login } = await room({ printer: 'lab1', printPages: '3' });
    const team = await login('team1');
    const text = Array.from({ length: 70 }, (_, i) => `line ${i + 1}\tx`).join('\n') + '\n';
    const r = await team.request('print', { fileName: 'sol.cpp', text });
    expect(r).toMatchObject({ pages: 2, state: 'printed', pagesLeft: 1 });
    const [job] = lp.jobs();
    expect(job!.args.slice(0, 4)).toEqual(['-d', 'lab1', '-t', 'team1 sol.cpp']);
    expect(job!.text).toMatch(/^team1 \| Demo Team 1 \| Table 1 \| sol\.cpp \| \d{4}-\d\d-\d\d \d\d:\d\d UTC +page 1\/2\n/);
    expect(job!.text).toContain('\fteam1 | Demo Team 1');
    expect(job!.text).toMatch(/page 2\/2\n-+\nline 61 x\n/);

    // Two pages left? No: one. A two-page file is refused, whole, with what is left.
    const spent = await refusal(team.request('print', { fileName: 'sol.cpp', text }));
    expect(spent.code).toBe('budget_spent');
    expect(spent.message).toMatch(/sol\.cpp is 2 pages; your team has 1 of its 3 pages left/);
    expect(d.store.printouts.list()).toHaveLength(1);

    // lp refuses: the printout stays for the jury as failed, with lp's words; a reprint works once lp does.
    fs.writeFileSync(path.join(lp.spool, 'FAIL'), '');
    expect(await team.request('print', { fileName: 'note.txt', text: 'one page\n' })).toMatchObject({ state: 'failed', pagesLeft: 0 });
    const judge = await login('judge');
    const { jobs, printer } = await judge.request('printJobs', {});
    expect(printer).toBe('lab1');
    expect(jobs[0]).toMatchObject({ teamId: 'team1', location: 'Table 1', fileName: 'note.txt', state: 'failed', error: 'lp: The printer or class does not exist.' });
    fs.rmSync(path.join(lp.spool, 'FAIL'));
    const again = await judge.request('printAction', { jobId: jobs[0]!.id, action: 'reprint' });
    expect(again.job).toMatchObject({ state: 'printed', printCount: 1, error: null });
    expect((await judge.request('printAction', { jobId: jobs[0]!.id, action: 'done' })).job.done).toBe(true);
    expect(lp.jobs().map((j) => j.args[3])).toEqual(['team1 sol.cpp', 'team1 note.txt']);
  });

  it('without a printer the jury gets the queue (view as printed); events reach the jury only', async () => {
    const lp = fakeLp();
    const { login } = await room();
    const team1 = await login('team1');
    const team2 = await login('team2');
    const judge = await login('judge');
    for (const c of [team2, judge]) await c.request('subscribe', { sinceSeq: null });
    const r = await team1.request('print', { fileName: 'a.py', text: 'print("secret idea of team1")\n' });
    expect(r).toMatchObject({ state: 'queued', pages: 1, pagesLeft: 49 });
    await judge.waitEvent((e) => e.kind === 'printJob' && e.job.id === r.jobId);
    const view = await judge.request('printJob', { jobId: r.jobId });
    expect(view.text).toMatch(/^team1 \| Demo Team 1 \| Table 1 \| a\.py .*page 1\/1\n-+\nprint\("secret idea of team1"\)\n$/);
    await team2.request('clock', {});
    expect(team2.events.some((f) => f.event.kind === 'printJob' || JSON.stringify(f).includes('secret idea'))).toBe(false);
    expect(lp.jobs()).toEqual([]);
  });

  it('attacks: a program, a huge file, escape sequences, another team reading the queue or a printout', async () => {
    const lp = fakeLp();
    const { d, login } = await room({ printer: 'lab1' });
    const team = await login('team2');
    const binary = fs.readFileSync(process.execPath).subarray(0, 4096).toString('latin1');
    expect((await refusal(team.request('print', { fileName: 'a.out', text: binary }))).message).toMatch(/control character/);
    const nul = await refusal(team.request('print', { fileName: 'x.c', text: 'int\u0000main' }));
    expect(nul.message).toMatch(/U\+0000/);
    const esc = await refusal(team.request('print', { fileName: 'x.txt', text: 'hi \u001b%-12345X@PJL ENTER LANGUAGE=PCL\n' }));
    expect(esc.message).toMatch(/U\+001B \(a control character\)/);
    const ff = await refusal(team.request('print', { fileName: 'x.txt', text: 'page\fbreak' }));
    expect(ff.message).toMatch(/U\+000C/);
    const huge = await refusal(team.request('print', { fileName: 'big.txt', text: 'x'.repeat(100 * 1024 + 1) }));
    expect(huge.message).toMatch(/larger than 102400 bytes/);
    expect((await refusal(team.request('print', { fileName: '../../etc/passwd', text: 'x' }))).code).toBe('bad_request');
    for (const [type, body] of [['printJobs', {}], ['printJob', { jobId: '1' }], ['printAction', { jobId: '1', action: 'done' }]] as const) {
      expect((await refusal(team.request(type, body as never))).code).toBe('forbidden');
    }
    expect(d.store.printouts.list()).toEqual([]);
    expect(lp.jobs()).toEqual([]);
  });
});

describe('balloons', () => {
  it('a runner gets each first AC with colour, place and first solve; the freeze holds back later ones; marks are stored', async () => {
    const { d, login, accepted } = await room();
    const team1 = await login('team1');
    const team2 = await login('team2');
    const runner = await login('runner');
    const admin = await login('admin');
    const judge = await login('judge');
    await judge.request('subscribe', { sinceSeq: null });

    expect((await runner.request('balloons', {})).balloons).toEqual([]);
    await accepted(team1);
    await accepted(team1);
    let r = await runner.request('balloons', {});
    expect(r.balloons).toHaveLength(1);
    expect(r.balloons[0]).toMatchObject({ teamId: 'team1', location: 'Table 1', label: 'A', firstToSolve: true, done: false });

    await admin.request('contestControl', { action: 'freezeNow' });
    await accepted(team2);
    r = await runner.request('balloons', {});
    expect(r.balloons.map((b) => b.teamId)).toEqual(['team1']);
    // Runners learn that the freeze holds balloons back, not how many (DOMjudge says only "frozen").
    expect(r).toMatchObject({ heldBack: true, hiddenByFreeze: null });
    expect((await judge.request('balloons', {})).hiddenByFreeze).toBe(1);
    // includeFrozen is the jury's; a runner asking gets the same held-back list.
    expect((await runner.request('balloons', { includeFrozen: true })).balloons).toHaveLength(1);
    const jury = await judge.request('balloons', { includeFrozen: true });
    expect(jury.balloons.map((b) => [b.teamId, b.frozen, b.firstToSolve])).toEqual([['team1', false, true], ['team2', true, false]]);
    // A runner cannot mark (and so learn of) a balloon the freeze holds back.
    expect((await refusal(runner.request('setBalloonDone', { teamId: 'team2', problemId: 'hello', done: true }))).code).toBe('not_found');

    const done = await runner.request('setBalloonDone', { teamId: 'team1', problemId: 'hello', done: true });
    expect(done.balloon).toMatchObject({ done: true, doneBy: 'runner' });
    await judge.waitEvent((e) => e.kind === 'balloon' && e.balloon.done);
    await admin.request('contestControl', { action: 'unfreeze' });
    r = await runner.request('balloons', {});
    expect(r.balloons.map((b) => [b.teamId, b.done])).toEqual([['team1', true], ['team2', false]]);
    expect(r).toMatchObject({ heldBack: false, hiddenByFreeze: null });
    expect(d.store.balloons.list().filter((b) => b.done)).toHaveLength(1);
  });

  it('live: two runners see each other\'s marks at once, an AC during the freeze reaches runners only at the unfreeze, a runner resumes by seq', async () => {
    const { d, url, login, accepted } = await room();
    const team1 = await login('team1');
    const team2 = await login('team2');
    const admin = await login('admin');
    const judge = await login('judge');
    const a = await login('runner');
    const b = await login('runner');
    for (const c of [a, b, judge]) await c.request('subscribe', { sinceSeq: null });
    const balloonsOf = (c: TestClient) => c.events.filter((f) => f.event.kind === 'balloon').map((f) => f.event as Extract<ContestEvent, { kind: 'balloon' }>);

    // A new solve reaches both runners as an event (no request).
    await accepted(team1);
    for (const c of [a, b]) await c.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team1' && e.balloon.firstToSolve && !e.balloon.done);
    // Runner a delivers it: runner b sees it live.
    await a.request('setBalloonDone', { teamId: 'team1', problemId: 'hello', done: true });
    await b.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team1' && e.balloon.done && e.balloon.doneBy === 'runner');

    // During the freeze team 2's AC goes to the jury (marked frozen) and not to runners.
    await admin.request('contestControl', { action: 'freezeNow' });
    await accepted(team2);
    await judge.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team2' && e.balloon.frozen);
    // A later change runners do see: anything sent before it has arrived by then.
    await a.request('setBalloonDone', { teamId: 'team1', problemId: 'hello', done: false });
    await b.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team1' && !e.balloon.done);
    for (const c of [a, b]) {
      expect(balloonsOf(c).some((e) => e.balloon.teamId === 'team2')).toBe(false);
      expect(JSON.stringify(c.events.filter((f) => f.event.kind === 'balloon'))).not.toContain('team2');
    }
    // Held back: a runner cannot mark it either.
    expect((await refusal(a.request('setBalloonDone', { teamId: 'team2', problemId: 'hello', done: true }))).code).toBe('not_found');

    // Runner b drops off; the board is revealed meanwhile; b resumes from its last number.
    const last = b.lastSeq;
    const token = b.session!.token;
    await b.terminate();
    await admin.request('contestControl', { action: 'unfreeze' });
    // a, still connected, gets the released balloon live.
    await a.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team2' && !e.balloon.frozen && !e.balloon.firstToSolve);
    const b2 = await TestClient.connect(url);
    cleanup.push(() => void b2.terminate());
    await b2.request('hello', { protocolVersion: PROTOCOL_VERSION, client: 'test-client' });
    await b2.resume(token);
    const sub = await b2.request('subscribe', { sinceSeq: last });
    expect(sub.mode).toBe('replay');
    const released = await b2.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team2');
    // What it missed, gap-free after its last number, and nothing again that it had.
    expect(b2.events[0]!.seq).toBe(last + 1);
    expect(b2.events.map((f) => f.seq)).toEqual(b2.events.map((_, i) => last + 1 + i));
    expect(released.seq).toBeLessThanOrEqual(sub.headSeq);
    // The jury heard the release too, unfrozen now.
    await judge.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team2' && !e.balloon.frozen);
    expect(d.store.balloons.list().map((x) => x.teamId)).toEqual(['team1', 'team2']);
  });

  it('--balloons-during-freeze gives runners the balloons the frozen board hides', async () => {
    const problems = tmp('judged-room-p2-');
    fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problems, 'hello'), { recursive: true });
    const d2 = await createDaemon({ problems, data: tmp('judged-room-d2-'), port: '0', workers: '1', balloonsDuringFreeze: true }, { log: silentLogger, checkData: false, engine: null });
    cleanup.push(() => d2.close());
    const pw = new Map(d2.credentials.map((c) => [c.username, c.password]));
    const url = `ws://127.0.0.1:${d2.port}/ws`;
    const [admin, team, runner] = await Promise.all(['admin', 'team3', 'runner'].map((u) => TestClient.login(url, u, pw.get(u)!)));
    cleanup.push(() => void [admin, team, runner].forEach((c) => c!.terminate()));
    await admin!.request('contestControl', { action: 'freezeNow' });
    const source = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), 'utf8');
    await team!.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source }] });
    const job = d2.store.queue.claim('hand', 60_000)!;
    d2.store.queue.complete(job.judgingId, 'hand', acResult());
    const r = await runner!.request('balloons', {});
    expect(r.balloons.map((b) => [b.teamId, b.frozen])).toEqual([['team3', false]]);
    expect(r).toMatchObject({ heldBack: false, hiddenByFreeze: null });
  });

  it('attacks: a team asks for balloons or marks one; a runner asks for anything else; its events carry no team data', async () => {
    const { login, accepted } = await room();
    const team1 = await login('team1');
    const team2 = await login('team2');
    const runner = await login('runner');
    const sub = await runner.request('subscribe', { sinceSeq: null });
    expect(sub.mode).toBe('snapshot');
    if (sub.mode === 'snapshot') {
      expect(sub.snapshot.problems).toEqual([]);
      expect(sub.snapshot.clarifications).toEqual([]);
      expect(sub.snapshot.submissions).toBeUndefined();
      expect(sub.snapshot.queue).toBeUndefined();
    }
    await accepted(team1);
    await team2.request('ask', { problemId: null, text: 'team2 private question' });
    for (const [type, body] of [['balloons', {}], ['setBalloonDone', { teamId: 'team1', problemId: 'hello', done: true }]] as const) {
      expect((await refusal(team2.request(type, body as never))).code).toBe('forbidden');
    }
    const forbidden: Array<[string, object]> = [
      ['problems', {}], ['statement', { problemId: 'hello' }], ['clarifications', {}], ['submit', { problemId: 'hello', language: 'python3', files: [{ name: 'a.py', source: 'x' }] }],
      ['jurySubmissions', {}], ['queue', {}], ['printJobs', {}], ['print', { fileName: 'a.txt', text: 'x' }], ['teams', {}], ['answer', { clarificationId: '1', text: 'x', to: 'all' }],
    ];
    for (const [type, body] of forbidden) expect((await refusal(runner.request(type as never, body as never))).code, type).toBe('forbidden');
    await runner.request('clock', {});
    await runner.waitEvent((e) => e.kind === 'balloon' && e.balloon.teamId === 'team1');
    const kinds = new Set(runner.events.map((f) => f.event.kind));
    for (const k of kinds) expect(['clock', 'scoreboard', 'balloon']).toContain(k);
    expect(JSON.stringify(runner.events)).not.toContain('private question');
    // Its numbers are its own class's (the public events and its balloons): gap-free.
    expect(runner.events.map((f) => f.seq)).toEqual(runner.events.map((_, i) => sub.headSeq + i + 1));
  });
});
