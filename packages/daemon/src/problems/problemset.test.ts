import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLabel, loadProblemSet, resolvePackageDirs, toProblemInfo } from './index.ts';
import { minimal2025, minimalLegacy, tempDir, writePackage } from '../../test-utils/problem-packages.ts';

let root: string;
beforeEach(() => {
  root = tempDir();
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('problem sets', () => {
  it('labels packages A, B, C by directory name and skips non-packages', () => {
    writePackage(root, 'zeta', minimalLegacy());
    writePackage(root, 'alpha', minimal2025());
    writePackage(root, 'mid', minimalLegacy());
    fs.mkdirSync(path.join(root, 'notes'));
    const r = loadProblemSet(root);
    expect(r.errors).toEqual([]);
    expect(r.problems.map((p) => [p.label, p.shortName, p.ordinal])).toEqual([
      ['A', 'alpha', 0],
      ['B', 'mid', 1],
      ['C', 'zeta', 2],
    ]);
  });

  it('a broken package is reported and the others still load', () => {
    writePackage(root, 'good', minimalLegacy());
    writePackage(root, 'bad', minimalLegacy({ 'problem.yaml': 'name: Bad\nlimits:\n  memory: -5\n' }));
    writePackage(root, 'worse', minimalLegacy({ 'problem.yaml': 'name: [\n' }));
    const r = loadProblemSet(root);
    expect(r.problems.map((p) => p.shortName)).toEqual(['good']);
    // The good one keeps its label from the directory order: labels are positions, not survivors.
    expect(r.problems[0]!.label).toBe('B');
    expect(r.errors.map((e) => [e.problem, e.file, e.field])).toEqual([
      ['bad', path.join(path.basename(root), 'bad', 'problem.yaml'), 'limits.memory'],
      ['worse', path.join(path.basename(root), 'worse', 'problem.yaml'), undefined],
    ]);
  });

  it('follows problemset.yaml: order, labels, colours; unlisted packages are left out', () => {
    writePackage(root, 'hello', minimalLegacy());
    writePackage(root, 'world', minimalLegacy());
    writePackage(root, 'extra', minimalLegacy());
    fs.writeFileSync(
      path.join(root, 'problemset.yaml'),
      'problems:\n  - letter: X\n    short-name: world\n    color: red\n    rgb: "#FF0000"\n  - label: Y\n    short_name: hello\n    color: blue\n',
    );
    const r = loadProblemSet(root);
    expect(r.errors).toEqual([]);
    expect(r.problems.map((p) => [p.label, p.shortName, p.color])).toEqual([
      ['X', 'world', { name: 'red', rgb: '#ff0000' }],
      ['Y', 'hello', { name: 'blue', rgb: undefined }],
    ]);
    expect(r.warnings.join('\n')).toMatch(/extra: not listed in problemset\.yaml/);
    expect(toProblemInfo(r.problems[1]!).colour).toBe('#0000ff');
  });

  it('reports problemset.yaml mistakes with their line', () => {
    writePackage(root, 'hello', minimalLegacy());
    fs.writeFileSync(path.join(root, 'problemset.yaml'), 'problems:\n  - letter: A\n    short-name: hello\n  - letter: A\n    short-name: nope\n  - letter: B\n    short-name: missing\n');
    const r = loadProblemSet(root);
    expect(r.problems.map((p) => p.shortName)).toEqual(['hello']);
    expect(r.errors.map((e) => [e.file, e.line, e.field])).toEqual([
      [path.join(path.basename(root), 'problemset.yaml'), 4, 'problems.1.letter'],
      [path.join(path.basename(root), 'problemset.yaml'), 6, 'problems.2.short-name'],
    ]);
    expect(r.errors[1]!.message).toMatch(/"missing" has no package/);

    fs.writeFileSync(path.join(root, 'problemset.yaml'), 'problems:\n  - letter: A\n    rgb: "#12"\n  - letter: ThisLabelIsFarTooLong\n    short-name: hello\n');
    const r2 = loadProblemSet(root);
    expect(r2.problems).toEqual([]);
    expect(r2.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['problems.0.rgb', 'problems.0', 'problems.1.letter']));
  });

  it('loads a single package given directly, and reports an empty or missing directory', () => {
    const dir = writePackage(root, 'solo', minimalLegacy());
    expect(loadProblemSet(dir).problems.map((p) => p.label)).toEqual(['A']);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    expect(loadProblemSet(empty).errors[0]!.message).toMatch(/no problem packages found/);
    expect(loadProblemSet(path.join(root, 'nope')).errors[0]!.message).toMatch(/not a directory/);
  });

  it('resolves verify arguments: packages and directories of packages, without duplicates', () => {
    const a = writePackage(root, 'a', minimalLegacy());
    const b = writePackage(root, 'b', minimalLegacy());
    expect(resolvePackageDirs([root, a])).toEqual([a, b]);
    expect(resolvePackageDirs([b])).toEqual([b]);
  });

  it('default labels go A..Z, AA, AB', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(defaultLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA']);
  });

  it('toProblemInfo shows samples, never secret data, and limits in KiB', () => {
    writePackage(root, 'p', minimalLegacy({ 'problem.yaml': 'name: P\nlimits:\n  memory: 64\n  output: 2\n' }));
    const info = toProblemInfo(loadProblemSet(root).problems[0]!);
    expect(info).toMatchObject({ id: 'p', label: 'A', name: 'P', memoryLimitKiB: 65536, outputLimitKiB: 2048, sampleCount: 1, colour: null });
    expect(info.samples).toEqual([{ name: 'sample/1', input: '1 2\n', output: '3\n' }]);
    expect(JSON.stringify(info)).not.toContain('5 5');
  });
});
