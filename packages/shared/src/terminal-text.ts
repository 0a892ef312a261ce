/**
 * Text from other people (team names, clarifications, problem names and statements, compiler output,
 * login names) made safe to write to a terminal. This is the only place that knows what a terminal
 * would act on; every view and every plain-text output goes through it.
 *
 * Theory of operation: the string is scanned once as an ECMA-48 terminal would read it, and every
 * control function is dropped whole, parameters and payload included:
 * - CSI (ESC [ or 8-bit 0x9b) with its parameter, intermediate and final bytes (cursor moves, colours,
 *   the cursor-position report request ESC [ 6 n, ...);
 * - control strings OSC (ESC ] / 0x9d: window title, OSC 52 clipboard write, hyperlinks), DCS (ESC P /
 *   0x90), SOS (ESC X / 0x98), PM (ESC ^ / 0x9e), APC (ESC _ / 0x9f), up to their terminator (ST =
 *   ESC \ or 0x9c, BEL, CAN, SUB) or, unterminated, to the end of the text (a terminal would swallow
 *   that much too);
 * - SS2 / SS3 (ESC N, ESC O, 0x8e, 0x8f) with the character they shift;
 * - any other escape sequence (ESC, intermediates 0x20-0x2f, one final byte), and a bare ESC;
 * - every other C0 control, DEL and C1 control (0x80-0x9f);
 * - the Unicode bidi controls (embeddings, overrides, isolates, marks), which can make a line read in
 *   another order than it is stored ("Trojan Source").
 * \n and \t are kept where the caller asks for them (multi-line text), otherwise they become a space,
 * as do the Unicode line and paragraph separators; \r\n counts as \n, a lone \r is dropped.
 *
 * Hand-written because the libraries we looked at (strip-ansi / ansi-regex, Node's
 * util.stripVTControlCharacters) remove colour and OSC sequences only: they leave DCS/APC/PM
 * payloads, bare ESC, BEL and other C0/C1 controls and bidi overrides in the text.
 */

export interface SafeTextOptions {
  /** Keep line breaks (multi-line views: statements, clarification bodies, compiler output). */
  newlines?: boolean;
  /** Keep tabs (views that lay tabs out themselves, e.g. source and compiler output). */
  tabs?: boolean;
}

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const ST8 = 0x9c;

/** Characters that reorder text: ALM, LRM, RLM, LRE..RLO, LRI..PDI. */
const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

const isControl = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f);

/** Fast path: nothing a terminal acts on (printable ASCII plus ordinary non-control Unicode). */
const PLAIN = /^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/;

/** `s` without anything a terminal would act on (see the module comment). */
export function safeText(s: string, opts: SafeTextOptions = {}): string {
  if (PLAIN.test(s)) return s;
  let out = '';
  let i = 0;
  const n = s.length;
  const code = (k: number) => s.charCodeAt(k);

  /** End (exclusive) of a control string whose payload starts at k (BEL ends any of them, as in xterm). */
  const endOfString = (k: number): number => {
    for (; k < n; k++) {
      const c = code(k);
      if (c === ST8 || c === CAN || c === SUB || c === BEL) return k + 1;
      if (c === ESC) return code(k + 1) === 0x5c ? k + 2 : k; // ESC \ is ST; another ESC starts a new sequence
    }
    return n;
  };
  /** End of a CSI whose parameters start at k: parameter 0x30-0x3f, intermediate 0x20-0x2f, final 0x40-0x7e. */
  const endOfCsi = (k: number): number => {
    while (k < n && code(k) >= 0x30 && code(k) <= 0x3f) k++;
    while (k < n && code(k) >= 0x20 && code(k) <= 0x2f) k++;
    // A malformed sequence ends at the offending character, which is then read on its own (as xterm does).
    return k < n && code(k) >= 0x40 && code(k) <= 0x7e ? k + 1 : k;
  };
  /** End of the sequence introduced by C1 control `c` (7-bit or 8-bit form) whose body starts at k. */
  const endOfC1 = (c: number, k: number): number => {
    switch (c) {
      case 0x9b:
        return endOfCsi(k);
      case 0x9d: // OSC
      case 0x90: // DCS
      case 0x98: // SOS
      case 0x9e: // PM
      case 0x9f: // APC
        return endOfString(k);
      case 0x8e:
      case 0x8f:
        // The shifted character is one graphic character; a control ends the shift unconsumed.
        return k < n && !isControl(code(k)) ? k + 1 : k;
      default:
        return k;
    }
  };

  while (i < n) {
    const c = code(i);
    if (c === ESC) {
      const next = i + 1 < n ? code(i + 1) : -1;
      if (next >= 0x40 && next <= 0x5f) {
        // ESC Fe is the 7-bit form of C1 control 0x80 + (Fe - 0x40).
        i = endOfC1(next + 0x40, i + 2);
      } else if (next >= 0x20 && next <= 0x2f) {
        let k = i + 1;
        while (k < n && code(k) >= 0x20 && code(k) <= 0x2f) k++;
        i = k < n && code(k) >= 0x30 && code(k) <= 0x7e ? k + 1 : k;
      } else if (next >= 0x30 && next <= 0x7e) {
        i += 2; // Fp / Fs: ESC 7, ESC c (reset), ESC = ...
      } else {
        i += 1; // bare ESC
      }
      continue;
    }
    if (c >= 0x80 && c <= 0x9f) {
      i = endOfC1(c, i + 1);
      continue;
    }
    if (c === 0x0a || c === 0x2028 || c === 0x2029) {
      out += opts.newlines ? '\n' : ' ';
      i++;
      continue;
    }
    if (c === 0x09) {
      out += opts.tabs ? '\t' : ' ';
      i++;
      continue;
    }
    // Everything else is dropped: \r too (of \r\n the \n stays; a lone \r would move the cursor
    // back to overwrite the line).
    if (isControl(c) || BIDI.has(c)) {
      i++;
      continue;
    }
    // Copy the run of ordinary characters up to the next special one in one slice.
    let k = i + 1;
    while (k < n) {
      const d = code(k);
      if (isControl(d) || BIDI.has(d) || d === 0x2028 || d === 0x2029) break;
      k++;
    }
    out += s.slice(i, k);
    i = k;
  }
  return out;
}

