/**
 * Client latency benchmark (bench/tui/run.ts runs it).
 *
 * 1. keystroke-to-frame, per screen: the full-screen App (300 teams, 12 problems, 200 submissions) rendered by
 *    Ink in its normal (throttled, non-debug) mode into a fake terminal; time from writing a key to stdin
 *    until Ink writes the changed frame, the process's CPU time per key (process.cpuUsage: the steadier
 *    figure on a shared machine) and the bytes Ink wrote per key.
 * 2. verdict-sent-to-verdict-shown: the fake protocol server emits a verdict; a real JudgeClient over a
 *    loopback WebSocket feeds the ClientState, and the App on the Submissions screen redraws; time from
 *    the server's send to the frame that shows the verdict.
 *
 * The tui package it measures is a parameter (`tuiDir`), so run.ts can measure a base checkout's client
 * with this same scenario list in the same run (`--base DIR`).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Balloon, PrintJob, Rejudging, RejudgingItem, TeamInfo, User } from '../../packages/shared/src/protocol.ts';
import type * as FixturesModule from '../../packages/tui/test-utils/fixtures.ts';
import type * as TestingModule from '../../packages/tui/test-utils/testing.tsx';
import type * as ScoringModule from '../../packages/shared/src/scoring.ts';

type Fixtures = typeof FixturesModule;
type Testing = typeof TestingModule;
type Store = ReturnType<Fixtures['teamState']>;

export interface Tui {
  fx: Fixtures;
  t: Testing;
  scoring: typeof ScoringModule;
}

export async function loadTui(tuiDir: string): Promise<Tui> {
  const imp = (p: string) => import(pathToFileURL(path.join(tuiDir, p)).href);
  return { fx: await imp('test-utils/fixtures.ts'), t: await imp('test-utils/testing.tsx'), scoring: await imp('../shared/src/scoring.ts') };
}

class Term extends EventEmitter {
  isTTY = true;
  bytes = 0;
  waiter: { pred: (s: string) => boolean; resolve: (t: number) => void } | null = null;
  last = '';
  constructor(
    public columns: number,
    public rows: number,
    private strip: (s: string) => string,
  ) {
    super();
  }
  write = (s: string) => {
    const at = performance.now();
    this.bytes += Buffer.byteLength(s);
    if (this.strip(s).trim() !== '') this.last = s;
    if (this.waiter && this.waiter.pred(s)) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve(at);
    }
    return true;
  };
  next(pred: (s: string) => boolean = () => true): Promise<number> {
    return new Promise((resolve) => (this.waiter = { pred, resolve }));
  }
}

export interface Stats {
  n: number;
  median?: number;
  p95?: number;
  max?: number;
}

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  if (s.length === 0) return { n: 0 };
  return { n: s.length, median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +s[s.length - 1]!.toFixed(2) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const RUNNER: User = { username: 'runner', role: 'balloon', teamId: null, displayName: 'runner' };
const LONG_TEXT = Array.from({ length: 40 }, (_, i) => `## Part ${i + 1}\n\nGiven $n$ integers $a_1, \\ldots, a_n$ with $1 \\le n \\le 10^5$, print their **sum**; the *numbers* fit in \`long long\`. Line ${i + 1} of a long statement that wraps at the width of the terminal.\n`).join('\n');

/**
 * One measured screen: the store and server answers it needs, the keys that open it (each followed
 * by a pause so requests answer), and the key sequence typed on it (every key changes the frame).
 */
export interface Scenario {
  name: string;
  store: (tui: Tui) => Store;
  answers?: (tui: Tui) => Record<string, unknown>;
  open: string[];
  key: (i: number) => string;
}

const jk = (i: number) => (i % 40 < 20 ? 'j' : 'k');
/** Up first: the selection starts on my team, at the bottom of that board. */
const kj = (i: number) => (i % 40 < 20 ? 'k' : 'j');
/** Down and up a list of n rows, so every key moves. */
const jkWithin = (n: number) => (i: number) => (i % (2 * (n - 1)) < n - 1 ? 'j' : 'k');
/** Types into a text field: x, then removes it, so every key redraws and the field never grows. */
const typing = (i: number) => (i % 2 ? '\x7f' : 'x');

