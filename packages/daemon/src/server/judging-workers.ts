/**
 * Binds the worker pool to the store's queue and the judging engine: each worker claims a job with a
 * lease, judges it on its own sandbox slot while reporting progress (compiling, test k of n), and
 * writes the result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SourceFile } from '@judged/shared/protocol';
import { JudgeEngine, type JudgeResult } from '../judging/engine.ts';
import type { Language } from '../languages/index.ts';
import type { ProblemPackage } from '../problems/types.ts';
import { openSandbox } from '../sandbox/index.ts';
import { SlotAllocator } from '../sandbox/allocate.ts';
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
  signal: AbortSignal;
  onProgress(p: JudgingProgress): void;
}

/** judgeError: set for JE, the judge's own failure, kept for the jury. */
export type JudgeFn = (req: JudgeRequest) => Promise<JudgingResult & { judgeError?: string }>;
/** cpus: pin the slot's runs to these CPUs (cpuset); absent = not pinned. */
export type OpenSandboxFn = (slot: number, cpus?: number[]) => Promise<Sandbox>;

export interface JudgingEngine {
  judge: JudgeFn;
  openSandbox: OpenSandboxFn;
  close?(): void;
}

export interface JudgingWorkersOptions {
  store: Store;
  catalog: ProblemCatalog;
  languages: readonly Language[];
  dataDir: string;
  workers: number;
  log: Logger;
  leaseMs?: number;
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
  /** This host's speed factor for the real engine's sandboxes (`--time-scale`, sandbox/time-scale.ts). Default 1. */
  timeScale?: number;
}

/**
 * The CPU worker i runs its submissions on, with n CPUs: counted down from the last one, so that while
 * there are fewer workers than CPUs, CPU 0 stays free for the daemon itself (and the kernel's own work,
 * which favours CPU 0). With more workers than CPUs they wrap around and share.
 */
export function workerCpu(worker: number, cpuCount: number): number {
  if (!Number.isInteger(worker) || worker < 0) throw new RangeError(`worker index must be an integer >= 0, got ${worker}`);
  if (!Number.isInteger(cpuCount) || cpuCount < 1) throw new RangeError(`cpu count must be an integer >= 1, got ${cpuCount}`);
  return (((cpuCount - 1 - worker) % cpuCount) + cpuCount) % cpuCount;
}

/** Whether workers are pinned: JUDGED_NO_PIN=1 (or true/yes) turns it off. */
export function pinningEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.JUDGED_NO_PIN ?? '').trim().toLowerCase();
  return !(v === '1' || v === 'true' || v === 'yes');
}

export interface JudgingWorkers {
  readonly count: number;
  wake(): void;
  busy(): number;
  stop(): Promise<void>;
}

/** How many slots past slotBase to try when some are held by other processes. */
const SLOT_SEARCH = 64;
const MAX_COMPILE_OUTPUT = 16 * 1024;
const MAX_SAMPLE_TEXT = 8000;

