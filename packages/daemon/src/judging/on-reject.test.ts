/**
 * Pass-fail verdicts under the legacy group rules, on small hand-built legacy packages loaded by the
 * package loader. Every expected verdict is worked out from problemtools' code
 * (problemtools/judge/submission_judge.py SubmissionJudge._judge_group and _aggregate_group_result,
 * support/default_grader/default_grader, verifyproblem.py TestCaseGroup):
 * - every directory of data/ is a group, its items (cases and subdirectories) in sorted order;
 * - a key a testdata.yaml leaves out is inherited from the parent group; on_reject defaults to break;
 * - a group walks its items in order and, with `on_reject: break`, stops after the first non-AC item;
 * - a group with a JE child is JE; otherwise the default grader gets the children's verdicts:
 *   worst_error (JE, IF, RTE, MLE, TLE, OLE, WA, PE, AC; the default and no_errors), first_error,
 *   always_accept, and accept_if_any_accepted (AC when some child is AC) over any of them;
 *   ignore_sample keeps only the last of data/'s two children.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '@judged/shared/verdict';
import { loadProblemPackage } from '../problems/index.ts';
import type { PackageLoad } from '../problems/package.ts';
import type { ProblemPackage } from '../problems/types.ts';
import { minimalLegacy, tempDir, writePackage } from '../../test-utils/problem-packages.ts';
import { gradePassFail, neededCases, passFailTree, type JudgedCase } from './on-reject.ts';

let root: string;
let n = 0;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function load(files: Record<string, string | null>): PackageLoad {
  return loadProblemPackage(writePackage(root, `p${n++}`, minimalLegacy(files)), { label: 'A', ordinal: 0, baseDir: root });
}

/**
 * data/sample/1; data/secret/a/{1,2,3}; data/secret/b/{1,2}. `configs` maps a group directory
 * ('' is data/ itself) to its testdata.yaml.
 */
function tree(configs: Record<string, string> = {}): ProblemPackage {
  const files: Record<string, string | null> = { 'data/secret/1.in': null, 'data/secret/1.ans': null };
  for (const c of ['secret/a/1', 'secret/a/2', 'secret/a/3', 'secret/b/1', 'secret/b/2']) {
    files[`data/${c}.in`] = `${c}\n`;
    files[`data/${c}.ans`] = `${c}\n`;
  }
  for (const [dir, yaml] of Object.entries(configs)) files[`data/${dir ? `${dir}/` : ''}testdata.yaml`] = yaml;
  const r = load(files);
  if (!r.problem) throw new Error(`does not load: ${JSON.stringify(r.errors)}`);
  return r.problem;
}

/** Results in judging order; a case not listed is AC. */
function results(p: ProblemPackage, rejected: Record<string, Verdict>): JudgedCase[] {
  return p.testCases.map((t) => ({ name: t.name, verdict: rejected[t.name] ?? 'AC' }));
}

/** What the engine does: start tests in order, skip those no longer needed, grade what ran. */
function judge(p: ProblemPackage, rejected: Record<string, Verdict>): { verdict: Verdict; deciding: string | null; ran: string[] } {
  const t = passFailTree(p);
  const all = results(p, rejected);
  const tracker = neededCases(t);
  const ran: JudgedCase[] = [];
  for (const r of all) {
    if (!tracker.needed(r.name)) continue;
    ran.push(r);
    tracker.judged(r);
  }
  const g = gradePassFail(t, ran);
  return { verdict: g.verdict, deciding: g.decidingCase, ran: ran.map((r) => r.name) };
}

const ALL = ['sample/1', 'secret/a/1', 'secret/a/2', 'secret/a/3', 'secret/b/1', 'secret/b/2'];

