/**
 * Multi-pass problems (problem type `multi-pass`, 2025-09): one test case runs the submission
 * several times in a row. After a pass the output validator either decides (any verdict), or exits
 * 42 having written `nextpass.in` into the feedback directory, which becomes the next pass's input.
 * The rules, from the package format's "Multi-pass validation":
 * - no nextpass.in after an accepting pass: judging of the case ends, AC;
 * - nextpass.in with any exit other than 42: judge error;
 * - nextpass.in on the last allowed pass (limits.validation_passes): judge error;
 * - every other file in the feedback directory persists between passes; nextpass.in is taken away
 *   before the next pass starts;
 * - time and memory limits apply to each pass on its own.
 * Interactive multi-pass is the same loop with an interactor run per pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Verdict } from '@judged/shared/verdict';
import type { RunResult } from '../sandbox/types.ts';

export const NEXTPASS = 'nextpass.in';

/** What one pass of the submission (and its validator) came to. */
export interface PassOutcome {
  verdict: Verdict;
  reason: string;
  /** The submission's run of this pass (its times and memory). */
  run: RunResult;
  /** How many times the pass ran (2 when a near-limit run was repeated). */
  runs: number;
  /** How the validator ended: 'not-run' when the submission failed before validation. */
  validator: 'accepted' | 'rejected' | 'failed' | 'not-run';
}

export interface MultiPassResult {
  verdict: Verdict;
  reason: string;
  /** The pass that decided (1-based), and how many ran. */
  passes: number;
  /** The largest CPU time, wall time and memory of any pass (limits apply per pass). */
  run: RunResult;
  runs: number;
}

export type PassDecision = { next: true } | { next: false; verdict: Verdict; reason: string };

/** What follows a pass: another pass, or the case's verdict. Pure, so every rule has a test. */
export function decideAfterPass(o: Pick<PassOutcome, 'verdict' | 'reason' | 'validator'>, hasNextPass: boolean, pass: number, maxPasses: number): PassDecision {
  if (hasNextPass && (o.validator === 'rejected' || o.validator === 'failed')) {
    return { next: false, verdict: 'JE', reason: `pass ${pass}: the output validator wrote ${NEXTPASS} but did not exit 42 (${o.verdict}${o.reason ? `: ${o.reason}` : ''})` };
  }
  if (o.verdict !== 'AC') return { next: false, verdict: o.verdict, reason: passReason(pass, maxPasses, o.reason) };
  if (!hasNextPass) return { next: false, verdict: 'AC', reason: '' };
  if (pass >= maxPasses) {
    return { next: false, verdict: 'JE', reason: `pass ${pass}: the output validator asked for another pass, but limits.validation_passes is ${maxPasses}` };
  }
  return { next: true };
}

function passReason(pass: number, maxPasses: number, reason: string): string {
  return maxPasses > 1 ? `pass ${pass}${reason ? `: ${reason}` : ''}` : reason;
}

/**
 * Runs the passes of one test case. `runPass(pass, inputPath)` runs the submission (and validator)
 * once with `inputPath` as its input, the feedback directory `feedbackDir` kept as the previous
 * pass left it. `passInput(pass)` names the host file the next pass's input is moved to.
 */
export async function judgeMultiPass(opts: {
  firstInput: string;
  feedbackDir: string;
  maxPasses: number;
  passInput: (pass: number) => string;
  runPass: (pass: number, inputPath: string) => Promise<PassOutcome>;
}): Promise<MultiPassResult> {
  let input = opts.firstInput;
  let worst: RunResult | undefined;
  let runs = 0;
  for (let pass = 1; ; pass++) {
    // A nextpass.in the validator left behind from an earlier pass must not count for this one.
    fs.rmSync(path.join(opts.feedbackDir, NEXTPASS), { force: true });
    const o = await opts.runPass(pass, input);
    runs += o.runs;
    worst = worst ? maxRun(worst, o.run) : o.run;
    const next = path.join(opts.feedbackDir, NEXTPASS);
    const has = fs.existsSync(next);
    const d = decideAfterPass(o, has, pass, opts.maxPasses);
    if (!d.next) return { verdict: d.verdict, reason: d.reason, passes: pass, run: worst, runs };
    input = opts.passInput(pass + 1);
    fs.renameSync(next, input);
    fs.chmodSync(input, 0o644);
  }
}

function maxRun(a: RunResult, b: RunResult): RunResult {
  return {
    ...b,
    cpuTimeMs: Math.max(a.cpuTimeMs, b.cpuTimeMs),
    wallTimeMs: Math.max(a.wallTimeMs, b.wallTimeMs),
    memoryKiB: Math.max(a.memoryKiB, b.memoryKiB),
    outputBytes: Math.max(a.outputBytes, b.outputBytes),
  };
}
