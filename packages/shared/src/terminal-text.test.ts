import { describe, expect, it } from 'vitest';
import { forbiddenCharIn, programOutput, safeBlock, safeData, safeLine, safeText } from './terminal-text.ts';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

// [what, hostile input, safeLine result, safeBlock result (when it differs)]
const HOSTILE: Array<[string, string, string, string?]> = [
  ['plain ASCII is untouched', 'Team Alpha (Uni X)', 'Team Alpha (Uni X)'],
  ['Unicode letters, CJK and emoji are untouched', 'Équipe 東京 🚀', 'Équipe 東京 🚀'],
  ['SGR colour', `${ESC}[31;1mred${ESC}[0m`, 'red'],
  ['cursor-position report request', `a${ESC}[6nb`, 'ab'],
  ['cursor moves and erase', `${ESC}[2J${ESC}[H${ESC}[10;20Hx${ESC}[K`, 'x'],
  ['CSI with private parameter and intermediate', `${ESC}[?1049h${ESC}[1 qok`, 'ok'],
  ['OSC 52 clipboard write ended by BEL', `hi${ESC}]52;c;cm0gLXJmIH4=${BEL}there`, 'hithere'],
  ['OSC 52 ended by ST', `hi${ESC}]52;c;cm0gLXJmIH4=${ST}there`, 'hithere'],
  ['OSC 0 window title', `${ESC}]0;pwned${BEL}ok`, 'ok'],
  ['OSC 8 hyperlink keeps its visible text', `${ESC}]8;;http://evil/${ST}click${ESC}]8;;${ST}`, 'click'],
  ['unterminated OSC swallows the rest', `ok${ESC}]52;c;AAAA and more`, 'ok'],
  ['OSC ended by CAN', `${ESC}]2;x\x18after`, 'after'],
  ['OSC broken by a new ESC sequence', `${ESC}]2;x${ESC}[31mred`, 'red'],
  ['DCS (sixel / DECRQSS)', `a${ESC}Pq#0;2;0;0;0#0~~${ST}b`, 'ab'],
  ['DCS tmux passthrough', `a${ESC}Ptmux;${ESC}${ESC}]52;c;AAAA${BEL}${ST}b`, 'ab'],
  ['APC', `a${ESC}_Gf=100;AAAA${ST}b`, 'ab'],
  ['PM', `a${ESC}^private${ST}b`, 'ab'],
  ['SOS', `a${ESC}Xstring${ST}b`, 'ab'],
  ['SS2 and SS3 with their shifted characters', `a${ESC}Nxb${ESC}Oyc`, 'abc'],
  ['charset designation (nF)', `${ESC}(0lqk${ESC}(B`, 'lqk'],
  ['reset and keypad modes (Fs, Fp)', `${ESC}c${ESC}=${ESC}7x${ESC}8`, 'x'],
  ['bare ESC at the end', `x${ESC}`, 'x'],
  ['ESC before a non-ASCII character', `x${ESC}é`, 'xé'],
  ['8-bit CSI', `a\x9b31mb`, 'ab'],
  ['8-bit OSC ended by 8-bit ST', `a\x9d52;c;AAAA\x9cb`, 'ab'],
  ['8-bit DCS, APC, PM, SOS', `a\x90x\x9cb\x9fy\x9cc\x9ez\x9cd\x98w\x9ce`, 'abcde'],
  ['8-bit SS3', `a\x8fxb`, 'ab'],
  ['other C1 controls (NEL, IND, RI)', `a\x85b\x84c\x8dd`, 'abcd'],
  ['BEL, BS, VT, FF, NUL, DEL', `a${BEL}b\bc\x0bd\x0ce\x00f\x7fg`, 'abcdefg'],
  ['lone CR cannot overwrite the line', 'fake AC\rWA', 'fake ACWA'],
  ['CRLF is a line break', 'one\r\ntwo', 'one two', 'one\ntwo'],
  ['newline and tab kept only in blocks', 'a\nb\tc', 'a b c', 'a\nb\tc'],
  ['Unicode line and paragraph separators', 'a\u2028b\u2029c', 'a b c', 'a\nb\nc'],
  ['bidi override (Trojan Source)', 'admin\u202e\u2066 // gnp.exe\u2069\u2066', 'admin // gnp.exe'],
  ['bidi embeddings, isolates and marks', '\u202ax\u202b\u202cy\u2067\u2068z\u200e\u200f\u061c', 'xyz'],
];

