/**
 * The Kattis default output validator's rule, for `judge test` on the contestant's machine: outputs
 * are compared token by token (whitespace-separated), case-insensitively unless case_sensitive, and a
 * token that is a number in the expected output may differ within the float tolerance.
 *
 * NOTE for the team: the daemon's judging engine needs the same function; it belongs in
 * packages/shared so both agree (see docs/tui.md).
 */
export interface CompareOptions {
  caseSensitive?: boolean;
  spaceChangeSensitive?: boolean;
  floatAbsoluteTolerance?: number;
  floatRelativeTolerance?: number;
}

export type CompareResult = { ok: true } | { ok: false; message: string; line: number };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function compareOutput(expected: string, got: string, o: CompareOptions = {}): CompareResult {
  if (o.spaceChangeSensitive) {
    const el = expected.split('\n');
    const gl = got.split('\n');
    // trailing newline differences are fine even when space-sensitive
    while (el.length && el[el.length - 1] === '') el.pop();
    while (gl.length && gl[gl.length - 1] === '') gl.pop();
    for (let i = 0; i < Math.max(el.length, gl.length); i++) {
      const r = compareTokens(el[i] ?? '', gl[i] ?? '', o, i + 1, true);
      if (!r.ok) return r;
    }
    return { ok: true };
  }
  return compareTokens(expected, got, o, 1, false);
}

function compareTokens(expected: string, got: string, o: CompareOptions, baseLine: number, exactSpace: boolean): CompareResult {
  const et = tokenize(expected);
  const gt = tokenize(got);
  if (exactSpace && expected.trimEnd() !== expected.trimEnd().replace(/\s+/g, ' ') && expected !== got && et.length === gt.length) {
    if (expected.replace(/\s+$/, '') !== got.replace(/\s+$/, '') && et.every((t, i) => tokenEq(t.text, gt[i]!.text, o))) {
      return { ok: false, line: baseLine, message: `line ${baseLine}: whitespace differs` };
    }
  }
  for (let i = 0; i < Math.max(et.length, gt.length); i++) {
    const e = et[i];
    const g = gt[i];
    if (!e) return { ok: false, line: baseLine + g!.line - 1, message: `line ${baseLine + g!.line - 1}: extra output "${clip(g!.text)}" after the expected end` };
    if (!g) return { ok: false, line: baseLine + e.line - 1, message: `line ${baseLine + e.line - 1}: output ends early; expected "${clip(e.text)}"` };
    if (!tokenEq(e.text, g.text, o)) {
      return { ok: false, line: baseLine + g.line - 1, message: `line ${baseLine + g.line - 1}: expected "${clip(e.text)}", got "${clip(g.text)}"` };
    }
  }
  return { ok: true };
}

function tokenEq(e: string, g: string, o: CompareOptions): boolean {
  if (e === g) return true;
  if ((o.floatAbsoluteTolerance !== undefined || o.floatRelativeTolerance !== undefined) && NUMBER.test(e) && NUMBER.test(g)) {
    const a = Number(e);
    const b = Number(g);
    const diff = Math.abs(a - b);
    if (o.floatAbsoluteTolerance !== undefined && diff <= o.floatAbsoluteTolerance) return true;
    if (o.floatRelativeTolerance !== undefined && diff <= o.floatRelativeTolerance * Math.abs(a)) return true;
    return false;
  }
  return !o.caseSensitive && e.toLowerCase() === g.toLowerCase();
}

function tokenize(s: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let line = 1;
  const re = /\S+|\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0] === '\n') line++;
    else out.push({ text: m[0], line });
  }
  return out;
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** A short line diff for people: the first differing lines with a little context. */
export function lineDiff(expected: string, got: string, maxLines = 8): string[] {
  const e = expected.replace(/\n$/, '').split('\n');
  const g = got.replace(/\n$/, '').split('\n');
  let first = 0;
  while (first < e.length && first < g.length && e[first]!.trimEnd() === g[first]!.trimEnd()) first++;
  const out: string[] = [];
  const from = Math.max(0, first - 1);
  for (let i = from; i < Math.max(e.length, g.length) && out.length < maxLines * 2; i++) {
    const a = e[i];
    const b = g[i];
    if (a !== undefined && b !== undefined && a.trimEnd() === b.trimEnd()) out.push(`  ${i + 1}  ${a}`);
    else {
      if (a !== undefined) out.push(`- ${i + 1}  ${a}`);
      if (b !== undefined) out.push(`+ ${i + 1}  ${b}`);
    }
  }
  return out;
}
