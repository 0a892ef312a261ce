import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveTimeLimitMs, ensureGenerated, mathToText, parseCompareFlags, texToMarkdown } from './index.ts';
import { tempDir, writePackage } from '../../test-utils/problem-packages.ts';
import { normaliseConstants, substituteInFiles, substituteInSource } from './constants.ts';
import type { ProblemLimits } from './types.ts';

describe('default validator flags', () => {
  it('parses every flag', () => {
    expect(parseCompareFlags([])).toEqual({ flags: { caseSensitive: false, spaceChangeSensitive: false } });
    expect(parseCompareFlags(['case_sensitive', 'space_change_sensitive', 'float_absolute_tolerance', '1e-9', 'float_relative_tolerance', '0.5'])).toEqual({
      flags: { caseSensitive: true, spaceChangeSensitive: true, floatAbsoluteTolerance: 1e-9, floatRelativeTolerance: 0.5 },
    });
    expect(parseCompareFlags(['float_tolerance', '1e-6'])).toEqual({
      flags: { caseSensitive: false, spaceChangeSensitive: false, floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 },
    });
  });

  it('rejects what the spec calls an error', () => {
    expect(parseCompareFlags(['float_tolerance'])).toHaveProperty('error', expect.stringMatching(/needs a non-negative number/));
    expect(parseCompareFlags(['float_tolerance', '-1'])).toHaveProperty('error');
    expect(parseCompareFlags(['float_tolerance', '1', 'float_relative_tolerance', '1'])).toHaveProperty('error', expect.stringMatching(/cannot be combined/));
    expect(parseCompareFlags(['float_absolute_tolerance', '1', 'float_absolute_tolerance', '2'])).toHaveProperty('error', expect.stringMatching(/more than once/));
    expect(parseCompareFlags(['ignore_case'])).toHaveProperty('error', expect.stringMatching(/unknown flag "ignore_case"/));
  });
});

describe('time limit from example submissions', () => {
  const base: ProblemLimits = {
    timeLimitMs: 1000,
    timeLimitSource: 'default',
    timeMultipliers: { acToTimeLimit: 2, timeLimitToTle: 1.5 },
    timeResolutionMs: 1000,
    memoryMiB: 256,
    outputMiB: 8,
    validationPasses: 2,
    codeKiB: 128,
    compilationTimeS: 60,
    compilationMemoryMiB: 2048,
    validationTimeS: 60,
    validationMemoryMiB: 2048,
    validationOutputMiB: 8,
  };

  it('rounds slowest accepted x multiplier up to the resolution', () => {
    expect(deriveTimeLimitMs(base, 300)).toMatchObject({ timeLimitMs: 1000, ok: true });
    expect(deriveTimeLimitMs(base, 501)).toMatchObject({ timeLimitMs: 2000, ok: true });
    expect(deriveTimeLimitMs({ ...base, timeResolutionMs: 100 }, 501)).toMatchObject({ timeLimitMs: 1100 });
    expect(deriveTimeLimitMs({ ...base, timeMultipliers: { acToTimeLimit: 5, timeLimitToTle: 2 } }, 400)).toMatchObject({ timeLimitMs: 2000 });
  });

  it('checks the limit against time_limit_exceeded submissions', () => {
    expect(deriveTimeLimitMs(base, 400, 1600)).toMatchObject({ timeLimitMs: 1000, ok: true });
    const r = deriveTimeLimitMs(base, 400, 1400);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/fastest time_limit_exceeded run \(1400 ms\)/);
  });

  it('keeps an explicit limit and says when accepted runs are too close to it', () => {
    const explicit = { ...base, timeLimitSource: 'problem.yaml' as const, timeLimitMs: 1000 };
    expect(deriveTimeLimitMs(explicit, 200)).toMatchObject({ timeLimitMs: 1000, ok: true });
    expect(deriveTimeLimitMs(explicit, 600)).toMatchObject({ timeLimitMs: 1000, ok: false });
  });
});

describe('LaTeX statements to Markdown', () => {
  it('keeps sections, lists, verbatim, and makes math readable', () => {
    const { markdown, problemName } = texToMarkdown(
      [
        '\\problemname{Sum of $x^2$}',
        '% a comment',
        'Given $1 \\le n \\le 10^{18}$ and $\\frac{a}{b+1}$, print \\textbf{one} \\emph{line} with \\texttt{YES}~or NO --- 50\\% of the time\\ldots',
        '\\section*{Notes}',
        '\\begin{itemize}',
        '  \\item first $a_{i+1} \\neq a_i$',
        '  \\item second',
        '\\end{itemize}',
        '\\begin{enumerate}',
        '\\item one',
        '\\item two',
        '\\end{enumerate}',
        '\\begin{verbatim}',
        'keep $this$ \\as is',
        '\\end{verbatim}',
        '$$\\sum_{i=1}^{n} a_i \\cdot 2$$',
        '\\illustration{0.3}{pic.png}{A picture}',
        'See \\href{https://example.com}{the site}.',
      ].join('\n'),
    );
    expect(problemName).toBe('Sum of x^2');
    expect(markdown).toContain('Given 1 ≤ n ≤ 10^18 and a/(b+1), print **one** *line* with `YES` or NO — 50% of the time…');
    expect(markdown).toContain('## Notes');
    expect(markdown).toContain('- first a_(i+1) ≠ a_i\n- second');
    expect(markdown).toContain('1. one\n2. two');
    expect(markdown).toContain('```\nkeep $this$ \\as is\n```');
    expect(markdown).toContain('    Σ_(i=1)^n a_i · 2');
    expect(markdown).toContain('[Illustration: A picture (pic.png)]');
    expect(markdown).toContain('See the site (https://example.com).');
    expect(markdown.replace(/```[\s\S]*?```/g, '')).not.toMatch(/\\[a-zA-Z]/);
  });

  it('reads %% plainproblemname and the Input/Output environments', () => {
    const r = texToMarkdown('%% plainproblemname: Plain Name\n\\problemname{$\\alpha$ Name}\n\\begin{Input}\nIn.\n\\end{Input}\n\\begin{Output}\nOut.\n\\end{Output}\n');
    expect(r.plainProblemName).toBe('Plain Name');
    expect(r.markdown).toBe('## Input\n\nIn.\n\n## Output\n\nOut.\n');
  });

  it('handles \\( \\) math and turns tabular into a Markdown table', () => {
    const { markdown } = texToMarkdown(
      'An integer \\(N\\) (\\(1 \\le N \\le 10\\)).\n\\begin{tabular}{| l | l |}\n  \\hline\n  Group & Points \\\\ \\hline\n  $1$ & $N$ is 5 \\\\ \\hline\n\\end{tabular}\n',
    );
    expect(markdown).toBe('An integer N (1 ≤ N ≤ 10).\n\n| Group | Points |\n| --- | --- |\n| 1 | N is 5 |\n');
  });

  it('converts common math macros', () => {
    expect(mathToText('\\sqrt{n} \\times 2 \\geq \\lfloor x \\rfloor \\pmod{7}')).toBe('√(n) × 2 ≥ ⌊ x ⌋ (mod 7)');
    expect(mathToText('\\text{for all } i \\in \\{1, \\ldots, n\\}')).toBe('for all i ∈ {1, …, n}');
  });
});

