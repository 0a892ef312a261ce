/**
 * A directory of problem packages -> the contest's problem set. Labels are A, B, C... in directory
 * order unless a CCS problemset.yaml in that directory lists the problems (then its order, labels
 * and colours apply and unlisted packages are left out). A broken package is reported in `errors`
 * and the others still load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Diagnostics } from '../config-files/diagnostics.ts';
import { entryKind } from './fsutil.ts';
import { loadProblemPackage, type PackagePlacement } from './package.ts';
import { problemsetSchema } from './schemas.ts';
import { readYaml } from '../config-files/read.ts';
import type { LoadOptions, LoadResult } from './types.ts';

/** A, B, ..., Z, AA, AB, ... */
export function defaultLabel(index: number): string {
  let n = index;
  let s = '';
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

export function isProblemPackage(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'problem.yaml'));
}

/** Package directories directly inside `dir` (those holding a problem.yaml), sorted by name. */
export function listPackageDirs(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => entryKind(dir, e) === 'dir' && !/^[.-]/.test(e.name) && isProblemPackage(path.join(dir, e.name)))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/**
 * Each argument is a package or a directory of packages (as `judged verify` takes them); returns the
 * package directories in order, without duplicates.
 */
export function resolvePackageDirs(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    for (const d of isProblemPackage(abs) ? [abs] : listPackageDirs(abs)) if (!out.includes(d)) out.push(d);
  }
  return out;
}

export function loadProblemSet(problemsDir: string, opts: LoadOptions = {}): LoadResult {
  const root = path.resolve(problemsDir);
  const result: LoadResult = { problems: [], errors: [], warnings: [] };
  const diag = new Diagnostics('', path.dirname(root));
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    diag.error(root, 'not a directory', 'pass the directory that holds the problem packages (e.g. ./problems)');
    return { problems: [], errors: diag.errors, warnings: [] };
  }
  // A single package given directly is a one-problem set.
  if (isProblemPackage(root)) {
    const one = loadProblemPackage(root, { label: 'A', ordinal: 0, baseDir: path.dirname(root) }, opts);
    return { problems: one.problem ? [one.problem] : [], errors: one.errors, warnings: one.warnings };
  }

  let placements: { dir: string; placement: PackagePlacement }[];
  const problemsetPath = path.join(root, 'problemset.yaml');
  if (fs.existsSync(problemsetPath)) {
    placements = fromProblemset(root, problemsetPath, diag);
  } else {
    placements = listPackageDirs(root).map((dir, i) => ({ dir, placement: { label: defaultLabel(i), ordinal: i } }));
    if (placements.length === 0) {
      diag.error(root, 'no problem packages found', 'each problem is a subdirectory with a problem.yaml');
    }
  }
  result.errors.push(...diag.errors);
  result.warnings.push(...diag.warnings);
  for (const { dir, placement } of placements) {
    const one = loadProblemPackage(dir, { ...placement, baseDir: path.dirname(root) }, opts);
    if (one.problem) result.problems.push(one.problem);
    result.errors.push(...one.errors);
    result.warnings.push(...one.warnings);
  }
  return result;
}

function fromProblemset(root: string, file: string, diag: Diagnostics): { dir: string; placement: PackagePlacement }[] {
  const read = readYaml(file, problemsetSchema, diag, (f) => `check ${f || 'problemset.yaml'}: a list "problems:" of {letter, short-name, color, rgb}`);
  if (!read) return [];
  const out: { dir: string; placement: PackagePlacement }[] = [];
  const labels = new Map<string, number>();
  for (const [i, p] of read.data.problems.entries()) {
    const shortName = (p['short-name'] ?? p.short_name ?? p.id)!;
    const label = p.label ?? p.letter ?? defaultLabel(i);
    const line = read.lineOf(['problems', i]);
    const dir = path.join(root, shortName);
    if (labels.has(label)) {
      diag.error(file, `label "${label}" is used twice`, 'give every problem its own letter', { line, field: `problems.${i}.letter` });
      continue;
    }
    labels.set(label, i);
    if (!isProblemPackage(dir)) {
      diag.error(file, `problem "${shortName}" has no package at ${shortName}/problem.yaml`, 'fix short-name to match a package directory, or add the package', {
        line,
        field: `problems.${i}.short-name`,
      });
      continue;
    }
    const rgb = p.rgb ? (p.rgb.startsWith('#') ? p.rgb : `#${p.rgb}`).toLowerCase() : undefined;
    out.push({
      dir,
      placement: { label, ordinal: out.length, color: p.color || rgb ? { name: p.color, rgb } : undefined },
    });
  }
  const listed = new Set(out.map((o) => o.dir));
  for (const d of listPackageDirs(root)) {
    if (!listed.has(d)) diag.warn(d, 'not listed in problemset.yaml: left out of the contest');
  }
  return out;
}
