/**
 * How long a judging job's lock lives in Redis, and how often workers look for jobs whose lock ran
 * out (their worker died: kill -9, a pulled cable). A stalled job goes back to the queue for another
 * worker; after STALLS_BEFORE_FAIL stalls it fails and the daemon records JE, so one submission that
 * kills judgehosts cannot take them all down. JUDGED_QUEUE_LOCK_MS shortens it (tests).
 */
export interface QueueTiming {
  lockMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
}

export function queueTiming(env: NodeJS.ProcessEnv = process.env): QueueTiming {
  const raw = env.JUDGED_QUEUE_LOCK_MS;
  const lockMs = raw === undefined ? 15_000 : Number(raw);
  if (!Number.isInteger(lockMs) || lockMs < 500 || lockMs > 600_000) throw new RangeError(`JUDGED_QUEUE_LOCK_MS must be 500..600000, got "${raw}"`);
  return { lockMs, stalledIntervalMs: Math.max(250, Math.floor(lockMs / 2)), maxStalledCount: 2 };
}

export const KEY_PREFIX = 'judged';
export const JUDGEHOSTS_KEY = `${KEY_PREFIX}:judgehosts`;
export const DISABLED_KEY = `${KEY_PREFIX}:judgehosts:disabled`;

/**
 * How long an idle worker's blocking wait for a job lasts (seconds) before it looks again. BullMQ wakes
 * one waiting worker per burst of added jobs (one marker), so the others find the rest of the burst
 * only when their wait ends: a short wait keeps judgehosts from idling beside waiting jobs.
 */
export const IDLE_WAIT_S = 0.25;
