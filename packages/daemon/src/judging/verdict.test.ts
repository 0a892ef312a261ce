import { describe, expect, it } from 'vitest';
import type { RunResult } from '../sandbox/types.ts';
import { judgeInteractive, judgeRun, nearLimit, runLimits, validatorVerdict } from './verdict.ts';

const lang = { processes: 16, memoryOverheadMiB: 0, memoryErrorPatterns: ['std::bad_alloc', '^MemoryError'] };
const limits = runLimits(1000, 256, 8, lang);
const ok: RunResult = { exitCode: 0, signal: null, cpuTimeMs: 10, wallTimeMs: 12, memoryKiB: 1000, limitHit: null, outputBytes: 10 };
const run = (over: Partial<RunResult>): RunResult => ({ ...ok, ...over });

describe('runLimits', () => {
  it('puts the sandbox CPU limit above the time limit and the wall limit above that', () => {
    expect(limits.timeLimitMs).toBe(1000);
    expect(limits.sandbox.cpuTimeMs).toBe(1200);
    expect(limits.sandbox.wallTimeMs).toBe(3400);
    expect(limits.sandbox.memoryKiB).toBe(256 * 1024);
    expect(limits.sandbox.outputKiB).toBe(8 * 1024);
    const java = runLimits(2000, 256, 8, { processes: 128, memoryOverheadMiB: 192 });
    expect(java.sandbox.memoryKiB).toBe((256 + 192) * 1024);
    expect(java.sandbox.processes).toBe(128);
    expect(runLimits(100, 64, 1, lang).sandbox.cpuTimeMs).toBe(200);
  });
});

describe('judgeRun', () => {
  it('passes a clean run on to the validator', () => {
    expect(judgeRun(ok, limits, '', lang).verdict).toBeNull();
  });
  it('TLE on CPU time over the limit, on a CPU kill, and on the wall limit', () => {
    expect(judgeRun(run({ cpuTimeMs: 1001 }), limits, '', lang).verdict).toBe('TLE');
    expect(judgeRun(run({ cpuTimeMs: 1000 }), limits, '', lang).verdict).toBeNull();
    expect(judgeRun(run({ cpuTimeMs: 1200, signal: 9, exitCode: null, limitHit: 'time' }), limits, '', lang).verdict).toBe('TLE');
    const wall = judgeRun(run({ cpuTimeMs: 3, wallTimeMs: 3400, signal: 9, exitCode: null, limitHit: 'wall' }), limits, '', lang);
    expect(wall.verdict).toBe('TLE');
    expect(wall.reason).toMatch(/wall/);
  });
  it('MLE from the cgroup and from a runtime that reports running out of memory', () => {
    expect(judgeRun(run({ signal: 9, exitCode: null, limitHit: 'memory' }), limits, '', lang).verdict).toBe('MLE');
    expect(judgeRun(run({ signal: 6, exitCode: null }), limits, "terminate called after throwing an instance of 'std::bad_alloc'", lang).verdict).toBe('MLE');
    expect(judgeRun(run({ exitCode: 1 }), limits, 'Traceback...\nMemoryError\n', lang).verdict).toBe('MLE');
  });
  it('OLE from the output limit, SIGXFSZ, and before TLE when both happened', () => {
    expect(judgeRun(run({ limitHit: 'output', outputBytes: 8 * 1024 * 1024 + 1 }), limits, '', lang).verdict).toBe('OLE');
    expect(judgeRun(run({ signal: 25, exitCode: null }), limits, '', lang).verdict).toBe('OLE');
    expect(judgeRun(run({ limitHit: 'time', cpuTimeMs: 1200, outputBytes: 8 * 1024 * 1024 + 1 }), limits, '', lang).verdict).toBe('OLE');
  });
  it('RTE on a non-zero exit or a signal', () => {
    const e = judgeRun(run({ exitCode: 3 }), limits, '', lang);
    expect(e).toEqual({ verdict: 'RTE', reason: 'exit code 3' });
    expect(judgeRun(run({ exitCode: null, signal: 11 }), limits, '', lang).reason).toBe('killed by signal 11 (SIGSEGV)');
    expect(judgeRun(run({ exitCode: 1, limitHit: 'processes' }), limits, '', lang).reason).toMatch(/process/);
  });
});

describe('nearLimit', () => {
  it('is true only just over the limit, without a kill', () => {
    expect(nearLimit(run({ cpuTimeMs: 1050 }), 1000)).toBe(true);
    expect(nearLimit(run({ cpuTimeMs: 990 }), 1000)).toBe(false);
    expect(nearLimit(run({ cpuTimeMs: 1150 }), 1000)).toBe(false);
    expect(nearLimit(run({ cpuTimeMs: 1050, limitHit: 'wall' }), 1000)).toBe(false);
  });
});

describe('validatorVerdict', () => {
  it('42 AC, 43 WA, anything else JE', () => {
    expect(validatorVerdict(run({ exitCode: 42 })).verdict).toBe('AC');
    expect(validatorVerdict(run({ exitCode: 43 })).verdict).toBe('WA');
    expect(validatorVerdict(run({ exitCode: 0 })).verdict).toBe('JE');
    expect(validatorVerdict(run({ exitCode: 1 })).reason).toMatch(/expected 42 or 43/);
    expect(validatorVerdict(run({ exitCode: null, signal: 11 })).verdict).toBe('JE');
    expect(validatorVerdict(run({ exitCode: 42, limitHit: 'time' })).verdict).toBe('JE');
  });
});

describe('judgeInteractive', () => {
  const v = (code: number | null, over: Partial<RunResult> = {}): RunResult => run({ exitCode: code, ...over });
  it('takes the validator verdict when the program ran cleanly', () => {
    expect(judgeInteractive(ok, v(42), 'program', limits, '', lang).verdict).toBe('AC');
    expect(judgeInteractive(ok, v(43), 'interactor', limits, '', lang).verdict).toBe('WA');
    expect(judgeInteractive(ok, v(1), 'interactor', limits, '', lang).verdict).toBe('JE');
  });
  it('a SIGPIPE after the validator decided is the validator verdict', () => {
    const piped = run({ exitCode: null, signal: 13 });
    expect(judgeInteractive(piped, v(43), 'interactor', limits, '', lang).verdict).toBe('WA');
    expect(judgeInteractive(piped, v(42), 'interactor', limits, '', lang).verdict).toBe('AC');
    expect(judgeInteractive(run({ exitCode: 1 }), v(43), 'interactor', limits, 'BrokenPipeError: [Errno 32] Broken pipe', lang).verdict).toBe('WA');
    // A SIGPIPE while the validator was still running is the program's own crash.
    expect(judgeInteractive(piped, v(43), 'program', limits, '', lang).verdict).toBe('RTE');
  });
  it("the program's own failure wins: crash, TLE (a program that never flushes), MLE", () => {
    expect(judgeInteractive(run({ exitCode: 1 }), v(43), 'interactor', limits, 'ValueError', lang).verdict).toBe('RTE');
    const stuck = run({ exitCode: null, signal: 9, cpuTimeMs: 2, wallTimeMs: 3400, limitHit: 'wall' });
    expect(judgeInteractive(stuck, v(null, { signal: 9 }), 'program', limits, '', lang).verdict).toBe('TLE');
    expect(judgeInteractive(run({ cpuTimeMs: 1200, limitHit: 'time', exitCode: null, signal: 9 }), v(43), 'program', limits, '', lang).verdict).toBe('TLE');
    expect(judgeInteractive(run({ limitHit: 'memory', exitCode: null, signal: 9 }), v(43), 'program', limits, '', lang).verdict).toBe('MLE');
  });
});
