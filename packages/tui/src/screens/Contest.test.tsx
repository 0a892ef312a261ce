import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../app.tsx';
import { RequestError } from '../client.ts';
import { JUDGE_USER, clock, teamState } from '../../test-utils/fixtures.ts';
import { KEY, eventually, fakeApi, frameContaining, frameFits, renderAt, tick, type Rendered } from '../../test-utils/testing.tsx';
import { formatUtc, timesRequest } from './Contest.tsx';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

const HOUR = 3_600_000;

async function mountContest(cols: number, rows: number) {
  const store = teamState({ user: JUDGE_USER });
  const c = store.getSnapshot().clock!;
  const api = fakeApi({
    jurySubmissions: () => ({ submissions: [] }),
    setContestTimes: (f) => {
      if (f.startAtMs !== c.startAtMs) throw new RequestError('conflict', 'there are submissions from before: the start cannot be moved after them', 'startAtMs');
      return { clock: { ...c, durationMs: Number(f.durationMs), endAtMs: c.startAtMs! + Number(f.durationMs), freezeAtMs: f.freezeDurationMs === null ? null : c.startAtMs! + Number(f.durationMs) - Number(f.freezeDurationMs) } };
    },
  });
  const r = renderAt(<App store={store} api={api} />, cols, rows);
  mounted.push(r);
  await tick(30);
  await r.press('7');
  await frameContaining(r, 'e  edit start, end and freeze');
  return { r, api, c };
}

/** Replaces the focused field's text (Ctrl-U clears before the cursor, which is at the end). */
const retype = async (r: Rendered, text: string) => {
  await r.press('\u0015', text);
};

describe('Contest screen: editing the times', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: a freeze outside the contest refused at its field, a server refusal at its field, then saved after y`, async () => {
      const { r, api, c } = await mountContest(cols, rows);
      await r.press('e');
      let f = await frameContaining(r, 'Contest times (UTC');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      expect(f).toContain(formatUtc(c.startAtMs));
      await r.press(KEY.tab, KEY.tab);
      await retype(r, formatUtc(c.endAtMs! + HOUR));
      await r.press(KEY.enter);
      f = await frameContaining(r, 'the freeze must be inside the contest');
      expect(f).toMatch(/› Freeze[^\n]*\n\s+the freeze must be inside/);
      expect(api.calls.some((x) => x.type === 'setContestTimes')).toBe(false);

      await retype(r, formatUtc(c.freezeAtMs));
      await r.press(KEY.tab);
      await retype(r, formatUtc(c.startAtMs! + 10 * 60_000));
      await r.press(KEY.enter);
      await frameContaining(r, 'Change the contest times for everybody?');
      await r.press('y');
      f = await frameContaining(r, 'the start cannot be moved');
      expect(f).toMatch(/› Start[^\n]*\n\s+there are submissions/);

      await retype(r, formatUtc(c.startAtMs));
      await r.press(KEY.tab);
      await retype(r, formatUtc(c.endAtMs! + HOUR));
      await r.press(KEY.tab);
      await retype(r, '-');
      await r.press(KEY.enter, 'y');
      f = await frameContaining(r, 'Contest times changed');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      await eventually(() => api.calls.filter((x) => x.type === 'setContestTimes').length === 2);
      expect(api.calls.filter((x) => x.type === 'setContestTimes').at(-1)).toMatchObject({ startAtMs: c.startAtMs, durationMs: 6 * HOUR, freezeDurationMs: null });
      expect(f).toContain(formatUtc(c.endAtMs! + HOUR));
    });
  }

  test('timesRequest: no start in the past before the start, no unscheduling once started, the end after the start', () => {
    const now = Date.UTC(2026, 11, 2, 9, 0, 0);
    const before = { ...clock('before'), startAtMs: now + HOUR, endAtMs: now + 6 * HOUR, freezeAtMs: null };
    expect(timesRequest({ start: formatUtc(now - HOUR), end: formatUtc(now + 6 * HOUR), freeze: '-' }, before, now)).toMatchObject({ ok: false, field: 'start', message: expect.stringMatching(/in the past/) });
    // The server's rule (shared startLeadError): not within 30 s either; an unchanged start passes.
    expect(timesRequest({ start: formatUtc(now + 20_000), end: formatUtc(now + 6 * HOUR), freeze: '-' }, before, now)).toEqual({
      ok: false,
      field: 'start',
      message: 'the new start is only 20 s from now: a start must be at least 30 s ahead; S starts the contest now',
    });
    expect(timesRequest({ start: formatUtc(now + 30_000), end: formatUtc(now + 6 * HOUR), freeze: '-' }, before, now)).toMatchObject({ ok: true, startAtMs: now + 30_000 });
    const soon = { ...before, startAtMs: now + 10_000 };
    expect(timesRequest({ start: formatUtc(now + 10_000), end: formatUtc(now + 6 * HOUR), freeze: '-' }, soon, now)).toMatchObject({ ok: true, startAtMs: now + 10_000 });
    const running = { ...clock('running'), startAtMs: now - HOUR, endAtMs: now + 4 * HOUR };
    expect(timesRequest({ start: '-', end: formatUtc(now + 4 * HOUR), freeze: '-' }, running, now)).toMatchObject({ ok: false, field: 'start' });
    expect(timesRequest({ start: formatUtc(now - HOUR), end: formatUtc(now - 2 * HOUR), freeze: '-' }, running, now)).toMatchObject({ ok: false, field: 'end' });
    expect(timesRequest({ start: '2026-13-40 99:00', end: formatUtc(now), freeze: '-' }, running, now)).toMatchObject({ ok: false, field: 'start' });
    expect(timesRequest({ start: formatUtc(now - HOUR), end: formatUtc(now + 4 * HOUR), freeze: formatUtc(now + 3 * HOUR) }, running, now)).toEqual({ ok: true, startAtMs: now - HOUR, durationMs: 5 * HOUR, freezeDurationMs: HOUR });
  });
});
