/**
 * The judging queue: the whole contract between the contest and whoever judges (local worker loops
 * today, judgehosts on other machines later). A worker only ever calls:
 *
 *   claim(workerId, leaseMs)            -> ClaimedJob | null   atomic; fresh lane before rejudges, teams in turn
 *   heartbeat(judgingId, workerId)      -> boolean             extends the lease; false: lease lost, stop
 *   progress(judgingId, workerId, p)    -> boolean             status/test k of n, one event; also extends the lease
 *   complete(judgingId, workerId, r, attempt?)   -> CompleteResult   verdict + runs in one transaction
 *   fail(judgingId, workerId, message, attempt?) -> CompleteResult   judge error: JE, message kept for the jury
 *
 * The Redis dispatcher (queue/bullmq) claims here as worker `queue:redis`, publishes the job with its
 * attempt, keeps its leases with heartbeatAll(), and hands results back with the attempt they were for.
 *
 * A complete/fail from a worker that no longer holds the lease (it expired and the job was handed out
 * again, or a rejudge cancelled it) is refused, and a judging that has a verdict never gets a second
 * one (the UPDATE is conditional on verdict IS NULL). Expired leases go back to the queue on the next
 * claim (the worker died); after maxAttempts lost leases the judging ends in JE instead, so one
 * submission that kills its worker cannot stall the queue. requeueClaimed() at daemon start puts
 * back every job the previous process held: those workers are gone.
 *
 * Fairness: each priority (fresh submissions 10, jury rejudges 0) is a lane, and the highest lane with
 * queued work is served. Within a lane teams take turns: the next job is the oldest of the team that
 * has waited longest, where a team starts waiting when it was last served (a claim of one of its
 * jobs in that lane) or, if later, when its oldest queued job arrived. So a burst of 60 submissions
 * from one team delays another team's submission by at most one judging per worker.
 *
 * Durability: complete/fail commit with fsync; claim, heartbeat and progress do not (after a power
 * cut the job is simply judged again).
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { JuryJudgingSchema, JuryTestRunSchema, VerdictSchema, type SourceFile } from '@judged/shared/protocol';
import type { StoreCore } from './core.ts';
import type { JudgingOutcome, SubmissionStore } from './submissions.ts';

/** Lease owners that stand for a remote queue, not a worker in this process (see requeueClaimed). */
export const REMOTE_OWNER_PREFIX = 'queue:';

export interface ClaimedJob {
  judgingId: string;
  submissionId: string;
  teamId: string;
  problemId: string;
  language: string;
  files: SourceFile[];
  /** Set when this judging belongs to a rejudge. */
  rejudgingId: string | null;
  /** 1 on the first claim; more when earlier workers lost the lease. */
  attempt: number;
  workerId: string;
  leaseExpiresAtMs: number;
}

export const ProgressSchema = z.object({
  status: z.enum(['compiling', 'running']),
  /** 1-based test being run (with status running). */
  testIndex: z.int().positive().nullable().optional(),
  testCount: z.int().nonnegative().nullable().optional(),
  /** Test `testIndex` ended with this run (the next test's start comes as its own progress). */
  run: JuryTestRunSchema.omit({ endedAtMs: true }).optional(),
});
export type JudgingProgress = z.infer<typeof ProgressSchema>;

/** What a worker reports at the end; validated here because judgehosts may one day be remote. */
export const JudgingResultSchema = z.object({
  verdict: VerdictSchema,
  maxTimeMs: z.int().nonnegative().nullable(),
  maxMemoryKiB: z.int().nonnegative().nullable(),
  compileOutput: z.string().nullable(),
  testsPassed: z.int().nonnegative(),
  testCount: z.int().nonnegative(),
  /** What the judge ran (Java's main class); null when the language names none. */
  entryPoint: z.string().max(1000).nullable().optional(),
  /** With JE: why the judge failed (kept for the jury, never shown to teams). */
  judgeError: z.string().max(100_000).nullable().optional(),
  /** Scoring problems: the score, its subtasks and the first rejection. */
  score: JuryJudgingSchema.shape.score.unwrap().nullable().optional(),
  runs: z.array(
    JuryTestRunSchema.extend({
      /** A secret test whose data has full_feedback: kept and shown like a sample. */
      fullFeedback: z.boolean().optional(),
      input: z.string().nullable().optional(),
      expected: z.string().nullable().optional(),
      got: z.string().nullable().optional(),
      gotTruncated: z.boolean().optional(),
    }),
  ),
});
export type JudgingResult = z.input<typeof JudgingResultSchema>;

