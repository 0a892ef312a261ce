import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit.ts';

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then refuses until refilled', () => {
    let t = 0;
    const b = new TokenBucket({ capacity: 3, refillPerSecond: 2, now: () => t });
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect(b.waitMs()).toBe(500);
    t = 499;
    expect(b.take()).toBe(false);
    t = 500;
    expect(b.take()).toBe(true);
  });

  it('never holds more than capacity however long it idles', () => {
    let t = 0;
    const b = new TokenBucket({ capacity: 2, refillPerSecond: 10, now: () => t });
    t = 60_000;
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
  });

  it('charges a cost larger than one and refuses it whole when short', () => {
    let t = 0;
    const b = new TokenBucket({ capacity: 5, refillPerSecond: 1, now: () => t });
    expect(b.take(4)).toBe(true);
    expect(b.take(2)).toBe(false);
    expect(b.take(1)).toBe(true);
  });

  it('rejects a non-positive configuration', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
  });
});