/** The judging engine on the sandbox, its work dirs under dataDir/work. */
function judgingEngine(languages: readonly Language[], dataDir: string, timeScale: number): JudgingEngine {
  const engine = new JudgeEngine({ workRoot: path.join(dataDir, 'work'), languages: [...languages] });
  return {
    async judge(req) {
      const r = await engine.judge({
        problem: req.problem,
        language: req.language,
        files: req.files.map((f) => ({ name: f.name, content: f.source })),
        sandboxes: [req.sandbox],
        signal: req.signal,
        onProgress(p) {
          if (p.phase === 'compiling') req.onProgress({ status: 'compiling' });
          else if (p.phase === 'running') req.onProgress({ status: 'running', testIndex: p.test, testCount: p.total });
        },
      });
      return toJudgingResult(r, req.problem);
    },
    openSandbox: (slot, cpus) => openSandbox({ slot, timeScale, ...(cpus ? { cpus } : {}) }),
    close: () => engine.close(),
  };
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}\n[... cut at ${max} characters]`;
}

function readSample(file: string): string {
  try {
    return cut(fs.readFileSync(file, 'utf8'), MAX_SAMPLE_TEXT);
  } catch {
    return '';
  }
}

/** The engine's result as the store records it. Sample tests carry their (public) input and answer. */
export function toJudgingResult(r: JudgeResult, problem: ProblemPackage): JudgingResult & { judgeError?: string } {
  const byName = new Map(problem.testCases.map((t) => [t.name, t]));
  const result: JudgingResult & { judgeError?: string } = {
    verdict: r.verdict,
    maxTimeMs: r.timeMs === null ? null : Math.round(r.timeMs),
    maxMemoryKiB: r.memoryKiB === null ? null : Math.round(r.memoryKiB),
    compileOutput: r.compile && r.compile.output.trim() !== '' ? cut(r.compile.output, MAX_COMPILE_OUTPUT) : null,
    testsPassed: r.passed,
    testCount: r.testCount,
    runs: r.tests.map((t) => {
      const tc = byName.get(t.name);
      const run: JudgingResult['runs'][number] = {
        index: t.index,
        testName: t.name,
        sample: t.kind === 'sample',
        verdict: t.verdict,
        timeMs: Math.round(t.cpuTimeMs),
        wallTimeMs: Math.round(t.wallTimeMs),
        memoryKiB: Math.round(t.memoryKiB),
        exitCode: t.exitCode,
        signal: t.signal === null ? null : String(t.signal),
        judgeMessage: t.judgeMessage ?? (t.message || null),
        stdoutExcerpt: t.stdoutExcerpt ?? null,
        stderrExcerpt: t.stderrExcerpt ?? null,
      };
      if (t.kind === 'sample' && tc) {
        run.input = readSample(tc.inputPath);
        run.expected = readSample(tc.answerPath);
        // The program's output is shown only when the engine kept it; never invented.
        if (t.stdoutExcerpt !== undefined) {
          run.got = cut(t.stdoutExcerpt, MAX_SAMPLE_TEXT);
          run.gotTruncated = t.stdoutExcerpt.length > MAX_SAMPLE_TEXT;
        }
      }
      return run;
    }),
  };
  if (r.verdict === 'JE' && r.message) result.judgeError = r.message;
  return result;
}

export async function startJudgingWorkers(o: JudgingWorkersOptions): Promise<JudgingWorkers | null> {
  const engine = o.engine === undefined ? judgingEngine(o.languages, o.dataDir, o.timeScale ?? 1) : o.engine;
  if (!engine) return null;
  const leaseMs = o.leaseMs ?? 30_000;
  const languages = new Map(o.languages.map((l) => [l.id, l]));
  const instanceId = randomBytes(3).toString('hex');
  const slots = new SlotAllocator(o.slotBase ?? 0, SLOT_SEARCH);
  const pin = o.pinCpus ?? pinningEnabled();
  const cpuCount = os.availableParallelism();

  let pool: WorkerPool;
  try {
    pool = await startWorkerPool<ClaimedJob, Sandbox>(
    {
      claim: (workerId) => o.store.queue.claim(workerId, leaseMs),
      heartbeat: (job, workerId) => o.store.queue.heartbeat(job.judgingId, workerId),
      async judge(job, sandbox, signal) {
        const problem = o.catalog.pkg(job.problemId);
        if (!problem) throw new Error(`problem package "${job.problemId}" is not loaded in this daemon (check --problems)`);
        const language = languages.get(job.language);
        if (!language) throw new Error(`language "${job.language}" is not available on this judge host`);
        let leaseLost = false;
        const result = await engine.judge({
          problem,
          language,
          files: job.files,
          sandbox,
          signal,
          onProgress: (p) => {
            if (!leaseLost && !o.store.queue.progress(job.judgingId, job.workerId, p)) leaseLost = true;
          },
        });
        if (signal.aborted) throw signal.reason;
        const { judgeError, ...judged } = result;
        // A judge failure with nothing run is recorded as such (JE with the reason for the jury).
        const done =
          judgeError !== undefined && judged.runs.length === 0
            ? o.store.queue.fail(job.judgingId, job.workerId, judgeError)
            : o.store.queue.complete(job.judgingId, job.workerId, judged);
        if (!done.accepted) o.log.warn('result not recorded', { judging: job.judgingId, reason: done.reason });
      },
      fail(job, workerId, err) {
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        o.store.queue.fail(job.judgingId, workerId, message);
      },
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
    { workers: o.workers, heartbeatMs: Math.max(100, Math.floor(leaseMs / 3)), idlePollMs: Math.min(2000, leaseMs), log: o.log, instanceId },
  );
  } catch (err) {
    // No sandbox (not root, no cgroups): serve anyway, so teams can read and submit; say loudly why nothing is judged.
    o.log.error('judging disabled: the sandbox could not be opened; submissions stay queued (run `judged doctor`)', { err: (err as Error).message });
    engine.close?.();
    return null;
  }
  o.log.info('judging workers started', { workers: o.workers, leaseMs });
  return {
    count: o.workers,
    wake: () => pool.wake(),
    busy: () => pool.busy(),
    async stop() {
      await pool.stop();
      engine.close?.();
    },
  };
}