const bigTeam = (tui: Tui, user?: User) => tui.fx.teamState({ teams: 300, submissions: 200, problems: 12, ...(user ? { user } : {}) });

function rejudgingAnswers(tui: Tui) {
  const rejudgings: Rejudging[] = Array.from({ length: 30 }, (_, i) => ({
    id: String(30 - i), scope: { kind: 'problem', problemId: 'pa' }, verdicts: null, reason: null, byUsername: 'jury', state: 'pending',
    createdAtMs: tui.fx.T0, decidedAtMs: null, decidedBy: null, submissionCount: 300, doneCount: 300, changedCount: 7,
  }));
  const items: RejudgingItem[] = Array.from({ length: 300 }, (_, i) => ({
    submissionId: String(i + 1), teamId: `team${i}`, teamName: `Team ${i} of the room`, problemId: 'pa', oldJudgingId: String(i), oldVerdict: 'AC',
    oldTimeMs: 100 + i, newJudgingId: String(1000 + i), newStatus: 'done', newVerdict: i % 40 === 0 ? 'WA' : 'AC', newTimeMs: 90 + i,
  }));
  return { rejudgings: { rejudgings }, rejudging: { rejudging: rejudgings[0], items } };
}

function juryAnswers(tui: Tui): Record<string, unknown> {
  const T0 = tui.fx.T0;
  const teams: (TeamInfo & { logins: string[] })[] = Array.from({ length: 300 }, (_, i) => ({ id: `team${i + 1}`, name: `Team ${i + 1} of the room`, organization: i % 2 ? 'University B' : null, enabled: i % 17 !== 0, logins: [`team${i + 1}`] }));
  const jobs: PrintJob[] = Array.from({ length: 300 }, (_, i) => ({
    id: String(300 - i), teamId: `team${i + 1}`, teamName: `Team ${i + 1} of the room`, location: `Room ${1 + (i % 3)}, table ${i + 1}`, fileName: `solution${i}.cpp`, pages: 1 + (i % 3),
    bytes: 4000, state: i % 2 ? 'queued' : 'printed', error: null, done: i % 5 === 0, createdAtMs: T0 + i * 1000, printedAtMs: null, printCount: i % 2 ? 0 : 1,
  }));
  const submissions = tui.fx.submissions(300, tui.fx.problems(12)).map((s, i) => ({ ...s, teamId: `team${1 + (i % 300)}`, teamName: `Team ${1 + (i % 300)} of the room`, judgingId: String(i + 1) }));
  return { jurySubmissions: { submissions }, teams: { teams }, printJobs: { jobs, printer: null }, balloons: { balloons: balloons(tui, 300), heldBack: true, hiddenByFreeze: 4 }, ...rejudgingAnswers(tui) };
}

function balloons(tui: Tui, n: number): Balloon[] {
  const colours = ['#e53935', '#1e88e5', '#43a047', '#fdd835', '#8e24aa', '#fb8c00'];
  return Array.from({ length: n }, (_, i) => ({
    teamId: `team${i + 1}`, teamName: `Team ${i + 1} of the room`, location: `Room ${1 + (i % 3)}, seat ${i + 1}`, problemId: `p${'abcdefghijkl'[i % 12]}`, label: 'ABCDEFGHIJKL'[i % 12]!,
    problemName: `Problem ${i % 12}`, colour: colours[i % colours.length]!, submissionId: String(100 + i),
    submittedAtMs: tui.fx.T0 + i * 60_000, contestTimeMs: i * 60_000, firstToSolve: i < 12, frozen: false, done: false, doneBy: null, doneAtMs: null,
  }));
}

