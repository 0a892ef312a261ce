/**
 * Problem limits: problem.yaml `limits` (legacy and 2025-09 keys), a DOMjudge `.timelimit` file or
 * `domjudge-problem.ini`, and the time-limit derivation from example submissions' run times.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import type { ProblemYaml } from './schemas.ts';
import type { PackageFormat, ProblemLimits } from './types.ts';

export interface LimitDefaults {
  timeLimitMs: number;
  memoryMiB: number;
  outputMiB: number;
}

export function resolveLimits(
  dir: string,
  format: PackageFormat,
  yaml: ProblemYaml,
  defaults: LimitDefaults,
  diag: Diagnostics,
  lineOf: (p: PropertyKey[]) => number | undefined,
): ProblemLimits {
  const l = yaml.limits ?? {};
  if (format === 'legacy' && l.time_multipliers) {
    diag.warn(path.join(dir, 'problem.yaml'), 'limits.time_multipliers is a 2025-09 key; legacy packages use time_multiplier and time_safety_margin');
  }
  if (format === '2025-09' && (l.time_multiplier !== undefined || l.time_safety_margin !== undefined)) {
    diag.warn(path.join(dir, 'problem.yaml'), 'limits.time_multiplier/time_safety_margin are legacy keys; 2025-09 uses time_multipliers.ac_to_time_limit/time_limit_to_tle');
  }
  // Legacy defaults (5 and 2) differ from 2025-09's (2.0 and 1.5); each is read in its own format
  // but accepted in the other so that half-migrated packages still mean what their author wrote.
  const timeMultipliers =
    format === 'legacy'
      ? {
          acToTimeLimit: l.time_multiplier ?? l.time_multipliers?.ac_to_time_limit ?? 5,
          timeLimitToTle: l.time_safety_margin ?? l.time_multipliers?.time_limit_to_tle ?? 2,
        }
      : {
          acToTimeLimit: l.time_multipliers?.ac_to_time_limit ?? l.time_multiplier ?? 2,
          timeLimitToTle: l.time_multipliers?.time_limit_to_tle ?? l.time_safety_margin ?? 1.5,
        };

  let timeLimitMs = defaults.timeLimitMs;
  let timeLimitSource: ProblemLimits['timeLimitSource'] = 'default';
  if (l.time_limit !== undefined) {
    timeLimitMs = Math.round(l.time_limit * 1000);
    timeLimitSource = 'problem.yaml';
  } else {
    const fromFile = readDomjudgeTimeLimit(dir, diag);
    if (fromFile) {
      timeLimitMs = fromFile.ms;
      timeLimitSource = fromFile.source;
    }
  }
  if (timeLimitMs < 1) {
    diag.error(path.join(dir, 'problem.yaml'), 'time limit rounds to 0 ms', 'give limits.time_limit in seconds, e.g. 1 or 0.5', {
      field: 'limits.time_limit',
      line: lineOf(['limits', 'time_limit']),
    });
  }
  return {
    timeLimitMs,
    timeLimitSource,
    timeMultipliers,
    timeResolutionMs: Math.round((l.time_resolution ?? 1) * 1000),
    memoryMiB: l.memory ?? defaults.memoryMiB,
    outputMiB: l.output ?? defaults.outputMiB,
    codeKiB: l.code ?? 128,
    compilationTimeS: l.compilation_time ?? 60,
    compilationMemoryMiB: l.compilation_memory ?? 2048,
    validationTimeS: l.validation_time ?? 60,
    validationMemoryMiB: l.validation_memory ?? 2048,
    validationOutputMiB: l.validation_output ?? 8,
    diskMiB: l.disk ?? defaultDiskMiB(l.memory ?? defaults.memoryMiB),
    validationPasses: l.validation_passes ?? 2,
  };
}

/** Half the memory limit (so filling /box ends in ENOSPC before the OOM killer), 16..256 MiB. */
export function defaultDiskMiB(memoryMiB: number): number {
  return Math.min(256, Math.max(16, Math.floor(memoryMiB / 2)));
}

function readDomjudgeTimeLimit(dir: string, diag: Diagnostics): { ms: number; source: '.timelimit' | 'domjudge-problem.ini' } | undefined {
  const tl = path.join(dir, '.timelimit');
  if (fs.existsSync(tl)) {
    const text = fs.readFileSync(tl, 'utf8').trim();
    const s = Number(text);
    if (!Number.isFinite(s) || s <= 0 || text === '') {
      diag.error(tl, `expected a positive number of seconds, got ${JSON.stringify(text)}`, 'write the time limit in seconds, e.g. "2" or "1.5", or delete the file', { line: 1 });
      return undefined;
    }
    return { ms: Math.round(s * 1000), source: '.timelimit' };
  }
  const ini = path.join(dir, 'domjudge-problem.ini');
  if (fs.existsSync(ini)) {
    const lines = fs.readFileSync(ini, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*timelimit\s*=\s*['"]?([^'"\s]*)['"]?\s*$/.exec(lines[i]!);
      if (!m) continue;
      const s = Number(m[1]);
      if (!Number.isFinite(s) || s <= 0) {
        diag.error(ini, `timelimit must be a positive number of seconds, got ${JSON.stringify(m[1])}`, 'write e.g. timelimit = 2', { line: i + 1, field: 'timelimit' });
        return undefined;
      }
      return { ms: Math.round(s * 1000), source: 'domjudge-problem.ini' };
    }
  }
  return undefined;
}

export interface DerivedTimeLimit {
  timeLimitMs: number;
  /** False when the submissions contradict the margins (message says how). */
  ok: boolean;
  message: string;
}

/**
 * The time limit implied by example submissions, as problemtools / the 2025-09 spec define it:
 * the smallest multiple of the resolution with slowestAc x acToTimeLimit <= limit, and then
 * limit x timeLimitToTle <= fastestTle must hold. With an explicit limit only the checks apply.
 * @param slowestAcceptedMs slowest CPU time of any accepted submission on any test case
 * @param fastestTleMs fastest time of the time_limit_exceeded submissions (their slowest test case),
 *   or undefined when there are none (treated as infinity)
 */
export function deriveTimeLimitMs(limits: ProblemLimits, slowestAcceptedMs: number, fastestTleMs?: number): DerivedTimeLimit {
  const { acToTimeLimit, timeLimitToTle } = limits.timeMultipliers;
  const lower = slowestAcceptedMs * acToTimeLimit;
  let timeLimitMs: number;
  if (limits.timeLimitSource !== 'default') {
    timeLimitMs = limits.timeLimitMs;
    if (lower > timeLimitMs) {
      return {
        timeLimitMs,
        ok: false,
        message: `slowest accepted run ${slowestAcceptedMs} ms x ${acToTimeLimit} = ${Math.round(lower)} ms exceeds the time limit ${timeLimitMs} ms`,
      };
    }
  } else {
    const res = Math.max(1, limits.timeResolutionMs);
    timeLimitMs = Math.max(res, Math.ceil(lower / res - 1e-9) * res);
  }
  if (fastestTleMs !== undefined && timeLimitMs * timeLimitToTle > fastestTleMs) {
    return {
      timeLimitMs,
      ok: false,
      message: `time limit ${timeLimitMs} ms x ${timeLimitToTle} = ${Math.round(timeLimitMs * timeLimitToTle)} ms is above the fastest time_limit_exceeded run (${fastestTleMs} ms)`,
    };
  }
  return { timeLimitMs, ok: true, message: `time limit ${timeLimitMs} ms (slowest accepted ${slowestAcceptedMs} ms x ${acToTimeLimit})` };
}
