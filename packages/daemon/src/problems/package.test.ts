import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatConfigFileError } from '../config-files/diagnostics.ts';
import { loadProblemPackage } from './index.ts';
import { minimal2025, minimalLegacy, tempDir, writePackage } from '../../test-utils/problem-packages.ts';
import type { PackageLoad } from './package.ts';
import type { ProblemPackage } from './types.ts';
import type { LegacyGroupRules } from '@judged/shared/problem-score';

/** Each group of the pass-fail group tree with its on_reject, depth first (data/ itself left out). */
function onRejectOf(p: ProblemPackage): [string, string][] {
  const walk = (g: LegacyGroupRules): [string, string][] => g.items.flatMap((i) => (i.kind === 'group' ? [[i.group.name, i.group.onReject] as [string, string], ...walk(i.group)] : []));
  return walk(p.passFail!);
}

let root: string;
beforeEach(() => {
  root = tempDir();
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const place = { label: 'A', ordinal: 0 };
function load(files: Record<string, string>, name = 'prob'): PackageLoad {
  const dir = writePackage(root, name, files);
  return loadProblemPackage(dir, { ...place, baseDir: root });
}
function onlyError(r: PackageLoad) {
  expect(r.problem).toBeUndefined();
  expect(r.errors.length).toBeGreaterThanOrEqual(1);
  return r.errors[0]!;
}

describe('legacy packages', () => {
  it('refuses a problem name with control characters, naming the file, field and character', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: "Hello\\e]0;pwned\\a"\n' })));
    expect(e).toMatchObject({ file: path.join('prob', 'problem.yaml'), field: 'name', message: expect.stringMatching(/contains U\+001B \(a control character\) at position 6/) });
    const byLanguage = onlyError(load(minimalLegacy({ 'problem.yaml': 'name:\n  en: Hello\n  de: "Hallo\\u202e"\n' })));
    expect(byLanguage).toMatchObject({ field: 'name.de', message: expect.stringMatching(/U\+202E \(a bidi control\)/) });
  });

  it('loads a minimal package with legacy defaults', () => {
    const r = load(minimalLegacy());
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.format).toBe('legacy');
    expect(p.name).toBe('Minimal');
    expect(p.names).toEqual({ en: 'Minimal' });
    expect(p.validation).toBe('default');
    expect(p.limits.timeLimitSource).toBe('default');
    expect(p.limits.timeLimitMs).toBe(1000);
    expect(p.limits.timeMultipliers).toEqual({ acToTimeLimit: 5, timeLimitToTle: 2 });
    expect(p.limits.memoryMiB).toBe(2048);
    expect(p.limits.outputMiB).toBe(8);
    expect(p.testCases.map((t) => t.name)).toEqual(['sample/1', 'secret/1']);
    expect(p.testCases[0]!.fullFeedback).toBe(true);
    expect(p.testCases[1]!.fullFeedback).toBe(false);
    expect(p.testCases.map((t) => t.ordinal)).toEqual([1, 2]);
    expect(p.samples).toEqual([{ name: 'sample/1', input: '1 2\n', output: '3\n' }]);
    expect(p.submissions.map((s) => [s.id, s.expected])).toEqual([['accepted/sum.py', ['AC']]]);
  });

  it('reads limits, validator_flags and testdata.yaml flags per group', () => {
    const r = load(
      minimalLegacy({
        'problem.yaml': 'name: Floats\nvalidator_flags: float_tolerance 1e-6\nlimits:\n  time_multiplier: 3\n  memory: 256\n  output: 16\n',
        'data/secret/g1/testdata.yaml': 'output_validator_flags: case_sensitive\non_reject: continue\n',
        'data/secret/g1/a.in': '1\n',
        'data/secret/g1/a.ans': '1\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.limits.memoryMiB).toBe(256);
    expect(p.limits.outputMiB).toBe(16);
    expect(p.limits.timeMultipliers).toEqual({ acToTimeLimit: 3, timeLimitToTle: 2 });
    const [sample, secret1, g1a] = p.testCases;
    expect(sample!.compare).toEqual({ caseSensitive: false, spaceChangeSensitive: false, floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 });
    expect(secret1!.name).toBe('secret/1');
    expect(g1a!.name).toBe('secret/g1/a');
    expect(g1a!.outputValidatorArgs).toEqual(['float_tolerance', '1e-6', 'case_sensitive']);
    expect(g1a!.compare.caseSensitive).toBe(true);
    expect(onRejectOf(p)).toEqual([
      ['sample', 'break'],
      ['secret', 'break'],
      ['secret/g1', 'continue'],
    ]);
  });

  it('inherits testdata.yaml key by key from the nearest ancestor that sets it, as problemtools does', () => {
    const r = load(
      minimalLegacy({
        'data/testdata.yaml': 'output_validator_flags: case_sensitive\n',
        'data/secret/testdata.yaml': 'on_reject: continue\n',
        'data/secret/g1/testdata.yaml': 'output_validator_flags: space_change_sensitive\n',
        'data/secret/g1/a.in': '1\n',
        'data/secret/g1/a.ans': '1\n',
        'data/secret/g1/deep/testdata.yaml': 'on_reject: break\n',
        'data/secret/g1/deep/b.in': '1\n',
        'data/secret/g1/deep/b.ans': '1\n',
        'data/secret/g2/c.in': '1\n',
        'data/secret/g2/c.ans': '1\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    // on_reject from secret reaches g1 and g2 (g1's file does not set it); deep sets its own.
    expect(onRejectOf(p)).toEqual([
      ['sample', 'break'],
      ['secret', 'continue'],
      ['secret/g1', 'continue'],
      ['secret/g1/deep', 'break'],
      ['secret/g2', 'continue'],
    ]);
    // The flags from data/ reach every group that does not set its own; g1's reach deep.
    expect(p.testCases.map((t) => [t.name, t.outputValidatorArgs])).toEqual([
      ['sample/1', ['case_sensitive']],
      ['secret/1', ['case_sensitive']],
      ['secret/g1/a', ['space_change_sensitive']],
      ['secret/g1/deep/b', ['space_change_sensitive']],
      ['secret/g2/c', ['case_sensitive']],
    ]);
    // A bad inherited value is named in the file that wrote it.
    const e = onlyError(load(minimalLegacy({ 'data/testdata.yaml': 'output_validator_flags: float_tolerance x\n', 'data/secret/g/testdata.yaml': 'on_reject: continue\n', 'data/secret/g/a.in': '1\n', 'data/secret/g/a.ans': '1\n' }), 'p2'));
    expect(e).toMatchObject({ file: path.join('p2', 'data', 'testdata.yaml'), field: 'output_validator_flags' });
  });

  it('orders cases and nested groups lexicographically, interleaved', () => {
    const r = load(
      minimalLegacy({
        'data/secret/1.in': null,
        'data/secret/1.ans': null,
        'data/secret/b.in': '1\n',
        'data/secret/b.ans': '1\n',
        'data/secret/a/2.in': '1\n',
        'data/secret/a/2.ans': '1\n',
        'data/secret/a/1.in': '1\n',
        'data/secret/a/1.ans': '1\n',
        'data/secret/c/x/1.in': '1\n',
        'data/secret/c/x/1.ans': '1\n',
        'data/secret/.hidden.in': '1\n',
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.problem!.testCases.map((t) => t.name)).toEqual(['sample/1', 'secret/a/1', 'secret/a/2', 'secret/b', 'secret/c/x/1']);
    expect(r.problem!.testCases.map((t) => t.group)).toEqual(['sample', 'secret/a', 'secret/a', 'secret', 'secret/c/x']);
  });

  it('takes the time limit from .timelimit, then domjudge-problem.ini', () => {
    expect(load(minimalLegacy({ '.timelimit': '2.5\n' }), 'p1').problem!.limits).toMatchObject({ timeLimitMs: 2500, timeLimitSource: '.timelimit' });
    expect(load(minimalLegacy({ 'domjudge-problem.ini': "name='x'\ntimelimit = '3'\n" }), 'p2').problem!.limits).toMatchObject({
      timeLimitMs: 3000,
      timeLimitSource: 'domjudge-problem.ini',
    });
    expect(load(minimalLegacy({ 'problem.yaml': 'name: X\nlimits:\n  time_limit: 0.5\n', '.timelimit': '9' }), 'p3').problem!.limits).toMatchObject({
      timeLimitMs: 500,
      timeLimitSource: 'problem.yaml',
    });
  });

  it('reads custom interactive validation and describes the validator program', () => {
    const r = load(
      minimalLegacy({
        'problem.yaml': 'name: Guess\nvalidation: custom interactive\n',
        'output_validators/inter/interactor.cpp': 'int main(){}\n',
        'output_validators/inter/util.h': '\n',
        'data/sample/1.interaction': '>? 1\n<correct\n',
        'data/sample/extra.interaction': '>? 5\n<lower\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.type.interactive).toBe(true);
    expect(p.validation).toBe('custom');
    expect(p.outputValidator).toMatchObject({ name: 'inter', kind: 'source', entry: 'interactor.cpp', files: ['interactor.cpp', 'util.h'] });
    // Interactive samples show transcripts, never the judge's .in/.ans.
    expect(p.samples).toEqual([
      { name: 'sample/1', input: '', output: '', interaction: '>? 1\n<correct\n' },
      { name: 'sample/extra', input: '', output: '', interaction: '>? 5\n<lower\n' },
    ]);
    expect(p.testCases.map((t) => t.name)).toEqual(['sample/1', 'secret/1']);
  });

  it('describes validators given as one file or with build/run scripts', () => {
    const single = load(minimalLegacy({ 'problem.yaml': 'name: A\nvalidation: custom\n', 'output_validators/check.py': 'print()\n' }), 'p1');
    expect(single.problem!.outputValidator).toMatchObject({ name: 'check', kind: 'source', entry: 'check.py', files: ['check.py'] });
    const scripts = load(minimalLegacy({ 'problem.yaml': 'name: A\nvalidation: custom\n', 'output_validators/v/build': '#!/bin/sh\n', 'output_validators/v/run': '#!/bin/sh\n' }), 'p2');
    expect(scripts.problem!.outputValidator).toMatchObject({ kind: 'build-run', files: ['build', 'run'] });
  });

  it('takes the name from \\problemname when problem.yaml has none, and renders the statement', () => {
    const r = load(
      minimalLegacy({
        'problem.yaml': 'limits:\n  memory: 64\n',
        'problem_statement/problem.en.tex': '\\problemname{Tex Name}\nSum $a \\le b$.\n\\begin{Output}\nThe sum.\n\\end{Output}\n',
        'problem_statement/problem.sv.tex': '\\problemname{Svenskt namn}\nSumma.\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.name).toBe('Tex Name');
    expect(p.names).toEqual({ en: 'Tex Name', sv: 'Svenskt namn' });
    expect(p.statements.map((s) => [s.language, s.format])).toEqual([
      ['en', 'tex'],
      ['sv', 'tex'],
    ]);
    expect(p.statements[0]!.markdown).toContain('Sum a ≤ b.');
    expect(p.statements[0]!.markdown).toContain('## Output');
    expect(p.statements[0]!.markdown).toContain('### Sample input 1\n\n```\n1 2\n```');
  });

  it('holds a \\problemname to the rule of names: wrapped lines become one, escape sequences refuse the package', () => {
    const wrapped = load(minimalLegacy({ 'problem.yaml': 'limits:\n  memory: 64\n', 'problem_statement/problem.en.tex': '\\problemname{A Long\n   Name}\nText.\n' }), 'p1');
    expect(wrapped.errors).toEqual([]);
    expect(wrapped.problem!.name).toBe('A Long Name');
    const evil = onlyError(load(minimalLegacy({ 'problem.yaml': 'limits:\n  memory: 64\n', 'problem_statement/problem.en.tex': '\\problemname{Sum\u001b]52;c;cHduZWQ=\u0007}\nText.\n' }), 'p2'));
    expect(evil).toMatchObject({ file: path.join('p2', 'problem_statement', 'problem.en.tex'), message: expect.stringMatching(/problem name in the statement contains U\+001B \(a control character\) at position 4/) });
    const plain = onlyError(load(minimalLegacy({ 'problem_statement/problem.en.tex': '%% plainproblemname: Bad\u202eName\n\\problemname{Fine}\nText.\n' }), 'p3'));
    expect(plain.message).toMatch(/U\+202E \(a bidi control\)/);
  });

  it('lists attachments and reads @EXPECTED_RESULTS@ and multi-file submissions', () => {
    const r = load(
      minimalLegacy({
        'attachments/tool.py': 'x',
        'attachments/data.txt': 'abc',
        'submissions/accepted/multi/main.cpp': 'int main(){}\n',
        'submissions/accepted/multi/lib/helper.h': '\n',
        'submissions/wrong_answer/maybe.cpp': '// @EXPECTED_RESULTS@: WRONG-ANSWER, timelimit\nint main(){}\n',
        'submissions/run_time_error/ids.py': '# @EXPECTED_RESULTS@: RTE MLE\n',
        'submissions/compile_error/x.cpp': 'oops',
        'submissions/brute_force/b.py': '',
        'submissions/rejected/r.py': '',
        'submissions/weird/w.py': '',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.attachments.map((a) => [a.name, a.sizeBytes])).toEqual([
      ['data.txt', 3],
      ['tool.py', 1],
    ]);
    const byId = Object.fromEntries(p.submissions.map((s) => [s.id, s]));
    expect(byId['accepted/multi']).toMatchObject({ files: ['lib/helper.h', 'main.cpp'], expected: ['AC'], expectedSource: 'directory' });
    expect(byId['accepted/multi']!.dir).toBe(path.join(p.dir, 'submissions/accepted/multi'));
    expect(byId['wrong_answer/maybe.cpp']).toMatchObject({ expected: ['WA', 'TLE'], expectedSource: '@EXPECTED_RESULTS@' });
    expect(byId['run_time_error/ids.py']!.expected).toEqual(['RTE', 'MLE']);
    expect(byId['compile_error/x.cpp']!.expected).toEqual(['CE']);
    expect(byId['brute_force/b.py']!.expected).toEqual(['TLE', 'RTE', 'MLE']);
    expect(byId['rejected/r.py']!.expected).toEqual(['WA', 'TLE', 'MLE', 'RTE', 'OLE']);
    expect(byId['weird/w.py']).toBeUndefined();
    expect(p.inputValidators).toEqual([]);
    expect(r.warnings.some((w) => w.includes('unknown submissions category "weird"'))).toBe(true);
  });

  it('describes input validators and skips Checktestdata files', () => {
    const r = load(minimalLegacy({ 'input_validators/check.cpp': 'int main(){return 42;}\n', 'input_validators/format.ctd': 'INT(1,2)\n' }));
    expect(r.problem!.inputValidators).toMatchObject([{ name: 'check', kind: 'source', entry: 'check.cpp' }]);
    expect(r.warnings.join('\n')).toMatch(/format\.ctd: Checktestdata/);
  });

  it('warns about unknown keys instead of failing', () => {
    const r = load(minimalLegacy({ 'problem.yaml': 'name: X\nfrobnicate: 3\nlimits:\n  cpu: 2\n' }));
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/unknown key "frobnicate"/);
    expect(r.warnings.join('\n')).toMatch(/unknown key "limits.cpu"/);
  });
});

describe('2025-09 packages', () => {
  it('reads type, name map, time_multipliers, test_group.yaml inheritance and per-case yaml', () => {
    const r = load(
      minimal2025({
        'problem.yaml': [
          'problem_format_version: 2025-09',
          'type: interactive',
          'name:',
          '  en: Hi',
          '  pt-BR: Oi',
          'uuid: x',
          'limits:',
          '  time_limit: 1.5',
          '  time_multipliers:',
          '    ac_to_time_limit: 3',
          'languages: [cpp, python3]',
          '',
        ].join('\n'),
        'output_validator/interactor.cpp': 'int main(){}\n',
        'data/secret/1.in': null,
        'data/secret/1.ans': null,
        'data/secret/test_group.yaml': 'output_validator_args: [a, b]\nargs: [x]\n',
        'data/secret/g/test_group.yaml': 'args: [y]\nfull_feedback: true\n',
        'data/secret/g/1.in': '1\n',
        'data/secret/g/1.ans': '1\n',
        'data/secret/g/2.in': '1\n',
        'data/secret/g/2.ans': '1\n',
        'data/secret/g/2.yaml': 'output_validator_args: [c]\nhint: try harder\n',
        'statement/problem.en.md': 'Guess {{n}}.\n',
        'statement/problem.pt-BR.md': 'Adivinhe.\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.format).toBe('2025-09');
    expect(p.type).toEqual({ interactive: true, scoring: false, multiPass: false, submitAnswer: false });
    expect(p.validation).toBe('custom');
    expect(p.outputValidator).toMatchObject({ name: 'output_validator', kind: 'source' });
    expect(p.names).toEqual({ en: 'Hi', 'pt-BR': 'Oi' });
    expect(p.limits).toMatchObject({ timeLimitMs: 1500, timeLimitSource: 'problem.yaml', timeMultipliers: { acToTimeLimit: 3, timeLimitToTle: 1.5 } });
    expect(p.languages).toEqual(['cpp', 'python3']);
    const [, g1, g2] = p.testCases;
    expect(g1).toMatchObject({ name: 'secret/g/1', args: ['y'], outputValidatorArgs: ['a', 'b'], fullFeedback: true });
    expect(g2).toMatchObject({ name: 'secret/g/2', args: ['y'], outputValidatorArgs: ['c'], hint: 'try harder' });
    expect(p.statements.map((s) => s.language)).toEqual(['en', 'pt-BR']);
    expect(r.warnings).toEqual([]);
  });

  it('reads submissions.yaml: globs, brace expansion, custom folders, language and entrypoint', () => {
    const r = load(
      minimal2025({
        'submissions/submissions.yaml': [
          'time_limit_exceeded:',
          '  permitted: [AC, TLE, WA]',
          '  required: [TLE]',
          'slow_or_wrong/*:',
          '  permitted: [AC, WA, TLE]',
          'accepted/{a,b}.txt:',
          '  language: python3',
          '  entrypoint: main',
          'wrong_answer/odd.py:',
          '  permitted: [AC, RTE]',
          '  required: [RTE]',
          '  sample:',
          '    permitted: [AC]',
          '',
        ].join('\n'),
        'submissions/accepted/a.txt': 'print(1)\n',
        'submissions/accepted/c.txt': 'print(1)\n',
        'submissions/time_limit_exceeded/t.py': '',
        'submissions/slow_or_wrong/s.py': '',
        'submissions/wrong_answer/odd.py': '',
        'submissions/wrong_answer/even.py': '',
        'submissions/mystery/m.py': '',
      }),
    );
    expect(r.errors).toEqual([]);
    const byId = Object.fromEntries(r.problem!.submissions.map((s) => [s.id, s]));
    expect(byId['accepted/a.txt']).toMatchObject({ expected: ['AC'], expectedSource: 'directory', language: 'python3', entrypoint: 'main' });
    expect(byId['accepted/c.txt']!.language).toBeUndefined();
    expect(byId['time_limit_exceeded/t.py']).toMatchObject({ expected: ['TLE'], expectedSource: 'submissions.yaml' });
    expect(byId['slow_or_wrong/s.py']).toMatchObject({ expected: ['WA', 'TLE', 'AC'], expectedSource: 'submissions.yaml' });
    expect(byId['wrong_answer/odd.py']!.expected).toEqual(['RTE']);
    expect(byId['wrong_answer/even.py']!.expected).toEqual(['WA']);
    expect(byId['mystery/m.py']).toBeUndefined();
  });

  it('reports a malformed submissions.yaml', () => {
    const e = onlyError(load(minimal2025({ 'submissions/submissions.yaml': 'accepted:\n  permitted: [AC, OK]\n' })));
    expect(e).toMatchObject({ file: path.join('prob', 'submissions', 'submissions.yaml'), field: 'accepted.permitted.1', line: 2 });
  });

  it('warns when the name languages and the statement languages differ', () => {
    const r = load(minimal2025({ 'problem.yaml': 'problem_format_version: 2025-09\nname: {en: A, de: B}\n', 'statement/problem.en.md': 'Hi.\n' }));
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/name languages \(de, en\) differ from the statement languages \(en\)/);
  });

  it('substitutes constants and places samples at {{nextsample}} in Markdown statements', () => {
    const r = load(
      minimal2025({
        'problem.yaml': 'problem_format_version: 2025-09\nname: C\nconstants:\n  max_n: 100\n',
        'statement/problem.en.md': 'Up to {{max_n}} and {{unknown}}; $n \\le 10^{5}$ but `$kept$`.\n\n{{nextsample}}\n\nAfter.\n',
        'data/sample/2.in': '4\n',
        'data/sample/2.ans': '8\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const md = r.problem!.statements[0]!.markdown!;
    expect(md).toContain('Up to 100 and {{unknown}}; n ≤ 10^5 but `$kept$`.');
    const first = md.indexOf('### Sample input 1');
    const after = md.indexOf('After.');
    const second = md.indexOf('### Sample input 2');
    expect(first).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(first);
    expect(second).toBeGreaterThan(after);
  });

  it('shows .in.statement / .ans.statement / .out instead of the judged sample files', () => {
    const r = load(
      minimal2025({
        'data/sample/1.in.statement': 'shown in\n',
        'data/sample/1.out': 'shown out\n',
        'data/sample/2.in': '2\n',
        'data/sample/2.ans': 'judged\n',
        'data/sample/2.ans.statement': 'shown 2\n',
        'data/sample/2.out': 'not this\n',
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.problem!.samples).toEqual([
      { name: 'sample/1', input: 'shown in\n', output: 'shown out\n' },
      { name: 'sample/2', input: '2\n', output: 'shown 2\n' },
    ]);
    expect(r.problem!.testCases.map((t) => t.name)).toEqual(['sample/1', 'sample/2', 'secret/1']);
  });

  it('lists include/<language>/ code and .files directories', () => {
    const r = load(
      minimal2025({
        'include/cpp/grader.cpp': 'int main(){}\n',
        'include/cpp/lib.h': '\n',
        'include/default/notes.txt': 'x',
        'data/secret/1.files/table.txt': '1 2 3\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.includedCode.map((i) => [i.language, i.files])).toEqual([
      ['cpp', ['grader.cpp', 'lib.h']],
      ['default', ['notes.txt']],
    ]);
    expect(p.testCases.map((t) => t.name)).toEqual(['sample/1', 'secret/1']);
    expect(p.testCases[1]!.filesDir).toBe(path.join(p.dir, 'data/secret/1.files'));
    expect(p.testCases[0]!.filesDir).toBeUndefined();
  });

  it('reads the format aliases 2023-07-draft and draft as 2025-09', () => {
    for (const v of ['2023-07-draft', 'draft']) {
      const r = load(minimal2025({ 'problem.yaml': `problem_format_version: ${v}\nname: A\n` }), `p${v.replace(/\W/g, '')}`);
      expect(r.errors).toEqual([]);
      expect(r.problem!.format).toBe('2025-09');
    }
  });

  it('ignores legacy file names in a 2025-09 package with a warning', () => {
    const r = load(minimal2025({ 'data/secret/testdata.yaml': 'on_reject: continue\n' }));
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/testdata\.yaml: ignored/);
  });
});

describe('errors name the file, line, field and what to do', () => {
  it('YAML syntax error with its line', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nlimits:\n  memory: [1,\n' })));
    expect(e.file).toBe(path.join('prob', 'problem.yaml'));
    expect(e.message).toMatch(/YAML syntax error/);
    expect(e.line).toBeGreaterThanOrEqual(3);
  });

  it('wrong type in a field', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nlimits:\n  time_limit: 2\n  memory: lots\n' })));
    expect(e).toMatchObject({ problem: 'prob', file: path.join('prob', 'problem.yaml'), field: 'limits.memory', line: 4 });
    expect(e.hint).toMatch(/MiB/);
    expect(formatConfigFileError(e)).toMatch(/^prob\/problem\.yaml:4: limits\.memory: .+ — give memory in MiB/);
  });

  it('negative time limit', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nlimits:\n  time_limit: -1\n' })));
    expect(e).toMatchObject({ field: 'limits.time_limit', line: 3 });
  });

  it('unsupported problem_format_version', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'problem_format_version: 1999-01\nname: X\n' })));
    expect(e).toMatchObject({ field: 'problem_format_version', line: 1 });
    expect(e.message).toMatch(/1999-01/);
  });

  it('bad validation string', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nvalidation: fancy\n' })));
    expect(e).toMatchObject({ field: 'validation', line: 2 });
    const e2 = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nvalidation: default interactive\n' }), 'p2'));
    expect(e2.message).toMatch(/unexpected "interactive"/);
  });

  it('custom validation without a validator', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nvalidation: custom\n' })));
    expect(e).toMatchObject({ field: 'validation', line: 2 });
    expect(e.hint).toMatch(/output_validators\/<name>\//);
    const e2 = onlyError(load(minimal2025({ 'problem.yaml': 'problem_format_version: 2025-09\nname: X\ntype: interactive\n' }), 'p2'));
    expect(e2).toMatchObject({ field: 'type', line: 3 });
    expect(e2.hint).toMatch(/output_validator\//);
  });

  it('unknown problem type', () => {
    const e = onlyError(load(minimal2025({ 'problem.yaml': 'problem_format_version: 2025-09\nname: X\ntype: [pass-fail, quiz]\n' })));
    expect(e).toMatchObject({ field: 'type', line: 3 });
    expect(e.message).toMatch(/quiz/);
  });

  it('2025-09 without a name', () => {
    const e = onlyError(load(minimal2025({ 'problem.yaml': 'problem_format_version: 2025-09\n' })));
    expect(e).toMatchObject({ field: 'name' });
  });

  it('name of the wrong type', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: [a, b]\n' })));
    expect(e).toMatchObject({ field: 'name', line: 1 });
  });

  it('a directory name that cannot be a problem id', () => {
    const e = onlyError(load(minimalLegacy(), '-odd name'));
    expect(e.file).toBe('-odd name');
    expect(e.hint).toMatch(/rename the directory/);
  });

  it('missing problem.yaml', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': null })));
    expect(e.file).toBe(path.join('prob', 'problem.yaml'));
    expect(e.message).toMatch(/missing problem\.yaml/);
  });

  it('missing data/secret and empty data/secret', () => {
    const e = onlyError(load(minimalLegacy({ 'data/secret/1.in': null, 'data/secret/1.ans': null })));
    expect(e.file).toBe(path.join('prob', 'data', 'secret'));
    const dir = writePackage(root, 'p2', minimalLegacy({ 'data/secret/1.in': null, 'data/secret/1.ans': null }));
    fs.mkdirSync(path.join(dir, 'data/secret'));
    const e2 = onlyError(loadProblemPackage(dir, { ...place, baseDir: root }));
    expect(e2.message).toMatch(/no test cases in data\/secret/);
  });

  it('input without an answer file', () => {
    const e = onlyError(load(minimalLegacy({ 'data/secret/2.in': '1\n' })));
    expect(e.file).toBe(path.join('prob', 'data', 'secret', '2.in'));
    expect(e.hint).toMatch(/add 2\.ans/);
  });

  it('bad default-validator flags in problem.yaml, testdata.yaml and test_group.yaml', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nvalidator_flags: float_tolerance lots\n' })));
    expect(e).toMatchObject({ file: path.join('prob', 'problem.yaml'), field: 'validator_flags', line: 2 });
    expect(e.message).toMatch(/float_tolerance needs a non-negative number/);
    const e2 = onlyError(load(minimalLegacy({ 'data/secret/testdata.yaml': 'output_validator_flags: case_insensitive\n' }), 'p2'));
    expect(e2).toMatchObject({ file: path.join('p2', 'data', 'secret', 'testdata.yaml'), field: 'output_validator_flags' });
    expect(e2.message).toMatch(/unknown flag "case_insensitive"/);
    const e3 = onlyError(load(minimal2025({ 'data/secret/test_group.yaml': 'output_validator_args: [float_tolerance, 1e-3, float_absolute_tolerance, 1]\n' }), 'p3'));
    expect(e3).toMatchObject({ file: path.join('p3', 'data', 'secret', 'test_group.yaml'), field: 'output_validator_args' });
  });

  it('wrong type in testdata.yaml and test case yaml', () => {
    const e = onlyError(load(minimalLegacy({ 'data/secret/testdata.yaml': 'on_reject: maybe\n' })));
    expect(e).toMatchObject({ file: path.join('prob', 'data', 'secret', 'testdata.yaml'), field: 'on_reject', line: 1 });
    const e2 = onlyError(load(minimal2025({ 'data/secret/1.yaml': 'description: ok\nfull_feedback: sometimes\n' }), 'p2'));
    expect(e2).toMatchObject({ file: path.join('p2', 'data', 'secret', '1.yaml'), field: 'full_feedback', line: 2 });
  });

  it('bad .timelimit and domjudge-problem.ini', () => {
    const e = onlyError(load(minimalLegacy({ '.timelimit': 'soon\n' })));
    expect(e).toMatchObject({ file: path.join('prob', '.timelimit'), line: 1 });
    const e2 = onlyError(load(minimalLegacy({ 'domjudge-problem.ini': "name = 'x'\ntimelimit = fast\n" }), 'p2'));
    expect(e2).toMatchObject({ file: path.join('p2', 'domjudge-problem.ini'), line: 2, field: 'timelimit' });
  });

  it('unknown result in @EXPECTED_RESULTS@', () => {
    const e = onlyError(load(minimalLegacy({ 'submissions/wrong_answer/x.cpp': '// one\n// @EXPECTED_RESULTS@: WRONG-ANSWER, SLOW\n' })));
    expect(e).toMatchObject({ file: path.join('prob', 'submissions', 'wrong_answer', 'x.cpp'), line: 2 });
    expect(e.message).toMatch(/SLOW/);
  });

  it('a validator it cannot run', () => {
    const e = onlyError(load(minimalLegacy({ 'problem.yaml': 'name: X\nvalidation: custom\n', 'output_validators/v/checker.rb': 'x' })));
    expect(e.file).toBe(path.join('prob', 'output_validators', 'v'));
    expect(e.hint).toMatch(/build\/run/);
  });

  it('symbolic links: followed inside the package, refused when they leave it', () => {
    const dir = writePackage(root, 'prob', minimalLegacy({ 'shared/x.in': '7\n', 'shared/x.ans': '7\n' }));
    fs.mkdirSync(path.join(dir, 'data/secret/linked'));
    fs.symlinkSync('../../../shared/x.in', path.join(dir, 'data/secret/linked/x.in'));
    fs.symlinkSync(path.join(dir, 'shared/x.ans'), path.join(dir, 'data/secret/linked/x.ans'));
    fs.symlinkSync(path.join(dir, 'data/secret/linked'), path.join(dir, 'data/secret/zlink'));
    const ok = loadProblemPackage(dir, { ...place, baseDir: root });
    expect(ok.errors).toEqual([]);
    expect(ok.problem!.testCases.map((t) => t.name)).toEqual(['sample/1', 'secret/1', 'secret/linked/x', 'secret/zlink/x']);

    const outside = path.join(root, 'secret-elsewhere.txt');
    fs.writeFileSync(outside, 'not for teams\n');
    fs.symlinkSync(outside, path.join(dir, 'data/sample/1.ans.tmp'));
    fs.renameSync(path.join(dir, 'data/sample/1.ans.tmp'), path.join(dir, 'data/sample/1.ans'));
    fs.mkdirSync(path.join(dir, 'attachments'));
    fs.symlinkSync(outside, path.join(dir, 'attachments/leak.txt'));
    const bad = loadProblemPackage(dir, { ...place, baseDir: root });
    expect(bad.problem).toBeUndefined();
    expect(bad.errors.map((e) => e.file)).toEqual([path.join('prob', 'data', 'sample', '1.ans'), path.join('prob', 'attachments', 'leak.txt')]);
    expect(bad.errors[0]!.message).toMatch(/outside the package/);
  });

  it('a failing generator', () => {
    const e = onlyError(
      load(
        minimalLegacy({
          'generators/manifest.yaml': 'generate:\n  - run: [python3, gen.py]\n    into: data/secret\n    files: [big.in, big.ans]\n',
          'generators/gen.py': 'import sys\nsys.exit("cannot generate")\n',
        }),
      ),
    );
    expect(e.file).toBe(path.join('prob', 'generators', 'manifest.yaml'));
    expect(e.message).toMatch(/failed: exit code 1/);
  });
});

describe('issue 17 features at load', () => {
  const yaml = (more: string) => `problem_format_version: 2025-09\nname: Minimal\nuuid: 00000000-0000-0000-0000-000000000000\n${more}`;

  it('constants with map values: {{name}}, {{name.variant}} in Markdown and args, \\constant in LaTeX', () => {
    const r = load(
      minimal2025({
        'problem.yaml': yaml('constants:\n  n: {value: 1000000, tex: "10^{6}"}\n  k: 7\n'),
        'statement/problem.en.md': 'n is {{n}} ({{n.tex}}), k is {{k}}, {{k.tex}} and {{other}} stay\n',
        'statement/problem.sv.tex': '\\problemname{X}\nUpp till $\\constant{n.tex}$ och \\constant{k}.\n',
        'data/secret/test_group.yaml': 'args: ["{{k}}"]\ninput_validator_args: {check: ["{{n}}"]}\noutput_validator_args: ["{{n.tex}}"]\n',
        'output_validator/check.py': 'import sys\nsys.exit(42)\n',
      }),
    );
    expect(r.errors).toEqual([]);
    const p = r.problem!;
    expect(p.statements.find((s) => s.language === 'en')!.markdown).toMatch(/^n is 1000000 \(10\^\{6\}\), k is 7, \{\{k\.tex\}\} and \{\{other\}\} stay/);
    expect(p.statements.find((s) => s.language === 'sv')!.markdown).toMatch(/10\^6 och 7/);
    const secret = p.testCases.find((t) => t.kind === 'secret')!;
    expect(secret).toMatchObject({ args: ['7'], inputValidatorArgs: { all: [], byName: { check: ['1000000'] } }, outputValidatorArgs: ['10^{6}'] });
  });

  it('a constant map without value is a load error naming the field', () => {
    const e = onlyError(load(minimal2025({ 'problem.yaml': yaml('constants:\n  n: {tex: "10^6"}\n') })));
    expect(e.field).toMatch(/^constants\.n/);
  });

  it('programs in any known language or as shell scripts; an unknown kind of program is a load error', () => {
    const sh = load(minimal2025({ 'output_validator/validate.sh': 'exit 42\n' }));
    expect(sh.problem!.outputValidator).toMatchObject({ kind: 'sh', entry: 'validate.sh' });
    const rs = load(minimal2025({ 'output_validator/check.rs': 'fn main() { std::process::exit(42) }\n' }), 'rs');
    expect(rs.problem!.outputValidator).toMatchObject({ kind: 'source', entry: 'check.rs' });
    const mixed = onlyError(load(minimal2025({ 'output_validator/a.cpp': '', 'output_validator/b.py': '' }), 'mixed'));
    expect(mixed.message).toMatch(/several languages \(cpp, python3\)/);
    const pl = onlyError(load(minimalLegacy({ 'input_validators/check.pl': 'exit 42' }), 'pl'));
    expect(pl.message).toMatch(/cannot tell how to run a program written as "\.pl"/);
  });

  it('multi-pass loads with validation_passes; submit-answer is refused with its name; scoring loads its rules', () => {
    const mp = load(minimal2025({ 'problem.yaml': yaml('type: multi-pass\nlimits:\n  validation_passes: 4\n'), 'output_validator/v.py': '' }));
    expect(mp.problem!.type.multiPass).toBe(true);
    expect(mp.problem!.limits.validationPasses).toBe(4);
    expect(mp.warnings.filter((w) => /multi-pass|validation_passes/.test(w))).toEqual([]);
    const sa = onlyError(load(minimal2025({ 'problem.yaml': yaml('type: submit-answer\n') }), 'sa'));
    expect(sa.message).toBe('problem type submit-answer is not supported by judged');
    const sc = load(minimal2025({ 'problem.yaml': yaml('type: scoring\n') }), 'sc');
    expect(sc.problem!.scoring).toMatchObject({ format: '2025-09', secret: { maxScore: 100, aggregation: 'sum', cases: ['secret/1'] }, groups: [] });
  });

  it('reads data/invalid_input, invalid_output and valid_output; an output case without its .out is an error', () => {
    const ok = load(minimal2025({ 'data/invalid_input/a.in': 'x', 'data/valid_output/b.in': '1', 'data/valid_output/b.ans': '1', 'data/valid_output/b.out': '1' }));
    expect(ok.problem!.validationCases.map((c) => [c.kind, c.name])).toEqual([['invalid_input', 'invalid_input/a'], ['valid_output', 'valid_output/b']]);
    const bad = onlyError(load(minimal2025({ 'data/invalid_output/c.in': '1', 'data/invalid_output/c.ans': '1' }), 'bad'));
    expect(bad.message).toMatch(/invalid_output\/c needs c\.out/);
  });

  it('refuses features it would otherwise ignore, naming them', () => {
    expect(onlyError(load(minimal2025({ 'static_validator/s.py': '' }), 'st')).message).toBe('static validators (static_validator/) are not supported by judged');
    expect(onlyError(load(minimalLegacy({ 'data/secret/testdata.yaml': 'grading: custom\n' }), 'gr')).message).toMatch(/^custom grading \(grading: custom\)/);
    expect(onlyError(load(minimalLegacy({ 'output_validators/a/a.py': '', 'output_validators/b/b.py': '', 'problem.yaml': 'name: X\nvalidation: custom\n' }), 'two')).message).toMatch(/several output validators \(a, b\)/);
  });
});