describe('ensureGenerated', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });
  const manifest = 'generate:\n  - run: [python3, gen.py, "3"]\n    into: data/secret/big\n    files: [a.in, a.ans]\n';
  const gen = 'import os, sys\nn, out = int(sys.argv[1]), sys.argv[2]\nopen(os.path.join(out, "a.in"), "w").write("x" * n)\nopen(os.path.join(out, "a.ans"), "w").write(str(n))\n';

  it('makes missing files, leaves fresh ones alone, remakes after the generator changes', () => {
    const dir = writePackage(root, 'p', { 'generators/manifest.yaml': manifest, 'generators/gen.py': gen });
    const first = ensureGenerated(dir);
    const out = path.join(dir, 'data/secret/big/a.in');
    expect(first.generated).toEqual([out, path.join(dir, 'data/secret/big/a.ans')]);
    expect(fs.readFileSync(out, 'utf8')).toBe('xxx');
    expect(ensureGenerated(dir).generated).toEqual([]);
    // No temporary directories left behind.
    expect(fs.readdirSync(path.join(dir, 'data/secret/big')).sort()).toEqual(['a.ans', 'a.in']);
    const later = new Date(Date.now() + 5000);
    fs.writeFileSync(path.join(dir, 'generators/gen.py'), gen.replace('"x"', '"y"'));
    fs.utimesSync(path.join(dir, 'generators/gen.py'), later, later);
    expect(ensureGenerated(dir).generated).toHaveLength(2);
    expect(fs.readFileSync(out, 'utf8')).toBe('yyy');
    fs.rmSync(out);
    expect(ensureGenerated(dir).generated).toHaveLength(2);
  });

  it('does nothing without a manifest', () => {
    const dir = writePackage(root, 'p', { 'problem.yaml': 'name: x\n' });
    expect(ensureGenerated(dir)).toEqual({ generated: [], outputs: [] });
  });

  it('says which file a generator forgot, and rejects outputs outside the package', () => {
    const dir = writePackage(root, 'p', {
      'generators/manifest.yaml': manifest.replace('[a.in, a.ans]', '[a.in, a.ans, b.in]'),
      'generators/gen.py': gen,
    });
    expect(() => ensureGenerated(dir)).toThrow(/did not write b\.in/);
    const dir2 = writePackage(root, 'q', { 'generators/manifest.yaml': manifest.replace('data/secret/big', '../../etc'), 'generators/gen.py': gen });
    expect(() => ensureGenerated(dir2)).toThrow(/must stay inside the package/);
    const dir3 = writePackage(root, 'r', { 'generators/manifest.yaml': 'generate: []\n' });
    expect(() => ensureGenerated(dir3)).toThrow(/generators\/manifest\.yaml:1: generate/);
  });
});

describe('constants in program files', () => {
  const c = normaliseConstants({ n: 1000, k: { value: 5, tex: '5' } });
  it('replaces known sequences in text, keeps unknown ones as written', () => {
    expect(substituteInSource(Buffer.from('int N = {{n}}; // {{k.tex}} {{nope}} {{k.nope}}\n'), c).toString()).toBe('int N = 1000; // 5 {{nope}} {{k.nope}}\n');
  });
  it('leaves binaries and invalid UTF-8 alone, and text without sequences the same buffer', () => {
    const bin = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0x7b, 0x7b, 0x6e, 0x7d, 0x7d]);
    expect(substituteInSource(bin, c)).toBe(bin);
    const bad = Buffer.concat([Buffer.from('{{n}}'), Buffer.from([0xff])]);
    expect(substituteInSource(bad, c)).toBe(bad);
    const plain = Buffer.from('print(1)\n');
    expect(substituteInSource(plain, c)).toBe(plain);
  });
  it('rewrites files of a copy in place', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.py'), 'N = {{n}}\n');
    substituteInFiles(dir, ['a.py'], c);
    expect(fs.readFileSync(path.join(dir, 'a.py'), 'utf8')).toBe('N = 1000\n');
  });
});
