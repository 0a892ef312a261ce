import { describe, expect, it } from 'vitest';
import { eventFrame, type Balloon, type ContestClock, type ScoreboardRow } from '@judged/shared/protocol';
import { ClientState } from './state.ts';

function row(teamId: string, rank: number, solved: number, penaltyMin: number, lastAcMin: number | null): ScoreboardRow {
  return {
    rank,
    teamId,
    teamName: `Team ${teamId}`,
    organization: null,
    solved,
    penaltyMin,
    lastAcMin,
    cells: [{ problemId: 'a', solved: solved > 0, attempts: solved, pending: 0, timeMin: lastAcMin, penaltyMin, firstToSolve: false }],
  };
}

function boardState(rows: ScoreboardRow[]): ClientState {
  const s = new ClientState();
  s.update({ scoreboard: { view: 'public', frozen: false, problems: [{ id: 'a', label: 'A', name: 'A', colour: null }], rows }, lastSeq: 1 });
  return s;
}

const ranks = (s: ClientState) => s.getSnapshot().scoreboard!.rows.map((r) => [r.teamId, r.rank]);

describe('ClientState: scoreboard events', () => {
  it('drops the rows of removed (disabled) teams and re-ranks the rest', () => {
    // t1 alone first; t2 and t3 tie for 2nd; t4 last.
    const s = boardState([row('t1', 1, 2, 50, 40), row('t2', 2, 1, 30, 30), row('t3', 2, 1, 30, 30), row('t4', 4, 0, 0, null)]);
    expect(s.applyEvent(eventFrame(2, 0, { kind: 'scoreboard', view: 'public', frozen: false, rows: [], removedTeamIds: ['t1'] }))).toBe(true);
    expect(ranks(s)).toEqual([['t2', 1], ['t3', 1], ['t4', 3]]);
  });

  it('removes before merging, so a row updated in the same event is ranked among the remaining teams', () => {
    const s = boardState([row('t1', 1, 2, 50, 40), row('t2', 2, 1, 30, 30), row('t3', 3, 0, 0, null)]);
    // t1 disabled; t3 solves its first problem later than t2 did, so it moves to 2nd behind t2.
    s.applyEvent(eventFrame(2, 0, { kind: 'scoreboard', view: 'public', frozen: false, rows: [row('t3', 3, 1, 45, 45)], removedTeamIds: ['t1'] }));
    expect(ranks(s)).toEqual([['t2', 1], ['t3', 2]]);
    expect(s.getSnapshot().scoreboard!.rows.find((r) => r.teamId === 't3')!.solved).toBe(1);
  });

  it('leaves every row in place when the event removes nobody', () => {
    const s = boardState([row('t1', 1, 1, 10, 10), row('t2', 2, 0, 0, null)]);
    s.applyEvent(eventFrame(2, 0, { kind: 'scoreboard', view: 'public', frozen: false, rows: [row('t2', 2, 1, 5, 5)] }));
    expect(ranks(s)).toEqual([['t2', 1], ['t1', 2]]);
  });
});

describe('ClientState: a judging the jury watches', () => {
  it('adds each run as its test ends, in test order, to the judging it belongs to', () => {
    const s = new ClientState();
    s.update({ lastSeq: 1 });
    const judging = { id: 'j1', submissionId: 's1', valid: false, rejudgingId: null, startedAtMs: 1, endedAtMs: null, verdict: null, maxTimeMs: null, maxMemoryKiB: null, compileOutput: null, worker: 'w', runs: [] };
    const run = (index: number) => ({ index, testName: `t${index}`, sample: false, verdict: 'AC' as const, timeMs: 5, wallTimeMs: 6, memoryKiB: 100, exitCode: 0, signal: null, judgeMessage: null, stdoutExcerpt: null, stderrExcerpt: null, endedAtMs: 10 + index });
    s.applyEvent(eventFrame(2, 0, { kind: 'juryJudging', judging }));
    s.applyEvent(eventFrame(3, 0, { kind: 'juryRun', judgingId: 'j1', submissionId: 's1', rejudgingId: null, run: run(2) }));
    s.applyEvent(eventFrame(4, 0, { kind: 'juryRun', judgingId: 'j1', submissionId: 's1', rejudgingId: null, run: run(1) }));
    // A run of a judging this client has not loaded is ignored.
    s.applyEvent(eventFrame(5, 0, { kind: 'juryRun', judgingId: 'j9', submissionId: 's9', rejudgingId: null, run: run(1) }));
    expect(s.getSnapshot().judgings['s1']![0]!.runs.map((r) => r.index)).toEqual([1, 2]);
    expect(s.getSnapshot().judgings['s9']).toBeUndefined();
  });
});

