import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProblemPackage } from './index.ts';
import { minimal2025, minimalLegacy, tempDir, writePackage } from '../../test-utils/problem-packages.ts';
import type { PackageLoad } from './package.ts';

let root: string;
beforeEach(() => {
  root = tempDir();
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function load(files: Record<string, string>, name = 'prob'): PackageLoad {
  return loadProblemPackage(writePackage(root, name, files), { label: 'A', ordinal: 0, baseDir: root });
}
const scoring2025 = 'problem_format_version: 2025-09\nname: S\ntype: scoring\n';
/** Three subtasks: g1 (pass-fail 20, needs sample), g2 (min 30), g3 (sum 50, needs g1). */
function subtasks(extra: Record<string, string | null> = {}): Record<string, string> {
  return minimal2025({
    'problem.yaml': scoring2025,
    'data/secret/1.in': null,
    'data/secret/1.ans': null,
    'data/secret/g1/test_group.yaml': 'max_score: 20\nrequire_pass: sample\n',
    'data/secret/g1/a.in': '1 1\n',
    'data/secret/g1/a.ans': '2\n',
    'data/secret/g2/test_group.yaml': 'max_score: 30\nscore_aggregation: min\n',
    'data/secret/g2/a.in': '1 2\n',
    'data/secret/g2/a.ans': '3\n',
    'data/secret/g3/test_group.yaml': 'max_score: 50\nscore_aggregation: sum\nrequire_pass: [secret/g1]\n',
    'data/secret/g3/a.in': '2 2\n',
    'data/secret/g3/a.ans': '4\n',
    'data/secret/g3/more/b.in': '3 3\n',
    'data/secret/g3/more/b.ans': '6\n',
    ...extra,
  });
}
function firstError(r: PackageLoad) {
  expect(r.problem).toBeUndefined();
  return r.errors[0]!;
}

describe('2025-09 scoring rules', () => {
  it('reads groups with their max_score, aggregation and require_pass (cases of subdirectories belong to the group)', () => {
    const r = load(subtasks());
    expect(r.errors).toEqual([]);
    expect(r.problem!.scoring).toEqual({
      format: '2025-09',
      sample: ['sample/1'],
      secret: { name: 'secret', maxScore: 100, aggregation: 'sum', requirePass: [], cases: ['secret/g1/a', 'secret/g2/a', 'secret/g3/a', 'secret/g3/more/b'] },
      groups: [
        { name: 'secret/g1', maxScore: 20, aggregation: 'pass-fail', requirePass: ['sample'], cases: ['secret/g1/a'] },
        { name: 'secret/g2', maxScore: 30, aggregation: 'min', requirePass: [], cases: ['secret/g2/a'] },
        { name: 'secret/g3', maxScore: 50, aggregation: 'sum', requirePass: ['secret/g1'], cases: ['secret/g3/a', 'secret/g3/more/b'] },
      ],
    });
  });

  // Each row breaks one rule of the spec; the error names the file and field.
  const bad: [string, Record<string, string | null>, RegExp, string | undefined][] = [
    ['a group without max_score under a bounded secret', { 'data/secret/g2/test_group.yaml': 'score_aggregation: min\n' }, /has no max_score \(unbounded\) but secret's is 100/, 'max_score'],
    ['groups adding up to more than secret', { 'data/secret/g3/test_group.yaml': 'max_score: 60\nscore_aggregation: sum\n' }, /add up to 110, above secret's max_score 100/, 'max_score'],
    ['require_pass of a later group', { 'data/secret/g1/test_group.yaml': 'max_score: 20\nrequire_pass: secret/g3\n' }, /neither sample nor a test data group coming before/, 'require_pass'],
    ['require_pass of a group that is not pass-fail', { 'data/secret/g3/test_group.yaml': 'max_score: 50\nscore_aggregation: sum\nrequire_pass: secret/g2\n' }, /whose aggregation is min/, 'require_pass'],
    ['an unknown aggregation', { 'data/secret/g2/test_group.yaml': 'max_score: 30\nscore_aggregation: avg\n' }, /pass-fail, sum or min, got "avg"/, 'score_aggregation'],
    ['a fractional max_score', { 'data/secret/g2/test_group.yaml': 'max_score: 2.5\n' }, /non-negative integer or unbounded/, 'max_score'],
    ['max_score in sample', { 'data/sample/test_group.yaml': 'max_score: 5\n' }, /not permitted in data\/sample/, 'max_score'],
    ['cases beside groups in secret', { 'data/secret/x.in': '1 1\n', 'data/secret/x.ans': '2\n' }, /holds test data groups and test cases directly/, undefined],
    ['a subdirectory of secret that is not a group', { 'data/secret/g4/a.in': '1 1\n', 'data/secret/g4/a.ans': '2\n' }, /every subdirectory of data\/secret must be a test data group/, undefined],
    ['nested groups', { 'data/secret/g3/more/test_group.yaml': 'max_score: 1\n' }, /groups do not nest/, undefined],
    ['secret requiring a group', { 'data/secret/test_group.yaml': 'require_pass: secret/g1\n' }, /secret may only require sample/, 'require_pass'],
  ];
  for (const [title, extra, msg, field] of bad) {
    it(`refuses ${title}`, () => {
      const e = firstError(load(subtasks(extra)));
      expect(e.message).toMatch(msg);
      expect(e.field).toBe(field);
      // The line is known when the field is written in the file (secret's default max_score is not).
      if (field && !/add up to/.test(e.message)) expect(e.line).toBeGreaterThan(0);
    });
  }

  it('unbounded secret allows unbounded groups; a pass-fail problem must not give scoring keys', () => {
    const r = load(subtasks({ 'data/secret/test_group.yaml': 'max_score: unbounded\n', 'data/secret/g2/test_group.yaml': 'score_aggregation: min\n' }));
    expect(r.errors).toEqual([]);
    expect(r.problem!.scoring).toMatchObject({ secret: { maxScore: null }, groups: [{ maxScore: 20 }, { maxScore: null }, { maxScore: 50 }] });
    const pf = firstError(load(minimal2025({ 'data/secret/test_group.yaml': 'max_score: 10\n' })));
    expect(pf).toMatchObject({ field: 'max_score', message: 'pass-fail problems must not specify max_score' });
  });
});

describe('legacy scoring rules', () => {
  const legacy = (extra: Record<string, string | null> = {}) =>
    minimalLegacy({
      'problem.yaml': 'name: L\ntype: scoring\n',
      'data/testdata.yaml': 'on_reject: continue\ngrader_flags: ignore_sample\n',
      // ignore_sample is inherited like every key: the groups below data/ must set their own flags.
      'data/sample/testdata.yaml': "grader_flags: ''\n",
      'data/secret/testdata.yaml': 'range: 0 100\ngrader_flags: always_accept\n',
      'data/secret/1.in': null,
      'data/secret/1.ans': null,
      'data/secret/g1/testdata.yaml': 'accept_score: 40\ngrader_flags: min\non_reject: break\n',
      'data/secret/g1/a.in': '1 1\n',
      'data/secret/g1/a.ans': '2\n',
      'data/secret/g2/testdata.yaml': 'accept_score: 60\ngrader_flags: min\n',
      'data/secret/g2/a.in': '1 2\n',
      'data/secret/g2/a.ans': '3\n',
      ...extra,
    });

  it('builds the group tree with keys inherited from the nearest ancestor that has them (problemtools)', () => {
    const r = load(legacy());
    expect(r.errors).toEqual([]);
    const s = r.problem!.scoring!;
    expect(s.format).toBe('legacy');
    if (s.format !== 'legacy') return;
    expect(s.root.graderFlags).toEqual(['ignore_sample']);
    const [sample, secret] = s.root.items.map((i) => (i.kind === 'group' ? i.group : null));
    expect(sample).toMatchObject({ name: 'sample', onReject: 'continue', acceptScore: 1, range: [-Infinity, Infinity] });
    expect(secret).toMatchObject({ name: 'secret', onReject: 'continue', range: [0, 100], graderFlags: ['always_accept'] });
    const [g1, g2] = secret!.items.map((i) => (i.kind === 'group' ? i.group : null));
    expect(g1).toMatchObject({ name: 'secret/g1', onReject: 'break', acceptScore: 40, range: [0, 100], items: [{ kind: 'case', name: 'secret/g1/a' }] });
    expect(g2).toMatchObject({ name: 'secret/g2', onReject: 'continue', acceptScore: 60 });
  });

  const bad: [string, Record<string, string | null>, RegExp, string][] = [
    ['a range with min above max', { 'data/secret/testdata.yaml': 'range: 10 0\n' }, /range must be two numbers/, 'range'],
    ['accept_score as text', { 'data/secret/g1/testdata.yaml': 'accept_score: lots\n' }, /accept_score must be a number/, 'accept_score'],
    ['ignore_sample below the root', { 'data/secret/testdata.yaml': 'grader_flags: ignore_sample\n' }, /only allowed in data\/testdata.yaml/, 'grader_flags'],
    ['ignore_sample inherited by data/sample', { 'data/sample/testdata.yaml': null }, /group sample has it \(inherited/, 'grader_flags'],
    ['ignore_sample with on_reject: break', { 'data/testdata.yaml': 'grader_flags: ignore_sample\n' }, /ignore_sample with on_reject: break/, 'grader_flags'],
    ['objective min', { 'problem.yaml': 'name: L\ntype: scoring\ngrading:\n  objective: min\n' }, /grading.objective "min" is not supported by judged/, 'grading.objective'],
  ];
  for (const [title, extra, msg, field] of bad) {
    it(`refuses ${title}`, () => {
      const e = firstError(load(legacy(extra)));
      expect(e.message).toMatch(msg);
      expect(e.field).toBe(field);
      expect(e.line).toBeGreaterThan(0);
    });
  }

  it('inherits each key on its own through nested groups, and names a bad inherited value once, in the file that wrote it', () => {
    const r = load(
      legacy({
        'data/secret/g1/testdata.yaml': 'accept_score: 40\n',
        'data/secret/g1/deep/testdata.yaml': 'grader_flags: max\n',
        'data/secret/g1/deep/b.in': '1 1\n',
        'data/secret/g1/deep/b.ans': '2\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const s = r.problem!.scoring!;
    if (s.format !== 'legacy') throw new Error('legacy expected');
    const secret = s.root.items[1]!.kind === 'group' ? (s.root.items[1] as { group: (typeof s)['root'] }).group : null;
    const g1 = secret!.items.find((i) => i.kind === 'group' && i.group.name === 'secret/g1') as { group: (typeof s)['root'] };
    // g1: grader_flags from secret, on_reject from data/, its own accept_score, secret's range.
    expect(g1.group).toMatchObject({ graderFlags: ['always_accept'], onReject: 'continue', acceptScore: 40, range: [0, 100] });
    const deep = g1.group.items.find((i) => i.kind === 'group')! as { group: (typeof s)['root'] };
    expect(deep.group).toMatchObject({ name: 'secret/g1/deep', graderFlags: ['max'], onReject: 'continue', acceptScore: 40, range: [0, 100] });

    const bad = load(legacy({ 'data/secret/testdata.yaml': 'range: ten\ngrader_flags: always_accept\n' }), 'bad');
    expect(bad.errors.filter((e) => /range must be/.test(e.message)).map((e) => e.file)).toEqual([path.join('bad', 'data', 'secret', 'testdata.yaml')]);
  });

  it('problem.yaml grading overrides every group; validation: custom score asks the validator for scores', () => {
    const r = load(legacy({ 'problem.yaml': 'name: L\nvalidation: custom score\ngrading:\n  on_reject: grade\n  accept_score: 2\n', 'output_validators/v/v.py': 'exit(42)\n' }));
    expect(r.errors).toEqual([]);
    const s = r.problem!.scoring!;
    if (s.format !== 'legacy') throw new Error('legacy expected');
    expect(s.validatorScores).toBe(true);
    const secret = s.root.items[1]!;
    expect(secret.kind === 'group' && secret.group.items.map((i) => (i.kind === 'group' ? [i.group.onReject, i.group.acceptScore] : null))).toEqual([
      ['continue', 2],
      ['continue', 2],
    ]);
  });

  it('scoring keys in a pass-fail legacy package are only warned about', () => {
    const r = load(minimalLegacy({ 'data/secret/testdata.yaml': 'accept_score: 3\n' }));
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/accept_score is only for scoring problems; ignored/);
    expect(r.problem!.scoring).toBeUndefined();
    expect(path.isAbsolute(r.problem!.dir)).toBe(true);
  });
});