export type CompleteResult =
  | { accepted: true }
  | { accepted: false; reason: 'lease_lost' | 'already_judged' | 'not_found' };

export interface QueueOptions {
  /** Lost leases before a judging ends in JE (default 3). */
  maxAttempts?: number;
}

interface JobRow {
  judging_id: number;
  state: 'queued' | 'claimed' | 'done';
  lease_owner: string | null;
  lease_ms: number | null;
  lease_expires_at_ms: number | null;
  attempts: number;
}

export class JudgingQueue {
  private readonly maxAttempts: number;
  private readonly st: Record<string, Database.Statement>;

  constructor(
    private readonly core: StoreCore,
    private readonly subs: SubmissionStore,
    opts: QueueOptions = {},
  ) {
    this.maxAttempts = opts.maxAttempts ?? 3;
    const db = core.db;
    this.st = {
      topLane: db.prepare("SELECT MAX(priority) AS lane FROM jobs WHERE state = 'queued'"),
      // Per team waiting in the lane: its oldest queued job and when it was last served in that lane.
      nextInLane: db.prepare(
        `WITH waiting AS (
           SELECT s.team_id, MIN(j.enqueued_at_ms) AS oldest
           FROM jobs j JOIN judgings g ON g.id = j.judging_id JOIN submissions s ON s.id = g.submission_id
           WHERE j.state = 'queued' AND j.priority = @lane GROUP BY s.team_id),
         turns AS (
           SELECT w.team_id, w.oldest,
             (SELECT MAX(g2.started_at_ms) FROM submissions s2 JOIN judgings g2 ON g2.submission_id = s2.id
              JOIN jobs j2 ON j2.judging_id = g2.id WHERE s2.team_id = w.team_id AND j2.priority = @lane) AS served
           FROM waiting w)
         SELECT j.judging_id FROM turns t
           JOIN submissions s ON s.team_id = t.team_id JOIN judgings g ON g.submission_id = s.id
           JOIN jobs j ON j.judging_id = g.id AND j.state = 'queued' AND j.priority = @lane
         ORDER BY MAX(t.oldest, COALESCE(t.served, t.oldest)), t.served IS NOT NULL, t.served, t.oldest, t.team_id, j.enqueued_at_ms, j.judging_id
         LIMIT 1`,
      ),
      take: db.prepare(
        `UPDATE jobs SET state = 'claimed', lease_owner = @owner, lease_ms = @leaseMs, lease_expires_at_ms = @expires, attempts = attempts + 1
         WHERE judging_id = @id AND state = 'queued'
         RETURNING judging_id, attempts`,
      ),
      startJudging: db.prepare("UPDATE judgings SET worker = ?, started_at_ms = ?, status = 'queued', test_index = NULL WHERE id = ?"),
      claimInfo: db.prepare(
        `SELECT j.id AS judging_id, j.rejudging_id, s.id AS submission_id, s.team_id, s.problem_id, s.language, s.files
         FROM judgings j JOIN submissions s ON s.id = j.submission_id WHERE j.id = ?`,
      ),
      job: db.prepare('SELECT * FROM jobs WHERE judging_id = ?'),
      expired: db.prepare("SELECT * FROM jobs WHERE state = 'claimed' AND lease_expires_at_ms < ?"),
      claimedAll: db.prepare("SELECT * FROM jobs WHERE state = 'claimed'"),
      requeue: db.prepare("UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at_ms = NULL WHERE judging_id = ? AND state = 'claimed'"),
      // A job given back did not have its turn: started_at_ms is cleared so the team keeps its place.
      resetJudging: db.prepare("UPDATE judgings SET status = 'queued', test_index = NULL, started_at_ms = NULL WHERE id = ? AND status IN ('compiling', 'running', 'queued')"),
      extendAll: db.prepare("UPDATE jobs SET lease_expires_at_ms = @now + lease_ms WHERE state = 'claimed' AND lease_owner = @owner"),
      held: db.prepare("SELECT * FROM jobs WHERE state = 'claimed' AND lease_owner = ? ORDER BY judging_id"),
      extend: db.prepare(
        "UPDATE jobs SET lease_expires_at_ms = @now + lease_ms WHERE judging_id = @id AND state = 'claimed' AND lease_owner = @owner",
      ),
      setProgress: db.prepare('UPDATE judgings SET status = @status, test_index = @testIndex, test_count = COALESCE(@testCount, test_count) WHERE id = @id'),
      hasValid: db.prepare('SELECT 1 FROM judgings WHERE submission_id = ? AND valid = 1'),
      teamOf: db.prepare('SELECT team_id FROM submissions WHERE id = ?'),
      counts: db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state'),
    };
  }

