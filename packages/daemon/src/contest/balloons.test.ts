/** Live balloons: what contest/balloons.ts appends for runners and the jury as ACs, marks, the freeze and team changes happen. */
import { describe, expect, it } from 'vitest';
import { Contest } from './contest.ts';
import { judged, seededStore } from '../../test-utils/store-fixtures.ts';

describe('live balloons (contest/balloons.ts)', () => {
  it('a new AC, a mark, a disabled team: events to runners and jury; the freeze keeps runners’ back until the unfreeze', () => {
    const store = seededStore();
    const contest = new Contest(store);
    const runner = { role: 'balloon' as const, teamId: null };
    const jury = { role: 'judge' as const, teamId: null };
    const since = (v: typeof runner | typeof jury, from: number) =>
      store.events.eventsSince(from, v).flatMap((e) => (e.event.kind === 'balloon' ? [[e.event.balloon.teamId, e.event.balloon.done, e.event.balloon.frozen, e.event.removed ?? false]] : []));
    let mark = store.events.headSeq();
    judged(store, 't1');
    judged(store, 't1');
    expect(since(runner, mark)).toEqual([['t1', false, false, false]]);
    expect(since(jury, mark)).toEqual([['t1', false, false, false]]);
    mark = store.events.headSeq();
    contest.balloons.setDone(runner, 't1', 'hello', true, 'runner');
    expect(since(runner, mark)).toEqual([['t1', true, false, false]]);
    // The freeze: t2's AC goes to the jury only, marked frozen; the runner gets it at the unfreeze.
    contest.control('freezeNow');
    mark = store.events.headSeq();
    judged(store, 't2');
    expect(since(runner, mark)).toEqual([]);
    expect(since(jury, mark)).toEqual([['t2', false, true, false]]);
    expect(contest.balloons.list(runner)).toMatchObject({ heldBack: true, hiddenByFreeze: null });
    expect(contest.balloons.list(jury).hiddenByFreeze).toBe(1);
    expect(contest.balloons.setDone(runner, 't2', 'hello', true, 'runner')).toBeUndefined();
    mark = store.events.headSeq();
    contest.control('unfreeze');
    expect(since(runner, mark)).toEqual([['t2', false, false, false]]);
    expect(since(jury, mark)).toEqual([['t2', false, false, false]]);
    // A disabled team's balloon goes, for both, and t2's becomes the problem's first solve.
    mark = store.events.headSeq();
    contest.setTeamEnabled('t1', false);
    expect(since(runner, mark)).toEqual([['t2', false, false, false], ['t1', true, false, true]]);
    expect(since(jury, mark)).toEqual([['t2', false, false, false], ['t1', true, false, true]]);
    expect(contest.balloons.list(runner).balloons.map((b) => [b.teamId, b.firstToSolve])).toEqual([['t2', true]]);
    // A WA makes no balloon event at all.
    mark = store.events.headSeq();
    judged(store, 't2', 'WA');
    expect(since(jury, mark)).toEqual([]);
  });
});
