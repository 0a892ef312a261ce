/**
 * Scoring and protocol costs on a large LAN contest: 300 teams, 13 problems, 10,000 runs.
 * Run: pnpm exec tsx bench/scoring.ts
 * Prints: building the board once, one incremental judgement (applyRun + rowsFor), the same
 * judgement by rebuilding from every run (what incremental avoids), and parsing frames.
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

const bigSubmit = JSON.stringify({ id: 1, type: 'submit', problemId: 'p1', language: 'cpp', files: [{ name: 'main.cpp', source: 'x'.repeat(MAX_SOURCE_BYTES) }] });
time('parseClientFrame(submit of 256 KiB)', 500, () => parseClientFrame(bigSubmit));
const small = JSON.stringify({ id: 7, type: 'scoreboard' });
time('parseClientFrame(small request)', 100_000, () => parseClientFrame(small));
