import { describe, expect, it } from 'vitest';
import { Scoreboard, applyRowUpdates, rankRows, type Run, type ScoreboardOptions, type TeamRef } from './scoring.ts';
import { VERDICTS, type Verdict } from './verdict.ts';
import type { ScoreboardRow } from './protocol.ts';

const MIN = 60_000;
const problems = ['A', 'B', 'C'].map((l) => ({ id: `p${l}`, label: l, name: `Problem ${l}`, colour: null }));
const teams: TeamRef[] = [
  { id: 't1', name: 'Alpha', organization: 'Uni 1' },
  { id: 't2', name: 'Bravo', organization: 'Uni 2' },
  { id: 't3', name: 'Charlie', organization: null },
];

function opts(over: Partial<ScoreboardOptions> = {}): ScoreboardOptions {
  return { problems, teams, view: 'jury', ...over };
}

let nextId = 1;
function run(teamId: string, problemId: string, minutes: number, verdict: Verdict | null, submissionId = String(nextId++)): Run {
  return { submissionId, teamId, problemId, contestTimeMs: Math.round(minutes * MIN), verdict };
}

function cell(row: ScoreboardRow | undefined, problemId: string) {
  const c = row?.cells.find((x) => x.problemId === problemId);
  if (!c) throw new Error(`no cell ${problemId}`);
  return c;
}

describe('Scoreboard: ICPC rules', () => {
  it('ranks by solved, then penalty, then last AC time', () => {
    const b = Scoreboard.fromRuns(opts(), [
      run('t1', 'pA', 10, 'AC'),
      run('t2', 'pA', 5, 'AC'),
      run('t2', 'pB', 50, 'AC'),
      run('t3', 'pA', 20, 'AC'),
    ]);
    const rows = b.rows();
    expect(rows.map((r) => [r.teamId, r.rank, r.solved, r.penaltyMin])).toEqual([
      ['t2', 1, 2, 55],
      ['t1', 2, 1, 10],
      ['t3', 3, 1, 20],
    ]);
  });

  it('adds penalty per earlier rejected run, floors minutes, counts attempts', () => {
    const b = Scoreboard.fromRuns(opts(), [
      run('t1', 'pA', 3, 'WA'),
      run('t1', 'pA', 4, 'TLE'),
      run('t1', 'pA', 65.99, 'AC'),
    ]);
    const c = cell(b.row('t1'), 'pA');
    expect(c).toMatchObject({ solved: true, attempts: 3, timeMin: 65, penaltyMin: 65 + 2 * 20, pending: 0 });
    expect(b.row('t1')).toMatchObject({ solved: 1, penaltyMin: 105, lastAcMin: 65 });
  });

  it('uses the configured penalty time', () => {
    const b = Scoreboard.fromRuns(opts({ penaltyTimeMin: 5 }), [run('t1', 'pA', 1, 'RTE'), run('t1', 'pA', 2, 'AC')]);
    expect(b.row('t1')?.penaltyMin).toBe(2 + 5);
  });

  it('ignores CE and JE for penalty and attempts', () => {
    const b = Scoreboard.fromRuns(opts(), [
      run('t1', 'pA', 1, 'CE'),
      run('t1', 'pA', 2, 'JE'),
      run('t1', 'pA', 3, 'MLE'),
      run('t1', 'pA', 10, 'AC'),
    ]);
    expect(cell(b.row('t1'), 'pA')).toMatchObject({ attempts: 2, penaltyMin: 30 });
  });

  it('ignores runs after the first AC, judged or pending', () => {
    const b = Scoreboard.fromRuns(opts(), [
      run('t1', 'pA', 10, 'AC'),
      run('t1', 'pA', 11, 'WA'),
      run('t1', 'pA', 12, null),
      run('t1', 'pA', 13, 'AC'),
    ]);
    expect(cell(b.row('t1'), 'pA')).toMatchObject({ attempts: 1, pending: 0, timeMin: 10, penaltyMin: 10 });
  });

  it('shows pending runs and unsolved rejected attempts without penalty', () => {
    const b = Scoreboard.fromRuns(opts(), [run('t1', 'pB', 1, 'WA'), run('t1', 'pB', 2, 'WA'), run('t1', 'pB', 3, null)]);
    expect(cell(b.row('t1'), 'pB')).toMatchObject({ solved: false, attempts: 2, pending: 1, timeMin: null, penaltyMin: 0 });
    expect(b.row('t1')?.penaltyMin).toBe(0);
  });

  it('lets tied teams share a rank and the next rank skip', () => {
    const b = Scoreboard.fromRuns(opts({ teams: [...teams, { id: 't4', name: 'Delta', organization: null }] }), [
      run('t1', 'pA', 30, 'AC'),
      run('t2', 'pA', 30.5, 'AC'),
      run('t3', 'pA', 31, 'AC'),
    ]);
    expect(b.rows().map((r) => [r.teamId, r.rank])).toEqual([
      ['t1', 1],
      ['t2', 1],
      ['t3', 3],
      ['t4', 4],
    ]);
    expect(b.row('t2')?.rank).toBe(1);
  });

  it('breaks a tie on solved and penalty by the earlier last AC', () => {
    // Both: 2 solved, 100 penalty. t1's last AC at 60, t2's at 90.
    const b = Scoreboard.fromRuns(opts(), [
      run('t1', 'pA', 40, 'AC'),
      run('t1', 'pB', 60, 'AC'),
      run('t2', 'pA', 10, 'AC'),
      run('t2', 'pB', 90, 'AC'),
    ]);
    const rows = b.rows();
    expect(rows[0]).toMatchObject({ teamId: 't1', rank: 1, penaltyMin: 100, lastAcMin: 60 });
    expect(rows[1]).toMatchObject({ teamId: 't2', rank: 2, penaltyMin: 100, lastAcMin: 90 });
  });

  it('marks the first team to solve each problem', () => {
    const b = Scoreboard.fromRuns(opts(), [
      run('t1', 'pA', 20, 'AC'),
      run('t2', 'pA', 12, 'AC'),
      run('t3', 'pB', 7, 'AC'),
      run('t1', 'pB', 3, 'WA'),
    ]);
    expect(cell(b.row('t2'), 'pA').firstToSolve).toBe(true);
    expect(cell(b.row('t1'), 'pA').firstToSolve).toBe(false);
    expect(cell(b.row('t3'), 'pB').firstToSolve).toBe(true);
    expect(cell(b.row('t1'), 'pB').firstToSolve).toBe(false);
  });

  it('ignores runs of unknown problems and late runs', () => {
    const b = Scoreboard.fromRuns(opts({ endContestTimeMs: 300 * MIN }), [run('t1', 'pZ', 1, 'AC'), run('t1', 'pA', 300, 'AC')]);
    expect(b.row('t1')).toMatchObject({ solved: 0 });
    expect(cell(b.row('t1'), 'pA').attempts).toBe(0);
  });
});

