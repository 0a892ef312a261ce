import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompareFlags } from '../problems/types.ts';
import { compareFiles, compareSources, lineOfOffset, type ByteSource } from './default-validator.ts';

const DEFAULT: CompareFlags = { caseSensitive: false, spaceChangeSensitive: false };

function memSource(text: string | Buffer, chunk: number): ByteSource {
  const data = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  let pos = 0;
  return {
    read: async (buf) => {
      const n = Math.min(chunk, buf.length, data.length - pos);
      data.copy(buf, 0, pos, pos + n);
      pos += n;
      return n;
    },
    close: async () => {},
  };
}

async function cmp(team: string, judge: string, flags: Partial<CompareFlags> = {}, chunk = 1 << 20): Promise<'AC' | 'WA'> {
  const f = { ...DEFAULT, ...flags };
  const r = await compareSources(memSource(team, chunk), memSource(judge, chunk), f, { chunkBytes: chunk });
  return r.verdict;
}

/** The rules written the plain way (whole strings), to check the streaming version against. */
function reference(team: string, judge: string, f: CompareFlags): 'AC' | 'WA' {
  const sep = /([ \t\n\v\f\r]+)/;
  const floatRe = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
  const tokEq = (t: string, j: string): boolean => {
    if (f.caseSensitive ? t === j : t.toLowerCase() === j.toLowerCase()) return true;
    if (f.floatAbsoluteTolerance === undefined && f.floatRelativeTolerance === undefined) return false;
    if (!floatRe.test(j) || !floatRe.test(t)) return false;
    const d = Math.abs(Number(t) - Number(j));
    return (f.floatAbsoluteTolerance !== undefined && d <= f.floatAbsoluteTolerance) || (f.floatRelativeTolerance !== undefined && d <= f.floatRelativeTolerance * Math.abs(Number(j)));
  };
  if (f.spaceChangeSensitive) {
    const ta = team.split(sep);
    const ja = judge.split(sep);
    if (ta.length !== ja.length) return 'WA';
    for (let i = 0; i < ta.length; i++) {
      if (i % 2 === 1 ? ta[i] !== ja[i] : !tokEq(ta[i]!, ja[i]!)) return 'WA';
    }
    return 'AC';
  }
  const ta = team.split(/[ \t\n\v\f\r]+/).filter(Boolean);
  const ja = judge.split(/[ \t\n\v\f\r]+/).filter(Boolean);
  if (ta.length !== ja.length) return 'WA';
  return ta.every((t, i) => tokEq(t, ja[i]!)) ? 'AC' : 'WA';
}

