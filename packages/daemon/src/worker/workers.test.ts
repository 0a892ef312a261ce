import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxError, type Sandbox } from '../sandbox/types.ts';
import type { Store } from '../store/index.ts';
import { seededStore } from '../../test-utils/store-fixtures.ts';
import { embeddedQueue } from '../queue/embedded.ts';
import { createLogger } from '../server/log.ts';
import { pinningEnabled, workerCpu } from './cpu.ts';
import type { JudgingEngine } from './engine.ts';
import { startJudgingWorkers } from './workers.ts';

describe('workerCpu', () => {
  it('counts down from the last CPU, leaving CPU 0 to the daemon while workers < CPUs', () => {
    expect([0, 1, 2].map((i) => workerCpu(i, 4))).toEqual([3, 2, 1]);
    expect(workerCpu(0, 2)).toBe(1);
    expect(workerCpu(0, 1)).toBe(0);
  });

  it('wraps around when there are more workers than CPUs', () => {
    expect([0, 1, 2, 3, 4].map((i) => workerCpu(i, 2))).toEqual([1, 0, 1, 0, 1]);
    expect([0, 1, 2].map((i) => workerCpu(i, 1))).toEqual([0, 0, 0]);
  });

  it('refuses nonsense', () => {
    expect(() => workerCpu(-1, 4)).toThrow(/worker index/);
    expect(() => workerCpu(0, 0)).toThrow(/cpu count/);
  });
});

describe('pinningEnabled', () => {
  it('is on by default and off with JUDGED_NO_PIN=1', () => {
    expect(pinningEnabled({})).toBe(true);
    expect(pinningEnabled({ JUDGED_NO_PIN: '0' })).toBe(true);
    expect(pinningEnabled({ JUDGED_NO_PIN: '1' })).toBe(false);
    expect(pinningEnabled({ JUDGED_NO_PIN: 'true' })).toBe(false);
  });
});

describe('startJudgingWorkers pinning', () => {
  let store: Store | null = null;
  afterEach(() => {
    store?.close();
    store = null;
  });

  async function opened(pinCpus: boolean, busy: ReadonlySet<number> = new Set()): Promise<{ opens: Array<{ slot: number; cpus: number[] | undefined }>; logs: string[] }> {
    store = seededStore();
    const opens: Array<{ slot: number; cpus: number[] | undefined }> = [];
    const logs: string[] = [];
    const engine: JudgingEngine = {
      judge: () => Promise.reject(new Error('no jobs in this test')),
      async openSandbox(slot, cpus) {
        if (busy.has(slot)) throw new SandboxError(`slot ${slot} is already in use by another judged-sandbox supervisor`, 'busy');
        opens.push({ slot, cpus });
        return { slot, close: async () => {} } as unknown as Sandbox;
      },
    };
    const workers = await startJudgingWorkers({
      source: embeddedQueue(store, 30_000),
      packages: () => Promise.reject(new Error('no jobs in this test')),
      heartbeatMs: 10_000,
      languages: [],
      dataDir: os.tmpdir(),
      workers: 3,
      log: createLogger({ pretty: false, write: (l) => logs.push(l) }),
      slotBase: 40,
      engine,
      pinCpus,
    });
    await workers!.stop();
    return { opens, logs };
  }

  it('opens worker i on CPU workerCpu(i, n) and logs it', async () => {
    const n = os.availableParallelism();
    const { opens, logs } = await opened(true);
    expect(opens).toEqual([0, 1, 2].map((i) => ({ slot: 40 + i, cpus: [workerCpu(i, n)] })));
    const pinned = logs.map((l) => JSON.parse(l) as { msg: string; worker?: number; cpu?: number }).filter((r) => r.msg === 'judging worker pinned');
    expect(pinned.map((r) => [r.worker, r.cpu])).toEqual([0, 1, 2].map((i) => [i, workerCpu(i, n)]));
  });

  it('skips slots another process holds (the supervisor\'s typed busy error), each slot once', async () => {
    const { opens, logs } = await opened(false, new Set([41, 43]));
    expect(opens.map((o) => o.slot)).toEqual([40, 42, 44]);
    expect(logs.filter((l) => l.includes('sandbox slot in use')).length).toBe(2);
  });

  it('does not pin when turned off', async () => {
    const { opens } = await opened(false);
    expect(opens).toEqual([0, 1, 2].map((i) => ({ slot: 40 + i, cpus: undefined })));
  });
});
