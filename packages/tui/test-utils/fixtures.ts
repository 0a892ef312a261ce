import type { ContestClock, Clarification, ScoreboardRow, ScoreboardSnapshot, TeamSubmission, User, Language } from '@judged/shared/protocol';
import type { ProblemInfo, ProblemSummary } from '@judged/shared/problem';
import { toProblemSummary } from '@judged/shared/problem';
import { JudgeClient, type ClientOptions } from '../src/client.ts';
import { ClientState } from '../src/state.ts';
import { FakeServer } from './fake-server.ts';

/**
 * Deterministic contest data for screen tests and the benchmark: n problems, many teams, many
 * submissions. Values follow the shared schemas so they also serve as frames for the fake server.
 */
export const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

export function clock(state: ContestClock['state'], now = T0 + 3_600_000): ContestClock {
  return {
    contestId: 'demo',
    name: 'Demo Contest',
    state,
    startAtMs: T0,
    durationMs: 5 * 3_600_000,
    endAtMs: T0 + 5 * 3_600_000,
    freezeAtMs: T0 + 4 * 3_600_000,
    scoreboardFrozen: state === 'frozen',
    finalized: false,
    penaltyTimeMin: 20,
    serverTimeMs: now,
  };
}

const COLOURS = ['#e53935', '#1e88e5', '#43a047', '#fdd835', '#8e24aa', '#fb8c00', '#00acc1', '#6d4c41', '#d81b60', '#3949ab', '#7cb342', '#5e35b1'];

export function problemInfo(i: number): ProblemInfo {
  const label = String.fromCharCode(65 + i);
  return {
    id: `p${label.toLowerCase()}`,
    label,
    name: ['Hello World', 'Sum of Two', 'Graph Walk', 'Float Mean', 'Long Name Problem With Many Words', 'Trees', 'Paths', 'Matrix', 'Strings', 'DP', 'Geometry', 'Flow'][i % 12]!,
    colour: COLOURS[i % COLOURS.length]!,
    timeLimitMs: 1000 + i * 500,
    memoryLimitKiB: 262144,
    sampleCount: 2,
    markdown: `# Problem ${label}\n\nGiven $n$ integers $a_1, \\ldots, a_n$ with $1 \\le n \\le 10^5$, print their **sum**.\n\n## Input\n\n- The first line holds $n$.\n- The second line holds the *numbers*.\n\n## Output\n\nOne line: \`the sum\`.\n\n\`\`\`\nexample code block\n\`\`\`\n`,
    samples: [
      { name: '1', input: '3\n1 2 3\n', output: '6\n' },
      { name: '2', input: '1\n-5\n', output: '-5\n' },
    ],
    attachments: [],
  };
}

export function problems(n: number): ProblemSummary[] {
  return Array.from({ length: n }, (_, i) => toProblemSummary(problemInfo(i)));
}

export function scoreboard(nTeams: number, probs: ProblemSummary[], frozen = false): ScoreboardSnapshot {
  const rows: ScoreboardRow[] = [];
  for (let t = 0; t < nTeams; t++) {
    const solvedCount = Math.max(0, probs.length - Math.floor((t * probs.length) / nTeams) - 1);
    const cells = probs.map((p, j) => {
      const solved = j < solvedCount;
      const pending = !solved && j === solvedCount && t % 3 === 0 ? 1 : 0;
      const attempts = solved ? 1 + (t % 3) : j === solvedCount + 1 ? 2 : 0;
      return {
        problemId: p.id,
        solved,
        attempts,
        pending,
        timeMin: solved ? 10 + j * 7 + (t % 50) : null,
        penaltyMin: solved ? 10 + j * 7 + (t % 50) + 20 * (attempts - 1) : 0,
        firstToSolve: solved && t === j,
      };
    });
    rows.push({
      rank: 0,
      teamId: `team${t + 1}`,
      teamName: `Team ${t + 1} ${['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'][t % 5]}`,
      organization: `University ${t % 40}`,
      solved: solvedCount,
      penaltyMin: cells.reduce((n, c) => n + c.penaltyMin, 0),
      lastAcMin: solvedCount ? Math.max(...cells.filter((c) => c.solved).map((c) => c.timeMin ?? 0)) : null,
      cells,
    });
  }
  rows.sort((a, b) => b.solved - a.solved || a.penaltyMin - b.penaltyMin);
  rows.forEach((r, i) => (r.rank = i + 1));
  return { view: 'public', frozen, problems: probs.map((p) => ({ id: p.id, label: p.label, name: p.name, colour: p.colour })), rows };
}

export function submissions(n: number, probs: ProblemSummary[]): TeamSubmission[] {
  const verdicts = ['AC', 'WA', 'TLE', 'CE', 'RTE'] as const;
  return Array.from({ length: n }, (_, i) => {
    const judged = i >= 2;
    return {
      id: `s${n - i}`,
      problemId: probs[i % probs.length]!.id,
      language: i % 2 ? 'cpp' : 'python3',
      fileNames: [i % 2 ? 'sol.cpp' : 'sol.py'],
      submittedAtMs: T0 + (n - i) * 60_000,
      contestTimeMs: (n - i) * 60_000,
      status: judged ? 'judged' : i === 0 ? 'running' : 'queued',
      verdict: judged ? verdicts[i % verdicts.length]! : null,
      timeMs: judged ? 12 + i : null,
      memoryKiB: judged ? 3000 + i : null,
      testIndex: i === 0 ? 5 : judged ? 3 : null,
      testCount: i === 0 || judged ? 8 : null,
    };
  });
}

