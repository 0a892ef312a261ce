/**
 * Submissions and their judgings: inserting a submission (with its first judging and queue job),
 * finishing a judging (verdict + runs, choosing the valid judging), and the views the protocol
 * sends (TeamSubmission, TeamVerdict, JurySubmission, JuryJudging). Rejudgings are rejudgings.ts.
 *
 * Which judging counts: the valid one, at most one per submission (a partial unique index enforces
 * it). When a judging ends, judgingTakesEffect (shared visibility rules) says whether it replaces the
 * valid one: a first judging does; a rejudging's waits until the jury applies its rejudging.
 */
import type Database from 'better-sqlite3';
import type {
  JuryJudging,
  JurySubmission,
  JuryTestRun,
  RejudgeScope,
  RejudgingState,
  TeamTestResult,
  SourceFile,
  SubmissionStatus,
  TeamSubmission,
  TeamVerdict,
} from '@judged/shared/protocol';
import type { Verdict } from '@judged/shared/verdict';
import { MAX_SAMPLE_EXCERPT_CHARS } from '@judged/shared/protocol';
import { judgingTakesEffect, teamMessageOf, teamSeesTestInFull, toTeamSubmission } from '@judged/shared/visibility';
import type { StoreCore } from './core.ts';

/** Queue priority: larger is judged first. Fresh submissions go before rejudges. */
export const PRIORITY_SUBMISSION = 10;
export const PRIORITY_REJUDGE = 0;

export interface NewSubmission {
  /** A client's own id (Contest API PUT), absent: the next free one; the caller checks it is free. */
  id?: number;
  /** A client's own id that is not a positive integer (kept beside the row id, see migration 8). */
  clientId?: string;
  teamId: string;
  problemId: string;
  language: string;
  files: readonly SourceFile[];
  submittedAtMs: number;
  contestTimeMs: number;
}

/** One test's result as the judging engine reports it; the data fields only for tests the team sees in full. */
export interface TestRunResult extends JuryTestRun {
  input?: string | null;
  expected?: string | null;
  got?: string | null;
  gotTruncated?: boolean;
  /** A secret test whose data has full_feedback: kept and shown like a sample. */
  fullFeedback?: boolean;
}

export interface JudgingOutcome {
  verdict: Verdict;
  maxTimeMs: number | null;
  maxMemoryKiB: number | null;
  compileOutput: string | null;
  testsPassed: number;
  testCount: number;
  runs: readonly TestRunResult[];
  /** Why the judge failed (JE): for the jury, never shown to teams. */
  judgeError?: string | null;
  worker?: string | null;
  /** Scoring problems: the score, its subtasks and the first rejection. */
  score?: JuryScore | null;
  /** What the judge ran (Java's main class). */
  entryPoint?: string | null;
}

type JuryScore = NonNullable<JuryJudging['score']>;

interface SubmissionRow {
  id: number;
  client_id: string | null;
  team_id: string;
  problem_id: string;
  language: string;
  file_names: string;
  submitted_at_ms: number;
  contest_time_ms: number;
  team_name: string;
  j_id: number | null;
  j_status: string | null;
  j_valid: number | null;
  verdict: Verdict | null;
  max_time_ms: number | null;
  max_memory_kib: number | null;
  test_index: number | null;
  test_count: number | null;
  tests_passed: number | null;
  score: number | null;
  max_score: number | null;
  score_detail: string | null;
  entry_point: string | null;
}

export interface JudgingRow {
  id: number;
  submission_id: number;
  rejudging_id: number | null;
  previous_judging_id: number | null;
  valid: number;
  status: 'queued' | 'compiling' | 'running' | 'done' | 'cancelled';
  created_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  verdict: Verdict | null;
  max_time_ms: number | null;
  max_memory_kib: number | null;
  compile_output: string | null;
  judge_error: string | null;
  worker: string | null;
  test_index: number | null;
  test_count: number | null;
  tests_passed: number | null;
  score: number | null;
  max_score: number | null;
  score_detail: string | null;
  entry_point: string | null;
}

