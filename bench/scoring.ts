/**
 * Scoring and protocol costs on a large LAN contest: 300 teams, 13 problems, 10,000 runs.
 * Run: pnpm exec tsx bench/scoring.ts
 * Prints: building the board once, one incremental judgement (applyRun + rowsFor), the same
 * judgement by rebuilding from every run (what incremental avoids), the same three for a score board
 * (scoreboard_type score, 3 subtasks per problem, subtask-sum), and parsing frames.
 */
import { Scoreboard, type Run } from '../packages/shared/src/scoring.ts';
import { VERDICTS } from '../packages/shared/src/verdict.ts';
import { parseClientFrame, MAX_SOURCE_BYTES } from '../packages/shared/src/protocol.ts';

const TEAMS = 300;
const PROBLEMS = 13;
const RUNS = 10_000;

let seed = 42;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

const problems = Array.from({ length: PROBLEMS }, (_, i) => ({ id: `p${i}`, label: String.fromCharCode(65 + i), name: `P${i}`, colour: null }));
const teams = Array.from({ length: TEAMS }, (_, i) => ({ id: `t${i}`, name: `Team ${i}`, organization: `Org ${i % 40}` }));
const runs: Run[] = Array.from({ length: RUNS }, (_, i) => ({
  submissionId: String(i + 1),
  teamId: `t${rnd(TEAMS)}`,
  problemId: `p${rnd(PROBLEMS)}`,
  contestTimeMs: rnd(300 * 60_000),
  verdict: VERDICTS[rnd(VERDICTS.length)]!,
}));
const opts = { problems, teams, view: 'public' as const, freezeContestTimeMs: 240 * 60_000 };

function time(label: string, reps: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(reps, 20); i++) fn(i); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn(i);
  const perOpUs = Number(process.hrtime.bigint() - t0) / 1000 / reps;
  console.log(`${label.padEnd(58)} ${perOpUs >= 1000 ? `${(perOpUs / 1000).toFixed(2)} ms` : `${perOpUs.toFixed(1)} µs`} per op`);
  return perOpUs;
}

/** Times each op alone: median and p95 in µs. */
function spread(label: string, reps: number, fn: (i: number) => void): { median: number; p95: number } {
  for (let i = 0; i < Math.min(reps, 20); i++) fn(i);
  const us: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    us.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  us.sort((a, b) => a - b);
  const at = (q: number) => us[Math.min(us.length - 1, Math.floor(q * us.length))]!;
  const f = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`);
  console.log(`${label.padEnd(58)} median ${f(at(0.5))}, p95 ${f(at(0.95))}`);
  return { median: at(0.5), p95: at(0.95) };
}

console.log(`node ${process.version}; ${TEAMS} teams, ${PROBLEMS} problems, ${RUNS} runs`);
time('Scoreboard.fromRuns (build once)', 20, () => Scoreboard.fromRuns(opts, runs));
const board = Scoreboard.fromRuns(opts, runs);
const inc = time('applyRun + rowsFor (one judgement, incremental)', 20_000, (i) => {
  const r = runs[i % RUNS]!;
  const changed = board.applyRun({ ...r, verdict: VERDICTS[i % VERDICTS.length]! });
  board.rowsFor(changed);
});
time('rows() (whole ranked board, e.g. a snapshot)', 2_000, () => board.rows());
const full = time('same judgement by rebuilding from all runs', 20, (i) => {
  const r = runs[i % RUNS]!;
  runs[i % RUNS] = { ...r, verdict: VERDICTS[i % VERDICTS.length]! };
  Scoreboard.fromRuns(opts, runs).rows();
});
console.log(`incremental is ${(full / inc).toFixed(0)}x cheaper than rebuilding`);

// Score boards: every run scored with 3 subtasks (20/30/50), best of each subtask summed.
const scoreProblems = problems.map((p) => ({ ...p, maxScore: 100, subtasks: [{ name: 'secret/1', maxScore: 20 }, { name: 'secret/2', maxScore: 30 }, { name: 'secret/3', maxScore: 50 }] }));
const scored = (r: Run, i: number): Run => {
  const sub = [(i * 7) % 21, (i * 11) % 31, (i * 13) % 51];
  return { ...r, verdict: 'AC', score: sub[0]! + sub[1]! + sub[2]!, subtaskScores: sub };
};
const scoreRuns = runs.map(scored);
const sopts = { ...opts, problems: scoreProblems, type: 'score' as const, scoreMode: 'subtask-sum' as const };
time('score board: fromRuns (build once)', 20, () => Scoreboard.fromRuns(sopts, scoreRuns));
const sboard = Scoreboard.fromRuns(sopts, scoreRuns);
const sinc = spread('score board: applyRun + rowsFor (incremental)', 5_000, (i) => {
  sboard.rowsFor(sboard.applyRun(scored(scoreRuns[i % RUNS]!, i + 1)));
});
const sfull = spread('score board: same judgement by rebuilding', 30, (i) => {
  scoreRuns[i % RUNS] = scored(scoreRuns[i % RUNS]!, i + 1);
  Scoreboard.fromRuns(sopts, scoreRuns).rows();
});
console.log(`score board: incremental is ${(sfull.median / sinc.median).toFixed(0)}x cheaper than rebuilding (medians; p95 ${(sfull.p95 / sinc.p95).toFixed(0)}x)`);

const bigSubmit = JSON.stringify({ id: 1, type: 'submit', problemId: 'p1', language: 'cpp', files: [{ name: 'main.cpp', source: 'x'.repeat(MAX_SOURCE_BYTES) }] });
time('parseClientFrame(submit of 256 KiB)', 500, () => parseClientFrame(bigSubmit));
const small = JSON.stringify({ id: 7, type: 'scoreboard' });
time('parseClientFrame(small request)', 100_000, () => parseClientFrame(small));
