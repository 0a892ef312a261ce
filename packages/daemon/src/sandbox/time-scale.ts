/**
 * The judge host's speed factor (`--time-scale F`): this host runs programs F times slower than the
 * machine the problems' limits were set for (an emulated CPU, an old judge box), so every CPU and
 * wall limit a run gets is multiplied by F and every time it reports is divided by F. Everything
 * above the sandbox (compile and validation limits, a problem's time limit, verify's limit
 * derivation, the verdict rules) then reads and writes reference-machine milliseconds and needs no
 * factor of its own: the sandbox driver is the one place that converts. Memory, output and process
 * limits do not depend on speed and are left alone. DOMjudge has the same idea as a per-judgehost
 * or per-language time factor.
 */
import type { RunRequest, RunResult } from './types.ts';

/** Below 0.1 or above 100 is a typo rather than a machine (TCG emulation is ~10). */
export const TIME_SCALE_RANGE = { min: 0.1, max: 100 } as const;

/** The factor from a command-line value; throws naming the option and the allowed range. */
export function parseTimeScale(value: string | undefined, option = '--time-scale'): number {
  if (value === undefined) return 1;
  const f = Number(value);
  if (!Number.isFinite(f) || f < TIME_SCALE_RANGE.min || f > TIME_SCALE_RANGE.max)
    throw new RangeError(`${option} must be a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max} (how many times slower this host runs programs than the reference machine), got '${value}'`);
  return f;
}

/** The request as the supervisor gets it: CPU and wall limits in this host's milliseconds. */
export function scaleRequest(req: RunRequest, f: number): RunRequest {
  if (f === 1) return req;
  return { ...req, limits: { ...req.limits, cpuTimeMs: Math.ceil(req.limits.cpuTimeMs * f), wallTimeMs: Math.ceil(req.limits.wallTimeMs * f) } };
}

/** The result as the caller reads it: times in reference-machine milliseconds. */
export function unscaleResult<T extends RunResult>(r: T, f: number): T {
  if (f === 1) return r;
  return { ...r, cpuTimeMs: r.cpuTimeMs / f, wallTimeMs: r.wallTimeMs / f };
}