interface RunRow {
  judging_id: number;
  idx: number;
  test_name: string;
  sample: number;
  verdict: Verdict;
  time_ms: number;
  wall_time_ms: number;
  memory_kib: number;
  exit_code: number | null;
  signal: string | null;
  judge_message: string | null;
  stdout_excerpt: string | null;
  stderr_excerpt: string | null;
  input: string | null;
  expected: string | null;
  got: string | null;
  got_truncated: number;
  team_message: string | null;
  full_feedback: number;
  score: number | null;
  ended_at_ms: number | null;
}

/** The submission joined with its current judging: the valid one, else the newest live one. */
const SUBMISSION_SELECT = `
SELECT s.id, s.client_id, s.team_id, s.problem_id, s.language, s.file_names, s.submitted_at_ms, s.contest_time_ms,
       t.name AS team_name, j.id AS j_id, j.status AS j_status, j.valid AS j_valid, j.verdict,
       j.max_time_ms, j.max_memory_kib, j.test_index, j.test_count, j.tests_passed, j.score, j.max_score, j.score_detail, j.entry_point
FROM submissions s
JOIN teams t ON t.id = s.team_id
LEFT JOIN judgings j ON j.id = COALESCE(
  (SELECT v.id FROM judgings v WHERE v.submission_id = s.id AND v.valid = 1),
  (SELECT MAX(l.id) FROM judgings l WHERE l.submission_id = s.id AND l.status != 'cancelled'))`;

function statusOf(r: SubmissionRow): SubmissionStatus {
  if (r.j_valid === 1) return 'judged';
  if (r.j_status === 'compiling' || r.j_status === 'running') return r.j_status;
  if (r.j_status === 'done') return 'judged';
  return 'queued';
}

function toJurySubmission(r: SubmissionRow): JurySubmission {
  const status = statusOf(r);
  const judged = status === 'judged';
  return {
    id: String(r.id),
    problemId: r.problem_id,
    language: r.language,
    fileNames: JSON.parse(r.file_names) as string[],
    submittedAtMs: r.submitted_at_ms,
    contestTimeMs: r.contest_time_ms,
    status,
    verdict: judged ? r.verdict : null,
    timeMs: judged ? r.max_time_ms : null,
    memoryKiB: judged ? r.max_memory_kib : null,
    testIndex: judged ? r.tests_passed : r.test_index,
    testCount: r.test_count,
    teamId: r.team_id,
    teamName: r.team_name,
    judgingId: r.j_id === null ? null : String(r.j_id),
    ...(r.entry_point !== null ? { entryPoint: r.entry_point } : {}),
    ...(r.client_id !== null ? { clientId: r.client_id } : {}),
    ...(judged && r.score_detail !== null ? { score: r.score, maxScore: r.max_score } : {}),
  };
}

/** The stored JudgingScore of a scoring problem's judging, with the first rejection (jury). */
export function judgingScore(j: Pick<JudgingRow, 'score_detail'>): JuryScore | undefined {
  return j.score_detail === null ? undefined : (JSON.parse(j.score_detail) as JuryScore);
}

function toJuryRun(r: RunRow): JuryTestRun {
  return {
    index: r.idx,
    testName: r.test_name,
    sample: r.sample === 1,
    verdict: r.verdict,
    timeMs: r.time_ms,
    wallTimeMs: r.wall_time_ms,
    memoryKiB: r.memory_kib,
    exitCode: r.exit_code,
    signal: r.signal,
    judgeMessage: r.judge_message,
    teamMessage: r.team_message,
    stdoutExcerpt: r.stdout_excerpt,
    stderrExcerpt: r.stderr_excerpt,
    ...(r.score !== null ? { score: r.score } : {}),
    endedAtMs: r.ended_at_ms,
  };
}

export function toJuryJudging(j: JudgingRow, runs: readonly RunRow[]): JuryJudging {
  return {
    id: String(j.id),
    submissionId: String(j.submission_id),
    valid: j.valid === 1,
    rejudgingId: j.rejudging_id === null ? null : String(j.rejudging_id),
    startedAtMs: j.started_at_ms ?? j.created_at_ms,
    endedAtMs: j.ended_at_ms,
    verdict: j.verdict,
    maxTimeMs: j.max_time_ms,
    maxMemoryKiB: j.max_memory_kib,
    compileOutput: j.compile_output,
    judgeError: j.judge_error,
    worker: j.worker,
    ...(j.score_detail !== null ? { score: judgingScore(j) } : {}),
    runs: runs.map(toJuryRun),
  };
}

