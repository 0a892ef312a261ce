/**
 * problem.yaml `constants` (2025-09): a constant is a scalar, or a map with a required `value` and
 * optional variants (`tex: 10^{6}`). `{{name}}` / `{{name.variant}}` are replaced where the spec
 * says: Markdown statements, input and output validators' files, included files (include/),
 * example submissions, and test_group.yaml / <case>.yaml arguments; `\constant{name}` /
 * `\constant{name.variant}` in LaTeX statements. Never in test data, problem.yaml or a team's own
 * submission. A sequence naming an unknown constant or variant stays as written.
 */
import fs from 'node:fs';
import path from 'node:path';

export type ConstantValue = string | number | ({ value: string | number } & Record<string, string | number>);

/** name -> variant -> text; every constant has the variant `value`. */
export type Constants = Map<string, Map<string, string>>;

export function normaliseConstants(raw: Record<string, ConstantValue> | undefined): Constants {
  const out: Constants = new Map();
  for (const [name, v] of Object.entries(raw ?? {})) {
    const variants = new Map<string, string>();
    if (typeof v === 'object') for (const [k, x] of Object.entries(v)) variants.set(k, String(x));
    else variants.set('value', String(v));
    out.set(name, variants);
  }
  return out;
}

function lookup(constants: Constants, name: string, variant: string | undefined): string | undefined {
  return constants.get(name)?.get(variant ?? 'value');
}

const MUSTACHE = /\{\{([a-zA-Z_][a-zA-Z0-9_]*)(?:\.([a-zA-Z_][a-zA-Z0-9_]*))?\}\}/g;

/** `{{name}}` and `{{name.variant}}` (Markdown statements, validator and submission arguments). */
export function substituteConstants(text: string, constants: Constants): string {
  if (constants.size === 0) return text;
  return text.replace(MUSTACHE, (m, name: string, variant?: string) => lookup(constants, name, variant) ?? m);
}

/** `\constant{name}` and `\constant{name.variant}` (LaTeX statements). */
export function substituteTexConstants(text: string, constants: Constants): string {
  if (constants.size === 0) return text;
  return text.replace(/\\constant\s*\{\s*([a-zA-Z_][a-zA-Z0-9_]*)(?:\.([a-zA-Z_][a-zA-Z0-9_]*))?\s*\}/g, (m, name: string, variant?: string) => lookup(constants, name, variant) ?? m);
}

/**
 * A program file with its constants substituted. Only text is touched: a file holding a NUL byte
 * (a binary, an archive) or invalid UTF-8 comes back as it was.
 */
export function substituteInSource(content: Buffer, constants: Constants): Buffer {
  if (constants.size === 0 || content.includes(0) || !content.includes('{{')) return content;
  const text = content.toString('utf8');
  if (Buffer.byteLength(text) !== content.length || text.includes('\uFFFD')) return content;
  const out = substituteConstants(text, constants);
  return out === text ? content : Buffer.from(out);
}

/** substituteInSource on files (names relative to dir) of a copy the caller owns, in place. */
export function substituteInFiles(dir: string, files: readonly string[], constants: Constants): void {
  if (constants.size === 0) return;
  for (const f of files) {
    const file = path.join(dir, f);
    const before = fs.readFileSync(file);
    const after = substituteInSource(before, constants);
    if (after !== before) fs.writeFileSync(file, after);
  }
}

/** A stable text of the constants, for cache keys of what they are substituted into. */
export function constantsKey(constants: Constants): string {
  return JSON.stringify([...constants].map(([k, v]) => [k, [...v]]));
}
