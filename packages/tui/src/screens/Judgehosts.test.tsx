import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Judgehost } from '@judged/shared/protocol';
import { App } from '../app.tsx';
import { RequestError } from '../client.ts';
import { JUDGE_USER, T0, teamState } from '../../test-utils/fixtures.ts';
import { KEY, fakeApi, frameContaining, frameFits, renderAt, tick, type Rendered } from '../../test-utils/testing.tsx';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

const host = (name: string, state: Judgehost['state'], seenAgoMs: number): Judgehost => ({ name, alive: state === 'alive', state, seenAgoMs, disabled: false, draining: false, doctor: 'ok', workers: 1, busy: 0, current: [], done: 4, errors: 0, seenAtMs: T0 - seenAgoMs });

describe('Judgehosts screen', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: alive, stale and gone with the last-seen age; x removes only a gone one`, async () => {
      let hosts = [host('judge-a', 'alive', 1_000), host('judge-b', 'stale', 20_000), host('judge-c', 'gone', 300_000)];
      const api = fakeApi({
        jurySubmissions: () => ({ submissions: [] }),
        judgehosts: () => ({ queue: { backend: 'redis', up: true, problem: null }, judgehosts: hosts }),
        removeJudgehost: (f) => {
          if (hosts.find((h) => h.name === f.name)?.state !== 'gone') throw new RequestError('conflict', `${String(f.name)} is not gone`);
          hosts = hosts.filter((h) => h.name !== f.name);
          return { judgehosts: hosts };
        },
      });
      const r = renderAt(<App store={teamState({ teams: 3, user: JUDGE_USER })} api={api} />, cols, rows);
      mounted.push(r);
      await tick(30);
      await r.press('0');
      let f = await frameContaining(r, 'judge-c');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      expect(f).toMatch(/judge-a +idle +1s /);
      expect(f).toMatch(/judge-b +stale +20s /);
      expect(f).toMatch(/judge-c +gone +5m /);
      expect(f).toContain('1 of 3 alive, 1 stale, 1 gone');
      // A stale judgehost is not removed (the screen says why, the daemon is not asked).
      await r.press(KEY.down, 'x');
      f = await frameContaining(r, 'only a gone judgehost');
      expect(api.calls.filter((c) => c.type === 'removeJudgehost')).toEqual([]);
      await r.press(KEY.down, 'x');
      f = await frameContaining(r, 'judge-c removed from the list');
      expect(api.calls.filter((c) => c.type === 'removeJudgehost').map((c) => c.name)).toEqual(['judge-c']);
      expect(f).not.toMatch(/judge-c +gone/);
      expect(f).toContain('1 of 2 alive, 1 stale');
    });
  }
});