function teamSees(r: RunRow): boolean {
  return teamSeesTestInFull({ sample: r.sample === 1, fullFeedback: r.full_feedback === 1 });
}

function toTeamTest(r: RunRow): TeamTestResult {
  return {
    index: r.idx,
    name: r.test_name,
    sample: r.sample === 1,
    verdict: r.verdict,
    timeMs: r.time_ms,
    memoryKiB: r.memory_kib,
    input: r.input ?? '',
    expected: r.expected ?? '',
    got: r.got ?? '',
    gotTruncated: r.got_truncated === 1,
    stderr: r.verdict === 'AC' ? '' : (r.stderr_excerpt ?? '').slice(-MAX_SAMPLE_EXCERPT_CHARS),
    teamMessage: r.team_message,
  };
}

function toTeamVerdict(j: JudgingRow, runs: readonly RunRow[]): TeamVerdict {
  return {
    submissionId: String(j.submission_id),
    judgingId: String(j.id),
    verdict: j.verdict as Verdict,
    timeMs: j.max_time_ms,
    memoryKiB: j.max_memory_kib,
    testsPassed: j.tests_passed ?? 0,
    testCount: j.test_count ?? 0,
    compileOutput: j.compile_output,
    teamMessage: teamMessageOf(runs.map((r) => ({ verdict: r.verdict, teamMessage: r.team_message }))),
    tests: runs.filter(teamSees).map(toTeamTest),
    ...(j.score_detail !== null ? { score: teamScore(judgingScore(j)!) } : {}),
  };
}

/** What a team sees of its scoring judging: points per subtask and each test's verdict, not the first-rejection summary. */
function teamScore(s: JuryScore): TeamVerdict['score'] {
  return { score: s.score, maxScore: s.maxScore, groups: s.groups.map((g) => ({ ...g, tests: g.tests.map((t) => ({ ...t })) })) };
}

export interface JurySubmissionFilter {
  teamId?: string;
  problemId?: string;
  verdict?: Verdict;
  /** Newest first; at most this many (default 200). */
  limit?: number;
  beforeId?: string;
}

export class SubmissionStore {
  private readonly st: Record<string, Database.Statement>;
  /** Told when a judging of a rejudging ends (RejudgingStore sends the rejudging's new counts). */
  onRejudgingJudgingEnded: ((rejudgingId: number) => void) | null = null;

