import { describe, expect, it } from 'vitest';
import { parseTimeScale, scaleRequest, unscaleResult } from './time-scale.ts';
import type { RunRequest, RunResult } from './types.ts';

const req: RunRequest = {
  argv: ['/box/a.out'],
  workDir: '/tmp/x',
  limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryKiB: 262144, processes: 1, outputKiB: 8192, stackKiB: 8192 },
};
const res: RunResult = { exitCode: 0, signal: null, cpuTimeMs: 5000, wallTimeMs: 6000, memoryKiB: 1234, limitHit: null, outputBytes: 10 };

describe('the host speed factor', () => {
  it('multiplies only CPU and wall limits on the way in', () => {
    const s = scaleRequest(req, 10);
    expect(s.limits).toEqual({ ...req.limits, cpuTimeMs: 10_000, wallTimeMs: 30_000 });
    expect(req.limits.cpuTimeMs).toBe(1000);
    expect(scaleRequest(req, 1)).toBe(req);
    expect(scaleRequest(req, 1.5).limits.cpuTimeMs).toBe(1500);
  });

  it('divides only the times on the way out, so a run at the scaled limit reads as at the limit', () => {
    expect(unscaleResult(res, 10)).toEqual({ ...res, cpuTimeMs: 500, wallTimeMs: 600 });
    const atLimit = unscaleResult({ ...res, cpuTimeMs: scaleRequest(req, 10).limits.cpuTimeMs, limitHit: 'time' }, 10);
    expect(atLimit.cpuTimeMs).toBe(req.limits.cpuTimeMs);
  });

  it('refuses a factor that is not a machine, naming the option', () => {
    expect(parseTimeScale(undefined)).toBe(1);
    expect(parseTimeScale('10')).toBe(10);
    expect(parseTimeScale('0.5')).toBe(0.5);
    for (const bad of ['0', '-1', 'fast', '1e9', '', 'NaN']) expect(() => parseTimeScale(bad)).toThrow(/--time-scale must be a number from 0.1 to 100/);
  });
});
