import { describe, expect, it } from 'vitest';
import { LoopDelayMonitor } from './loop-delay.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('LoopDelayMonitor', () => {
  it('sees a stalled event loop, and each read starts a new window', async () => {
    const m = new LoopDelayMonitor(5);
    try {
      await sleep(30);
      const t = performance.now();
      while (performance.now() - t < 80); // a synchronous stall of 80 ms
      await sleep(30);
      const r = m.read();
      expect(r.count).toBeGreaterThan(0);
      expect(r.max).toBeGreaterThanOrEqual(60);
      expect(r.p50).toBeLessThan(r.max);
      expect(m.read().count).toBe(0);
    } finally {
      m.stop();
    }
  });
});