  constructor(private readonly core: StoreCore) {
    const db = core.db;
    this.st = {
      insertSubmission: db.prepare(
        'INSERT INTO submissions (team_id, problem_id, language, files, file_names, submitted_at_ms, contest_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertSubmissionWithId: db.prepare(
        'INSERT INTO submissions (id, team_id, problem_id, language, files, file_names, submitted_at_ms, contest_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      setClientId: db.prepare('UPDATE submissions SET client_id = ? WHERE id = ?'),
      byClientId: db.prepare('SELECT id FROM submissions WHERE client_id = ?').pluck(),
      insertJudging: db.prepare(
        "INSERT INTO judgings (submission_id, rejudging_id, previous_judging_id, valid, status, created_at_ms) VALUES (?, ?, ?, 0, 'queued', ?)",
      ),
      rejudgingState: db.prepare('SELECT state FROM rejudgings WHERE id = ?').pluck(),
      insertJob: db.prepare("INSERT INTO jobs (judging_id, state, priority, enqueued_at_ms) VALUES (?, 'queued', ?, ?)"),
      submissionById: db.prepare(`${SUBMISSION_SELECT} WHERE s.id = ?`),
      judging: db.prepare('SELECT * FROM judgings WHERE id = ?'),
      runsOf: db.prepare('SELECT * FROM runs WHERE judging_id = ? ORDER BY idx'),
      validJudging: db.prepare('SELECT * FROM judgings WHERE submission_id = ? AND valid = 1'),
      finish: db.prepare(
        `UPDATE judgings SET status = 'done', verdict = @verdict, max_time_ms = @maxTimeMs, max_memory_kib = @maxMemoryKiB,
           score = @score, max_score = @maxScore, score_detail = @scoreDetail,
           compile_output = @compileOutput, judge_error = @judgeError, tests_passed = @testsPassed, test_count = @testCount,
           worker = COALESCE(@worker, worker), entry_point = @entryPoint, ended_at_ms = @now, started_at_ms = COALESCE(started_at_ms, @now)
         WHERE id = @id AND verdict IS NULL AND status NOT IN ('done', 'cancelled')`,
      ),
      insertRun: db.prepare(
        `INSERT OR REPLACE INTO runs (judging_id, idx, test_name, sample, verdict, time_ms, wall_time_ms, memory_kib, exit_code, signal,
           judge_message, stdout_excerpt, stderr_excerpt, input, expected, got, got_truncated, team_message, full_feedback, score, ended_at_ms)
         VALUES (@judgingId, @index, @testName, @sample, @verdict, @timeMs, @wallTimeMs, @memoryKiB, @exitCode, @signal,
           @judgeMessage, @stdoutExcerpt, @stderrExcerpt, @input, @expected, @got, @gotTruncated, @teamMessage, @fullFeedback, @score, @endedAtMs)`,
      ),
      runEnds: db.prepare('SELECT idx, ended_at_ms FROM runs WHERE judging_id = ?'),
      dropRuns: db.prepare('DELETE FROM runs WHERE judging_id = ?'),
      jobDone: db.prepare("UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at_ms = NULL WHERE judging_id = ?"),
      invalidate: db.prepare('UPDATE judgings SET valid = 0 WHERE id = ?'),
      validate: db.prepare('UPDATE judgings SET valid = 1 WHERE id = ?'),
      unfinishedOf: db.prepare("SELECT id, rejudging_id FROM judgings WHERE submission_id = ? AND status IN ('queued', 'compiling', 'running')"),
      cancel: db.prepare("UPDATE judgings SET status = 'cancelled', ended_at_ms = ? WHERE id = ?"),
      filesOf: db.prepare('SELECT files FROM submissions WHERE id = ?'),
    };
  }

  /**
   * Inserts a submission with its first judging and queue job, and its events, in one transaction.
   * Checks (contest running, team enabled, problem known) are the contest layer's job.
   */
  insert(s: NewSubmission): JurySubmission {
    return this.core.tx(() => {
      const now = this.core.now();
      const files = s.files.map((f) => ({ name: f.name, source: f.source }));
      const row = [s.teamId, s.problemId, s.language, JSON.stringify(files), JSON.stringify(files.map((f) => f.name)), s.submittedAtMs, s.contestTimeMs] as const;
      const info = s.id === undefined ? this.st.insertSubmission!.run(...row) : this.st.insertSubmissionWithId!.run(s.id, ...row);
      const submissionId = Number(info.lastInsertRowid);
      if (s.clientId !== undefined) this.st.setClientId!.run(s.clientId, submissionId);
      const j = this.st.insertJudging!.run(submissionId, null, null, now);
      this.st.insertJob!.run(Number(j.lastInsertRowid), PRIORITY_SUBMISSION, now);
      const sub = this.jurySubmission(String(submissionId))!;
      this.core.appendEvent({ kind: 'submission', submission: toTeamSubmission(sub) }, { roles: ['team'], teamId: s.teamId });
      this.core.appendEvent({ kind: 'jurySubmission', submission: sub });
      this.core.emitRunChange({ submissionId: sub.id, teamId: s.teamId, problemId: s.problemId, contestTimeMs: s.contestTimeMs, verdict: null });
      return sub;
    });
  }

  /**
   * Inserts many submissions in one transaction (one fsync): for imports and load tests. Same events
   * as insert().
   */
  insertMany(list: readonly NewSubmission[]): JurySubmission[] {
    return this.core.tx(() => list.map((s) => this.insert(s)));
  }

  /** The row id of the submission a Contest API client named `clientId`, if any. */
  idOfClientId(clientId: string): string | undefined {
    const id = this.st.byClientId!.get(clientId) as number | undefined;
    return id === undefined ? undefined : String(id);
  }

  jurySubmission(id: string): JurySubmission | undefined {
    const r = this.st.submissionById!.get(Number(id)) as SubmissionRow | undefined;
    return r ? toJurySubmission(r) : undefined;
  }

  teamSubmission(id: string): TeamSubmission | undefined {
    const s = this.jurySubmission(id);
    return s ? toTeamSubmission(s) : undefined;
  }

  files(id: string): SourceFile[] {
    const r = this.st.filesOf!.get(Number(id)) as { files: string } | undefined;
    return r ? (JSON.parse(r.files) as SourceFile[]) : [];
  }

  /** Oldest first. */
  forTeam(teamId: string): TeamSubmission[] {
    const rows = this.core.db.prepare(`${SUBMISSION_SELECT} WHERE s.team_id = ? ORDER BY s.id`).all(teamId) as SubmissionRow[];
    return rows.map((r) => toTeamSubmission(toJurySubmission(r)));
  }

  /** The verdicts (valid judgings) of a team's judged submissions, oldest first. */
  verdictsForTeam(teamId: string): TeamVerdict[] {
    const js = this.core.db
      .prepare('SELECT j.* FROM judgings j JOIN submissions s ON s.id = j.submission_id WHERE s.team_id = ? AND j.valid = 1 ORDER BY s.id')
      .all(teamId) as JudgingRow[];
    return js.map((j) => toTeamVerdict(j, this.runRows(j.id)));
  }

  teamVerdict(submissionId: string): TeamVerdict | undefined {
    const j = this.validJudgingRow(Number(submissionId));
    return j ? toTeamVerdict(j, this.runRows(j.id)) : undefined;
  }

  /** Every submission, oldest first (HTTP API, scoreboard rebuild). */
  all(): JurySubmission[] {
    const rows = this.core.db.prepare(`${SUBMISSION_SELECT} ORDER BY s.id`).all() as SubmissionRow[];
    return rows.map(toJurySubmission);
  }

  /** Newest first, filtered, paged with beforeId. */
  list(f: JurySubmissionFilter = {}): JurySubmission[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.teamId !== undefined) (where.push('s.team_id = ?'), args.push(f.teamId));
    if (f.problemId !== undefined) (where.push('s.problem_id = ?'), args.push(f.problemId));
    if (f.beforeId !== undefined) (where.push('s.id < ?'), args.push(Number(f.beforeId)));
    if (f.verdict !== undefined) (where.push('j.valid = 1 AND j.verdict = ?'), args.push(f.verdict));
    const sql = `${SUBMISSION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id DESC LIMIT ?`;
    args.push(Math.max(1, Math.min(f.limit ?? 200, 10_000)));
    return (this.core.db.prepare(sql).all(...args) as SubmissionRow[]).map(toJurySubmission);
  }

