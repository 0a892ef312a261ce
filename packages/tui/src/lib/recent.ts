import fs from 'node:fs';
import path from 'node:path';

/** Recently submitted files (absolute paths, newest first), remembered across runs. */
export function readRecent(file: string | null): string[] {
  if (!file) return [];
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 20) : [];
  } catch {
    return [];
  }
}

export function addRecent(file: string | null, entry: string): void {
  if (!file) return;
  const list = [entry, ...readRecent(file).filter((x) => x !== entry)].slice(0, 20);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify(list, null, 1) + '\n', { mode: 0o600 });
  } catch {
    // Remembering recent files is a convenience; failing to is not worth an error on screen.
  }
}
