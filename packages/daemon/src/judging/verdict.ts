/**
 * From what the sandbox measured to a verdict. Pure functions, so every rule is testable without
 * running anything. The sandbox reports facts (exit, signal, times, peak memory, which limit it
 * enforced); the rules for what they mean live here only.
 */
import type { Verdict } from '@judged/shared/verdict';
import type { Language } from '../languages/types.ts';
import type { RunResult, SandboxLimits } from '../sandbox/types.ts';

export const EXIT_AC = 42;
export const EXIT_WA = 43;
const SIGPIPE = 13;

/** Limits of one test run, and what the judge promised the contestant. */
export interface RunLimits {
  /** The problem's time limit: CPU time above it is TLE. */
  timeLimitMs: number;
  /** What the sandbox enforces (a little above the time limit, so an overshoot is measured, not guessed). */
  sandbox: SandboxLimits;
}

/**
 * The sandbox's CPU limit sits above the time limit so that a run just over the limit is measured
 * (and can be re-run) rather than killed at exactly the limit. Wall time allows for I/O waits and a
 * loaded machine but still ends a program that sleeps or waits for input that never comes.
 */
export function runLimits(timeLimitMs: number, memoryMiB: number, outputMiB: number, lang: Pick<Language, 'processes' | 'memoryOverheadMiB'>): RunLimits {
  const hardCpu = timeLimitMs + Math.max(100, Math.ceil(timeLimitMs * 0.2));
  return {
    timeLimitMs,
    sandbox: {
      cpuTimeMs: hardCpu,
      wallTimeMs: 2 * hardCpu + 1000,
      memoryKiB: (memoryMiB + lang.memoryOverheadMiB) * 1024,
      processes: lang.processes,
      outputKiB: outputMiB * 1024,
      stackKiB: memoryMiB * 1024,
    },
  };
}

export interface RunJudgement {
  /** null: the program ran within every limit and exited 0; its output goes to the validator. */
  verdict: Verdict | null;
  /** Why, for the jury. */
  reason: string;
}

function describeExit(r: RunResult): string {
  if (r.signal !== null) return `killed by signal ${r.signal}${signalName(r.signal)}`;
  return `exit code ${r.exitCode}`;
}

function signalName(sig: number): string {
  const names: Record<number, string> = { 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 24: 'SIGXCPU', 25: 'SIGXFSZ', 31: 'SIGSYS' };
  return names[sig] ? ` (${names[sig]})` : '';
}

/**
 * The verdict of a submission's run before its output is validated. Order matters: a program
 * stopped for time may also show a signal, and one killed by the memory cgroup shows SIGKILL.
 */
export function judgeRun(r: RunResult, limits: RunLimits, diagnostics: string, lang: Pick<Language, 'memoryErrorPatterns'>): RunJudgement {
  // Output first: a runtime that swallows write errors (Java's PrintStream) keeps running after the
  // output limit and would otherwise be reported as TLE, though the output limit came first.
  if (r.limitHit === 'output' || r.outputBytes > limits.sandbox.outputKiB * 1024) {
    return { verdict: 'OLE', reason: `output limit ${limits.sandbox.outputKiB} KiB reached (${r.outputBytes} bytes written)` };
  }
  if (r.limitHit === 'wall') return { verdict: 'TLE', reason: `wall time ${r.wallTimeMs} ms reached the wall limit ${limits.sandbox.wallTimeMs} ms (CPU ${r.cpuTimeMs} ms)` };
  if (r.limitHit === 'time' || r.cpuTimeMs > limits.timeLimitMs) {
    return { verdict: 'TLE', reason: `CPU time ${r.cpuTimeMs} ms > time limit ${limits.timeLimitMs} ms` };
  }
  if (r.limitHit === 'memory') return { verdict: 'MLE', reason: `memory limit reached (peak ${r.memoryKiB} KiB, limit ${limits.sandbox.memoryKiB} KiB)` };
  if (r.signal === 25) return { verdict: 'OLE', reason: 'a file grew past the output limit (SIGXFSZ)' };
  if (r.exitCode !== 0 || r.signal !== null) {
    if (lang.memoryErrorPatterns.some((p) => new RegExp(p, 'm').test(diagnostics))) {
      return { verdict: 'MLE', reason: `ran out of memory (${describeExit(r)}; the runtime reported it on stderr)` };
    }
    if (r.limitHit === 'processes') return { verdict: 'RTE', reason: `${describeExit(r)} after reaching the process/thread limit ${limits.sandbox.processes}` };
    return { verdict: 'RTE', reason: describeExit(r) };
  }
  return { verdict: null, reason: '' };
}