describe('Scoreboard: incremental updates', () => {
  it('applies a judgement and reports only the changed team', () => {
    const b = new Scoreboard(opts());
    expect(b.applyRun(run('t2', 'pB', 5, null, 's1'))).toEqual(['t2']);
    expect(cell(b.row('t2'), 'pB').pending).toBe(1);
    // t2 is first to solve pB: only t2 changes.
    expect(b.applyRun(run('t2', 'pB', 5, 'AC', 's1'))).toEqual(['t2']);
    expect(b.rows()[0]).toMatchObject({ teamId: 't2', rank: 1, solved: 1 });
    // t1 solves later: t1 only; t2 keeps first-to-solve.
    expect(b.applyRun(run('t1', 'pB', 8, 'AC', 's2'))).toEqual(['t1']);
    expect(cell(b.row('t2'), 'pB').firstToSolve).toBe(true);
  });

  it('applies a rejudge correction: AC to WA moves the team and hands first-to-solve over', () => {
    const b = new Scoreboard(opts());
    b.applyRun(run('t1', 'pA', 10, 'AC', 's1'));
    b.applyRun(run('t2', 'pA', 20, 'AC', 's2'));
    expect(b.rows().map((r) => r.teamId)).toEqual(['t1', 't2', 't3']);
    const changed = b.applyRun(run('t1', 'pA', 10, 'WA', 's1'));
    expect(new Set(changed)).toEqual(new Set(['t1', 't2']));
    expect(b.rows().map((r) => [r.teamId, r.rank])).toEqual([
      ['t2', 1],
      ['t1', 2],
      ['t3', 2],
    ]);
    expect(cell(b.row('t2'), 'pA').firstToSolve).toBe(true);
    expect(cell(b.row('t1'), 'pA')).toMatchObject({ solved: false, attempts: 1, firstToSolve: false });
    // And back: WA to AC restores everything.
    b.applyRun(run('t1', 'pA', 10, 'AC', 's1'));
    expect(cell(b.row('t1'), 'pA').firstToSolve).toBe(true);
    expect(cell(b.row('t2'), 'pA').firstToSolve).toBe(false);
  });

  it('a rejudge of an earlier run to a penalty verdict raises the penalty of a later AC', () => {
    const b = new Scoreboard(opts());
    b.applyRun(run('t1', 'pA', 1, 'CE', 's1'));
    b.applyRun(run('t1', 'pA', 9, 'AC', 's2'));
    expect(b.row('t1')?.penaltyMin).toBe(9);
    b.applyRun(run('t1', 'pA', 1, 'WA', 's1'));
    expect(b.row('t1')?.penaltyMin).toBe(29);
  });

  it('counts runs of a team added later, and drops a removed team', () => {
    const b = new Scoreboard(opts());
    b.applyRun(run('t9', 'pA', 1, 'AC', 'x1'));
    expect(b.row('t9')).toBeUndefined();
    b.setTeam({ id: 't9', name: 'Late', organization: null });
    expect(b.row('t9')).toMatchObject({ rank: 1, solved: 1 });
    expect(cell(b.row('t9'), 'pA').firstToSolve).toBe(true);
    b.applyRun(run('t1', 'pA', 5, 'AC', 'x2'));
    expect(b.removeTeam('t9')).toEqual(['t1']);
    expect(cell(b.row('t1'), 'pA').firstToSolve).toBe(true);
    expect(b.rows().map((r) => r.teamId)).not.toContain('t9');
  });

  it('matches a board built from scratch after any sequence of runs and corrections', () => {
    // Deterministic pseudo-random sequence (LCG), so a failure is reproducible.
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const many: TeamRef[] = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, name: `Team ${i % 5}`, organization: null }));
    for (const view of ['jury', 'public'] as const) {
      const o = opts({ teams: many, view, freezeContestTimeMs: 200 * MIN });
      const inc = new Scoreboard(o);
      const latest = new Map<string, Run>();
      for (let step = 0; step < 600; step++) {
        const correct = latest.size > 0 && rnd(4) === 0;
        let r: Run;
        if (correct) {
          const ids = [...latest.keys()];
          const old = latest.get(ids[rnd(ids.length)]!)!;
          r = { ...old, verdict: rnd(5) === 0 ? null : VERDICTS[rnd(VERDICTS.length)]! };
        } else {
          r = run(`t${rnd(12)}`, problems[rnd(3)]!.id, rnd(300 * 60) / 60, rnd(6) === 0 ? null : VERDICTS[rnd(VERDICTS.length)]!);
        }
        latest.set(r.submissionId, r);
        inc.applyRun(r);
        if (step % 50 === 49) {
          const fresh = Scoreboard.fromRuns(o, latest.values());
          expect(inc.rows()).toEqual(fresh.rows());
        }
      }
    }
  });
});