describe('default output validator: rules', () => {
  it('accepts identical output and any whitespace change by default', async () => {
    expect(await cmp('1 2 3\n', '1 2 3\n')).toBe('AC');
    expect(await cmp('1   2\t3', '1 2 3\n')).toBe('AC');
    expect(await cmp('\n\n1\n2\n3\n\n', '1 2 3')).toBe('AC');
    expect(await cmp('', '')).toBe('AC');
    expect(await cmp('  \n', '')).toBe('AC');
    expect(await cmp('1\r\n2\r\n', '1\n2\n')).toBe('AC');
  });

  it('rejects different, missing and extra tokens', async () => {
    expect(await cmp('1 2 4', '1 2 3')).toBe('WA');
    expect(await cmp('1 2', '1 2 3')).toBe('WA');
    expect(await cmp('1 2 3 4', '1 2 3')).toBe('WA');
    expect(await cmp('12 3', '1 23')).toBe('WA');
    expect(await cmp('123', '12')).toBe('WA');
    expect(await cmp('12', '123')).toBe('WA');
    expect(await cmp('', '1')).toBe('WA');
    expect(await cmp('x', '')).toBe('WA');
  });

  it('is case-insensitive unless case_sensitive', async () => {
    expect(await cmp('YES', 'yes')).toBe('AC');
    expect(await cmp('Possible', 'POSSIBLE')).toBe('AC');
    expect(await cmp('YES', 'yes', { caseSensitive: true })).toBe('WA');
    expect(await cmp('yes', 'yes', { caseSensitive: true })).toBe('AC');
  });

  it('space_change_sensitive wants byte-identical whitespace, trailing included', async () => {
    const s = { spaceChangeSensitive: true };
    expect(await cmp('1 2\n', '1 2\n', s)).toBe('AC');
    expect(await cmp('1  2\n', '1 2\n', s)).toBe('WA');
    expect(await cmp('1\n2\n', '1 2\n', s)).toBe('WA');
    expect(await cmp('1 2', '1 2\n', s)).toBe('WA');
    expect(await cmp('1 2\n\n', '1 2\n', s)).toBe('WA');
  });

  it('compares numbers with absolute and relative tolerance', async () => {
    const t = { floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 };
    expect(await cmp('0.3333333', '0.333333333', t)).toBe('AC');
    expect(await cmp('0.3334', '0.333333333', t)).toBe('WA');
    expect(await cmp('1000000.5', '1000000', t)).toBe('AC'); // relative 5e-7
    expect(await cmp('1000002', '1000000', t)).toBe('WA');
    expect(await cmp('1e3', '1000', t)).toBe('AC');
    expect(await cmp('1E3', '1000', { ...t, caseSensitive: true })).toBe('AC');
    expect(await cmp('-0', '0', t)).toBe('AC');
    expect(await cmp('.5', '0.5', t)).toBe('AC');
    expect(await cmp('5.', '5', t)).toBe('AC');
    expect(await cmp('abc', '5', t)).toBe('WA');
    expect(await cmp('nan', '5', t)).toBe('WA');
    expect(await cmp('5.0000001 x', '5 x', t)).toBe('AC');
    expect(await cmp('5.0000001 y', '5 x', t)).toBe('WA');
    // A judge token that is not a number compares as a string.
    expect(await cmp('Abc', 'abc', t)).toBe('AC');
    expect(await cmp('0x10', '16', t)).toBe('WA');
  });

  it('absolute-only and relative-only tolerances apply alone', async () => {
    expect(await cmp('100.5', '100', { floatAbsoluteTolerance: 1 })).toBe('AC');
    expect(await cmp('100.5', '100', { floatRelativeTolerance: 0.001 })).toBe('WA');
    expect(await cmp('100.05', '100', { floatRelativeTolerance: 0.001 })).toBe('AC');
    expect(await cmp('0.0001', '0', { floatRelativeTolerance: 0.5 })).toBe('WA');
    expect(await cmp('0.0001', '0', { floatAbsoluteTolerance: 0.001 })).toBe('AC');
  });

  it('without tolerance numbers compare as strings', async () => {
    expect(await cmp('1.0', '1')).toBe('WA');
    expect(await cmp('01', '1')).toBe('WA');
  });

  it('says where and what differs', async () => {
    const r = await compareSources(memSource('1 2 5\n', 3), memSource('1 2 3\n', 3), DEFAULT, { chunkBytes: 3 });
    expect(r.message).toContain('expected "3", got "5"');
    const early = await compareSources(memSource('1', 4), memSource('1 2', 4), DEFAULT, { chunkBytes: 4 });
    expect(early.message).toContain('ended early');
    const trailing = await compareSources(memSource('1 2 junk', 4), memSource('1 2', 4), DEFAULT, { chunkBytes: 4 });
    expect(trailing.message).toContain('trailing output: "junk"');
  });

  it('does not keep a huge differing token in memory', async () => {
    const huge = Buffer.alloc(20 << 20, 0x61);
    const r = await compareSources(memSource(huge, 1 << 20), memSource('5', 1 << 20), { ...DEFAULT, floatAbsoluteTolerance: 1 }, {});
    expect(r.verdict).toBe('WA');
    expect(r.message.length).toBeLessThan(300);
  });
});