export function clarifications(): Clarification[] {
  return [
    { id: 'c1', kind: 'announcement', fromTeamId: null, toTeamId: null, problemId: null, replyToId: null, quotedQuestion: null, text: 'Welcome to the contest. Good luck!', createdAtMs: T0 + 60_000, contestTimeMs: 60_000, answered: false },
    { id: 'c2', kind: 'question', fromTeamId: 'team1', toTeamId: null, problemId: 'pa', replyToId: null, quotedQuestion: null, text: 'Is n ever zero?', createdAtMs: T0 + 120_000, contestTimeMs: 120_000, answered: true },
    { id: 'c3', kind: 'answer', fromTeamId: null, toTeamId: 'team1', problemId: 'pa', replyToId: 'c2', quotedQuestion: 'Is n ever zero?', text: 'No: read the constraints, 1 <= n.', createdAtMs: T0 + 180_000, contestTimeMs: 180_000, answered: false },
  ];
}

/** As a daemon sends them: the judge's commands, which `judge test` runs locally. */
export const LANGUAGES: Language[] = [
  { id: 'c', name: 'C', extensions: ['c'], multiFile: true, compile: ['/usr/bin/gcc', '-x', 'c', '-O2', '-DONLINE_JUDGE', '-o', '{binary}', '{files}', '-lm'], run: ['{binary}'] },
  { id: 'cpp', name: 'C++', extensions: ['cpp', 'cc', 'cxx'], multiFile: true, compile: ['g++', '-x', 'c++', '-O2', '-o', '{binary}', '{files}'], run: ['{binary}'] },
  { id: 'python3', name: 'Python 3', extensions: ['py'], multiFile: false, compile: ['python3', '-I', '-c', 'import py_compile, sys\nfor f in sys.argv[1:]:\n    py_compile.compile(f, doraise=True)', '{files}'], run: ['python3', '{progdir}/{main}'] },
  { id: 'java', name: 'Java', extensions: ['java'], multiFile: true, compile: ['javac', '-d', '.', '{files}'], run: ['java', '-Xmx{memlimit_mb}m', '-cp', '{progdir}', '{mainclass}'] },
];

export const TEAM_USER: User = { username: 'team1', role: 'team', teamId: 'team1', displayName: 'Team 1 Alpha' };
export const JUDGE_USER: User = { username: 'jury', role: 'admin', teamId: null, displayName: 'Jury' };

/** A store as a team sees it mid-contest. */
export function teamState(opts: { teams?: number; problems?: number; submissions?: number; user?: User } = {}): ClientState {
  const s = new ClientState();
  const probs = problems(opts.problems ?? 5);
  const c = clock('running');
  s.update({
    conn: { status: 'online', message: 'online', attempt: 0, retryAtMs: null },
    user: opts.user ?? TEAM_USER,
    clock: c,
    offsetMs: c.serverTimeMs - Date.now(),
    problems: probs,
    statements: Object.fromEntries(probs.map((p, i) => [p.id, problemInfo(i)])),
    languages: LANGUAGES,
    submissions: submissions(opts.submissions ?? 12, probs),
    scoreboard: scoreboard(opts.teams ?? 30, probs),
    clarifications: clarifications(),
    lastSeq: 100,
  });
  return s;
}

/** Options for a FakeServer: team1/secret1, team2/secret2, jury/jurypass (admin). */
export function fakeServerOptions(opts: { teams?: number; state?: ContestClock['state']; startInMs?: number } = {}) {
  const infos = [0, 1, 2, 3].map(problemInfo);
  infos[0] = { ...infos[0]!, samples: [{ name: '1', input: '3\n1 2 3\n', output: '6\n' }, { name: '2', input: '1\n-5\n', output: '-5\n' }] };
  const now = Date.now();
  const state = opts.state ?? 'running';
  const c: ContestClock = {
    ...clock(state, now),
    startAtMs: state === 'before' ? now + (opts.startInMs ?? 90_000) : now - 3_600_000,
    endAtMs: state === 'before' ? now + (opts.startInMs ?? 90_000) + 5 * 3_600_000 : now + 4 * 3_600_000,
    freezeAtMs: null,
  };
  const summaries = infos.map(toProblemSummary);
  return {
    accounts: [
      { password: 'secret1', user: { username: 'team1', role: 'team' as const, teamId: 'team1', displayName: 'Team 1 Alpha' } },
      { password: 'secret2', user: { username: 'team2', role: 'team' as const, teamId: 'team2', displayName: 'Team 2 Bravo' } },
      { password: 'jurypass', user: JUDGE_USER },
    ],
    clock: c,
    problems: infos,
    scoreboard: scoreboard(opts.teams ?? 20, summaries),
    languages: LANGUAGES,
    clarifications: [],
  };
}

/**
 * A started FakeServer with fakeServerOptions(opts), and team1's JudgeClient feeding a fresh
 * ClientState, as the full-screen client wires it. The client is not yet ready(); the caller closes
 * it and stops the server.
 */
export async function teamOnFakeServer(opts: Parameters<typeof fakeServerOptions>[0] = {}, client: Partial<ClientOptions> = {}) {
  const server = new FakeServer(fakeServerOptions(opts));
  const addr = await server.start();
  const store = new ClientState();
  const judgeClient = new JudgeClient({
    url: `ws://${addr}/ws`,
    auth: { kind: 'password', username: 'team1', password: 'secret1' },
    subscribe: true,
    ...client,
    ...store.clientFeed(),
  });
  return { server, store, client: judgeClient };
}