describe('safeText', () => {
  it.each(HOSTILE)('%s', (_what, input, line, block) => {
    expect(safeLine(input)).toBe(line);
    expect(safeBlock(input)).toBe(block ?? line);
  });

  it('keeps newlines without tabs when asked', () => {
    expect(safeText('a\n\tb', { newlines: true })).toBe('a\n b');
    expect(safeText('a\n\tb', { tabs: true })).toBe('a \tb');
  });

  // Bounded fuzz: random strings built mostly from the bytes escape sequences are made of.
  it('never lets a control character through (5,000 random strings, seeded)', () => {
    let seed = 0x2545f491;
    const rand = (k: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % k;
    };
    const alphabet = [ESC, '[', ']', 'P', '_', '^', 'X', 'N', 'O', '\\', ';', '5', '2', 'm', 'c', BEL, '\x18', '\n', '\t', '\r', ' ', 'a', 'é', '東', '\u202e', '\u2066', '\u2028', '\x9b', '\x9c', '\x9d', '\x90', '\x8f', '\x85', '\x00', '\x7f', '(', '?'];
    const bad = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
    for (let t = 0; t < 5000; t++) {
      let s = '';
      const len = rand(40);
      for (let j = 0; j < len; j++) s += rand(4) === 0 ? String.fromCharCode(rand(0xa0)) : alphabet[rand(alphabet.length)];
      const block = safeBlock(s);
      const line = safeLine(s);
      if (bad.test(block) || /[\n\t]/.test(line) || bad.test(line)) throw new Error(`unsafe output for ${JSON.stringify(s)}: ${JSON.stringify(block)}`);
      // Sanitising twice changes nothing more, and printable ASCII the input had is never invented.
      expect(safeBlock(block)).toBe(block);
      expect(block.length).toBeLessThanOrEqual(s.length);
    }
  });

  it('returns ordinary text as the same string (no copy)', () => {
    const s = 'x'.repeat(10_000);
    expect(safeLine(s)).toBe(s);
  });
});

describe('forbiddenCharIn', () => {
  it('names the first control character and where it is', () => {
    expect(forbiddenCharIn('ab\x1b]52;c;x\x07', false)).toBe('U+001B (a control character) at position 3');
    expect(forbiddenCharIn('team\u202e', false)).toBe('U+202E (a bidi control) at position 5');
    expect(forbiddenCharIn('a\u2028b', false)).toBe('U+2028 (a line separator) at position 2');
    expect(forbiddenCharIn('a\x9bb', true)).toBe('U+009B (a control character) at position 2');
  });
  it('allows line breaks and tabs only in multi-line text', () => {
    expect(forbiddenCharIn('line one\r\n\tline two', true)).toBeNull();
    expect(forbiddenCharIn('line one\nline two', false)).toBe('U+000A (a control character) at position 9');
    expect(forbiddenCharIn('Équipe 東京 🚀', false)).toBeNull();
  });
});

describe('safeData', () => {
  it('cleans every string of a protocol value, names on one line, texts keeping their lines', () => {
    const hostile = {
      scoreboard: { rows: [{ rank: 1, teamName: `Evil${ESC}]0;title${BEL}\nTeam`, organization: null, cells: [{ solved: true }] }] },
      clarification: { text: `line one\n${ESC}]52;c;cm0gLXJm${BEL}line two\t${ESC}[6n`, quotedQuestion: null },
      fileNames: ['main.cpp'],
    };
    expect(safeData(hostile)).toEqual({
      scoreboard: { rows: [{ rank: 1, teamName: 'Evil Team', organization: null, cells: [{ solved: true }] }] },
      clarification: { text: 'line one\nline two\t', quotedQuestion: null },
      fileNames: ['main.cpp'],
    });
    // The input is not modified, and clean parts are shared rather than copied.
    expect(hostile.scoreboard.rows[0]!.teamName).toContain(ESC);
    const clean = { a: [{ name: 'x' }], b: 'y' };
    expect(safeData(clean)).toBe(clean);
    const mixed = { a: [{ name: 'x' }], b: `${ESC}[1m` };
    expect(safeData(mixed).a).toBe(mixed.a);
  });
});

describe('programOutput (compiler output shown to a team)', () => {
  it('drops whole escape sequences, other controls and bidi overrides, keeps tabs and newlines, no CR overprint', () => {
    const s = 'a.c:1:1: \x1b[31merror\x1b[0m\r\n\tx\x07\x00\u009b2J\u202eevil\u2066\rover\x1b]52;c;aGk=\x07';
    expect(programOutput(s, 1000)).toBe('a.c:1:1: error\n\txevil\nover');
  });
  it('caps the length and says so', () => {
    expect(programOutput('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}\n[... cut at 10 characters]`);
    expect(programOutput('short', 10)).toBe('short');
  });
});