  /** Every judging of a submission, newest first, with runs. */
  judgingsOf(submissionId: string): JuryJudging[] {
    const js = this.core.db.prepare('SELECT * FROM judgings WHERE submission_id = ? ORDER BY id DESC').all(Number(submissionId)) as JudgingRow[];
    return js.map((j) => toJuryJudging(j, this.runRows(j.id)));
  }

  /** All judgings (cancelled ones left out), oldest first, with runs. */
  allJudgings(): JuryJudging[] {
    const js = this.core.db.prepare("SELECT * FROM judgings WHERE status != 'cancelled' ORDER BY id").all() as JudgingRow[];
    const runs = this.core.db.prepare('SELECT * FROM runs ORDER BY judging_id, idx').all() as RunRow[];
    const byJudging = new Map<number, RunRow[]>();
    for (const r of runs) {
      const l = byJudging.get(r.judging_id) ?? [];
      l.push(r);
      byJudging.set(r.judging_id, l);
    }
    return js.map((j) => toJuryJudging(j, byJudging.get(j.id) ?? []));
  }

  judging(judgingId: string): JuryJudging | undefined {
    const j = this.judgingRow(Number(judgingId));
    return j ? toJuryJudging(j, this.runRows(j.id)) : undefined;
  }

  judgingRow(id: number): JudgingRow | undefined {
    return this.st.judging!.get(id) as JudgingRow | undefined;
  }

