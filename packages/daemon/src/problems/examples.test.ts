/**
 * The example packages in problems/ must load with zero errors and exercise what they claim to:
 * both formats, every verdict folder, float tolerance, a custom validator, an interactor, and
 * generated (uncommitted) large data.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProblemInfoSchema } from '@judged/shared/problem';
import { formatConfigFileError } from '../config-files/diagnostics.ts';
import { loadProblemSet, toProblemInfo, type LoadResult, type ProblemPackage } from './index.ts';

const PROBLEMS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../problems');

let result: LoadResult;
const byName = (name: string): ProblemPackage => {
  const p = result.problems.find((x) => x.shortName === name);
  if (!p) throw new Error(`problem ${name} did not load`);
  return p;
};

beforeAll(() => {
  result = loadProblemSet(PROBLEMS);
}, 120_000);

describe('problems/', () => {
  it('loads every package with zero errors and no warnings beyond data generation', () => {
    expect(result.errors.map(formatConfigFileError)).toEqual([]);
    expect(result.warnings.filter((w) => !/generated \d+ test data file/.test(w))).toEqual([]);
    expect(result.problems.map((p) => `${p.label} ${p.shortName} ${p.format}`)).toEqual([
      'A hello legacy',
      'B floatmean legacy',
      'C factor legacy',
      'D guess 2025-09',
      'E bigsum 2025-09',
      'F mirror 2025-09',
      'G parity legacy',
      'H relay legacy',
      'I javanames 2025-09',
      'J stretch 2025-09',
    ]);
    for (const p of result.problems) expect(p.color?.rgb).toMatch(/^#[0-9a-f]{6}$/);
    for (const p of result.problems.filter((x) => x.shortName !== 'parity')) expect(p.inputValidators.map((v) => [v.name, v.kind])).toEqual([['validate', 'source']]);
  });

  it('gives every problem a contestant view that satisfies the wire schema', () => {
    for (const p of result.problems) {
      const info = toProblemInfo(p);
      expect(ProblemInfoSchema.parse(info)).toEqual(info);
      expect(info.testCount).toBe(p.testCases.length);
      expect(info.markdown.replace(/```[\s\S]*?```/g, '')).not.toMatch(/\\[a-zA-Z]+|\$/);
    }
  });

  it('every problem has accepted C++, Python and Java, and every category matches its folder', () => {
    // mirror and parity exercise package features (multi-pass, data validation), in C++ and Python only
    // to keep `judged verify ./problems` quick in CI; javanames is about Java alone; stretch about scores.
    for (const p of result.problems.filter((x) => !['mirror', 'parity', 'javanames', 'stretch'].includes(x.shortName))) {
      const accepted = p.submissions.filter((s) => s.category === 'accepted');
      const exts = new Set(accepted.flatMap((s) => s.files.map((f) => path.extname(f))));
      expect([p.shortName, [...exts].filter((e) => ['.cpp', '.py', '.java'].includes(e)).sort()]).toEqual([p.shortName, ['.cpp', '.java', '.py']]);
      for (const cat of ['wrong_answer', 'time_limit_exceeded', 'run_time_error']) {
        const subs = p.submissions.filter((s) => s.category === cat);
        const langs = new Set(subs.map((s) => path.extname(s.files[0]!)));
        for (const ext of ['.cpp', '.py', '.java']) expect([p.shortName, cat, langs.has(ext)]).toEqual([p.shortName, cat, true]);
      }
    }
    const hello = byName('hello');
    expect(new Set(hello.submissions.map((s) => s.category))).toEqual(
      new Set(['accepted', 'wrong_answer', 'time_limit_exceeded', 'run_time_error', 'memory_limit_exceeded', 'output_limit_exceeded', 'compile_error']),
    );
    expect(hello.submissions.find((s) => s.id === 'accepted/multi')!.files).toEqual(['greet.cpp', 'greet.h', 'main.cpp']);
    expect(hello.submissions.find((s) => s.id === 'memory_limit_exceeded/Hog.java')).toMatchObject({ expected: ['MLE', 'RTE'], expectedSource: '@EXPECTED_RESULTS@' });
    expect(hello.submissions.find((s) => s.id === 'run_time_error/exit3.c')!.expected).toEqual(['RTE']); // its @EXPECTED_RESULTS@ says RUN-ERROR only
  });

  it('stretch: IOI-style, three subtasks with every aggregation and require_pass, a score for each submission', () => {
    const p = byName('stretch');
    expect(p.scoring?.format === '2025-09' && p.scoring.groups.map((g) => [g.name, g.maxScore, g.aggregation, g.requirePass, g.cases.length])).toEqual([
      ['secret/01-tiny', 20, 'pass-fail', ['sample'], 3],
      ['secret/02-medium', 30, 'min', [], 3],
      ['secret/03-large', 50, 'sum', ['secret/01-tiny'], 4],
    ]);
    expect(p.submissions.map((s) => [s.id, s.score?.total])).toEqual([
      ['accepted/kadane.py', [100, 100]],
      ['time_limit_exceeded/brute.py', [50, 50]],
      ['wrong_answer/empty_ok.py', [57, 58]],
      ['wrong_answer/sum_only.py', [15, 15]],
    ]);
  });

  it('hello: legacy with a .timelimit file and a LaTeX statement', () => {
    const p = byName('hello');
    expect(p.limits).toMatchObject({ timeLimitMs: 1000, timeLimitSource: '.timelimit', memoryMiB: 256, outputMiB: 1 });
    expect(p.validation).toBe('default');
    expect(p.testCases.every((t) => !t.compare.caseSensitive)).toBe(true);
    expect(p.statements[0]).toMatchObject({ language: 'en', format: 'tex' });
    expect(p.statements[0]!.markdown).toContain('## Input');
  });

  it('floatmean: float tolerance from validator_flags, time limit left to the submissions', () => {
    const p = byName('floatmean');
    expect(p.limits).toMatchObject({ timeLimitSource: 'default', timeMultipliers: { acToTimeLimit: 3, timeLimitToTle: 2 } });
    for (const t of p.testCases) expect(t.compare).toMatchObject({ floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 });
  });

  it('factor: a custom C++ output validator, time limit from domjudge-problem.ini', () => {
    const p = byName('factor');
    expect(p.validation).toBe('custom');
    expect(p.outputValidator).toMatchObject({ name: 'factor_checker', kind: 'source', entry: 'validate.cpp' });
    expect(p.limits).toMatchObject({ timeLimitMs: 1000, timeLimitSource: 'domjudge-problem.ini' });
  });

  it('guess: 2025-09 interactive with a C++ interactor and transcripts for samples', () => {
    const p = byName('guess');
    expect(p.type.interactive).toBe(true);
    expect(p.outputValidator).toMatchObject({ name: 'output_validator', kind: 'source', entry: 'interactor.cpp' });
    expect(p.samples.map((s) => s.interaction?.split('\n')[0])).toEqual(['>? 500000000', '>? 500000000']);
    expect(p.attachments.map((a) => a.name)).toEqual(['testing_tool.py']);
    expect(p.statements[0]!.markdown).toContain('at most\n30 questions');
  });

  it('relay: legacy interactive, precedence cases as submissions', () => {
    const p = byName('relay');
    expect(p.type.interactive).toBe(true);
    expect(p.outputValidator).toMatchObject({ name: 'relay', kind: 'source', entry: 'relay.cpp' });
    expect(p.samples.map((s) => s.interaction?.split('\n')[0])).toEqual(['<3']);
    const ids = p.submissions.map((s) => `${s.id} ${s.expected.join(',')}`);
    for (const id of ['wrong_answer/wa_then_spin.cpp WA', 'wrong_answer/wa_then_sigpipe.c WA', 'wrong_answer/exits_unread.py WA', 'run_time_error/crash_first.cpp RTE,MLE', 'time_limit_exceeded/spin_first.cpp TLE', 'wrong_answer/wa_then_abort_at_eof.cpp WA', 'run_time_error/exit_42_after_accept.cpp RTE,MLE', 'time_limit_exceeded/spin_after_accept.cpp TLE']) expect(ids).toContain(id);
  });

  it('javanames: Java submissions with any file name, packages and entry points', () => {
    const p = byName('javanames');
    const entry = Object.fromEntries(p.submissions.filter((s) => s.entrypoint).map((s) => [s.id, s.entrypoint]));
    expect(entry).toEqual({ 'accepted/two_mains_class.java': 'Sum', 'accepted/two_mains_file': 'sum.java' });
    expect(p.submissions.find((s) => s.id === 'accepted/packaged')?.files.sort()).toEqual(['contest/Adder.java', 'contest/Solver.java']);
  });

  it('bigsum: tens of MB generated at load time into a nested group, and never committed', () => {
    const p = byName('bigsum');
    const big = p.testCases.find((t) => t.name === 'secret/02-large/big')!;
    expect(big).toBeDefined();
    expect(fs.statSync(big.inputPath).size).toBeGreaterThan(20_000_000);
    expect(big.description).toMatch(/generators\/gen\.py/);
    expect(p.testCases.map((t) => t.group)).toEqual(['sample', 'sample', 'secret/01-small', 'secret/01-small', 'secret/02-large']);
    // Outside a git checkout (a release tarball) there is nothing to check.
    const git = spawnSync('git', ['check-ignore', big.inputPath, big.answerPath], { cwd: PROBLEMS, encoding: 'utf8' });
    if (git.error === undefined && !/not a git repository/.test(git.stderr)) {
      expect(git.stdout.trim().split('\n').sort()).toEqual([big.answerPath, big.inputPath].sort());
    }
  });

  it('mirror: multi-pass with validation_passes, map constants in the statement and the validators\' args', () => {
    const p = byName('mirror');
    expect(p.type).toMatchObject({ multiPass: true, interactive: false });
    expect(p.limits.validationPasses).toBe(2);
    expect(p.statements[0]!.markdown).toMatch(/at most 12 lowercase/);
    expect(p.statements[0]!.markdown).toMatch(/c < 10\^18/);
    expect(p.testCases.every((t) => t.outputValidatorArgs.join() === '1000000000000000000' && t.inputValidatorArgs.all.join() === '12')).toBe(true);
  });

  it('parity: shell-script validators, input_validator_flags, invalid_input / invalid_output / valid_output', () => {
    const p = byName('parity');
    expect(p.inputValidators).toMatchObject([{ name: 'format', kind: 'sh', entry: 'format.sh' }]);
    expect(p.outputValidator).toMatchObject({ name: 'parity_checker', kind: 'sh', entry: 'validate.sh' });
    expect(p.testCases.every((t) => t.inputValidatorArgs.all.join() === '1000000000')).toBe(true);
    expect(p.validationCases.map((c) => `${c.kind} ${c.name} ${c.inputValidatorArgs.all.join()}`)).toEqual([
      'invalid_input invalid_input/negative 1000000000',
      'invalid_input invalid_input/too-big 1000000000',
      'invalid_input invalid_input/two-numbers 1000000000',
      'invalid_input invalid_input/word 1000000000',
      'invalid_output invalid_output/extra 1000000000',
      'invalid_output invalid_output/wrong 1000000000',
      'valid_output valid_output/shouting 1000000000',
    ]);
  });
});
