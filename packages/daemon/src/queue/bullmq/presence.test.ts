import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/log.ts';
import { goneMs, judgehostState, readJudgehosts, STALE_MS } from './presence.ts';

const NOW = 1_800_000_000_000;
const status = (name: string, seenAtMs: number) => JSON.stringify({ name, doctor: 'ok', workers: 1, busy: 0, current: [], done: 3, errors: 0, startedAtMs: NOW - 600_000, seenAtMs, draining: false });

describe('judgehost lifecycle', () => {
  it('alive while its status is fresh, stale after a few silent seconds, gone after goneMs', () => {
    expect(judgehostState(0, 60_000)).toBe('alive');
    expect(judgehostState(STALE_MS - 1, 60_000)).toBe('alive');
    expect(judgehostState(STALE_MS, 60_000)).toBe('stale');
    expect(judgehostState(59_999, 60_000)).toBe('stale');
    expect(judgehostState(60_000, 60_000)).toBe('gone');
  });

  it('reads each state with its age from the hash; a malformed or misnamed status is left out', async () => {
    const fake = {
      hgetall: async () => ({ a: status('a', NOW - 500), b: status('b', NOW - 20_000), c: status('c', NOW - 120_000), d: '{', e: status('x', NOW) }),
      smembers: async () => ['c'],
    } as unknown as Redis;
    const hosts = await readJudgehosts(fake, silentLogger, NOW, 60_000);
    expect(hosts.map((h) => [h.name, h.state, h.alive, h.seenAgoMs, h.disabled])).toEqual([
      ['a', 'alive', true, 500, false],
      ['b', 'stale', false, 20_000, false],
      ['c', 'gone', false, 120_000, true],
    ]);
  });

  it('JUDGED_JUDGEHOST_GONE_MS: a minute by default, refused unless above the stale age', () => {
    expect(goneMs({})).toBe(60_000);
    expect(goneMs({ JUDGED_JUDGEHOST_GONE_MS: '15000' })).toBe(15_000);
    expect(() => goneMs({ JUDGED_JUDGEHOST_GONE_MS: '1000' })).toThrow(/above/);
    expect(() => goneMs({ JUDGED_JUDGEHOST_GONE_MS: 'soon' })).toThrow(/JUDGED_JUDGEHOST_GONE_MS/);
  });
});
