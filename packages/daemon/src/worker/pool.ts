/**
 * Judging workers: N loops, each owning one sandbox slot. A loop claims a job with a lease, keeps the
 * lease alive with heartbeats while judging, and completes it. A worker that dies (crash, kill -9)
 * simply stops heartbeating; its lease expires and another claim picks the job up again, so no
 * submission is lost.
 *
 * The pool knows nothing about the queue (SQLite in-process, or BullMQ on Redis) or the judging
 * engine: they are passed in as functions, which keeps this loop testable and the sides free to change.
 */
import type { Logger } from '../server/log.ts';

export interface WorkerPoolDeps<Job, Slot> {
  /** Claims the next job for `workerId`, or null when the queue is empty (a remote queue may wait a little first). */
  claim(workerId: string): Job | null | Promise<Job | null>;
  /** Extends the lease; returns false when the lease was lost (another worker took the job). */
  heartbeat(job: Job, workerId: string): boolean | Promise<boolean>;
  /** Judges the job on this worker's slot; resolves when the result has been written. */
  judge(job: Job, slot: Slot, signal: AbortSignal, workerId: string): Promise<void>;
  /** Called when judge() threw: record an internal error (JE) or give the job back. */
  fail(job: Job, workerId: string, err: unknown): void | Promise<void>;
  /** Whether this worker may take work now (false: a jury disabled this judgehost); default yes. */
  accepting?(): boolean;
  openSlot(slot: number): Promise<Slot>;
  closeSlot(slot: Slot): Promise<void>;
  describe(job: Job): Record<string, unknown>;
  /** A judging cut off by stop(): give it back to the queue now (default: its lease runs out). */
  release?(job: Job, workerId: string): void | Promise<void>;
}

export interface WorkerPoolOptions {
  workers: number;
  /** Heartbeat period; the lease itself lives in the store and should be a few times longer. */
  heartbeatMs: number;
  /** Poll period when idle, so expired leases of dead workers are picked up without a wake-up. */
  idlePollMs: number;
  /**
   * claim() itself waits a while for work (a blocking Redis pop): after an empty claim, claim again at
   * once rather than sleeping idlePollMs, or a job that arrives meanwhile waits out the sleep.
   */
  claimWaits?: boolean;
  log: Logger;
  /** Distinguishes this process's workers from a previous run's in the lease table. */
  instanceId: string;
}

export interface WorkerPool {
  /** Nudges idle workers after a submission or rejudge was queued. */
  wake(): void;
  /** Number of jobs being judged right now. */
  busy(): number;
  /**
   * Stops claiming, aborts running judgings (each handed back with release()) and closes the slots.
   * With drain: running judgings finish first; a later stop() without drain cuts them off.
   */
  stop(opts?: { drain?: boolean }): Promise<void>;
}

export async function startWorkerPool<Job, Slot>(
  deps: WorkerPoolDeps<Job, Slot>,
  opts: WorkerPoolOptions,
): Promise<WorkerPool> {
  const slots: Slot[] = [];
  try {
    for (let i = 0; i < opts.workers; i++) slots.push(await deps.openSlot(i));
  } catch (err) {
    await Promise.allSettled(slots.map((s) => deps.closeSlot(s)));
    throw err;
  }

  let stopping = false;
  let busy = 0;
  const stopController = new AbortController();
  const sleepers = new Set<() => void>();

  const wake = (): void => {
    for (const w of [...sleepers]) w();
  };

  const idle = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, opts.idlePollMs);
      sleepers.add(done);
    });

  async function loop(index: number, slot: Slot): Promise<void> {
    const workerId = `${opts.instanceId}/${index}`;
    const log = opts.log.child({ worker: index });
    while (!stopping) {
      let job: Job | null = null;
      let waited = false;
      try {
        if (deps.accepting?.() !== false) {
          job = await deps.claim(workerId);
          waited = opts.claimWaits === true;
        }
      } catch (err) {
        log.error('claim failed', { err });
      }
      if (!job) {
        if (!waited) await idle();
        continue;
      }
      busy++;
      const jobAbort = new AbortController();
      const onStop = (): void => jobAbort.abort(new Error('daemon stopping'));
      stopController.signal.addEventListener('abort', onStop);
      const beat = setInterval(() => {
        void (async () => {
          try {
            if (!(await deps.heartbeat(job!, workerId))) {
              log.warn('lease lost; abandoning the job', deps.describe(job!));
              jobAbort.abort(new Error('lease lost'));
            }
          } catch (err) {
            log.error('heartbeat failed', { err });
          }
        })();
      }, opts.heartbeatMs);
      const started = performance.now();
      try {
        log.debug('judging', deps.describe(job));
        await deps.judge(job, slot, jobAbort.signal, workerId);
        log.info('judged', { ...deps.describe(job), ms: Math.round(performance.now() - started) });
      } catch (err) {
        if (jobAbort.signal.aborted) {
          // Stopping or lease lost: the job is judged again, by whoever holds it next.
          log.info('judging abandoned', { ...deps.describe(job), reason: String(jobAbort.signal.reason) });
          if (stopController.signal.aborted && deps.release) {
            try {
              await deps.release(job, workerId);
            } catch (err2) {
              log.warn('handing the job back failed (its lease runs out instead)', { err: err2 });
            }
          }
        } else {
          log.error('judging failed', { ...deps.describe(job), err });
          try {
            await deps.fail(job, workerId, err);
          } catch (err2) {
            log.error('recording the failure failed', { err: err2 });
          }
        }
      } finally {
        clearInterval(beat);
        stopController.signal.removeEventListener('abort', onStop);
        busy--;
      }
    }
  }

  const loops = slots.map((slot, i) => loop(i, slot));
  let closed: Promise<void> = Promise.resolve();

  return {
    wake,
    busy: () => busy,
    async stop(o = {}) {
      if (!o.drain) stopController.abort();
      if (stopping) return closed;
      stopping = true;
      wake();
      closed = (async () => {
        await Promise.allSettled(loops);
        await Promise.allSettled(slots.map((s) => deps.closeSlot(s)));
      })();
      return closed;
    },
  };
}