/** A run whose CPU time is over the limit by so little that noise could have put it there. */
export function nearLimit(r: RunResult, timeLimitMs: number): boolean {
  return r.limitHit === null && r.cpuTimeMs > timeLimitMs && r.cpuTimeMs <= timeLimitMs * 1.1 + 20;
}

/** Verdict of a custom output validator's run: 42 AC, 43 WA, anything else (or any limit) JE. */
export function validatorVerdict(r: RunResult): { verdict: 'AC' | 'WA' | 'JE'; reason: string } {
  if (r.limitHit) return { verdict: 'JE', reason: `output validator hit its ${r.limitHit} limit` };
  if (r.signal !== null) return { verdict: 'JE', reason: `output validator ${describeExit(r)}` };
  if (r.exitCode === EXIT_AC) return { verdict: 'AC', reason: '' };
  if (r.exitCode === EXIT_WA) return { verdict: 'WA', reason: '' };
  return { verdict: 'JE', reason: `output validator exited with ${r.exitCode} (expected 42 or 43)` };
}

/** A write to a pipe whose reader is gone: SIGPIPE, or a runtime that reports EPIPE instead (Python). */
const BROKEN_PIPE = /BrokenPipeError|Broken pipe|EPIPE/;

/**
 * Interactive problems, by the rule Kattis problemtools (judge/execute.py) and DOMjudge
 * (determineVerdict) share: the first side to finish decides.
 * 1. A validator that died of SIGPIPE: its reader, the program, had closed its input or ended,
 *    whatever the clocks say. The sandbox, like the reference runners, keeps that read end open and
 *    runs the validator with SIGPIPE ignored, so this is a fallback: the program's fault, its own
 *    verdict, else WA, never JE.
 * 2. A validator stopped by the sandbox after the program ran into its own limit (the wall limit
 *    ends both sides) had not decided: the program's verdict (problemtools assumes WA and lets the
 *    TLE stand).
 * 3. Any other validator failure (a crash, an exit code other than 42/43, its own limits): JE.
 * 4. The validator exited first with WA: WA, whatever the program did afterwards (crash on the
 *    closed pipe, an exception at end of input, spinning into the time limit, a kill).
 * 5. The program's own failure (OLE, TLE, MLE, RTE), except a broken pipe (SIGPIPE, EPIPE): the
 *    validator had exited, and a write after the decision is not a crash (DOMjudge runs both sides
 *    with SIGPIPE ignored, problemtools keeps the pipe open after an AC).
 * 6. The validator's verdict: AC, or WA when the program ended first and cleanly.
 */
export function judgeInteractive(
  program: RunResult,
  interactor: RunResult,
  firstExited: 'program' | 'interactor',
  limits: RunLimits,
  diagnostics: string,
  lang: Pick<Language, 'memoryErrorPatterns'>,
): { verdict: Verdict; reason: string } {
  const own = judgeRun(program, limits, diagnostics, lang);
  const v = validatorVerdict(interactor);
  // A broken pipe in the program means its reader, the validator, was gone: causally first.
  const brokenPipe = program.limitHit === null && (program.signal === SIGPIPE || (program.exitCode !== 0 && BROKEN_PIPE.test(diagnostics)));
  const programFirst = firstExited === 'program' && !brokenPipe;
  if (interactor.signal === SIGPIPE && interactor.limitHit === null) {
    if (own.verdict) return { verdict: own.verdict, reason: own.reason };
    return { verdict: 'WA', reason: 'the program ended before reading what the output validator wrote to it' };
  }
  const decided = interactor.limitHit === null && interactor.signal === null;
  if (!decided && programFirst && program.limitHit !== null && own.verdict) {
    return { verdict: own.verdict, reason: `${own.reason}; the output validator was stopped with it` };
  }
  if (v.verdict === 'JE') return { verdict: 'JE', reason: v.reason };
  if (v.verdict === 'WA' && !programFirst) {
    return { verdict: 'WA', reason: `the output validator rejected the interaction${own.verdict ? ` (then the program: ${own.reason})` : ''}` };
  }
  if (own.verdict && !brokenPipe) return { verdict: own.verdict, reason: own.reason };
  if (v.verdict === 'WA') return { verdict: 'WA', reason: 'the output validator rejected the interaction' };
  return { verdict: 'AC', reason: '' };
}