/** The rules written plainly, from scratch, as a reference for the randomized comparison below. */
function naiveRows(o: ScoreboardOptions, runs: Run[]) {
  const penalty = o.penaltyTimeMin ?? 20;
  const frozen = o.view === 'public' && o.freezeContestTimeMs != null && (o.frozen ?? true);
  const firstAc = new Map<string, number>(); // problem -> earliest AC ms
  const table = o.teams.map((t) => {
    let solved = 0;
    let total = 0;
    let last: number | null = null;
    const cells = o.problems.map((p) => {
      const mine = runs
        .filter((r) => r.teamId === t.id && r.problemId === p.id)
        .sort((a, b) => a.contestTimeMs - b.contestTimeMs || Number(a.submissionId) - Number(b.submissionId));
      let tries = 0;
      let pending = 0;
      let wrong = 0;
      let acMs: number | null = null;
      for (const r of mine) {
        if (r.verdict === null || (frozen && r.contestTimeMs >= o.freezeContestTimeMs!)) pending++;
        else if (r.verdict === 'AC') {
          tries++;
          acMs = r.contestTimeMs;
          break;
        } else if (r.verdict !== 'CE' && r.verdict !== 'JE') {
          tries++;
          wrong++;
        }
      }
      const min = acMs === null ? null : Math.floor(acMs / MIN);
      if (acMs !== null) {
        solved++;
        total += min! + wrong * penalty;
        last = Math.max(last ?? 0, min!);
        firstAc.set(p.id, Math.min(firstAc.get(p.id) ?? Infinity, acMs));
      }
      return { problemId: p.id, solved: acMs !== null, attempts: tries, pending, timeMin: min, penaltyMin: acMs === null ? 0 : min! + wrong * penalty, acMs };
    });
    return { teamId: t.id, teamName: t.name, organization: t.organization, solved, penaltyMin: total, lastAcMin: last, cells };
  });
  const rows = table.map((r) => ({
    ...r,
    rank: 0,
    cells: r.cells.map(({ acMs, ...c }) => ({ ...c, firstToSolve: acMs !== null && acMs === firstAc.get(c.problemId) })),
  }));
  return rankRows(rows);
}