  /** Hands the best queued job to workerId with a lease of leaseMs, or null when nothing is queued. */
  claim(workerId: string, leaseMs: number): ClaimedJob | null {
    return this.core.tx(() => {
      const now = this.core.now();
      this.reapExpiredInTx(now);
      const lane = (this.st.topLane!.get() as { lane: number | null }).lane;
      if (lane === null) return null;
      const next = this.st.nextInLane!.get({ lane }) as { judging_id: number } | undefined;
      if (!next) return null;
      const taken = this.st.take!.get({ id: next.judging_id, owner: workerId, leaseMs, expires: now + leaseMs }) as { judging_id: number; attempts: number } | undefined;
      if (!taken) return null;
      this.st.startJudging!.run(workerId, now, taken.judging_id);
      return this.claimedJob(taken.judging_id, taken.attempts, workerId, now + leaseMs);
      // No fsync: a claim lost in a power cut only means the job is claimed again after the restart.
    }, { durable: false });
  }

  private claimedJob(judgingId: number, attempt: number, workerId: string, leaseExpiresAtMs: number): ClaimedJob {
    const info = this.st.claimInfo!.get(judgingId) as {
      judging_id: number;
      rejudging_id: number | null;
      submission_id: number;
      team_id: string;
      problem_id: string;
      language: string;
      files: string;
    };
    return {
      judgingId: String(info.judging_id),
      submissionId: String(info.submission_id),
      teamId: info.team_id,
      problemId: info.problem_id,
      language: info.language,
      files: JSON.parse(info.files) as SourceFile[],
      rejudgingId: info.rejudging_id === null ? null : String(info.rejudging_id),
      attempt,
      workerId,
      leaseExpiresAtMs,
    };
  }

  heartbeat(judgingId: string, workerId: string): boolean {
    return this.core.tx(() => this.st.extend!.run({ id: Number(judgingId), owner: workerId, now: this.core.now() }).changes === 1, { durable: false });
  }

  /** Records compiling / running test k of n and tells the team (for its first judging) and the jury. */
  progress(judgingId: string, workerId: string, p: JudgingProgress): boolean {
    const parsed = ProgressSchema.parse(p);
    return this.core.tx(() => {
      const id = Number(judgingId);
      if (this.st.extend!.run({ id, owner: workerId, now: this.core.now() }).changes !== 1) return false;
      // A test's end is the jury's (and the Contest API's) news; its start already told the team.
      if (parsed.run) return this.subs.recordRun(id, parsed.run);
      const testIndex = parsed.status === 'running' ? (parsed.testIndex ?? null) : null;
      this.st.setProgress!.run({ id, status: parsed.status, testIndex, testCount: parsed.testCount ?? null });
      const j = this.subs.judgingRow(id)!;
      this.progressEvent(j.submission_id, j.id, parsed.status, testIndex, j.test_count);
      // The judging has begun: the Contest API lists a first judging from here on.
      if (parsed.status === 'compiling') this.core.appendEvent({ kind: 'juryJudging', judging: this.subs.judging(String(id))! });
      return true;
    }, { durable: false });
  }

  /**
   * The judging's verdict and runs, if workerId still holds the lease (and, when given, for the attempt
   * now outstanding: a late answer for an attempt that was given up is refused). `judgedBy` names who
   * judged when that is not the lease owner (a judgehost behind the Redis queue).
   */
  complete(judgingId: string, workerId: string, result: JudgingResult, attempt?: number, judgedBy = workerId): CompleteResult {
    const r = JudgingResultSchema.parse(result);
    return this.end(judgingId, workerId, attempt, { ...r, judgeError: r.judgeError ?? null, worker: judgedBy });
  }

  /** The judge itself failed (not the team's program): JE, with the reason kept for the jury. */
  fail(judgingId: string, workerId: string, message: string, attempt?: number, judgedBy = workerId): CompleteResult {
    return this.end(judgingId, workerId, attempt, this.judgeErrorResult(Number(judgingId), message.slice(0, 10_000), judgedBy));
  }

  /** Extends every lease workerId holds (the Redis dispatcher holds one per judging it published). */
  heartbeatAll(workerId: string): number {
    return this.core.tx(() => this.st.extendAll!.run({ owner: workerId, now: this.core.now() }).changes, { durable: false });
  }

  /** The judgings workerId holds, with their attempt (what the Redis dispatcher has published). */
  held(workerId: string): Array<{ judgingId: string; attempt: number }> {
    return (this.st.held!.all(workerId) as JobRow[]).map((r) => ({ judgingId: String(r.judging_id), attempt: r.attempts }));
  }

