/** Builds small problem packages in temporary directories for the loader's tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'judged-problems-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `files` (relative path -> contents) under root/name and returns the package dir. */
export function writePackage(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

/** The smallest legacy package that loads: a name, one sample, one secret case, one accepted program. */
export function minimalLegacy(extra: Record<string, string | null> = {}): Record<string, string> {
  const files: Record<string, string | null> = {
    'problem.yaml': 'name: Minimal\n',
    'data/sample/1.in': '1 2\n',
    'data/sample/1.ans': '3\n',
    'data/secret/1.in': '5 5\n',
    'data/secret/1.ans': '10\n',
    'submissions/accepted/sum.py': 'print(sum(map(int, input().split())))\n',
    ...extra,
  };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== null));
}

export function minimal2025(extra: Record<string, string | null> = {}): Record<string, string> {
  return minimalLegacy({
    'problem.yaml': 'problem_format_version: 2025-09\nname: Minimal\nuuid: 00000000-0000-0000-0000-000000000000\n',
    ...extra,
  });
}
