import { describe, expect, it } from 'vitest';
import { plainText } from './text.ts';

describe('plainText', () => {
  it('drops terminal escapes, other controls and bidi overrides, keeps tabs and newlines', () => {
    const s = 'a.c:1:1: \x1b[31merror\x1b[0m\r\n\tx\x07\x00\u009b2J\u202eevil\u2066';
    expect(plainText(s, 1000)).toBe('a.c:1:1: [31merror[0m\n\tx2Jevil');
  });
  it('caps the length and says so', () => {
    expect(plainText('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}\n[... cut at 10 characters]`);
    expect(plainText('short', 10)).toBe('short');
  });
});
