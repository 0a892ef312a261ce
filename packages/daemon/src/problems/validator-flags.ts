/**
 * The default output validator's flags (case_sensitive, space_change_sensitive, float_tolerance ε,
 * float_absolute_tolerance ε, float_relative_tolerance ε), parsed once at load time so a typo in a
 * package is an organizer-facing load error rather than a judge error during the contest.
 */
import type { CompareFlags } from './types.ts';

export const DEFAULT_COMPARE: CompareFlags = { caseSensitive: false, spaceChangeSensitive: false };

export function parseCompareFlags(args: readonly string[]): { flags: CompareFlags } | { error: string } {
  const flags: CompareFlags = { ...DEFAULT_COMPARE };
  let sawTolerance = false;
  let sawShorthand = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    switch (arg) {
      case 'case_sensitive':
        flags.caseSensitive = true;
        break;
      case 'space_change_sensitive':
        flags.spaceChangeSensitive = true;
        break;
      case 'float_tolerance':
      case 'float_absolute_tolerance':
      case 'float_relative_tolerance': {
        const value = args[i + 1];
        const eps = value === undefined ? NaN : Number(value);
        if (value === undefined || value.trim() === '' || !Number.isFinite(eps) || eps < 0) {
          return { error: `${arg} needs a non-negative number after it, got ${value === undefined ? 'nothing' : JSON.stringify(value)}` };
        }
        i++;
        const isShorthand = arg === 'float_tolerance';
        if ((isShorthand && sawTolerance) || (!isShorthand && sawShorthand)) {
          return { error: 'float_tolerance cannot be combined with float_absolute_tolerance/float_relative_tolerance' };
        }
        if (
          (arg === 'float_absolute_tolerance' && flags.floatAbsoluteTolerance !== undefined) ||
          (arg === 'float_relative_tolerance' && flags.floatRelativeTolerance !== undefined) ||
          (isShorthand && sawShorthand)
        ) {
          return { error: `${arg} given more than once` };
        }
        sawTolerance = true;
        if (isShorthand) sawShorthand = true;
        if (arg !== 'float_relative_tolerance') flags.floatAbsoluteTolerance = eps;
        if (arg !== 'float_absolute_tolerance') flags.floatRelativeTolerance = eps;
        break;
      }
      default:
        return {
          error: `unknown flag ${JSON.stringify(arg)} for the default output validator (known: case_sensitive, space_change_sensitive, float_tolerance ε, float_absolute_tolerance ε, float_relative_tolerance ε)`,
        };
    }
  }
  return { flags };
}

/** Legacy flag strings are whitespace-separated. */
export function splitFlags(s: string | undefined): string[] {
  return s ? s.split(/\s+/).filter(Boolean) : [];
}