describe('ClientState: verdict events', () => {
  it("keeps a scoring problem's score on the team's submission and says it in the notice", () => {
    const s = new ClientState();
    const sub = { id: '2', problemId: 'stretch', language: 'python3', fileNames: ['a.py'], submittedAtMs: 1, contestTimeMs: 1, status: 'running' as const, verdict: null, timeMs: null, memoryKiB: null, testIndex: 3, testCount: 12 };
    s.update({ submissions: [sub], lastSeq: 1 });
    const groups = [{ name: 'secret/01-tiny', score: 20, maxScore: 20, accepted: true, tests: [{ index: 1, verdict: 'AC' as const }] }];
    const verdict = { submissionId: '2', judgingId: 'j2', verdict: 'AC' as const, timeMs: 164, memoryKiB: 1024, testsPassed: 10, testCount: 12, compileOutput: null, teamMessage: null, tests: [], score: { score: 57.5, maxScore: 100, groups } };
    expect(s.applyEvent(eventFrame(2, 0, { kind: 'verdict', verdict }))).toBe(true);
    const d = s.getSnapshot();
    expect(d.submissions[0]).toMatchObject({ verdict: 'AC', score: 57.5, maxScore: 100 });
    expect(d.notices.at(-1)?.text).toBe('Submission 2: AC 57.5/100');
  });
});

describe('ClientState: balloons', () => {
  const balloon = (teamId: string, at: number, extra: Partial<Balloon> = {}): Balloon => ({
    teamId, teamName: `Team ${teamId}`, location: null, problemId: 'a', label: 'A', problemName: 'A', colour: null, submissionId: String(at),
    submittedAtMs: at, contestTimeMs: at, firstToSolve: false, frozen: false, done: false, doneBy: null, doneAtMs: null, ...extra,
  });
  const clock = (scoreboardFrozen: boolean): ContestClock => ({
    contestId: 'c', name: 'C', state: scoreboardFrozen ? 'frozen' : 'running', startAtMs: 0, endAtMs: 10, freezeAtMs: 5, scoreboardFrozen, finalized: false, serverTimeMs: 1,
  }) as ContestClock;
  const teams = (s: ClientState) => s.getSnapshot().balloons?.list.map((b) => [b.teamId, b.done]) ?? null;

  it('follows events once loaded: added in solve order, replaced, removed; nothing before the list is loaded', () => {
    const s = new ClientState();
    s.update({ lastSeq: 1, clock: clock(false) });
    s.applyEvent(eventFrame(2, 0, { kind: 'balloon', balloon: balloon('t1', 10) }));
    expect(teams(s)).toBeNull();
    s.setBalloons([balloon('t2', 20)], false);
    s.applyEvent(eventFrame(3, 0, { kind: 'balloon', balloon: balloon('t1', 10) }));
    s.applyEvent(eventFrame(4, 0, { kind: 'balloon', balloon: balloon('t2', 20, { done: true }) }));
    expect(teams(s)).toEqual([['t1', false], ['t2', true]]);
    s.applyEvent(eventFrame(5, 0, { kind: 'balloon', balloon: balloon('t1', 10), removed: true }));
    expect(teams(s)).toEqual([['t2', true]]);
  });

  it('a freeze or a snapshot drops the list (the screen loads it again); the unfreeze keeps it and clears heldBack', () => {
    const s = new ClientState();
    s.update({ lastSeq: 1, clock: clock(false) });
    s.setBalloons([balloon('t1', 1)], false);
    s.applyEvent(eventFrame(2, 0, { kind: 'clock', clock: clock(true) }));
    expect(s.getSnapshot().balloons).toBeNull();
    s.setBalloons([balloon('t1', 1)], true);
    s.applyEvent(eventFrame(3, 0, { kind: 'clock', clock: clock(false) }));
    expect(s.getSnapshot().balloons).toMatchObject({ heldBack: false });
    s.applySnapshot({ clock: clock(false), scoreboard: { view: 'public', frozen: false, problems: [], rows: [] }, problems: [], clarifications: [] }, 9);
    expect(s.getSnapshot().balloons).toBeNull();
  });
});