describe('Scoreboard: against a plain reference implementation', () => {
  it('agrees on random contests, in both views', () => {
    let seed = 777;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let contest = 0; contest < 30; contest++) {
      const ts: TeamRef[] = Array.from({ length: 2 + rnd(10) }, (_, i) => ({ id: `t${i}`, name: `T${rnd(3)}`, organization: null }));
      const runs: Run[] = Array.from({ length: rnd(120) }, (_, i) => ({
        submissionId: String(i + 1),
        teamId: `t${rnd(ts.length)}`,
        problemId: problems[rnd(3)]!.id,
        // Coarse times make ties (same minute, same penalty, same first-AC millisecond) common.
        contestTimeMs: rnd(20) * 15 * MIN,
        verdict: rnd(7) === 0 ? null : VERDICTS[rnd(VERDICTS.length)]!,
      }));
      for (const view of ['jury', 'public'] as const) {
        const o = opts({ teams: ts, view, freezeContestTimeMs: 240 * MIN });
        expect(Scoreboard.fromRuns(o, runs).rows()).toEqual(naiveRows(o, runs));
        const inc = new Scoreboard(o);
        for (const r of runs) inc.applyRun(r);
        expect(inc.rows()).toEqual(naiveRows(o, runs));
      }
    }
  });
});

describe('Scoreboard: freeze', () => {
  const freeze = { freezeContestTimeMs: 240 * MIN };
  const runs = () => [
    run('t1', 'pA', 100, 'AC', 'f1'),
    run('t2', 'pA', 239.9, 'WA', 'f2'),
    run('t2', 'pA', 250, 'AC', 'f3'),
    run('t3', 'pB', 260, 'WA', 'f4'),
  ];

  it('shows runs from the freeze on as pending to the public', () => {
    const pub = Scoreboard.fromRuns(opts({ ...freeze, view: 'public' }), runs());
    expect(pub.isFrozen).toBe(true);
    expect(pub.snapshot().frozen).toBe(true);
    expect(cell(pub.row('t2'), 'pA')).toMatchObject({ solved: false, attempts: 1, pending: 1 });
    expect(cell(pub.row('t3'), 'pB')).toMatchObject({ attempts: 0, pending: 1 });
    expect(pub.row('t2')?.solved).toBe(0);
  });

  it('lets the jury see everything live', () => {
    const jury = Scoreboard.fromRuns(opts({ ...freeze, view: 'jury' }), runs());
    expect(jury.isFrozen).toBe(false);
    expect(cell(jury.row('t2'), 'pA')).toMatchObject({ solved: true, attempts: 2, pending: 0, penaltyMin: 270 });
  });

  it('keeps new judgements after the freeze hidden, and reveals all on unfreeze', () => {
    const pub = new Scoreboard(opts({ ...freeze, view: 'public' }));
    for (const r of runs()) pub.applyRun(r);
    pub.applyRun(run('t3', 'pC', 241, 'AC', 'f5'));
    expect(pub.row('t3')?.solved).toBe(0);
    const changed = pub.setFreeze(240 * MIN, false);
    expect(changed.sort()).toEqual(['t1', 't2', 't3']);
    expect(pub.isFrozen).toBe(false);
    expect(pub.row('t2')?.solved).toBe(1);
    expect(cell(pub.row('t3'), 'pC')).toMatchObject({ solved: true, firstToSolve: true });
  });
});