/** One line of someone else's text (a name, a notice): line breaks and tabs become spaces. */
export const safeLine = (s: string): string => safeText(s);

/** Multi-line text (a clarification, a statement, compiler output): keeps \n and \t. */
export const safeBlock = (s: string): string => safeText(s, { newlines: true, tabs: true });

/**
 * Output a program produced (compiler output, stderr excerpts) for a terminal or a page: a CR before
 * a newline is dropped and any other CR becomes a newline (so nothing overprints), then safeBlock,
 * then at most `maxChars` characters, saying where it was cut.
 */
export function programOutput(s: string, maxChars: number): string {
  const clean = safeBlock(s.replace(/\r\n/g, '\n').replace(/\r/g, '\n'));
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars)}\n[... cut at ${maxChars} characters]`;
}

/**
 * The first character a name or message sent to the server may not hold, described for an error
 * message ("U+001B (a control character) at position 5"), or null when the text is clean. Used by the
 * protocol to refuse such text at the edge; `multiLine` allows \n, \t and \r (clarification text).
 */
export function forbiddenCharIn(s: string, multiLine: boolean): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // \r is allowed in messages so text pasted from a CRLF file is accepted; views drop it.
    if (multiLine && (c === 0x0a || c === 0x09 || c === 0x0d)) continue;
    const what = isControl(c) ? 'a control character' : BIDI.has(c) ? 'a bidi control' : c === 0x2028 || c === 0x2029 ? 'a line separator' : null;
    if (what) return `U+${c.toString(16).toUpperCase().padStart(4, '0')} (${what}) at position ${i + 1}`;
  }
  return null;
}

/**
 * Fields of protocol values that are shown on one line (names, labels); every other string field
 * keeps its line breaks and tabs (statements, clarifications, compiler output, sources, test data).
 */
const ONE_LINE_FIELDS: ReadonlySet<string> = new Set([
  'name', 'teamName', 'displayName', 'organization', 'username', 'byUsername', 'label', 'testName', 'worker', 'signal',
]);

/**
 * A copy of a protocol value (a request's result, an event, a snapshot) with every string in it made
 * terminal-safe: one-line fields with safeLine, the rest with safeBlock. Objects and arrays with
 * nothing to change are returned as they are. For views only: --json output prints the value exact.
 */
export function safeData<T>(value: T, key?: string): T {
  if (typeof value === 'string') return (key !== undefined && ONE_LINE_FIELDS.has(key) ? safeLine(value) : safeBlock(value)) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = safeData(value[i], key === 'fileNames' ? 'name' : key);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value)) {
      const w = safeData(v, k);
      if (w !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = w;
    }
    return (out ?? value) as T;
  }
  return value;
}
