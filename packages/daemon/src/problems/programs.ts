/**
 * Describes programs shipped in a package (output validators / interactors) per the spec's
 * "Programs" section, without building them: the judging engine compiles and runs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import { entryKind } from './fsutil.ts';
import type { PackageFormat, PackageProgram } from './types.ts';

const CPP = ['.cpp', '.cc', '.cxx', '.c++', '.C'];

export function describeProgram(target: string, diag: Diagnostics): PackageProgram | undefined {
  const stat = fs.statSync(target);
  const name = path.basename(target).replace(/\.[^.]+$/, '');
  if (stat.isFile()) {
    const ext = path.extname(target);
    const kind = CPP.includes(ext) ? 'cpp' : ext === '.c' ? 'c' : ext === '.py' ? 'python3' : undefined;
    if (!kind) {
      diag.error(target, `cannot tell how to run a validator written as "${ext || 'no extension'}"`, 'use a .cpp, .c or .py file, or a directory with build/run scripts');
      return undefined;
    }
    const file = path.basename(target);
    return { name, dir: path.dirname(target), files: [file], kind, entry: file };
  }
  const files = listFiles(target);
  const hasScript = files.includes('build') || files.includes('run');
  if (hasScript) return { name, dir: target, files, kind: 'build-run' };
  if (files.includes('__main__.py')) return { name, dir: target, files, kind: 'python3', entry: '__main__.py' };
  const cpp = files.filter((f) => CPP.includes(path.extname(f)));
  const c = files.filter((f) => path.extname(f) === '.c');
  const py = files.filter((f) => path.extname(f) === '.py');
  if (cpp.length > 0) return { name, dir: target, files, kind: 'cpp', entry: cpp.length === 1 ? cpp[0] : undefined };
  if (c.length > 0) return { name, dir: target, files, kind: 'c', entry: c.length === 1 ? c[0] : undefined };
  if (py.length === 1) return { name, dir: target, files, kind: 'python3', entry: py[0] };
  diag.error(target, 'no program found in the validator directory', 'add C/C++ sources, one .py file (or __main__.py), or build/run scripts');
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
  if (entries.length > 1) diag.warn(useDir, `several output validators (${entries.join(', ')}); only ${entries[0]} is used`);
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
