/** What the judgehost suite does to and reads from the daemon's queue and database from outside. */
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { JOBS_QUEUE, RESULTS_QUEUE } from '../src/queue/bullmq/protocol.ts';
import { KEY_PREFIX } from '../src/queue/bullmq/timing.ts';

/** Adds a result for judging 1 signed with a key that is not the judgehost secret. */
export async function pushForgedResult(redis: { host: string; port: number; password?: string }): Promise<void> {
  const q = new Queue(RESULTS_QUEUE, { connection: { ...redis, maxRetriesPerRequest: null }, prefix: KEY_PREFIX });
  const body = JSON.stringify({ judgingId: '1', attempt: 1, judgehost: 'h1', worker: 'h1/x', outcome: { kind: 'fail', message: 'forged' } });
  await q.add('result', { body, sig: 'ab'.repeat(32) });
  await q.close();
}

/**
 * Sets an unsigned progress ("compiling") on a judging job Redis holds, as anyone with Redis access
 * could; returns the job id. The daemon must refuse it (no progress event from it).
 */
export async function pushForgedProgress(redis: { host: string; port: number; password?: string }): Promise<string> {
  const q = new Queue(JOBS_QUEUE, { connection: { ...redis, maxRetriesPerRequest: null }, prefix: KEY_PREFIX });
  try {
    const [job] = await q.getJobs(['active', 'wait']);
    if (!job) throw new Error('no judging job in Redis to forge progress on');
    await job.updateProgress({ status: 'compiling' });
    return job.id!;
  } finally {
    await q.close();
  }
}

export interface SubmissionJudgings {
  id: string;
  judgings: number;
  valid: number;
  verdicts: string | null;
  /** The judge errors (JE) recorded, if any. */
  judgeErrors: string | null;
  verdictEvents: number;
}

/** Per submission: its judgings, how many are valid, their verdicts, and the team verdict events written. */
export function judgingsPerSubmission(dbFile: string): SubmissionJudgings[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT s.id, COUNT(g.id) AS judgings, COALESCE(SUM(g.valid), 0) AS valid, GROUP_CONCAT(g.verdict) AS verdicts, GROUP_CONCAT(g.judge_error) AS judgeErrors FROM submissions s LEFT JOIN judgings g ON g.submission_id = s.id GROUP BY s.id ORDER BY s.id').all() as Omit<SubmissionJudgings, 'verdictEvents'>[];
    const events = new Map<string, number>();
    for (const e of db.prepare("SELECT payload FROM events WHERE kind = 'verdict'").all() as { payload: string }[]) {
      const id = String((JSON.parse(e.payload) as { verdict: { submissionId: string } }).verdict.submissionId);
      events.set(id, (events.get(id) ?? 0) + 1);
    }
    return rows.map((r) => ({ ...r, id: String(r.id), verdictEvents: events.get(String(r.id)) ?? 0 }));
  } finally {
    db.close();
  }
}

/** Which worker ("<judgehost>/<worker>") recorded each submission's valid judging. */
export function judgedBy(dbFile: string): Map<string, string | null> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT submission_id AS id, worker FROM judgings WHERE valid = 1').all() as { id: number; worker: string | null }[];
    return new Map(rows.map((r) => [String(r.id), r.worker]));
  } finally {
    db.close();
  }
}