describe('legacy pass-fail grading (problemtools rules)', () => {
  it('defaults (break everywhere, worst_error): a/1 WA stops a, then secret, then data/ -> WA, nothing after a/1 runs', () => {
    const p = tree();
    expect(judge(p, { 'secret/a/1': 'WA', 'secret/a/2': 'RTE' })).toEqual({ verdict: 'WA', deciding: 'secret/a/1', ran: ['sample/1', 'secret/a/1'] });
    expect(judge(p, {})).toEqual({ verdict: 'AC', deciding: null, ran: ALL });
  });

  it('break in a, nested in continue in secret: a stops at a/1 (WA), secret goes on to b, b stops at b/1 (TLE); secret = worst(WA, TLE) = TLE; a/2 never runs', () => {
    // secret/a sets break itself (it would inherit continue otherwise); b inherits continue from secret
    // but stops at nothing more: b/1 TLE, b/2 AC -> b = TLE.
    const p = tree({ secret: 'on_reject: continue\n', 'secret/a': 'on_reject: break\n' });
    expect(judge(p, { 'secret/a/1': 'WA', 'secret/a/2': 'RTE', 'secret/b/1': 'TLE' })).toEqual({
      verdict: 'TLE',
      deciding: 'secret/b/1',
      ran: ['sample/1', 'secret/a/1', 'secret/b/1', 'secret/b/2'],
    });
  });

  it('continue in secret (inherited by a and b): every secret case runs; the worst verdict wins, the first such case decides', () => {
    const p = tree({ secret: 'on_reject: continue\n' });
    expect(judge(p, { 'secret/a/1': 'WA', 'secret/a/2': 'RTE', 'secret/b/1': 'TLE', 'secret/b/2': 'RTE' })).toEqual({ verdict: 'RTE', deciding: 'secret/a/2', ran: ALL });
  });

  it('a rejected sample breaks data/ (break by default): secret never runs', () => {
    expect(judge(tree(), { 'sample/1': 'WA' })).toEqual({ verdict: 'WA', deciding: 'sample/1', ran: ['sample/1'] });
  });

  it('grader_flags: first_error in secret (continue): secret = first of (a = WA, b = RTE) = WA, where worst_error gives RTE', () => {
    const flags = (f: string) => tree({ secret: `on_reject: continue\ngrader_flags: ${f}\n`, 'secret/a': 'on_reject: break\ngrader_flags: ""\n', 'secret/b': 'on_reject: break\ngrader_flags: ""\n' });
    const rejected = { 'secret/a/1': 'WA', 'secret/b/1': 'RTE' } as const;
    expect(judge(flags('first_error'), rejected)).toMatchObject({ verdict: 'WA', deciding: 'secret/a/1' });
    expect(judge(flags('worst_error'), rejected)).toMatchObject({ verdict: 'RTE', deciding: 'secret/b/1' });
  });

  it('grader_flags: always_accept in b: b/1 WA stops b (break) but b is AC, so secret and the submission are AC; b/2 never runs', () => {
    const p = tree({ 'secret/b': 'grader_flags: always_accept\n' });
    expect(judge(p, { 'secret/b/1': 'WA' })).toEqual({ verdict: 'AC', deciding: null, ran: ['sample/1', 'secret/a/1', 'secret/a/2', 'secret/a/3', 'secret/b/1'] });
  });

  it('grader_flags: accept_if_any_accepted in a: with continue a/2 AC makes a AC; with break a stops at a/1 and has no AC child -> WA', () => {
    const rejected = { 'secret/a/1': 'WA', 'secret/a/3': 'TLE' } as const;
    expect(judge(tree({ 'secret/a': 'on_reject: continue\ngrader_flags: accept_if_any_accepted\n' }), rejected)).toEqual({ verdict: 'AC', deciding: null, ran: ALL });
    expect(judge(tree({ 'secret/a': 'grader_flags: accept_if_any_accepted\n' }), rejected)).toEqual({ verdict: 'WA', deciding: 'secret/a/1', ran: ['sample/1', 'secret/a/1'] });
  });

  it('a JE child makes its group JE whatever the flags (always_accept, accept_if_any_accepted)', () => {
    const p = tree({ 'secret/a': 'on_reject: continue\ngrader_flags: always_accept accept_if_any_accepted\n' });
    expect(judge(p, { 'secret/a/1': 'JE' })).toMatchObject({ verdict: 'JE', deciding: 'secret/a/1' });
  });

  it('grader_flags: ignore_sample in data/ (continue): a rejected sample still runs secret, and only secret decides', () => {
    const p = tree({ '': 'on_reject: continue\ngrader_flags: ignore_sample\n', sample: 'grader_flags: ""\n', secret: 'on_reject: break\ngrader_flags: ""\n' });
    expect(judge(p, { 'sample/1': 'WA' })).toEqual({ verdict: 'AC', deciding: null, ran: ALL });
    expect(judge(p, { 'sample/1': 'WA', 'secret/b/2': 'MLE' })).toMatchObject({ verdict: 'MLE', deciding: 'secret/b/2' });
  });

  it('problem.yaml grading.on_reject: first_error makes every group break, over testdata.yaml', () => {
    const r = load({
      'problem.yaml': 'name: Minimal\ngrading:\n  on_reject: first_error\n',
      'data/secret/testdata.yaml': 'on_reject: continue\n',
      'data/secret/2.in': '1\n',
      'data/secret/2.ans': '1\n',
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).not.toMatch(/grading` is only for scoring/);
    expect(judge(r.problem!, { 'secret/1': 'WA', 'secret/2': 'RTE' })).toEqual({ verdict: 'WA', deciding: 'secret/1', ran: ['sample/1', 'secret/1'] });
  });

  it('the needed set only shrinks as rejections come in', () => {
    const p = tree({ secret: 'on_reject: continue\n', 'secret/a': 'on_reject: break\n' });
    const tracker = neededCases(passFailTree(p));
    const needed = (n: string) => tracker.needed(n);
    expect(ALL.filter(needed)).toEqual(ALL);
    tracker.judged({ name: 'secret/a/1', verdict: 'WA' });
    expect(ALL.filter(needed)).toEqual(['sample/1', 'secret/a/1', 'secret/b/1', 'secret/b/2']);
    tracker.judged({ name: 'secret/b/1', verdict: 'WA' });
    expect(ALL.filter(needed)).toEqual(['sample/1', 'secret/a/1', 'secret/b/1', 'secret/b/2']);
  });
});

describe('refused at load, by name', () => {
  const firstError = (files: Record<string, string | null>) => {
    const r = load(files);
    expect(r.problem).toBeUndefined();
    return r.errors[0]!;
  };
  it('grading: custom (custom graders)', () => {
    expect(firstError({ 'data/secret/testdata.yaml': 'grading: custom\n' }).message).toMatch(/custom grading \(grading: custom\) is not supported/);
    expect(firstError({ 'graders/g.py': 'print("AC 0")\n' }).message).toMatch(/custom graders \(graders\/\) are not supported/);
  });
  it('grading.on_reject: grade on a pass-fail problem (problemtools refuses it too)', () => {
    const e = firstError({ 'problem.yaml': 'name: Minimal\ngrading:\n  on_reject: grade\n' });
    expect(e.message).toMatch(/on_reject: grade is only for scoring problems/);
    expect(e.field).toBe('grading.on_reject');
  });
  it('grader_flags: ignore_sample below data/, or with on_reject: break', () => {
    expect(firstError({ 'data/secret/testdata.yaml': 'grader_flags: ignore_sample\n' }).message).toMatch(/ignore_sample is only allowed in data\/testdata.yaml/);
    expect(firstError({ 'data/testdata.yaml': 'grader_flags: ignore_sample\n', 'data/sample/testdata.yaml': 'grader_flags: ""\n', 'data/secret/testdata.yaml': 'grader_flags: ""\n' }).message).toMatch(/ignore_sample with on_reject: break/);
  });
});