  /** The claim of one judging as a worker would get it (for the Redis dispatcher to publish again). */
  claimed(judgingId: string, workerId: string): ClaimedJob | null {
    const row = this.st.job!.get(Number(judgingId)) as JobRow | undefined;
    if (!row || row.state !== 'claimed' || row.lease_owner !== workerId) return null;
    return this.claimedJob(row.judging_id, row.attempts, workerId, row.lease_expires_at_ms ?? 0);
  }

  /** A JE ending with no test results: the judge, not the team's program, failed. */
  private judgeErrorResult(judgingId: number, judgeError: string, worker: string | null) {
    const j = this.subs.judgingRow(judgingId);
    return {
      verdict: 'JE' as const,
      maxTimeMs: null,
      maxMemoryKiB: null,
      compileOutput: null,
      testsPassed: 0,
      testCount: j?.test_count ?? 0,
      runs: [],
      judgeError,
      worker,
    };
  }

  /** Puts jobs with expired leases back in the queue (or ends them in JE after maxAttempts). Returns how many. */
  reapExpired(): number {
    return this.core.tx(() => this.reapExpiredInTx(this.core.now()));
  }

  /**
   * At daemon start: every claimed job belonged to the previous process, whose workers are gone, so
   * they are judged again now rather than after their leases run out.
   */
  requeueClaimed(): number {
    return this.core.tx(() => {
      // The Redis dispatcher's claims outlive the daemon: its next start reconciles them with Redis
      // (and without --queue their leases run out and they come back here).
      const rows = (this.st.claimedAll!.all() as JobRow[]).filter((r) => !r.lease_owner?.startsWith(REMOTE_OWNER_PREFIX));
      for (const row of rows) this.giveBack(row, 'the daemon restarted while judging');
      return rows.length;
    });
  }

  counts(): { queued: number; claimed: number; done: number } {
    const out = { queued: 0, claimed: 0, done: 0 };
    for (const r of this.st.counts!.all() as { state: keyof typeof out; n: number }[]) out[r.state] = r.n;
    return out;
  }

  private end(judgingId: string, workerId: string, attempt: number | undefined, o: JudgingOutcome): CompleteResult {
    return this.core.tx(() => {
      const id = Number(judgingId);
      const job = this.st.job!.get(id) as JobRow | undefined;
      const j = this.subs.judgingRow(id);
      if (!job || !j) return { accepted: false, reason: 'not_found' };
      if (j.verdict !== null) return { accepted: false, reason: 'already_judged' };
      if (job.state !== 'claimed' || job.lease_owner !== workerId) return { accepted: false, reason: 'lease_lost' };
      if (attempt !== undefined && job.attempts !== attempt) return { accepted: false, reason: 'lease_lost' };
      if (!this.subs.finish(id, o)) return { accepted: false, reason: 'already_judged' };
      return { accepted: true };
    });
  }

  private reapExpiredInTx(now: number): number {
    const rows = this.st.expired!.all(now) as JobRow[];
    for (const row of rows) this.giveBack(row, `worker ${row.lease_owner ?? '?'} stopped answering (lease expired)`);
    return rows.length;
  }

  private giveBack(row: JobRow, why: string): void {
    if (row.attempts >= this.maxAttempts) {
      this.subs.finish(row.judging_id, this.judgeErrorResult(row.judging_id, `gave up after ${row.attempts} attempts: ${why}`, row.lease_owner));
      return;
    }
    this.st.requeue!.run(row.judging_id);
    this.st.resetJudging!.run(row.judging_id);
    const lost = this.subs.judging(String(row.judging_id))!.runs.map((r) => r.index);
    this.subs.dropRuns(row.judging_id);
    const j = this.subs.judgingRow(row.judging_id)!;
    this.progressEvent(j.submission_id, j.id, 'queued', null, j.test_count, lost);
  }

  /** Progress goes to the jury, and to the team unless this is a rejudge of an already judged submission. */
  private progressEvent(submissionId: number, judgingId: number, status: 'queued' | 'compiling' | 'running', testIndex: number | null, testCount: number | null, lostRuns: number[] = []): void {
    const teamToo = !this.st.hasValid!.get(submissionId);
    const teamId = teamToo ? (this.st.teamOf!.get(submissionId) as { team_id: string }).team_id : null;
    this.core.appendEvent(
      { kind: 'progress', submissionId: String(submissionId), judgingId: String(judgingId), status, testIndex, testCount, ...(lostRuns.length > 0 ? { lostRuns } : {}) },
      teamToo ? { roles: ['team', 'judge', 'admin'], teamId } : { roles: ['judge', 'admin'] },
    );
  }
}
