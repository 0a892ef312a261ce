import { describe, expect, it } from 'vitest';
import { silentLogger } from '../server/log.ts';
import { startWorkerPool, type WorkerPoolDeps } from './pool.ts';

interface FakeJob {
  id: number;
}

function fakeQueue(ids: number[]) {
  const pending = [...ids];
  const done: Array<{ id: number; slot: number }> = [];
  const failed: number[] = [];
  const opened: number[] = [];
  const closed: number[] = [];
  let judge: (job: FakeJob, slot: number, signal: AbortSignal) => Promise<void> = async (job, slot) => {
    done.push({ id: job.id, slot });
  };
  const deps: WorkerPoolDeps<FakeJob, number> = {
    claim: () => {
      const id = pending.shift();
      return id === undefined ? null : { id };
    },
    heartbeat: () => true,
    judge: (job, slot, signal) => judge(job, slot, signal),
    fail: (job) => {
      failed.push(job.id);
    },
    openSlot: async (n) => {
      opened.push(n);
      return n;
    },
    closeSlot: async (n) => {
      closed.push(n);
    },
    describe: (job) => ({ job: job.id }),
  };
  return {
    deps,
    pending,
    done,
    failed,
    opened,
    closed,
    setJudge: (f: typeof judge) => (judge = f),
  };
}

const opts = { workers: 2, heartbeatMs: 20, idlePollMs: 10_000, log: silentLogger, instanceId: 't' };

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('worker pool', () => {
  it('opens one slot per worker and judges every queued job', async () => {
    const q = fakeQueue([1, 2, 3, 4, 5]);
    const pool = await startWorkerPool(q.deps, opts);
    await until(() => q.done.length === 5);
    expect(q.opened).toEqual([0, 1]);
    expect(q.done.map((d) => d.id).sort()).toEqual([1, 2, 3, 4, 5]);
    await pool.stop();
    expect(q.closed.sort()).toEqual([0, 1]);
  });

  it('picks up work queued later when woken, without waiting for the poll', async () => {
    const q = fakeQueue([]);
    const pool = await startWorkerPool(q.deps, opts);
    q.pending.push(9);
    pool.wake();
    await until(() => q.done.length === 1);
    await pool.stop();
  });

  it('records a failure through fail() and keeps working', async () => {
    const q = fakeQueue([1, 2]);
    q.setJudge(async (job, slot) => {
      if (job.id === 1) throw new Error('sandbox broke');
      q.done.push({ id: job.id, slot });
    });
    const pool = await startWorkerPool(q.deps, { ...opts, workers: 1 });
    await until(() => q.done.length === 1);
    expect(q.failed).toEqual([1]);
    await pool.stop();
  });

  it('aborts a judging whose lease was lost, without recording a failure', async () => {
    const q = fakeQueue([1]);
    q.deps.heartbeat = () => false;
    let aborted = false;
    q.setJudge(
      (_job, _slot, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    );
    const pool = await startWorkerPool(q.deps, { ...opts, workers: 1 });
    await until(() => aborted);
    await pool.stop();
    expect(q.failed).toEqual([]);
  });

  it('stop() aborts a running judging and closes the slots', async () => {
    const q = fakeQueue([1]);
    q.setJudge(
      (_job, _slot, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    const pool = await startWorkerPool(q.deps, { ...opts, workers: 1 });
    await until(() => pool.busy() === 1);
    await pool.stop();
    expect(pool.busy()).toBe(0);
    expect(q.failed).toEqual([]);
    expect(q.closed).toEqual([0]);
  });
  it('claims again at once after an empty claim that waited itself (a Redis pop), not after idlePollMs', async () => {
    const q = fakeQueue([]);
    const claim = q.deps.claim;
    let claims = 0;
    // A blocking claim: waits 20 ms for work, as BullMQ's blocking pop does.
    q.deps.claim = async (w) => {
      claims++;
      await new Promise((r) => setTimeout(r, 20));
      return claim(w);
    };
    const pool = await startWorkerPool(q.deps, { ...opts, workers: 1, claimWaits: true });
    await until(() => claims >= 1);
    q.pending.push(7);
    await until(() => q.done.length === 1, 1_000);
    // Not accepting: no claim, and the idle sleep holds (no busy loop).
    q.deps.accepting = () => false;
    const before = claims;
    await new Promise((r) => setTimeout(r, 100));
    expect(claims - before).toBeLessThanOrEqual(1);
    await pool.stop();
  });
});
