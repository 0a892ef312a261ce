/**
 * The judging workers: a pool of loops (pool.ts), each on its own sandbox slot and CPU (cpu.ts), that
 * take jobs from a queue (../queue: the embedded SQLite one or BullMQ on Redis), judge them with the
 * engine (engine.ts) while reporting progress (compiling, test k of n), and hand back the result
 * (result.ts). The daemon runs them in its own process; `judged judgehost` runs the same on another
 * machine, with packages fetched from the daemon instead of read from --problems.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Language } from '../languages/index.ts';
import type { ProblemPackage } from '../problems/types.ts';
import { SlotAllocator } from '../sandbox/allocate.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Logger } from '../server/log.ts';
import type { JobSource, WorkJob } from '../queue/types.ts';
import { pinningEnabled, workerCpu } from './cpu.ts';
import { judgingEngine, type JudgingEngine } from './engine.ts';
import { startWorkerPool, type WorkerPool } from './pool.ts';

/** The package a job is judged against: from the daemon's catalog, or fetched by its hash (judgehost). */
export type PackageResolver = (job: WorkJob) => Promise<ProblemPackage>;

export interface JudgingWorkersOptions {
  source: JobSource;
  packages: PackageResolver;
  languages: readonly Language[];
  dataDir: string;
  workers: number;
  log: Logger;
  /** Heartbeat period (a third of the queue's lease). */
  heartbeatMs: number;
  /**
   * First sandbox slot to try. Slots are per host (uids, cgroups), so two daemons or a daemon and the
   * sandbox tests must not share one: slots held by another process are skipped. Default 0.
   */
  slotBase?: number;
  /** The engine: the real one (../judging on ../sandbox) when not given; null starts no workers (tests). */
  engine?: JudgingEngine | null;
  /**
   * Pin worker i to its own CPU (see workerCpu) so run times do not depend on what else is running.
   * Default: on, unless the environment says JUDGED_NO_PIN=1.
   */
  pinCpus?: boolean;
  /** Whether to take new work now (a judgehost disabled by the jury says no). */
  accepting?: () => boolean;
  /** This host's speed factor for the real engine's sandboxes (`--time-scale`, sandbox/time-scale.ts). Default 1. */
  timeScale?: number;
}

export interface WorkerStats {
  workers: number;
  busy: number;
  /** Judgings finished with a result the queue took. */
  done: number;
  /** Judgings that ended in a judge failure (JE) or whose result was refused. */
  errors: number;
  /** "submission/judging#attempt" being judged right now. */
  current: string[];
}

export interface JudgingWorkers {
  readonly count: number;
  wake(): void;
  busy(): number;
  stats(): WorkerStats;
  /** drain: let running judgings finish (a second stop() cuts them off and hands them back). */
  stop(opts?: { drain?: boolean }): Promise<void>;
}

/** How many slots past slotBase to try when some are held by other processes. */
const SLOT_SEARCH = 64;

const jobLabel = (job: WorkJob): string => `${job.submissionId}/${job.judgingId}#${job.attempt}`;

export async function startJudgingWorkers(o: JudgingWorkersOptions): Promise<JudgingWorkers | null> {
  const engine = o.engine === undefined ? judgingEngine(o.languages, o.dataDir, o.timeScale ?? 1) : o.engine;
  if (!engine) return null;
  const languages = new Map(o.languages.map((l) => [l.id, l]));
  const instanceId = randomBytes(3).toString('hex');
  const slots = new SlotAllocator(o.slotBase ?? 0, SLOT_SEARCH);
  const pin = o.pinCpus ?? pinningEnabled();
  const cpuCount = os.availableParallelism();
  const current = new Set<string>();
  let done = 0;
  let errors = 0;

  let pool: WorkerPool;
  try {
    pool = await startWorkerPool<WorkJob, Sandbox>(
    {
      claim: (workerId) => o.source.claim(workerId),
      heartbeat: (job, workerId) => o.source.heartbeat(job, workerId),
      accepting: o.accepting,
      async judge(job, sandbox, signal, workerId) {
        current.add(jobLabel(job));
        try {
          const problem = await o.packages(job);
          const language = languages.get(job.language);
          if (!language) throw new Error(`language "${job.language}" is not available on this judge host`);
          const result = await engine.judge({
            problem,
            language,
            files: job.files,
            sandbox,
            signal,
            onProgress: (p) => {
              o.source.progress(job, workerId, p).catch((err: unknown) => o.log.debug('progress not recorded', { err }));
            },
          });
          if (signal.aborted) throw signal.reason;
          const { judgeError, ...judged } = result;
          // A judge failure with nothing run is recorded as such (JE with the reason for the jury).
          const jeOnly = judgeError !== undefined && judged.runs.length === 0;
          const r = jeOnly ? await o.source.fail(job, workerId, judgeError) : await o.source.complete(job, workerId, judged);
          if (!r.accepted) o.log.warn('result not recorded', { judging: job.judgingId, attempt: job.attempt, reason: r.reason });
          if (r.accepted && !jeOnly) done++;
          else errors++;
        } finally {
          current.delete(jobLabel(job));
        }
      },
      async fail(job, workerId, err) {
        errors++;
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        await o.source.fail(job, workerId, message);
      },
      release: (job, workerId) => o.source.release(job, workerId),
      async openSlot(worker) {
        const cpus = pin ? [workerCpu(worker, cpuCount)] : undefined;
        return slots.open(async (slot) => {
          const sandbox = await engine.openSandbox(slot, cpus);
          if (cpus) o.log.info('judging worker pinned', { worker, slot, cpu: cpus[0], cpuCount });
          else o.log.info('judging worker not pinned (JUDGED_NO_PIN)', { worker, slot });
          return sandbox;
        }, (slot) => o.log.info('sandbox slot in use by another process; trying the next', { slot }));
      },
      closeSlot: (sandbox) => sandbox.close(),
      describe: (job) => ({ submission: job.submissionId, judging: job.judgingId, problem: job.problemId, language: job.language, attempt: job.attempt }),
    },
    { workers: o.workers, heartbeatMs: o.heartbeatMs, idlePollMs: Math.min(2000, o.heartbeatMs * 3), claimWaits: o.source.claimWaits, log: o.log, instanceId },
  );
  } catch (err) {
    // No sandbox (not root, no cgroups): serve anyway, so teams can read and submit; say loudly why nothing is judged.
    o.log.error('judging disabled: the sandbox could not be opened; submissions stay queued (run `judged doctor`)', { err: (err as Error).message });
    engine.close?.();
    return null;
  }
  o.log.info('judging workers started', { workers: o.workers, queue: o.source.kind });
  return {
    count: o.workers,
    wake: () => {
      o.source.wake?.();
      pool.wake();
    },
    busy: () => pool.busy(),
    stats: () => ({ workers: o.workers, busy: pool.busy(), done, errors, current: [...current] }),
    async stop(opts) {
      await pool.stop(opts);
      engine.close?.();
    },
  };
}
