/**
 * Reads a YAML file and checks it against a zod schema, turning every problem into a
 * ProblemLoadError that names the file, the line (found through the YAML document's source ranges)
 * and the field.
 */
import fs from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Diagnostics } from './errors.ts';

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
): YamlRead<z.output<S>> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    diag.error(file, `cannot read: ${(err as Error).message}`, 'check the file exists and is readable');
    return undefined;
  }
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
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.');
      diag.error(file, issue.message, hint(field), { line: lineOf(issue.path), field: field || undefined });
    }
    return undefined;
  }
  return { data: parsed.data, raw, lineOf };
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
