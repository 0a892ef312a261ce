import { describe, expect, it } from 'vitest';
import { PASSWORD_ALPHABET, randomPassword } from './password.ts';

describe('randomPassword', () => {
  it('makes 12 characters from the alphabet without look-alikes', () => {
    for (let i = 0; i < 50; i++) expect(randomPassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{12}$/);
    expect(PASSWORD_ALPHABET).not.toMatch(/[0O1lI]/);
  });

  it('drops bytes that would favour the first characters (rejection sampling), drawing again when short', () => {
    // 224..255 are above the last whole multiple of 56: a modulo would map them to a..H.
    let call = 0;
    const feed = (b: Uint8Array) => {
      b.fill(call++ === 0 ? 230 : 1);
      b[0] = 0;
    };
    // First draw: one usable byte (0 -> 'a'), the rest refused; second draw: 0 then 1s ('b').
    expect(randomPassword(4, feed)).toBe('aabb');
  });

  it('is close to uniform over many draws (each character within 15% of the mean)', () => {
    const counts = new Map<string, number>();
    const draws = 4000;
    for (let i = 0; i < draws; i++) for (const c of randomPassword()) counts.set(c, (counts.get(c) ?? 0) + 1);
    const mean = (draws * 12) / PASSWORD_ALPHABET.length;
    for (const c of PASSWORD_ALPHABET) expect(Math.abs((counts.get(c) ?? 0) - mean) / mean).toBeLessThan(0.15);
  });
});
