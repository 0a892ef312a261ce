/**
 * Reads an organizer's YAML or JSON file and checks it against a zod schema, turning every problem
 * into a ConfigFileError that names the file, the line (found through the parsed document's source
 * ranges) and the field.
 */
import fs from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Diagnostics } from './diagnostics.ts';

export interface YamlRead<T> {
  data: T;
  /** The document as plain JS before validation (for unknown-key warnings). */
  raw: unknown;
  /** 1-based line of the value at `path` (or of its closest present parent). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function readYaml<S extends z.ZodType>(
  file: string,
  schema: S,
  diag: Diagnostics,
  hint: (field: string) => string,
  /** The file's contents when they did not come from disk (an upload); `file` then only names it. */
  given?: string,
): YamlRead<z.output<S>> | undefined {
  const text = given ?? readText(file, diag);
  if (text === undefined) return undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const firstLine = e.message.split('\n')[0] ?? e.message;
      diag.error(file, `YAML syntax error: ${firstLine}`, 'fix the YAML syntax on that line (indentation, quoting, colons)', {
        line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
      });
    }
    return undefined;
  }
  const lineOf = (path: readonly PropertyKey[]) => lineOfPath(doc, lineCounter, path);
  const raw: unknown = doc.toJS() ?? {};
  const data = check(file, raw, schema, diag, hint, lineOf);
  return data === undefined ? undefined : { data, raw, lineOf };
}

/**
 * A JSON file (the CCS contest package's teams.json, organizations.json). JSON.parse decides what the
 * value is; the YAML parser, which reads JSON too, only places a field on its line for the messages.
 */
export function readJson<S extends z.ZodType>(file: string, schema: S, diag: Diagnostics, hint: (field: string) => string, given?: string): z.output<S> | undefined {
  const text = given ?? readText(file, diag);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    diag.error(file, `not valid JSON: ${message}`, 'fix the JSON syntax on that line', { line });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (path: readonly PropertyKey[]) => (doc.errors.length > 0 ? undefined : lineOfPath(doc, lineCounter, path));
  return check(file, value, schema, diag, hint, lineOf);
}

function readText(file: string, diag: Diagnostics): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    diag.error(file, `cannot read: ${(err as Error).message}`, 'check the file exists and is readable');
    return undefined;
  }
}

export function check<S extends z.ZodType>(
  file: string,
  value: unknown,
  schema: S,
  diag: Diagnostics,
  hint: (field: string) => string,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
): z.output<S> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.');
    diag.error(file, issue.message, hint(field), { line: lineOf(issue.path), field: field || undefined });
  }
  return undefined;
}

function lineOfPath(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lc.linePos(range[0]).line;
  }
  return undefined;
}

/** Keys present in `raw` that `known` does not list, for "unknown key" warnings. */
export function unknownKeys(raw: unknown, known: readonly string[]): string[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  return Object.keys(raw).filter((k) => !known.includes(k));
}
