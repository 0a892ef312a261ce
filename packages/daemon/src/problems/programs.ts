/**
 * Describes programs shipped in a package (output validators / interactors, input validators) per
 * the spec's "Programs" section, without building them: the judging engine compiles and runs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import { builtinLanguages } from '../languages/defaults.ts';
import { languageForFiles } from '../languages/load.ts';
import { entryKind } from './fsutil.ts';
import type { PackageFormat, PackageProgram } from './types.ts';

/** Extensions of the languages judged knows (the built-in table), and POSIX shell scripts. */
const KNOWN_EXTENSIONS = new Set(builtinLanguages().flatMap((l) => l.extensions));
const extOf = (f: string): string => path.extname(f).slice(1);
const isSource = (f: string): boolean => KNOWN_EXTENSIONS.has(extOf(f));
const knownList = (): string => [...KNOWN_EXTENSIONS, 'sh'].map((e) => `.${e}`).join(', ');

/**
 * A package program (output validator, interactor, input validator, generator) per the spec's
 * "Programs": a directory with build/run scripts; a shell script (run with /bin/sh); or sources in
 * any language judged knows, built like a submission (the judge picks the language by extension).
 */
export function describeProgram(target: string, diag: Diagnostics): PackageProgram | undefined {
  const stat = fs.statSync(target);
  const name = path.basename(target).replace(/\.[^.]+$/, '');
  if (stat.isFile()) {
    const file = path.basename(target);
    const ext = extOf(file);
    if (ext === 'sh') return { name, dir: path.dirname(target), files: [file], kind: 'sh', entry: file };
    if (!isSource(file)) {
      diag.error(target, `cannot tell how to run a program written as "${ext ? `.${ext}` : 'no extension'}"`, `use a file ending in one of ${knownList()}, or a directory with build/run scripts`);
      return undefined;
    }
    return { name, dir: path.dirname(target), files: [file], kind: 'source', entry: file };
  }
  const files = listFiles(target);
  if (files.includes('build') || files.includes('run')) return { name, dir: target, files, kind: 'build-run' };
  if (files.includes('__main__.py')) return { name, dir: target, files, kind: 'source', entry: '__main__.py' };
  const sources = files.filter(isSource);
  // Detected per file as a submission's would be (shebang included: a .py naming python2 is Python 2).
  const languages = new Set(sources.map((f) => languageForFiles(builtinLanguages(), [f], target)!.id));
  if (languages.size > 1) {
    diag.error(target, `the program's sources are in several languages (${[...languages].join(', ')})`, 'keep one language per program, or add build/run scripts that say how to build it');
    return undefined;
  }
  if (sources.length > 0) return { name, dir: target, files, kind: 'source', entry: sources.length === 1 ? sources[0] : undefined };
  const scripts = files.filter((f) => extOf(f) === 'sh');
  if (scripts.length === 1) return { name, dir: target, files, kind: 'sh', entry: scripts[0] };
  diag.error(target, 'no program found in the directory', `add sources (${knownList()}), one .sh script, or build/run scripts`);
  return undefined;
}

/**
 * The custom output validator: legacy output_validators/<name>/ (one program expected; the first
 * is used), 2025-09 output_validator/ (the directory itself is the program).
 */
export function findOutputValidator(dir: string, format: PackageFormat, diag: Diagnostics): PackageProgram | undefined {
  const legacyDir = path.join(dir, 'output_validators');
  const newDir = path.join(dir, 'output_validator');
  const primary = format === 'legacy' ? legacyDir : newDir;
  const other = format === 'legacy' ? newDir : legacyDir;
  const useDir = fs.existsSync(primary) ? primary : fs.existsSync(other) ? other : undefined;
  if (!useDir) return undefined;
  if (useDir === other) diag.warn(other, `a ${format} package keeps its validator in ${path.basename(primary)}/; read from ${path.basename(other)}/ anyway`);
  if (path.basename(useDir) === 'output_validator') return describeProgram(useDir, diag);
  const entries = fs
    .readdirSync(useDir, { withFileTypes: true })
    .filter((e) => !/^[.-]/.test(e.name) && e.name !== 'README' && !e.name.endsWith('.md') && !e.name.endsWith('.txt'))
    .map((e) => e.name)
    .sort();
  if (entries.length === 0) {
    diag.error(useDir, 'output_validators/ is empty', 'put the validator in output_validators/<name>/ or remove the directory');
    return undefined;
  }
  if (entries.length > 1) {
    // Which one applies would depend on output_validator_flags naming it; judging with the wrong one is worse than refusing.
    diag.error(useDir, `several output validators (${entries.join(', ')}): judged supports one per problem`, 'keep one validator in output_validators/');
    return undefined;
  }
  return describeProgram(path.join(useDir, entries[0]!), diag);
}

export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (/^[.]/.test(e.name)) continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    const kind = entryKind(path.join(dir, prefix), e);
    if (kind === 'dir') out.push(...listFiles(dir, rel));
    else if (kind === 'file') out.push(rel);
  }
  return out.sort();
}

/**
 * input_validators/ (or the deprecated input_format_validators/): each entry is a program. VIVA and
 * Checktestdata files are skipped with a warning: the judge has no interpreter for them.
 */
export function findInputValidators(dir: string, diag: Diagnostics): PackageProgram[] {
  const vdir = [path.join(dir, 'input_validators'), path.join(dir, 'input_format_validators')].find((d) => fs.existsSync(d));
  if (!vdir) return [];
  const out: PackageProgram[] = [];
  for (const name of fs.readdirSync(vdir).sort()) {
    if (/^[.-]/.test(name) || /^readme/i.test(name)) continue;
    const full = path.join(vdir, name);
    if (/\.(ctd|viva)$/.test(name)) {
      diag.warn(full, 'Checktestdata/VIVA input validators are not run by judged');
      continue;
    }
    const program = describeProgram(full, diag);
    if (program) out.push(program);
  }
  return out;
}