  private runRows(judgingId: number): RunRow[] {
    return this.st.runsOf!.all(judgingId) as RunRow[];
  }

  /**
   * Writes a judging's end: verdict, runs, job done, validity, and the events (jury judging, team
   * verdict, jury submission, scoreboard via run-change listeners). Must run inside a transaction.
   * Returns false (and changes nothing) when the judging already has a verdict or was cancelled.
   */
  finish(judgingId: number, o: JudgingOutcome): boolean {
    const now = this.core.now();
    const changed = this.st.finish!.run({
      id: judgingId,
      verdict: o.verdict,
      maxTimeMs: o.maxTimeMs,
      maxMemoryKiB: o.maxMemoryKiB,
      compileOutput: o.compileOutput,
      judgeError: o.judgeError ?? null,
      testsPassed: o.testsPassed,
      testCount: o.testCount,
      worker: o.worker ?? null,
      score: o.score?.score ?? null,
      maxScore: o.score?.maxScore ?? null,
      scoreDetail: o.score ? JSON.stringify(o.score) : null,
      entryPoint: o.entryPoint ?? null,
      now,
    });
    if (changed.changes !== 1) return false;
    // The runs recorded as each test ended keep their times; the final list replaces them.
    const endedAt = new Map((this.st.runEnds!.all(judgingId) as { idx: number; ended_at_ms: number | null }[]).map((r) => [r.idx, r.ended_at_ms]));
    this.st.dropRuns!.run(judgingId);
    for (const r of o.runs) this.insertRun(judgingId, r, endedAt.get(r.index) ?? now);
    const lostRuns = [...endedAt.keys()].filter((i) => !o.runs.some((r) => r.index === i)).sort((a, b) => a - b);
    this.st.jobDone!.run(judgingId);
    const j = this.judgingRow(judgingId)!;
    const old = this.validJudgingRow(j.submission_id);
    const rejudgingState = j.rejudging_id === null ? null : (this.st.rejudgingState!.get(j.rejudging_id) as RejudgingState);
    if ((!old || j.id > old.id) && judgingTakesEffect({ verdict: o.verdict, rejudgingState }, old !== undefined)) this.takeEffect(j, old, lostRuns);
    else this.core.appendEvent({ kind: 'juryJudging', judging: this.judging(String(j.id))!, ...(lostRuns.length > 0 ? { lostRuns } : {}) });
    if (j.rejudging_id !== null) this.onRejudgingJudgingEnded?.(j.rejudging_id);
    return true;
  }

  /**
   * One test of a running judging ended: its run, and the jury's event (the Contest API publishes
   * it as it comes for a first judging). Must run inside a transaction; false when the judging has
   * already ended or was cancelled.
   */
  recordRun(judgingId: number, run: Omit<JuryTestRun, 'endedAtMs'>): boolean {
    const j = this.judgingRow(judgingId);
    if (!j || j.status === 'done' || j.status === 'cancelled') return false;
    const now = this.core.now();
    this.insertRun(judgingId, run, now);
    this.core.appendEvent({
      kind: 'juryRun',
      judgingId: String(judgingId),
      submissionId: String(j.submission_id),
      rejudgingId: j.rejudging_id === null ? null : String(j.rejudging_id),
      run: { ...run, endedAtMs: now },
    });
    return true;
  }

  /** Forgets a judging's runs so far (its job was given back: the next attempt runs every test again). */
  dropRuns(judgingId: number): void {
    this.st.dropRuns!.run(judgingId);
  }

