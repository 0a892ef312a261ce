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
  const crash = run({ exitCode: null, signal: 11 });
  const failed = run({ exitCode: 1 });
  const piped = run({ exitCode: null, signal: 13 });
  const cpuKill = run({ cpuTimeMs: 1200, limitHit: 'time', exitCode: null, signal: 9 });
  const slow = run({ cpuTimeMs: 1100 });
  const wallKill = run({ exitCode: null, signal: 9, cpuTimeMs: 2, wallTimeMs: 3400, limitHit: 'wall' });
  const memKill = run({ limitHit: 'memory', exitCode: null, signal: 9 });
  const flood = run({ limitHit: 'output', outputBytes: 9 * 1024 * 1024 });
  const AC = v(42);
  const WA = v(43);
  const bad = v(1);
  const vCrash = v(null, { signal: 11 });
  const vPipe = v(null, { signal: 13 });
  const vKilled = v(null, { signal: 9 });
  const vOwnWall = v(null, { signal: 9, limitHit: 'wall' });
  type Row = [string, RunResult, RunResult, 'program' | 'interactor', string, string?];
  // [what happened, program, validator, who ended first, verdict, diagnostics]
  const table: Row[] = [
    ['clean program, validator AC', ok, AC, 'program', 'AC'],
    ['validator AC first, then the program exits cleanly', ok, AC, 'interactor', 'AC'],
    ['clean program, validator WA', ok, WA, 'program', 'WA'],
    ['validator WA first, program exits cleanly', ok, WA, 'interactor', 'WA'],
    // The validator exited first with WA: WA whatever the program does afterwards.
    ['validator WA first, then the program crashes (SIGSEGV on end of input)', crash, WA, 'interactor', 'WA'],
    ['validator WA first, then an exception because input ended', failed, WA, 'interactor', 'WA', 'ValueError: invalid literal'],
    ['validator WA first, then SIGPIPE on the closed pipe', piped, WA, 'interactor', 'WA'],
    ['validator WA first, then BrokenPipeError', failed, WA, 'interactor', 'WA', 'BrokenPipeError: [Errno 32] Broken pipe'],
    ['validator WA first, then the program spins into the CPU limit', cpuKill, WA, 'interactor', 'WA'],
    ['validator WA first, then the program runs over the time limit', slow, WA, 'interactor', 'WA'],
    ['validator WA first, then the program is killed at the wall limit', wallKill, WA, 'interactor', 'WA'],
    ['validator WA first, then the program runs out of memory', memKill, WA, 'interactor', 'WA'],
    ['validator WA first, then the program floods its output', flood, WA, 'interactor', 'WA'],
    // The program ended first: its own failure counts, the validator's WA is a consequence.
    ['program crashes first, validator then WA on end of input', crash, WA, 'program', 'RTE'],
    ['program exits 1 first, validator then WA', failed, WA, 'program', 'RTE', 'ValueError'],
    ['program SIGPIPE: its reader was gone, the validator ended first whatever the clocks say', piped, WA, 'program', 'WA'],
    ['program BrokenPipeError recorded first', failed, WA, 'program', 'WA', 'BrokenPipeError: [Errno 32] Broken pipe'],
    ['program spins into the CPU limit first, validator then WA', cpuKill, WA, 'program', 'TLE'],
    ['program over the time limit first, validator then AC', slow, AC, 'program', 'TLE'],
    ['program out of memory first, validator then WA', memKill, WA, 'program', 'MLE'],
    ['program runtime out of memory first', failed, WA, 'program', 'MLE', 'Traceback\nMemoryError\n'],
    ['program floods its output first', flood, WA, 'program', 'OLE'],
    // The validator accepted first: the program still has to finish within its limits.
    ['validator AC first, then the program crashes', crash, AC, 'interactor', 'RTE'],
    ['validator AC first, then the program spins into the CPU limit', cpuKill, AC, 'interactor', 'TLE'],
    ['validator AC first, then the program writes to the closed pipe', piped, AC, 'interactor', 'AC'],
    ['validator AC first, then BrokenPipeError', failed, AC, 'interactor', 'AC', 'BrokenPipeError'],
    // Never flushes: both wait, the wall limit ends both; the validator had not decided.
    ['never flushes: wall limit, validator killed with it', wallKill, vKilled, 'program', 'TLE'],
    ['never flushes: wall limit, validator then WA on EOF', wallKill, WA, 'program', 'TLE'],
    // SIGPIPE in the validator after the program ended is the program's fault, never JE.
    ['program exits without reading, validator killed by SIGPIPE', ok, vPipe, 'program', 'WA'],
    ['program crashes without reading, validator killed by SIGPIPE', crash, vPipe, 'program', 'RTE'],
    ['program spins into the CPU limit, validator then SIGPIPE', cpuKill, vPipe, 'program', 'TLE'],
    // The program's exit closes its pipes before its end is recorded: the validator may look first.
    ['program exits without reading, validator SIGPIPE recorded first', ok, vPipe, 'interactor', 'WA'],
    ['program exits 3 without reading, validator SIGPIPE recorded first', failed, vPipe, 'interactor', 'RTE'],
    ['program closed its input and went on, validator SIGPIPE', ok, vPipe, 'interactor', 'WA'],
    // Any other validator failure is the judge's.
    ['validator exits 1', ok, bad, 'interactor', 'JE'],
    ['validator exits 1 after the program crashed', crash, bad, 'program', 'JE'],
    ['validator crashes', ok, vCrash, 'interactor', 'JE'],
    ['validator crashes after the program crashed', crash, vCrash, 'program', 'JE'],
    ['validator hits its own wall limit', ok, vOwnWall, 'interactor', 'JE'],
    ['validator killed although the program hit no limit', crash, vKilled, 'program', 'JE'],
  ];
  it.each(table)('%s', (_what, program, validator, first, verdict, diagnostics = '') => {
    expect(judgeInteractive(program, validator, first, limits, diagnostics, lang).verdict).toBe(verdict);
  });
  it('says why, for the jury', () => {
    expect(judgeInteractive(crash, WA, 'interactor', limits, '', lang).reason).toMatch(/rejected the interaction \(then the program: killed by signal 11/);
    expect(judgeInteractive(ok, vPipe, 'program', limits, '', lang).reason).toMatch(/ended before reading/);
    expect(judgeInteractive(ok, bad, 'interactor', limits, '', lang).reason).toMatch(/expected 42 or 43/);
  });
});
