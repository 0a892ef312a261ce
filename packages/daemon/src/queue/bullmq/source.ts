/**
 * The worker side of the Redis queue: a JobSource over BullMQ's manual job API. Each claim takes the
 * next "judgings" job under a lock (token = the worker id), heartbeats extend the lock, progress goes
 * out signed as BullMQ job progress, and the result is signed and added to "results" before the job is
 * marked done (so a crash in between leaves a job that stalls and is judged again, never a lost result).
 * Used by the daemon's own workers under --queue and by `judged judgehost`.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { RedisOptions } from 'bullmq';
import type { Logger } from '../../server/log.ts';
import type { JobSource, WorkJob } from '../types.ts';
import { JobBodySchema, JOBS_QUEUE, open, RESULTS_QUEUE, sign, type JobBody, type ProgressBody, type ResultBody, type Signed } from './protocol.ts';
import { IDLE_WAIT_S, KEY_PREFIX, queueTiming } from './timing.ts';

export interface RedisWorkJob extends WorkJob {
  limits: JobBody['limits'];
}

export interface RedisSourceOptions {
  redis: RedisOptions;
  secret: string;
  /** The judgehost's name (the daemon's own workers: "daemon"). */
  name: string;
  log: Logger;
}

export interface RedisSource extends JobSource {
  /** Whether the last Redis call worked. */
  up(): boolean;
}

export async function redisSource(o: RedisSourceOptions): Promise<RedisSource> {
  const timing = queueTiming();
  const connection = { ...o.redis, maxRetriesPerRequest: null };
  const newWorker = (): Worker<Signed> => {
    const w = new Worker<Signed>(JOBS_QUEUE, null, {
      connection,
      prefix: KEY_PREFIX,
      lockDuration: timing.lockMs,
      stalledInterval: timing.stalledIntervalMs,
      maxStalledCount: timing.maxStalledCount,
      drainDelay: IDLE_WAIT_S,
      autorun: false,
    });
    w.on('error', onError);
    return w;
  };
  // One BullMQ worker (and blocking connection) per pool worker: a blocking wait for the next job
  // holds its connection, and the pool's workers wait side by side.
  const workers = new Map<string, Worker<Signed>>();
  const workerFor = (id: string): Worker<Signed> => {
    let w = workers.get(id);
    if (!w) workers.set(id, (w = newWorker()));
    return w;
  };
  const results = new Queue<Signed>(RESULTS_QUEUE, { connection, prefix: KEY_PREFIX });
  let up = true;
  const onError = (err: Error): void => {
    if (up) o.log.warn('queue: Redis unreachable (retrying)', { err: err.message });
    up = false;
  };
  results.on('error', onError);
  // Whoever runs workers also puts back the jobs of workers that died (their lock ran out).
  const checker = newWorker();
  void checker.startStalledCheckTimer().catch(onError);
  const held = new Map<string, Job<Signed>>();
  const keyOf = (job: WorkJob): string => `${job.judgingId}-${job.attempt}`;

  async function finish(job: WorkJob, workerId: string, outcome: ResultBody['outcome']) {
    const bull = held.get(keyOf(job));
    held.delete(keyOf(job));
    const body: ResultBody = { judgingId: job.judgingId, attempt: job.attempt, judgehost: o.name, worker: `${o.name}/${workerId}`, outcome };
    await results.add('result', sign(o.secret, 'result', body), { removeOnComplete: true, removeOnFail: 1000 });
    if (bull) await bull.moveToCompleted('sent', workerId, false).catch((err: unknown) => o.log.warn('queue: marking the job done failed (the daemon ignores a second result)', { err }));
    // Whether the store takes it is decided by the daemon; this side only knows it was sent.
    return { accepted: true as const };
  }

  return {
    kind: 'redis',
    claimWaits: true,
    up: () => up,
    async claim(workerId) {
      let bull: Job<Signed> | undefined;
      try {
        bull = await workerFor(workerId).getNextJob(workerId, { block: true });
        up = true;
      } catch (err) {
        onError(err as Error);
        await new Promise((r) => setTimeout(r, 1000));
        return null;
      }
      if (!bull) return null;
      const opened = open(o.secret, 'job', bull.data, JobBodySchema);
      if (!opened.ok) {
        o.log.error('queue: job refused', { job: bull.id, why: opened.why });
        await bull.moveToFailed(new Error(`refused by ${o.name}: ${opened.why}`), workerId, false).catch(() => {});
        return null;
      }
      const b = opened.body;
      const job: RedisWorkJob = { judgingId: b.judgingId, submissionId: b.submissionId, attempt: b.attempt, problemId: b.problemId, packageHash: b.packageHash, language: b.language, files: b.files, limits: b.limits };
      held.set(keyOf(job), bull);
      return job;
    },
    async heartbeat(job, workerId) {
      const bull = held.get(keyOf(job));
      if (!bull) return false;
      try {
        await bull.extendLock(workerId, timing.lockMs);
        up = true;
        return true;
      } catch (err) {
        // Lock gone (it stalled and went to another worker) or Redis away: keep judging while Redis
        // is away; the daemon's fence decides whether the result counts.
        if (!up) return true;
        o.log.warn('queue: lock lost', { job: bull.id, err: (err as Error).message });
        return false;
      }
    },
    async progress(job, _workerId, p) {
      const body: ProgressBody = { judgingId: job.judgingId, attempt: job.attempt, progress: p };
      await held.get(keyOf(job))?.updateProgress(sign(o.secret, 'progress', body) as never);
    },
    complete: (job, workerId, result) => finish(job, workerId, { kind: 'complete', result: result as never }),
    fail: (job, workerId, message) => finish(job, workerId, { kind: 'fail', message }),
    async release(job, workerId) {
      const bull = held.get(keyOf(job));
      held.delete(keyOf(job));
      await bull?.moveToWait(workerId);
    },
    async close() {
      await Promise.allSettled([...workers.values(), checker].map((w) => w.close(true)));
      await results.close();
    },
  };
}
