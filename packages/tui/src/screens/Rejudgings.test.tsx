import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Rejudging, RejudgingItem } from '@judged/shared/protocol';
import { App } from '../app.tsx';
import { JUDGE_USER, T0, teamState } from '../../test-utils/fixtures.ts';
import { KEY, fakeApi, frameContaining, frameFits, renderAt, tick, type Rendered } from '../../test-utils/testing.tsx';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

const rj = (over: Partial<Rejudging> = {}): Rejudging => ({
  id: '7', scope: { kind: 'problem', problemId: 'pa' }, verdicts: null, reason: 'new tests', byUsername: 'jury', state: 'pending',
  createdAtMs: T0, decidedAtMs: null, decidedBy: null, submissionCount: 3, doneCount: 3, changedCount: 1, ...over,
});
const item = (id: string, oldV: RejudgingItem['oldVerdict'], newV: RejudgingItem['newVerdict'], status: RejudgingItem['newStatus'] = 'done'): RejudgingItem => ({
  submissionId: id, teamId: `team${id}`, teamName: `Team ${id}`, problemId: 'pa', oldJudgingId: `${id}0`, oldVerdict: oldV, oldTimeMs: 120,
  newJudgingId: `${id}1`, newStatus: status, newVerdict: newV, newTimeMs: status === 'done' ? 250 : null,
});
const ITEMS = [item('11', 'AC', 'AC'), item('12', 'AC', 'TLE'), item('13', 'WA', 'WA')];

async function mountJury(cols: number, rows: number, list: Rejudging[], items = ITEMS) {
  const store = teamState({ teams: 300, user: JUDGE_USER });
  const api = fakeApi({
    jurySubmissions: () => ({ submissions: [] }),
    rejudgings: () => ({ rejudgings: list }),
    rejudging: (f) => ({ rejudging: list.find((r) => r.id === f.rejudgingId)!, items }),
    decideRejudging: (f) => ({ rejudging: { ...list.find((r) => r.id === f.rejudgingId)!, state: f.action === 'apply' ? 'applied' : 'cancelled', decidedBy: 'jury', decidedAtMs: T0 } }),
  });
  const r = renderAt(<App store={store} api={api} />, cols, rows);
  mounted.push(r);
  await tick(30);
  await r.press('8');
  return { r, api, store };
}

describe('Rejudgings screen', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: the list, old beside new, apply asks first and only then acts`, async () => {
      const { r, api } = await mountJury(cols, rows, [rj(), rj({ id: '6', state: 'applied', scope: { kind: 'submission', submissionId: '3' }, submissionCount: 1, doneCount: 1, changedCount: 0 })]);
      let f = await frameContaining(r, 'pending');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      expect(f).toMatch(/7\s+pending\s+3\/3\s+1\s+problem A/);
      expect(f).toMatch(/6\s+applied\s+1\/1\s+0\s+submission 3/);
      await r.press(KEY.enter);
      f = await frameContaining(r, 'Team 12');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      // The changed row is marked and shows both verdicts.
      expect(f).toMatch(/! 12\s+Team 12\s+A\s+AC\s+120 ms\s+→\s+TLE\s+250 ms/);
      expect(f).toMatch(/ {2}11\s+Team 11\s+A\s+AC\s+120 ms\s+→\s+AC/);
      await r.press('a');
      expect(r.frame()).toContain('Apply rejudging 7? Its new verdicts count');
      await r.press('n');
      expect(api.calls.some((c) => c.type === 'decideRejudging')).toBe(false);
      await r.press('a', 'y');
      f = await frameContaining(r, 'applied: 1 verdict(s) changed');
      expect(api.calls.find((c) => c.type === 'decideRejudging')).toMatchObject({ rejudgingId: '7', action: 'apply' });
    });
  }

  test('an unfinished rejudging cannot be applied but can be cancelled; a decided one neither', async () => {
    const { r, api, store } = await mountJury(80, 24, [rj({ doneCount: 1 })], [item('11', 'AC', 'WA'), item('12', 'AC', null, 'running'), item('13', 'WA', null, 'queued')]);
    await frameContaining(r, 'pending');
    await r.press(KEY.enter);
    let f = await frameContaining(r, 'Team 13');
    expect(f).toMatch(/12\s+Team 12\s+A\s+AC\s+120 ms\s+→\s+running/);
    await r.press('a');
    expect(await frameContaining(r, 'still to finish')).toContain('Rejudging 7: 2 judging(s) still to finish; wait, or cancel it.');
    await r.press('c', 'y');
    await frameContaining(r, 'cancelled: the old verdicts stay');
    expect(api.calls.find((c) => c.type === 'decideRejudging')).toMatchObject({ rejudgingId: '7', action: 'cancel' });
    // The event that follows updates the list; a second decision is refused locally.
    store.applyEvent({ type: 'event', seq: 9000, atMs: T0, event: { kind: 'rejudging', rejudging: rj({ state: 'cancelled', doneCount: 3 }) } });
    await r.press(KEY.escape);
    f = await frameContaining(r, 'cancelled');
    await r.press('a');
    expect(await frameContaining(r, 'was cancelled already')).toContain('Rejudging 7 was cancelled already.');
  });
});