/** A score board (IOI style) of 300 teams on 12 problems, the first three with three subtasks each. */
function scoreStore(tui: Tui): Store {
  const store = bigTeam(tui);
  const probs = tui.fx.problems(12);
  const subtasks = [
    { name: 'secret/01-tiny', maxScore: 20 },
    { name: 'secret/02-medium', maxScore: 30 },
    { name: 'secret/03-large', maxScore: 50 },
  ];
  const board = new tui.scoring.Scoreboard({
    problems: probs.map((p, i) => ({ id: p.id, label: p.label, name: p.name, colour: p.colour, maxScore: 100, ...(i < 3 ? { subtasks } : {}) })),
    teams: Array.from({ length: 300 }, (_, t) => ({ id: `team${t + 1}`, name: `Team ${t + 1} of the room`, organization: null })),
    view: 'public',
    type: 'score',
    scoreMode: 'subtask-sum',
  });
  let n = 0;
  for (let t = 0; t < 300; t++) {
    for (let j = 0; j < 12; j++) {
      if ((t * 7 + j * 3) % 5 === 0) continue;
      const scores = j < 3 ? [20, (t * j) % 31, (t + j) % 51] : undefined;
      board.applyRun({ submissionId: String(++n), teamId: `team${t + 1}`, problemId: probs[j]!.id, contestTimeMs: (10 + j * 7 + (t % 50)) * 60_000, verdict: scores || (t + j) % 3 ? 'AC' : 'WA', ...(scores ? { score: scores.reduce((a, b) => a + b, 0), subtaskScores: scores } : {}) });
    }
  }
  store.update({ scoreboard: board.snapshot() });
  return store;
}

function statementStore(tui: Tui): Store {
  const store = bigTeam(tui);
  const st = store.getSnapshot().statements;
  store.update({ statements: Object.fromEntries(Object.entries(st).map(([id, s]) => [id, { ...s, markdown: s.markdown + LONG_TEXT }])) });
  return store;
}

export const SCENARIOS: Scenario[] = [
  // Team screens (team1 of 300 teams).
  { name: 'problems', store: (x) => bigTeam(x), open: ['1'], key: jkWithin(12) },
  { name: 'statement', store: statementStore, open: ['2'], key: jk },
  { name: 'submissions', store: (x) => bigTeam(x), open: ['4'], key: jk },
  { name: 'scoreboard', store: (x) => bigTeam(x), open: ['5'], key: jk },
  { name: 'scoreboard, score + subtask panel (b)', store: scoreStore, open: ['5', 'b'], key: kj },
  { name: 'clarifications', store: (x) => bigTeam(x), open: ['6'], key: jkWithin(3) },
  { name: 'print (typing a path)', store: (x) => bigTeam(x), open: ['7', '\r'], key: typing },
  { name: 'switch screen (4/5)', store: (x) => bigTeam(x), open: ['4'], key: (i) => (i % 2 ? '4' : '5') },
  // Jury screens (an admin).
  { name: 'jury submissions', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['2'], key: jk },
  { name: 'jury scoreboard', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['3'], key: jk },
  { name: 'contest, editing the times (e)', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['7', 'e'], key: typing },
  { name: 'rejudging review (300 submissions)', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['8', '\r'], key: jk },
  { name: 'teams (300)', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['9'], key: jk },
  { name: 'teams, import form (i)', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['9', 'i'], key: typing },
  { name: 'print queue (300 printouts)', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['7', 'p'], key: jk },
  { name: 'balloons, jury (300)', store: (x) => bigTeam(x, x.fx.JUDGE_USER), answers: juryAnswers, open: ['7', 'b'], key: jk },
  // The balloon runner's one screen.
  { name: 'balloons, runner (300)', store: (x) => bigTeam(x, RUNNER), answers: (x) => ({ balloons: { balloons: balloons(x, 300), heldBack: true, hiddenByFreeze: null } }), open: [], key: jk },
];

export interface KeyResult {
  latency: Stats;
  cpuMsPerKey: number;
  bytesPerKey: number;
  /** Keys that drew no frame within a second (a broken scenario: the key changed nothing). */
  missed: number;
}

