/**
 * The judging queue as a worker sees it: one small interface, two implementations.
 *
 *   embedded.ts   the store's SQLite claim/lease, in the daemon's own process (the default)
 *   bullmq/       BullMQ on Redis, for workers in the daemon and judgehosts on other machines
 *
 * Either way SQLite stays the single source of truth: a result counts only when the store accepts it
 * for the judging id and attempt it was handed out with (store/queue.ts is the fence).
 */
import type { SourceFile } from '@judged/shared/protocol';
import type { CompleteResult, JudgingProgress, JudgingResult } from '../store/index.ts';

/** One judging as handed to a worker. */
export interface WorkJob {
  judgingId: string;
  submissionId: string;
  /** 1 on the first hand-out; a result is accepted only for the attempt currently outstanding. */
  attempt: number;
  problemId: string;
  /** Content hash of the problem package (problems/content-hash.ts); null in the embedded queue. */
  packageHash: string | null;
  language: string;
  files: SourceFile[];
}

export interface JobSource {
  /** 'embedded' or 'redis', for logs, /healthz and metrics. */
  readonly kind: 'embedded' | 'redis';
  /** claim() waits a little for work itself (Redis: a blocking pop), so an empty claim needs no idle sleep. */
  readonly claimWaits?: boolean;
  /** The next job for workerId, or null when there is none (a remote queue may wait a little first). */
  claim(workerId: string): Promise<WorkJob | null>;
  /** Keeps the job's lease; false when it was lost (handed to someone else, or cancelled). */
  heartbeat(job: WorkJob, workerId: string): Promise<boolean>;
  /** Compiling / running test k of n; best effort. */
  progress(job: WorkJob, workerId: string, p: JudgingProgress): Promise<void>;
  complete(job: WorkJob, workerId: string, result: JudgingResult): Promise<CompleteResult>;
  /** The judge itself failed: JE with the message for the jury. */
  fail(job: WorkJob, workerId: string, message: string): Promise<CompleteResult>;
  /** A job cut off by a stop: give it back now rather than when its lease runs out. */
  release(job: WorkJob, workerId: string): Promise<void>;
  /** New work was queued in this process. */
  wake?(): void;
  close(): Promise<void>;
}