describe('default output validator: streaming matches the plain rules', () => {
  // Deterministic pseudo-random cases (no flakiness): tokens, numbers, case and whitespace changes,
  // long identical stretches (the memcmp fast path) and every chunk size that splits tokens.
  let seed = 12345;
  const rnd = (n: number): number => {
    // mulberry32: integer-only, so the sequence is the same on every machine.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const words = ['a', 'B', 'yes', 'YES', 'No', '1', '2', '10', '1.5', '1.50000001', '-3', '1e2', '100', '0.1', '.1', 'x1', 'abcdefghij'];
  const spaces = [' ', '  ', '\n', '\t', '\r\n', ' \n'];
  const makeText = (): string => {
    const n = rnd(6) === 0 ? 200 + rnd(100) : rnd(12);
    let s = rnd(4) === 0 ? pick(spaces) : '';
    for (let i = 0; i < n; i++) s += pick(words) + pick(spaces);
    return rnd(3) === 0 ? s.trimEnd() : s;
  };
  const mutate = (s: string): string => {
    switch (rnd(8)) {
      case 0:
        return s;
      case 1:
        return s.toUpperCase();
      case 2:
        return s.replace(/ /g, '\n');
      case 3: {
        const i = rnd(s.length + 1);
        return s.slice(0, i) + pick(words) + s.slice(i);
      }
      case 4: {
        const i = rnd(s.length + 1);
        return s.slice(0, i) + s.slice(i + 1);
      }
      case 5:
        return s.replace(/1\.5/, '1.5000000001');
      case 6:
        return `${s} `;
      default:
        return s.replace(/yes/i, 'no');
    }
  };
  const flagSets: CompareFlags[] = [
    DEFAULT,
    { caseSensitive: true, spaceChangeSensitive: false },
    { caseSensitive: false, spaceChangeSensitive: true },
    { caseSensitive: true, spaceChangeSensitive: true, floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 },
    { caseSensitive: false, spaceChangeSensitive: false, floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 },
    { caseSensitive: false, spaceChangeSensitive: false, floatRelativeTolerance: 1e-3 },
  ];

  it('agrees with the reference on 3000 generated cases at chunk sizes 1..4096', async () => {
    let waSeen = 0;
    let acSeen = 0;
    for (let k = 0; k < 3000; k++) {
      const judge = makeText();
      const team = mutate(judge);
      const flags = pick(flagSets);
      const chunk = pick([1, 2, 3, 5, 7, 64, 100, 4096]);
      const want = reference(team, judge, flags);
      const got = await cmp(team, judge, flags, chunk);
      if (got !== want) throw new Error(`mismatch: team=${JSON.stringify(team)} judge=${JSON.stringify(judge)} flags=${JSON.stringify(flags)} chunk=${chunk}: got ${got}, want ${want}`);
      if (want === 'AC') acSeen++;
      else waSeen++;
    }
    // The generator must produce both outcomes, or this test proves nothing.
    expect(acSeen).toBeGreaterThan(300);
    expect(waSeen).toBeGreaterThan(300);
  });
});

describe('default output validator: sparse differences in long outputs (memcmp windows resume)', () => {
  it('agrees with the reference on 40 long outputs with a few differences each', async () => {
    let seed = 99;
    const rnd = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const flags: CompareFlags = { caseSensitive: false, spaceChangeSensitive: false, floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 };
    let was = 0;
    for (let k = 0; k < 40; k++) {
      const words = Array.from({ length: 30_000 }, (_, i) => (i % 3 === 0 ? `${i}.5` : i % 3 === 1 ? `w${i}` : String(i)));
      const judge = `${words.join(' ')}\n`;
      const team = [...words];
      for (let m = 0; m < 1 + rnd(4); m++) {
        const at = rnd(team.length);
        const kind = rnd(4);
        if (kind === 0) team[at] = team[at]!.toUpperCase();
        else if (kind === 1) team[at] = `${team[at]}\n\n`;
        else if (kind === 2 && at % 3 === 0) team[at] = `${at}.5000000001`;
        else if (rnd(2) === 0) team[at] = `${team[at]}x`;
      }
      const text = `${team.join(' ')}\n`;
      const want = reference(text, judge, flags);
      if (want === 'WA') was++;
      for (const chunk of [1000, 4096, 65536, 1 << 20]) expect(await cmp(text, judge, flags, chunk), `case ${k} chunk ${chunk}`).toBe(want);
    }
    expect(was).toBeGreaterThan(3);
    expect(was).toBeLessThan(37);
  });
});

describe('compareFiles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-compare-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads files and reports the line of the first difference', async () => {
    const ans = path.join(dir, 'ans');
    const out = path.join(dir, 'out');
    fs.writeFileSync(ans, 'a\nb\nc\nd\n');
    fs.writeFileSync(out, 'a\nb\nX\nd\n');
    const r = await compareFiles(out, ans, DEFAULT);
    expect(r.verdict).toBe('WA');
    expect(r.message).toMatch(/^line 3 of the output: expected "c", got "X"/);
    fs.writeFileSync(out, 'A B\nC D');
    expect((await compareFiles(out, ans, DEFAULT)).verdict).toBe('AC');
  });

  it('handles multi-megabyte files with a difference near the end', async () => {
    const ans = path.join(dir, 'big.ans');
    const out = path.join(dir, 'big.out');
    const lines = Array.from({ length: 300_000 }, (_, i) => `${i} ${i * 7}`);
    fs.writeFileSync(ans, `${lines.join('\n')}\n`);
    fs.writeFileSync(out, `${lines.join('\n')}\n`);
    expect((await compareFiles(out, ans, DEFAULT)).verdict).toBe('AC');
    lines[299_990] = '299990 0';
    fs.writeFileSync(out, `${lines.join('\n')}\n`);
    const r = await compareFiles(out, ans, DEFAULT);
    expect(r.verdict).toBe('WA');
    expect(r.message).toContain('line 299991 ');
  });

  it('lineOfOffset counts newlines before an offset', async () => {
    const f = path.join(dir, 'lines');
    fs.writeFileSync(f, 'ab\ncd\n\nef');
    expect(await lineOfOffset(f, 0)).toBe(1);
    expect(await lineOfOffset(f, 3)).toBe(2);
    expect(await lineOfOffset(f, 8)).toBe(4);
  });
});
