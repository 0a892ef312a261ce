/**
 * Binds the worker pool to the store's queue and the judging engine: each worker claims a job with a
 * lease, judges it on its own sandbox slot while reporting progress (compiling, test k of n), and
 * writes the result. The judging engine and the sandbox are loaded when present; without them no
 * worker starts and submissions wait in the queue (the log says so) — nothing is ever made up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SourceFile } from '@judged/shared/protocol';
import type { Language } from '../languages/index.ts';
import type { ProblemPackage } from '../problems/types.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { ClaimedJob, JudgingProgress, JudgingResult, Store } from '../store/index.ts';
import type { Logger } from './log.ts';
import type { ProblemCatalog } from './problem-catalog.ts';
import { startWorkerPool, type WorkerPool } from './worker-pool.ts';

/** What a worker asks of the judging engine. */
export interface JudgeRequest {
  problem: ProblemPackage;
  language: Language;
  files: SourceFile[];
  sandbox: Sandbox;
  /** A directory of this slot the engine may use freely; emptied between judgings. */
  workDir: string;
  signal: AbortSignal;
  onProgress(p: JudgingProgress): void;
}

export type JudgeFn = (req: JudgeRequest) => Promise<JudgingResult>;
export type OpenSandboxFn = (slot: number) => Promise<Sandbox>;

export interface JudgingEngine {
  judge: JudgeFn;
  openSandbox: OpenSandboxFn;
}

export interface JudgingWorkersOptions {
  store: Store;
  catalog: ProblemCatalog;
  languages: readonly Language[];
  dataDir: string;
  workers: number;
  log: Logger;
  leaseMs?: number;
  /** The engine; loaded from ../judging and ../sandbox when not given. */
  engine?: JudgingEngine | null;
}

export interface JudgingWorkers {
  readonly count: number;
  wake(): void;
  busy(): number;
  stop(): Promise<void>;
}

/** Loads the judging engine and the sandbox; null (and the reason logged) when either is missing. */
export async function loadJudgingEngine(log: Logger): Promise<JudgingEngine | null> {
  try {
    const judging = (await import(/* @vite-ignore */ ['..', 'judging', 'index.ts'].join('/'))) as { judgeSubmission?: unknown };
    const sandbox = (await import(/* @vite-ignore */ ['..', 'sandbox', 'index.ts'].join('/'))) as { openSandbox?: unknown };
    if (typeof judging.judgeSubmission !== 'function' || typeof sandbox.openSandbox !== 'function') {
      log.warn('judging engine incomplete: no judgeSubmission or openSandbox export; submissions stay queued');
      return null;
    }
    return adaptEngine(judging.judgeSubmission as (...a: unknown[]) => Promise<unknown>, sandbox.openSandbox as (o: { slot: number }) => Promise<Sandbox>);
  } catch (err) {
    log.warn('judging engine not available: submissions stay queued until it is', { err: (err as Error).message });
    return null;
  }
}

function adaptEngine(judgeSubmission: (...a: unknown[]) => Promise<unknown>, openSandbox: (o: { slot: number }) => Promise<Sandbox>): JudgingEngine {
  return {
    judge: (req) => judgeSubmission(req) as Promise<JudgingResult>,
    openSandbox: (slot) => openSandbox({ slot }),
  };
}

export async function startJudgingWorkers(o: JudgingWorkersOptions): Promise<JudgingWorkers | null> {
  const engine = o.engine === undefined ? await loadJudgingEngine(o.log) : o.engine;
  if (!engine) return null;
  const leaseMs = o.leaseMs ?? 30_000;
  const languages = new Map(o.languages.map((l) => [l.id, l]));
  const instanceId = randomBytes(3).toString('hex');
  const workRoot = path.join(o.dataDir, 'work');
  const slotDirs = new Map<Sandbox, string>();

  const pool: WorkerPool = await startWorkerPool<ClaimedJob, Sandbox>(
    {
      claim: (workerId) => o.store.queue.claim(workerId, leaseMs),
      heartbeat: (job, workerId) => o.store.queue.heartbeat(job.judgingId, workerId),
      async judge(job, sandbox, signal) {
        const problem = o.catalog.pkg(job.problemId);
        if (!problem) throw new Error(`problem package "${job.problemId}" is not loaded in this daemon (check --problems)`);
        const language = languages.get(job.language);
        if (!language) throw new Error(`language "${job.language}" is not available on this judge host`);
        const workDir = slotDirs.get(sandbox)!;
        fs.rmSync(workDir, { recursive: true, force: true });
        fs.mkdirSync(workDir, { recursive: true });
        let leaseLost = false;
        const result = await engine.judge({
          problem,
          language,
          files: job.files,
          sandbox,
          workDir,
          signal,
          onProgress: (p) => {
            if (!leaseLost && !o.store.queue.progress(job.judgingId, job.workerId, p)) leaseLost = true;
          },
        });
        if (signal.aborted) throw signal.reason;
        const done = o.store.queue.complete(job.judgingId, job.workerId, result);
        if (!done.accepted) o.log.warn('result not recorded', { judging: job.judgingId, reason: done.reason });
      },
      fail(job, workerId, err) {
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        o.store.queue.fail(job.judgingId, workerId, message);
      },
      async openSlot(slot) {
        const sandbox = await engine.openSandbox(slot);
        slotDirs.set(sandbox, path.join(workRoot, String(slot)));
        return sandbox;
      },
      closeSlot: (sandbox) => sandbox.close(),
      describe: (job) => ({ submission: job.submissionId, judging: job.judgingId, problem: job.problemId, language: job.language, attempt: job.attempt }),
    },
    { workers: o.workers, heartbeatMs: Math.max(100, Math.floor(leaseMs / 3)), idlePollMs: Math.min(2000, leaseMs), log: o.log, instanceId },
  );
  o.log.info('judging workers started', { workers: o.workers, leaseMs });
  return { count: o.workers, wake: () => pool.wake(), busy: () => pool.busy(), stop: () => pool.stop() };
}