export async function keystrokes(tui: Tui, sc: Scenario, cols: number, rows: number, rounds: number): Promise<KeyResult> {
  const answers = sc.answers?.(tui) ?? {};
  const api = { request: async (f: { type: string }) => answers[f.type] ?? { submissions: [], verdicts: [] } } as never;
  const out = new Term(cols, rows, tui.t.stripAnsi);
  const keys = new tui.t.FakeStdin();
  const ink = tui.t.renderAppLive({ store: sc.store(tui), api }, { stdout: out, stdin: keys, stderr: new Term(cols, rows, tui.t.stripAnsi) });
  // Long enough for the first screen's requests to answer on a loaded machine (the runner's list).
  await sleep(400);
  for (const k of sc.open) {
    keys.write(k);
    await sleep(150);
  }
  // Warm-up: the first keys of a screen compile and fill caches, which a person pays once.
  let n = 0;
  for (; n < 10; n++) {
    keys.write(sc.key(n));
    await sleep(40);
  }
  const times: number[] = [];
  let missed = 0;
  const b0 = out.bytes;
  const c0 = process.cpuUsage();
  // Pauses between keys longer than a frame, as a person types: each key is a fresh render.
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const p = out.next();
    keys.write(sc.key(n++));
    const t1 = await Promise.race([p, sleep(1000).then(() => NaN)]);
    // A frame only after half a second is the header's clock, not the key: the key changed nothing.
    if (Number.isNaN(t1) || t1 - t0 > 500) missed++;
    else times.push(t1 - t0);
    await sleep(40);
  }
  const c = process.cpuUsage(c0);
  const bytes = out.bytes - b0;
  if (process.env.BENCH_DEBUG) process.stderr.write(`--- ${sc.name} ${cols}x${rows}\n${tui.t.stripAnsi(out.last)}\n`);
  // BENCH_FRAMES=DIR: the last frame as written (escapes kept), to compare two trees' screens exactly.
  if (process.env.BENCH_FRAMES) fs.writeFileSync(path.join(process.env.BENCH_FRAMES, `${process.env.BENCH_TREE ?? 'this'}-${cols}x${rows}-${sc.name.replace(/[^a-z0-9]+/gi, '_')}.txt`), out.last);
  // BENCH_TIMES=DIR: every key's latency in order, to see where the tail comes from.
  if (process.env.BENCH_TIMES) fs.writeFileSync(path.join(process.env.BENCH_TIMES, `${process.env.BENCH_TREE ?? 'this'}-${cols}x${rows}-${sc.name.replace(/[^a-z0-9]+/gi, '_')}.json`), JSON.stringify(times.map((t) => +t.toFixed(2))));
  ink.unmount();
  return { latency: stats(times), cpuMsPerKey: +((c.user + c.system) / 1000 / rounds).toFixed(2), bytesPerKey: Math.round(bytes / rounds), missed };
}

export async function verdicts(tui: Tui, cols: number, rows: number, rounds: number): Promise<{ latency: Stats; missed: number }> {
  const { server, store, client } = await tui.fx.teamOnFakeServer({ teams: 300 });
  await client.ready();
  const out = new Term(cols, rows, tui.t.stripAnsi);
  const keys = new tui.t.FakeStdin();
  const ink = tui.t.renderAppLive({ store, api: client, initialScreen: 'submissions' }, { stdout: out, stdin: keys, stderr: new Term(cols, rows, tui.t.stripAnsi) });
  await sleep(100);
  const times: number[] = [];
  const verdictsCycle = ['WA', 'TLE', 'AC', 'RTE'] as const;
  const n = Math.min(rounds, 100);
  for (let i = 0; i < n; i++) {
    const { submission } = await client.request<'submit'>({ type: 'submit', problemId: 'pb', language: 'cpp', files: [{ name: 'a.cpp', source: `// ${i}` }] });
    await sleep(80);
    const v = verdictsCycle[i % verdictsCycle.length]!;
    const re = new RegExp(`\\b${submission.id} +B +cpp .*\\b${v}\\b`);
    const shown = out.next((s) => re.test(tui.t.stripAnsi(s)));
    const t0 = performance.now();
    server.judge(submission.id, v, { tests: 1 });
    const t1 = await Promise.race([shown, sleep(2000).then(() => NaN)]);
    if (!Number.isNaN(t1)) times.push(t1 - t0);
    else if (process.env.BENCH_DEBUG) process.stderr.write(`missed ${submission.id} ${v}:\n${tui.t.stripAnsi(out.last)}\n`);
    await sleep(40);
  }
  ink.unmount();
  client.close();
  await server.stop();
  return { latency: stats(times), missed: n - times.length };
}
