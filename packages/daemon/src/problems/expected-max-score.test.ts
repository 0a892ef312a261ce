/** The score an unbounded scoring problem is expected to be worth (the Contest API's max_score). */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProblemPackage } from './index.ts';
import { minimal2025, minimalLegacy, tempDir, writePackage } from '../../test-utils/problem-packages.ts';

let root: string;
let n = 0;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const load = (files: Record<string, string>) => loadProblemPackage(writePackage(root, `p${n++}`, files), { label: 'A', ordinal: 0, baseDir: root });
const validator = { 'output_validator/v.py': 'import sys\nopen(sys.argv[3] + "score.txt", "w").write("7")\nsys.exit(42)\n' };
/** 2025-09, secret unbounded with a bounded group g1 (30) and an unbounded g2. */
const unbounded2025 = (extra: Record<string, string | null> = {}) =>
  minimal2025({
    'problem.yaml': 'problem_format_version: 2025-09\nname: U\nuuid: 00000000-0000-0000-0000-000000000000\ntype: scoring\n',
    'data/secret/1.in': null,
    'data/secret/1.ans': null,
    'data/secret/test_group.yaml': 'max_score: unbounded\n',
    'data/secret/g1/test_group.yaml': 'max_score: 30\n',
    'data/secret/g1/a.in': '1 1\n',
    'data/secret/g1/a.ans': '2\n',
    'data/secret/g2/test_group.yaml': 'max_score: unbounded\nscore_aggregation: sum\n',
    'data/secret/g2/a.in': '1 2\n',
    'data/secret/g2/a.ans': '3\n',
    ...validator,
    ...extra,
  });

describe('expected max score', () => {
  it('bounded: full marks, nothing extra on the problem', () => {
    const r = load(minimal2025({ 'problem.yaml': 'problem_format_version: 2025-09\nname: B\nuuid: 00000000-0000-0000-0000-000000000000\ntype: scoring\n' }));
    expect(r.errors).toEqual([]);
    expect(r.problem!.expectedMaxScore).toBeUndefined();
  });

  it('unbounded: the highest score submissions.yaml expects (a range counts its top), no warning', () => {
    const r = load(unbounded2025({ 'submissions/submissions.yaml': 'accepted/sum.py:\n  score: [80, 95]\naccepted/other.py:\n  score: 90\n', 'submissions/accepted/other.py': 'print(0)\n' }));
    expect(r.errors).toEqual([]);
    expect(r.problem!.expectedMaxScore).toBe(95);
    expect(r.warnings.join('\n')).not.toMatch(/unbounded/);
  });

  it('unbounded without expectations: the bounded subtasks\' sum, with a warning naming the problem', () => {
    const r = load(unbounded2025());
    expect(r.errors).toEqual([]);
    expect(r.problem!.expectedMaxScore).toBe(30);
    expect(r.warnings.join('\n')).toMatch(/problem p\d+ is unbounded and no submission in submissions.yaml expects a score: the Contest API gives max_score 30/);
  });

  it('legacy unbounded without custom score: what a submission accepted everywhere scores (accept_score through the grader)', () => {
    // data/ sums sample (1 case x 1) and secret (2 cases x accept_score 5): 11; no range anywhere.
    const r = load(minimalLegacy({ 'problem.yaml': 'name: L\ntype: scoring\n', 'data/secret/testdata.yaml': 'accept_score: 5\n', 'data/secret/2.in': '1 1\n', 'data/secret/2.ans': '2\n' }));
    expect(r.errors).toEqual([]);
    expect(r.problem!.expectedMaxScore).toBe(11);
  });
});