describe('applyRowUpdates (client side)', () => {
  it('merges changed rows and re-ranks like the server', () => {
    const server = new Scoreboard(opts());
    server.applyRun(run('t1', 'pA', 10, 'AC', 'c1'));
    let client = server.rows();
    const changed = server.applyRun(run('t3', 'pA', 5, 'AC', 'c2'));
    client = applyRowUpdates(client, server.rowsFor(changed));
    expect(client).toEqual(server.rows());
    const changed2 = server.applyRun(run('t2', 'pB', 1, 'AC', 'c3'));
    client = applyRowUpdates(client, server.rowsFor(changed2));
    expect(client).toEqual(server.rows());
  });

  it('rankRows gives equal scores equal ranks', () => {
    const base = { organization: null, cells: [] };
    const ranked = rankRows([
      { ...base, rank: 9, teamId: 'b', teamName: 'B', solved: 1, penaltyMin: 10, lastAcMin: 10 },
      { ...base, rank: 9, teamId: 'a', teamName: 'A', solved: 1, penaltyMin: 10, lastAcMin: 10 },
      { ...base, rank: 9, teamId: 'c', teamName: 'C', solved: 2, penaltyMin: 90, lastAcMin: 50 },
    ]);
    expect(ranked.map((r) => [r.teamId, r.rank])).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 2],
    ]);
  });
});

