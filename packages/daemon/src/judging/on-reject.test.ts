/** on_reject: where judging stops after a rejection, and which rejection decides the verdict. */
import { describe, expect, it } from 'vitest';
import type { ProblemPackage } from '../problems/types.ts';
import { decidingRejection, lastTestAfterRejection } from './on-reject.ts';

const problem = (continueGroups: string[]): ProblemPackage => {
  const cases = ['sample/1', 'secret/a/1', 'secret/a/2', 'secret/a/3', 'secret/b/1', 'secret/b/2'];
  const groups = ['sample', 'secret', 'secret/a', 'secret/b'];
  return {
    groups: groups.map((name) => ({ name, onReject: continueGroups.includes(name) ? 'continue' : 'break' })),
    testCases: cases.map((name) => ({ name, group: name.slice(0, name.lastIndexOf('/')) })),
  } as unknown as ProblemPackage;
};

describe('on_reject', () => {
  it('break: stops at the rejected case; continue: runs the rest of that group, then stops', () => {
    expect(lastTestAfterRejection(problem([]), 1)).toBe(1);
    expect(lastTestAfterRejection(problem(['secret/a']), 1)).toBe(3);
    expect(lastTestAfterRejection(problem(['secret/a']), 4)).toBe(4);
    expect(lastTestAfterRejection(problem(['secret']), 2)).toBe(5);
  });

  it('the first rejection decides with break; the worst in the group (JE, RTE, MLE, TLE, OLE, WA) with continue', () => {
    const runs = [
      { index: 1, verdict: 'AC' as const },
      { index: 2, verdict: 'WA' as const },
      { index: 3, verdict: 'TLE' as const },
      { index: 4, verdict: 'WA' as const },
      { index: 5, verdict: 'RTE' as const },
    ];
    expect(decidingRejection(problem([]), runs)).toBe(1);
    // RTE in secret/b is outside the continuing group secret/a: it would not have run.
    expect(decidingRejection(problem(['secret/a']), runs)).toBe(2);
    expect(decidingRejection(problem(['secret']), runs)).toBe(4);
    expect(decidingRejection(problem(['secret']), runs.map((r) => ({ ...r, verdict: 'AC' as const })))).toBe(-1);
  });
});
