/**
 * The embedded queue: workers in the daemon's process claim straight from the store (SQLite claim /
 * lease, fair per team, rejudges in their own lane; see store/queue.ts). No network, nothing to run.
 */
import type { Store } from '../store/index.ts';
import type { JobSource, WorkJob } from './types.ts';

export function embeddedQueue(store: Store, leaseMs: number): JobSource {
  return {
    kind: 'embedded',
    async claim(workerId) {
      const c = store.queue.claim(workerId, leaseMs);
      if (!c) return null;
      const job: WorkJob = {
        judgingId: c.judgingId,
        submissionId: c.submissionId,
        attempt: c.attempt,
        problemId: c.problemId,
        packageHash: null,
        language: c.language,
        files: c.files,
      };
      return job;
    },
    heartbeat: async (job, workerId) => store.queue.heartbeat(job.judgingId, workerId),
    async progress(job, workerId, p) {
      store.queue.progress(job.judgingId, workerId, p);
    },
    complete: async (job, workerId, r) => store.queue.complete(job.judgingId, workerId, r, job.attempt),
    fail: async (job, workerId, message) => store.queue.fail(job.judgingId, workerId, message, job.attempt),
    // The lease runs out, or the next start puts the job back (requeueClaimed): as before the queue had a seam.
    release: async () => {},
    close: async () => {},
  };
}
