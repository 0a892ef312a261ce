import fs from 'node:fs';
import path from 'node:path';
import { MAX_PRINT_BYTES } from '@judged/shared/protocol';
import { forbiddenCharIn } from '@judged/shared/terminal-text';

/**
 * What the Submit and Print screens need from the file system: path completion, a sanity check of
 * the chosen file before it is sent, and a guess of the language from the extension.
 */
export interface Completion {
  /** Input after completing the longest common prefix. */
  completed: string;
  /** Matching entries (directories end with '/'), sorted, at most `limit`. */
  matches: string[];
}

export function completePath(input: string, cwd: string, limit = 50): Completion {
  const expanded = input.startsWith('~/') ? path.join(process.env.HOME ?? '', input.slice(2)) : input;
  const dirPart = expanded.endsWith('/') ? expanded : path.dirname(expanded);
  const base = expanded.endsWith('/') ? '' : path.basename(expanded);
  const dirShown = input.endsWith('/') ? input : input.slice(0, input.length - base.length);
  const absDir = path.resolve(cwd, dirPart === '.' && !input.startsWith('./') ? '.' : dirPart);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(absDir, { withFileTypes: true });
  } catch {
    return { completed: input, matches: [] };
  }
  const names = entries
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
  if (names.length === 0) return { completed: input, matches: [] };
  let prefix = names[0]!;
  for (const n of names) {
    let i = 0;
    while (i < prefix.length && i < n.length && prefix[i] === n[i]) i++;
    prefix = prefix.slice(0, i);
  }
  const completed = dirShown + (prefix.length > base.length ? prefix : base);
  return { completed, matches: names.slice(0, limit).map((n) => dirShown + n) };
}

export interface FileCheck {
  ok: boolean;
  /** Refusal reason when !ok; warnings otherwise. */
  problems: string[];
  size: number;
  /** Seconds since the file was last written. */
  ageSeconds: number;
}

/** Largest source the client will send; the daemon has its own limit and says so. */
export const MAX_SOURCE_BYTES = 256 * 1024;
/** A file untouched for this long may be the wrong one (or the editor has not saved). */
export const STALE_SECONDS = 30 * 60;

export function checkSourceFile(file: string, now = Date.now()): FileCheck {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { ok: false, problems: [`${file}: no such file`], size: 0, ageSeconds: 0 };
  }
  if (!st.isFile()) return { ok: false, problems: [`${file}: not a regular file`], size: 0, ageSeconds: 0 };
  const ageSeconds = Math.max(0, Math.round((now - st.mtimeMs) / 1000));
  if (st.size === 0) return { ok: false, problems: [`${file} is empty`], size: 0, ageSeconds };
  if (st.size > MAX_SOURCE_BYTES) {
    return { ok: false, problems: [`${file} is ${st.size} bytes; sources are limited to ${MAX_SOURCE_BYTES}`], size: st.size, ageSeconds };
  }
  const buf = fs.readFileSync(file);
  const problems: string[] = [];
  if (isBinary(buf)) return { ok: false, problems: [`${file} looks binary (NUL bytes or invalid UTF-8); submit the source, not the program`], size: st.size, ageSeconds };
  if (ageSeconds > STALE_SECONDS) problems.push(`${path.basename(file)} was last saved ${Math.round(ageSeconds / 60)} min ago — is it saved?`);
  return { ok: true, problems, size: st.size, ageSeconds };
}

export function isBinary(buf: Buffer): boolean {
  if (buf.subarray(0, 8192).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return false;
  } catch {
    return true;
  }
}

export interface LanguageLike {
  id: string;
  name?: string;
  extensions: readonly string[];
}

/** The language whose extensions include the file's; null when none or ambiguous. */
export function guessLanguage<L extends LanguageLike>(file: string, languages: readonly L[]): L | null {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!ext) return null;
  const hits = languages.filter((l) => l.extensions.map((e) => e.toLowerCase()).includes(ext));
  return hits.length >= 1 ? hits[0]! : null;
}

/** A file to print read and checked: text only (no NUL, valid UTF-8, no control characters) and small enough. */
export type PrintFile = { ok: true; name: string; text: string; lines: number } | { ok: false; problem: string };

export function readPrintFile(file: string): PrintFile {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { ok: false, problem: `${file}: no such file` };
  }
  if (!st.isFile()) return { ok: false, problem: `${file}: not a regular file` };
  if (st.size === 0) return { ok: false, problem: `${file} is empty: nothing to print` };
  if (st.size > MAX_PRINT_BYTES) return { ok: false, problem: `${file} is ${st.size} bytes; a printout may be at most ${MAX_PRINT_BYTES} bytes` };
  const buf = fs.readFileSync(file);
  if (isBinary(buf)) return { ok: false, problem: `${file} looks binary (NUL bytes or invalid UTF-8): only text files can be printed` };
  const text = buf.toString('utf8');
  const bad = forbiddenCharIn(text, true);
  if (bad) {
    const at = Number(/at position (\d+)/.exec(bad)?.[1] ?? 1);
    const line = text.slice(0, at - 1).split('\n').length;
    return { ok: false, problem: `${file} line ${line} holds ${bad.replace(/ at position \d+$/, '')}: only printable text, tabs and line breaks can be printed` };
  }
  // The protocol's file names are plain (FileNameSchema): anything else becomes '_'.
  const name = path.basename(file).replace(/[^A-Za-z0-9_.+-]/g, '_').replace(/^[.-]/, '_').slice(0, 128);
  return { ok: true, name, text, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) };
}
