/**
 * Test fixture: an in-memory HttpDeps with a small contest in its freeze, scored by the real shared
 * Scoreboard. Used by the HTTP tests and the scoreboard page test; not used by the daemon.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Budgets } from '../src/server/budgets.ts';
import { pngOf } from './images.ts';
import type {
  Clarification,
  ContestClock,
  ContestEvent,
  EventFrame,
  JuryJudging,
  JurySubmission,
  ProblemSummary,
  SourceFile,
  TeamInfo,
  User,
} from '@judged/shared/protocol';
import { Scoreboard } from '@judged/shared/scoring';
import { PASS_FAIL_POINTS } from '../src/contest/scoreboard.ts';
import type { Verdict } from '@judged/shared/verdict';
import type { ApiActions, ApiGroup, ApiImage, ApiOrganization, ApiPerson, ApiProblemFile, HttpDeps, MetricFamily } from '../src/server/http/deps.ts';

export const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

/** The example problems' own files stand in for problem hello's statement and attachment. */
const EXAMPLES = path.resolve(import.meta.dirname, '../../../problems');
const MIN = 60_000;

export interface FakeContest {
  deps: HttpDeps;
  clock: ContestClock;
  teams: TeamInfo[];
  submissions: JurySubmission[];
  judgings: JuryJudging[];
  clarifications: Clarification[];
  /** Files of problem hello (its PDF statement and an attachment), on disk. */
  problemFiles: { statement: ApiProblemFile[]; attachments: ApiProblemFile[] };
  /** Appends an event to the fake log and tells subscribers. */
  emit(event: ContestEvent): void;
  /** Writes that change the fake contest and emit their events (pass as deps.actions to allow writes). */
  actions: ApiActions;
  subscriberCount(): number;
}

/**
 * `extraTeams` adds that many enabled teams without submissions (for a board taller than the screen).
 * `score` makes it a score contest (scoreboard_type score, subtask-sum): problem sum gets two subtasks
 * (40 + 60) and team 2 a partial submission on it (40), hello stays pass-fail (PASS_FAIL_POINTS).
 * `unbounded` (with `score`): sum has no full marks, only the expected maximum 120 the loader would
 * derive (problems/expected-max-score.ts).
 */
