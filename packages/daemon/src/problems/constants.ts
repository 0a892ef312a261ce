/**
 * problem.yaml `constants` (2025-09): a constant is a scalar, or a map with a required `value` and
 * optional variants (`tex: 10^{6}`). `{{name}}` / `{{name.variant}}` are replaced in Markdown
 * statements and test_group.yaml / <case>.yaml arguments, `\constant{name}` / `\constant{name.variant}`
 * in LaTeX statements. A sequence naming an unknown constant or variant stays as written.
 */

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