  private insertRun(judgingId: number, r: Omit<TestRunResult, 'endedAtMs'>, endedAtMs: number): void {
    const shown = teamSeesTestInFull({ sample: r.sample, fullFeedback: r.fullFeedback ?? false });
    this.st.insertRun!.run({
      judgingId,
      index: r.index,
      testName: r.testName,
      sample: r.sample ? 1 : 0,
      verdict: r.verdict,
      timeMs: r.timeMs,
      wallTimeMs: r.wallTimeMs,
      memoryKiB: r.memoryKiB,
      exitCode: r.exitCode,
      signal: r.signal,
      judgeMessage: r.judgeMessage,
      stdoutExcerpt: r.stdoutExcerpt,
      stderrExcerpt: r.stderrExcerpt,
      input: shown ? (r.input ?? null) : null,
      expected: shown ? (r.expected ?? null) : null,
      got: shown ? (r.got ?? null) : null,
      gotTruncated: r.gotTruncated ? 1 : 0,
      teamMessage: r.teamMessage ?? null,
      fullFeedback: r.fullFeedback ? 1 : 0,
      score: r.score ?? null,
      endedAtMs,
    });
  }

  validJudgingRow(submissionId: number): JudgingRow | undefined {
    return this.st.validJudging!.get(submissionId) as JudgingRow | undefined;
  }

  /**
   * Makes the ended judging `j` the valid one of its submission in place of `old`, with the events:
   * both judgings to the jury, the submission to the jury, and when the verdict (or score) changed the team's
   * verdict and the scoreboard (run-change listeners). Must run inside a transaction.
   */
  takeEffect(j: JudgingRow, old: JudgingRow | undefined, lostRuns: readonly number[] = []): void {
    if (old) {
      this.st.invalidate!.run(old.id);
      this.core.appendEvent({ kind: 'juryJudging', judging: this.judging(String(old.id))! });
    }
    this.st.validate!.run(j.id);
    this.core.appendEvent({ kind: 'juryJudging', judging: this.judging(String(j.id))!, ...(lostRuns.length > 0 ? { lostRuns: [...lostRuns] } : {}) });
    const sub = this.jurySubmission(String(j.submission_id))!;
    this.core.appendEvent({ kind: 'jurySubmission', submission: sub });
    if (!old || old.verdict !== sub.verdict || old.score_detail !== j.score_detail) {
      this.core.appendEvent({ kind: 'verdict', verdict: this.teamVerdict(sub.id)! }, { roles: ['team'], teamId: sub.teamId });
      this.core.emitRunChange({ submissionId: sub.id, teamId: sub.teamId, problemId: sub.problemId, contestTimeMs: sub.contestTimeMs, verdict: sub.verdict, ...runScore(j) });
    }
  }

  /**
   * Queues a new judging of submission `submissionId` for rejudging `rejudgingId`, remembering the
   * judging that counts now; an unfinished older judging is cancelled (its worker's result will be
   * ignored). Must run inside a transaction.
   */
  queueRejudge(submissionId: number, rejudgingId: number, priority: number): void {
    const now = this.core.now();
    this.cancelUnfinished(submissionId, null);
    const previous = this.validJudgingRow(submissionId)?.id ?? null;
    const j = this.st.insertJudging!.run(submissionId, rejudgingId, previous, now);
    this.st.insertJob!.run(Number(j.lastInsertRowid), priority, now);
  }

  /** Cancels the unfinished judgings of a submission (only those of `rejudgingId` when given), with their jobs. */
  cancelUnfinished(submissionId: number, rejudgingId: number | null): void {
    const now = this.core.now();
    for (const u of this.st.unfinishedOf!.all(submissionId) as { id: number; rejudging_id: number | null }[]) {
      if (rejudgingId !== null && u.rejudging_id !== rejudgingId) continue;
      this.st.cancel!.run(now, u.id);
      this.st.jobDone!.run(u.id);
      this.core.appendEvent({ kind: 'juryJudging', judging: this.judging(String(u.id))! });
    }
  }
}

/** What scoring sees of a judging's score: the total and each subtask's (secret's groups, in order). */
export function runScore(j: Pick<JudgingRow, 'score' | 'score_detail'>): { score?: number | null; subtaskScores?: number[] } {
  const d = judgingScore(j);
  if (!d) return {};
  return { score: j.score, subtaskScores: d.groups.filter((g) => /^secret\/[^/]+$/.test(g.name)).map((g) => g.score) };
}