export function makeFakeContest(opts: { extraTeams?: number; score?: boolean; unbounded?: boolean } = {}): FakeContest {
  const clock: ContestClock = {
    contestId: 'lan26',
    name: 'LAN Contest 2026',
    state: 'frozen',
    startAtMs: T0,
    durationMs: 300 * MIN,
    endAtMs: T0 + 300 * MIN,
    freezeAtMs: T0 + 240 * MIN,
    scoreboardFrozen: true,
    finalized: false,
    penaltyTimeMin: 20,
    ...(opts.score ? { scoreboardType: 'score' as const } : {}),
    serverTimeMs: T0 + 270 * MIN,
  };
  const sumScoring = { ...(opts.unbounded ? { maxScore: null, expectedMaxScore: 120 } : { maxScore: 100 }), subtasks: [{ name: 'secret/1', maxScore: 40 }, { name: 'secret/2', maxScore: 60 }] };
  const problems: ProblemSummary[] = [
    { id: 'hello', label: 'A', name: 'Hello World', colour: '#ff0000', timeLimitMs: 1000, memoryLimitKiB: 262144, sampleCount: 1, testCount: 3 },
    { id: 'sum', label: 'B', name: 'Sum <Two>', colour: null, timeLimitMs: 2000, memoryLimitKiB: 262144, sampleCount: 2, testCount: 5, ...(opts.score ? { scoring: sumScoring } : {}) },
  ];
  const teams: TeamInfo[] = [
    { id: 't1', name: 'Alpha', organization: 'Uni A', enabled: true },
    { id: 't2', name: 'Bravo <script>alert(1)</script>', organization: 'Uni B', enabled: true },
    // Disabled on purpose: like a hidden team (store accounts.scoreboardTeams keeps enabled, unhidden
    // teams only), t3 is on no board and no reader but the jury sees it or its AC on sum.
    { id: 't3', name: 'Hidden', organization: 'Uni Secret', enabled: false },
  ];
  for (let i = 0; i < (opts.extraTeams ?? 0); i++) teams.push({ id: `x${i}`, name: `Extra ${i}`, organization: null, enabled: true });
  const users: Record<string, { password: string; user: User }> = {
    team1: { password: 'pw-team1', user: { username: 'team1', role: 'team', teamId: 't1', displayName: 'Alpha' } },
    team2: { password: 'pw-team2', user: { username: 'team2', role: 'team', teamId: 't2', displayName: 'Bravo' } },
    jury: { password: 'pw-jury', user: { username: 'jury', role: 'judge', teamId: null, displayName: 'Jury' } },
    admin: { password: 'pw-admin', user: { username: 'admin', role: 'admin', teamId: null, displayName: 'Admin' } },
  };
  const sub = (id: string, teamId: string, problemId: string, min: number, verdict: Verdict | null): JurySubmission => ({
    id,
    problemId,
    language: 'cpp',
    fileNames: ['main.cpp'],
    submittedAtMs: T0 + min * MIN,
    contestTimeMs: min * MIN,
    status: verdict ? 'judged' : 'queued',
    verdict,
    timeMs: verdict ? 120 : null,
    memoryKiB: verdict ? 2048 : null,
    testIndex: null,
    testCount: null,
    teamId,
    teamName: teams.find((t) => t.id === teamId)!.name,
    judgingId: verdict ? `j${id}` : null,
  });
  const submissions = [
    sub('1', 't1', 'hello', 30, 'AC'),
    sub('2', 't2', 'hello', 50, 'WA'),
    sub('3', 't2', 'hello', 250, 'AC'),
    sub('4', 't3', 'sum', 20, 'AC'),
    sub('5', 't1', 'sum', 260, null),
  ];
  submissions.push({ ...sub('6', 't1', 'sum', 261, null), language: 'java', fileNames: ['Main.java', 'Util.java'], entryPoint: 'app.Main' });
  if (opts.score) submissions.push(sub('7', 't2', 'sum', 100, 'AC'));
  /** Score contests: the scores of the judged sum submissions (full marks unless named here). */
  const sumScores: Record<string, number[]> = { '7': [40, 0] };
  const scoreOf = (s: JurySubmission) => {
    if (!opts.score || s.problemId !== 'sum' || s.verdict === null) return undefined;
    const subtasks = sumScores[s.id] ?? [40, 60];
    return { score: subtasks[0]! + subtasks[1]!, subtaskScores: subtasks };
  };
  const judging = (s: JurySubmission, id: string, valid: boolean, verdict: Verdict): JuryJudging => ({
    id,
    submissionId: s.id,
    valid,
    rejudgingId: null,
    startedAtMs: s.submittedAtMs + 1000,
    endedAtMs: s.submittedAtMs + 3000,
    verdict,
    maxTimeMs: 120,
    maxMemoryKiB: 2048,
    compileOutput: null,
    worker: 'w1',
    ...(scoreOf(s)
      ? {
          score: {
            score: scoreOf(s)!.score,
            maxScore: 100,
            firstRejection: null,
            groups: sumScoring.subtasks.map((g, i) => ({ name: g.name, score: scoreOf(s)!.subtaskScores[i]!, maxScore: g.maxScore, accepted: scoreOf(s)!.subtaskScores[i] === g.maxScore, tests: [{ index: i + 2, verdict: 'AC' as const }] })),
          },
        }
      : {}),
    runs: [1, 2, 3].map((index) => ({
      index,
      testName: index === 1 ? 'sample/1' : `secret/${index}`,
      sample: index === 1,
      verdict: verdict === 'WA' && index === 2 ? 'WA' : 'AC',
      timeMs: 100 + index,
      wallTimeMs: 150,
      memoryKiB: 2048,
      exitCode: 0,
      signal: null,
      judgeMessage: 'secret judge message',
      stdoutExcerpt: null,
      stderrExcerpt: null,
    })),
  });
  const judgings: JuryJudging[] = [
    judging(submissions[0]!, 'j0', false, 'WA'), // the judging a rejudge replaced
    judging(submissions[0]!, 'j1', true, 'AC'),
    judging(submissions[1]!, 'j2', true, 'WA'),
    judging(submissions[2]!, 'j3', true, 'AC'),
    judging(submissions[3]!, 'j4', true, 'AC'),
    ...(opts.score ? [judging(submissions[6]!, 'j7', true, 'AC')] : []),
  ];
  // Submission 5's first judging, still running: one test has ended.
  const running = judging(submissions[4]!, 'j5', false, 'AC');
  judgings.push({ ...running, endedAtMs: null, verdict: null, maxTimeMs: null, maxMemoryKiB: null, runs: [{ ...running.runs[0]!, endedAtMs: running.startedAtMs + 500 }] });
  const clar = (c: Partial<Clarification> & Pick<Clarification, 'id' | 'kind' | 'text'>): Clarification => ({
    fromTeamId: null,
    toTeamId: null,
    problemId: null,
    replyToId: null,
    quotedQuestion: null,
    createdAtMs: T0 + 10 * MIN,
    contestTimeMs: 10 * MIN,
    answered: false,
    ...c,
  });
  const clarifications: Clarification[] = [
    clar({ id: 'c1', kind: 'question', fromTeamId: 't1', text: 'Is n > 0?', answered: true }),
    clar({ id: 'c2', kind: 'answer', toTeamId: 't1', replyToId: 'c1', text: 'Yes.' }),
    clar({ id: 'c3', kind: 'announcement', text: 'Problem B: read the statement again.' }),
    clar({ id: 'c4', kind: 'question', fromTeamId: 't2', text: 'Secret question of t2' }),
  ];

  const image = (filename: string, w: number, h: number): ApiImage => {
    const bytes = pngOf(w, h);
    return { filename, mime: 'image/png', width: w, height: h, md5: createHash('md5').update(bytes).digest('hex'), bytes };
  };
  // Uni B is not in the store (a team imported with an organization name only): its id is derived.
  const organizations: ApiOrganization[] = [
    { id: 'uni-a', name: 'Uni A', formalName: 'University A', country: 'NLD', logos: [image('logo160x160.png', 160, 160), image('logo56x56.png', 56, 56)] },
    { id: 'uni-secret', name: 'Uni Secret', formalName: null, country: 'secret', logos: [image('logo.png', 64, 32)] },
  ];
  const persons: ApiPerson[] = [
    { id: 'ann', icpcId: '1001', teamIds: ['t1'], name: 'Ann Alpha', title: null, email: 'ann@example.test', sex: 'female', role: 'contestant', photos: [image('photo.png', 40, 60)] },
    { id: 'cody', icpcId: null, teamIds: ['t1', 't3'], name: 'Cody Coach', title: 'Coach', email: 'cody@example.test', sex: null, role: 'coach', photos: [] },
    { id: 'hugo', icpcId: null, teamIds: ['t3'], name: 'Hugo Hidden', title: null, email: 'hugo@example.test', sex: 'male', role: 'contestant', photos: [image('photo.png', 10, 10)] },
    { id: 'sam', icpcId: null, teamIds: [], name: 'Sam Staff', title: 'Director', email: null, sex: null, role: 'staff', photos: [] },
  ];
  const file = (filename: string, mime: string, rel: string): ApiProblemFile => {
    const p = path.join(EXAMPLES, rel);
    return { filename, mime, path: p, sizeBytes: fs.statSync(p).size };
  };
  const problemFiles = {
    statement: [file('hello.en.pdf', 'application/pdf', 'hello/problem_statement/problem.en.pdf')],
    attachments: [file('testing_tool.py', 'text/x-python', 'guess/attachments/testing_tool.py')],
  };

  const listeners = new Set<(f: EventFrame) => void>();
  const log: EventFrame[] = [];
  let seq = 100;
  const groups: ApiGroup[] = [
    { id: 'site-a', name: 'Site A', teamIds: ['t1'] },
    { id: 'site-b', name: 'Site B', teamIds: ['t2', 't3'] },
  ];

  function board(view: 'public' | 'jury') {
    const b = new Scoreboard({
      problems: problems.map((p) => ({ id: p.id, label: p.label, name: p.name, colour: p.colour, ...(opts.score ? { maxScore: p.scoring ? p.scoring.maxScore : PASS_FAIL_POINTS, ...(p.scoring ? { subtasks: p.scoring.subtasks } : {}) } : {}) })),
      ...(opts.score ? { type: 'score' as const, scoreMode: 'subtask-sum' as const } : {}),
      teams: teams.filter((t) => t.enabled).map((t) => ({ id: t.id, name: t.name, organization: t.organization })),
      view,
      penaltyTimeMin: clock.penaltyTimeMin,
      freezeContestTimeMs: clock.freezeAtMs! - clock.startAtMs!,
      frozen: clock.scoreboardFrozen,
    });
    for (const s of submissions) {
      b.applyRun({ submissionId: s.id, teamId: s.teamId, problemId: s.problemId, contestTimeMs: s.contestTimeMs, verdict: s.verdict, ...scoreOf(s) });
    }
    return b.snapshot();
  }

  const metrics: MetricFamily[] = [
    { name: 'judged_queue_length', help: 'Submissions waiting for a worker.', type: 'gauge', samples: [{ value: 1 }] },
    {
      name: 'judged_judgings_total',
      help: 'Judgings finished, by verdict.',
      type: 'counter',
      samples: [
        { labels: { verdict: 'AC' }, value: 3 },
        { labels: { verdict: 'WA' }, value: 1 },
      ],
    },
  ];

  function emit(event: ContestEvent): void {
    const frame: EventFrame = { type: 'event', seq: ++seq, atMs: clock.serverTimeMs, event };
    log.push(frame);
    for (const l of [...listeners]) l(frame);
  }
  const sources = new Map<string, SourceFile[]>();
  // Writes as the daemon makes them: the change, then its event.
  const actions: ApiActions = {
    async submit(teamId, input, atMs, id) {
      if (!problems.some((p) => p.id === input.problemId)) throw Object.assign(new Error(`no problem ${input.problemId}`), { name: 'ContestError', code: 'not_found' });
      if (id !== undefined && submissions.some((x) => x.id === id)) throw Object.assign(new Error(`submission ${id} already exists`), { name: 'ContestError', code: 'conflict' });
      const at = atMs ?? clock.serverTimeMs;
      const s: JurySubmission = { ...sub(id ?? String(submissions.length + 1), teamId, input.problemId, (at - T0) / MIN, null), language: input.language, fileNames: input.files.map((f) => f.name) };
      submissions.push(s);
      sources.set(s.id, [...input.files]);
      emit({ kind: 'jurySubmission', submission: s });
      return s;
    },
    ask(teamId, problemId, text) {
      const c = clar({ id: `c${clarifications.length + 1}`, kind: 'question', fromTeamId: teamId, problemId, text });
      clarifications.push(c);
      emit({ kind: 'clarification', clarification: c });
      return c;
    },
    juryClarification(m) {
      const c = clar({ id: `c${clarifications.length + 1}`, kind: m.replyToId ? 'answer' : 'announcement', toTeamId: m.toTeamId, replyToId: m.replyToId, problemId: m.problemId, text: m.text });
      clarifications.push(c);
      emit({ kind: 'clarification', clarification: c });
      return c;
    },
    setStartTime(startAtMs) {
      clock.startAtMs = startAtMs;
      emit({ kind: 'clock', clock: { ...clock } });
      return { ...clock };
    },
    thaw() {
      clock.scoreboardFrozen = false;
      clock.unfrozenAtMs = clock.serverTimeMs;
      emit({ kind: 'clock', clock: { ...clock } });
      return { ...clock };
    },
  };

  const deps: HttpDeps = {
    budgets: new Budgets(),
    authenticate(username, password) {
      const u = users[username];
      return u && u.password === password ? u.user : null;
    },
    sessionUser: (token) => (token.startsWith('session-') ? (users[token.slice('session-'.length)]?.user ?? null) : null),
    clock: () => ({ ...clock }),
    problems: () => problems,
    languages: () => [
      { id: 'cpp', name: 'C++ 17', extensions: ['cpp', 'cc'], multiFile: false, compile: ['g++', '-O2', '-o', '{binary}', '{files}'], run: ['{binary}'] },
      { id: 'java', name: 'Java 17', extensions: ['java'], multiFile: true, compile: ['javac', '-d', '{progdir}', '{files}'], run: ['java', '-cp', '{progdir}', '{mainclass}'] },
    ],
    teams: () => teams,
    submissions: () => submissions,
    judgings: () => judgings,
    // Every rejudging of this contest was applied.
    rejudgingApplied: () => true,
    clarifications: () => clarifications,
    submissionFiles: (id) => {
      const s = submissions.find((x) => x.id === id);
      return sources.get(id) ?? (s ? s.fileNames.map((name) => ({ name, source: `// ${name} of submission ${id}\n` })) : []);
    },
    groups: () => groups,
    organizations: () => organizations,
    persons: () => persons,
    problemFiles: (id) => (id === 'hello' ? problemFiles : { statement: [], attachments: [] }),
    medals: () => ({ gold: 1, silver: 1, bronze: 1 }),
    accounts: () => Object.values(users).map((u) => ({ username: u.user.username, role: u.user.role, teamId: u.user.teamId })),
    eventsSince: (since, limit) => log.filter((f) => f.seq > since).slice(0, limit),
    feedTokenKey: Buffer.alloc(32, 7),
    scoreboard: (view) => board(view),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    metrics: () => metrics,
    headSeq: () => seq,
  };

  return {
    deps,
    clock,
    teams,
    submissions,
    judgings,
    clarifications,
    problemFiles,
    emit,
    actions,
    subscriberCount: () => listeners.size,
  };
}
