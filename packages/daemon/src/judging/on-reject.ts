/**
 * Which test cases judging still needs and which verdict a pass-fail submission gets, under the legacy
 * (problemtools) group rules: every directory of data/ is a group; `on_reject: break` (the default)
 * stops a group at its first child that is not accepted, `continue` judges the rest of it; each group's
 * verdict is the default grader's on its children's (worst_error unless grader_flags say first_error,
 * always_accept or accept_if_any_accepted). The walk and the grader are @judged/shared/problem-score's
 * (the same ones legacy scores use); this module only maps them onto the engine's test indices.
 */
import { legacyCasesNeeded, passFailVerdict, type LegacyGroupRules } from '@judged/shared/problem-score';
import type { Verdict } from '@judged/shared/verdict';
import type { ProblemPackage } from '../problems/types.ts';

export interface JudgedCase {
  name: string;
  verdict: Verdict;
}

/**
 * Which test cases are still needed, given the results so far. The set only shrinks as results come
 * in (legacyCasesNeeded), so the engine may start tests in order and skip those no longer needed.
 * Only a rejection can change it: the set is recomputed on the next question after one.
 */
export function neededCases(tree: LegacyGroupRules): { needed(name: string): boolean; judged(r: JudgedCase): void } {
  const known = new Map<string, Verdict>();
  let cached: Set<string> | undefined;
  return {
    needed(name) {
      cached ??= legacyCasesNeeded(tree, (n) => known.get(n));
      return cached.has(name);
    },
    judged(r) {
      known.set(r.name, r.verdict);
      if (r.verdict !== 'AC') cached = undefined;
    },
  };
}

/** The pass-fail verdict and the test deciding it (its name; null when AC), from the judged cases. */
export function gradePassFail(tree: LegacyGroupRules, results: readonly JudgedCase[]): { verdict: Verdict; decidingCase: string | null; notJudged: string[] } {
  const byName = new Map(results.map((r) => [r.name, r.verdict]));
  return passFailVerdict(tree, (n) => byName.get(n));
}

/** The tree of a pass-fail problem (the loader always builds one; a problem without it cannot be judged). */
export function passFailTree(problem: ProblemPackage): LegacyGroupRules {
  if (!problem.passFail) throw new Error(`${problem.shortName}: pass-fail problem without a group tree (not loaded by the package loader)`);
  return problem.passFail;
}
