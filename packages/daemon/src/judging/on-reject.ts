/**
 * Legacy testdata.yaml `on_reject` for pass-fail problems. `break` (the default): judging stops at
 * the first rejected test case. `continue`: the rest of the cases and subgroups of that group are
 * still judged, then judging stops; the verdict is then the worst of the group's results in the
 * default grader's order (JE, RTE, MLE, TLE, OLE, WA), the first such case deciding ties.
 */
import type { Verdict } from '@judged/shared/verdict';
import type { ProblemPackage } from '../problems/types.ts';

const WORST_FIRST: Verdict[] = ['JE', 'RTE', 'MLE', 'TLE', 'OLE', 'WA'];

/** The outermost group with `on_reject: continue` holding the case, whose cases all still run. */
function continueGroup(problem: ProblemPackage, testIndex: number): string | undefined {
  const tc = problem.testCases[testIndex]!;
  const groups = problem.groups.filter((g) => g.onReject === 'continue' && (tc.group === g.name || tc.group.startsWith(`${g.name}/`)));
  groups.sort((a, b) => a.name.length - b.name.length);
  return groups[0]?.name;
}

/** The last 0-based test index to run after test `testIndex` was rejected. */
export function lastTestAfterRejection(problem: ProblemPackage, testIndex: number): number {
  const g = continueGroup(problem, testIndex);
  if (!g) return testIndex;
  let last = testIndex;
  problem.testCases.forEach((t, i) => {
    if (i > testIndex && (t.group === g || t.group.startsWith(`${g}/`))) last = i;
  });
  return last;
}

/** The index (in `verdicts`) of the result that decides: the first rejection, or the worst one when its group continues. */
export function decidingRejection(problem: ProblemPackage, verdicts: { index: number; verdict: Verdict }[]): number {
  const first = verdicts.findIndex((v) => v.verdict !== 'AC');
  if (first < 0 || !continueGroup(problem, verdicts[first]!.index - 1)) return first;
  const last = lastTestAfterRejection(problem, verdicts[first]!.index - 1);
  let best = first;
  for (let i = first + 1; i < verdicts.length && verdicts[i]!.index - 1 <= last; i++) {
    const v = verdicts[i]!.verdict;
    if (v !== 'AC' && WORST_FIRST.indexOf(v) < WORST_FIRST.indexOf(verdicts[best]!.verdict)) best = i;
  }
  return best;
}