describe('score boards (scoreboard_type: score)', () => {
  const sp = [
    { id: 'pA', label: 'A', name: 'A', colour: null, maxScore: 100, subtasks: [{ name: 'secret/g1', maxScore: 20 }, { name: 'secret/g2', maxScore: 30 }, { name: 'secret/g3', maxScore: 50 }] },
    { id: 'pB', label: 'B', name: 'B', colour: null, maxScore: 100 },
  ];
  const srun = (teamId: string, problemId: string, minutes: number, score: number | null, subtaskScores?: number[], verdict: Verdict | null = 'AC'): Run => ({
    submissionId: String(nextId++),
    teamId,
    problemId,
    contestTimeMs: minutes * MIN,
    verdict,
    score,
    ...(subtaskScores ? { subtaskScores } : {}),
  });
  const sopts = (over: Partial<ScoreboardOptions> = {}): ScoreboardOptions => ({ problems: sp, teams, view: 'jury', type: 'score', ...over });
  const table = (b: Scoreboard) => b.rows().map((r) => [r.rank, r.teamId, r.score, r.lastAcMin]);

  it('ranks by total score, ties by the minute of the last improvement', () => {
    const runs = [srun('t1', 'pA', 10, 20), srun('t1', 'pA', 50, 50), srun('t1', 'pB', 30, 30), srun('t2', 'pA', 20, 80), srun('t3', 'pB', 40, 80), srun('t3', 'pB', 45, 10)];
    // Hand-computed: t1 50 + 30 = 80, last improvement min 50; t2 80 at min 20; t3 80 at min 40 (the later 10 does not lower it).
    expect(table(Scoreboard.fromRuns(sopts(), runs))).toEqual([
      [1, 't2', 80, 20],
      [2, 't3', 80, 40],
      [3, 't1', 80, 50],
    ]);
    const b = Scoreboard.fromRuns(sopts(), runs);
    expect(b.row('t1')!.cells.map((c) => [c.score, c.attempts, c.timeMin, c.solved])).toEqual([
      [50, 2, 50, false],
      [30, 1, 30, false],
    ]);
  });

  it('subtask-sum takes each subtask at its best over all runs; best-submission the best single run', () => {
    const runs = [srun('t1', 'pA', 10, 50, [20, 30, 0]), srun('t1', 'pA', 20, 50, [0, 0, 50])];
    expect(Scoreboard.fromRuns(sopts(), runs).row('t1')!.score).toBe(50);
    const sum = Scoreboard.fromRuns(sopts({ scoreMode: 'subtask-sum' }), runs).row('t1')!;
    expect([sum.score, sum.cells[0]!.subtaskScores, sum.cells[0]!.solved, sum.lastAcMin]).toEqual([100, [20, 30, 50], true, 20]);
    // A per-problem override wins over the contest's mode.
    expect(Scoreboard.fromRuns(sopts({ scoreMode: 'subtask-sum', problemScoreModes: { pA: 'best-submission' } }), runs).row('t1')!.score).toBe(50);
  });

  it('tie-break penalty: minute of the improvement plus penalty per earlier counted run; CE and JE count nothing', () => {
    const runs = [srun('t1', 'pA', 10, 0, undefined, 'WA'), srun('t1', 'pA', 12, null, undefined, 'CE'), srun('t1', 'pA', 30, 60), srun('t2', 'pA', 50, 60)];
    const b = Scoreboard.fromRuns(sopts({ tieBreak: 'penalty', penaltyTimeMin: 20 }), runs);
    // t1: 30 + 1 x 20 = 50; t2: 50 + 0 = 50: tied on penalty, t1 improved earlier.
    expect(b.rows().map((r) => [r.rank, r.teamId, r.penaltyMin])).toEqual([
      [1, 't1', 50],
      [2, 't2', 50],
      [3, 't3', 0],
    ]);
  });

  it('full marks solve the cell and the first team there is first to solve', () => {
    const b = Scoreboard.fromRuns(sopts(), [srun('t2', 'pB', 30, 100), srun('t1', 'pB', 10, 99.5)]);
    expect(b.row('t2')!.cells[1]!.firstToSolve).toBe(true);
    expect(b.row('t1')!.cells[1]!.solved).toBe(false);
    expect(b.applyRun(srun('t1', 'pB', 20, 100)).sort()).toEqual(['t1', 't2']);
    expect(b.row('t1')!.cells[1]!.firstToSolve).toBe(true);
  });

  it('the freeze hides runs from the freeze on as pending in the public view', () => {
    const runs = [srun('t1', 'pA', 10, 30), srun('t1', 'pA', 250, 90)];
    const pub = Scoreboard.fromRuns(sopts({ view: 'public', freezeContestTimeMs: 240 * MIN }), runs).row('t1')!;
    expect([pub.score, pub.cells[0]!.pending]).toEqual([30, 1]);
    const board = Scoreboard.fromRuns(sopts({ view: 'public', freezeContestTimeMs: 240 * MIN }), runs);
    board.setFreeze(240 * MIN, false);
    expect(board.row('t1')!.score).toBe(90);
  });

  it('incremental updates equal a rebuild, rejudges included', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const runs: Run[] = [];
    const b = new Scoreboard(sopts({ view: 'public', freezeContestTimeMs: 200 * MIN, scoreMode: 'subtask-sum', tieBreak: 'penalty' }));
    for (let i = 0; i < 400; i++) {
      const sub = [rnd(21), rnd(31), rnd(51)];
      const r = i > 50 && rnd(4) === 0 ? { ...runs[rnd(runs.length)]!, score: rnd(101), subtaskScores: sub } : srun(`t${1 + rnd(3)}`, rnd(2) ? 'pA' : 'pB', rnd(300), rnd(101), sub, rnd(5) === 0 ? null : 'AC');
      const at = runs.findIndex((x) => x.submissionId === r.submissionId);
      if (at >= 0) runs[at] = r;
      else runs.push(r);
      b.applyRun(r);
    }
    expect(b.rows()).toEqual(Scoreboard.fromRuns(sopts({ view: 'public', freezeContestTimeMs: 200 * MIN, scoreMode: 'subtask-sum', tieBreak: 'penalty' }), runs).rows());
  });

  it('clients merge score rows with the same ordering (applyRowUpdates)', () => {
    const b = Scoreboard.fromRuns(sopts(), [srun('t1', 'pA', 10, 40)]);
    const rows = b.rows();
    const changed = b.applyRun(srun('t2', 'pA', 20, 70));
    expect(applyRowUpdates(rows, b.rowsFor(changed))).toEqual(b.rows());
    expect(b.snapshot().type).toBe('score');
  });
});
