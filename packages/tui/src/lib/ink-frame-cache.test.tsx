/**
 * The frame cache (ink-frame-cache.ts) must give exactly the frame Ink's own Output.get gives: every
 * frame of a tour through the team's and the jury's screens, at 80x24 and 160x50, is built by both
 * and compared; plus hand-made outputs with what the screens rarely draw (wide characters, a
 * horizontal clip, transformers, a write past the edge, styles spanning rows).
 */
import React from 'react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { frameCache } from './ink-frame-cache.ts';
import { App } from '../app.tsx';
import type { Rejudging, RejudgingItem } from '@judged/shared/protocol';
import { JUDGE_USER, T0, teamState } from '../../test-utils/fixtures.ts';
import { KEY, fakeApi, frameContaining, renderAt, type Rendered } from '../../test-utils/testing.tsx';

const REJUDGING: Rejudging = {
  id: '1', scope: { kind: 'problem', problemId: 'pa' }, verdicts: null, reason: null, byUsername: 'jury', state: 'pending',
  createdAtMs: T0, decidedAtMs: null, decidedBy: null, submissionCount: 120, doneCount: 120, changedCount: 3,
};
const REVIEW: RejudgingItem[] = Array.from({ length: 120 }, (_, i) => ({
  submissionId: String(i + 1), teamId: `team${i}`, teamName: `Team ${i} of the room`, problemId: 'pa', oldJudgingId: String(i), oldVerdict: 'AC',
  oldTimeMs: 100 + i, newJudgingId: String(1000 + i), newStatus: 'done', newVerdict: i % 40 === 0 ? 'WA' : 'AC', newTimeMs: 90 + i,
}));

type Out = { width: number; height: number; operations: unknown[]; get(): { output: string; height: number }; write(x: number, y: number, text: string, o: { transformers: ((l: string, i: number) => string)[] }): void; clip(c: object): void; unclip(): void };

const mounted: Rendered[] = [];
let compared = 0;
const mismatches: string[] = [];
let cached: (() => { output: string; height: number }) | null = null;

beforeEach(() => {
  // Every frame Ink builds goes through both: the cached get (what the app uses) and Ink's own.
  const Output = frameCache.Output!;
  cached = Output.prototype.get;
  Output.prototype.get = function (this: Out) {
    const mine = cached!.call(this);
    const ink = frameCache.original!.call(this);
    compared++;
    if (mine.output !== ink.output || mine.height !== ink.height) mismatches.push(`mine:\n${mine.output}\nink:\n${ink.output}`);
    return mine;
  };
});
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
  frameCache.Output!.prototype.get = cached!;
});

test('installed over the Ink in use', () => {
  expect(frameCache.reason).toBeNull();
  expect(frameCache.installed).toBe(true);
});

describe('the same frames as Ink', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: a team's and the jury's screens, moving, filtering, switching, resizing`, async () => {
      compared = 0;
      mismatches.length = 0;
      const team = renderAt(<App store={teamState({ teams: 300, submissions: 60, problems: 12 })} api={fakeApi({ submissions: () => ({ submissions: [] }) })} />, cols, rows);
      mounted.push(team);
      await frameContaining(team, 'Problems');
      for (const screen of ['1', '2', '4', '5', '6', '7']) {
        await team.press(screen, 'j', 'j', 'k');
      }
      await team.press('5', '/', 'Team 2', KEY.enter, 'n', KEY.right, KEY.pageDown, 'G', 'g', '?');
      await team.press(KEY.escape, '3');
      await team.resize(100, 30);
      await team.press('4', 'j', KEY.enter);
      await team.resize(cols, rows);
      await team.press(KEY.escape, 'k');
      team.unmount();
      mounted.pop();

      const jury = renderAt(
        <App
          store={teamState({ teams: 300, submissions: 60, problems: 12, user: JUDGE_USER })}
          api={fakeApi({ jurySubmissions: () => ({ submissions: [] }), teams: () => ({ teams: [] }), rejudgings: () => ({ rejudgings: [REJUDGING] }), rejudging: () => ({ rejudging: REJUDGING, items: REVIEW }) })}
        />,
        cols,
        rows,
      );
      mounted.push(jury);
      await frameContaining(jury, 'Queue');
      for (const screen of ['2', '3', '4', '5', '6', '7', '8', '9']) await jury.press(screen, 'j', 'k');
      // A review scrolled line by line: every row moves up or down one, and is found by its content.
      await jury.press('8', KEY.enter);
      expect(await frameContaining(jury, 'Team 0 of the room')).toContain('→');
      await jury.press('j', 'j', 'j', 'k', 'j', KEY.pageDown, 'k', KEY.escape);
      await jury.press('3', 'G', '?', KEY.escape);

      expect(mismatches.slice(0, 1)).toEqual([]);
      expect(compared).toBeGreaterThan(40);
    });
  }
});

describe('the same output as Ink for what screens rarely draw', () => {
  const build = (width: number, height: number, draw: (o: Out) => void) => {
    const o = new frameCache.Output!({ width, height }) as unknown as Out;
    draw(o);
    return o;
  };
  const none = { transformers: [] };
  const cases: [string, (o: Out) => void][] = [
    ['wide characters and an emoji', (o) => o.write(0, 0, '日本語のチーム 🎈 ok\nnext', none)],
    ['styles across rows and cells', (o) => o.write(2, 1, '\x1b[1m\x1b[32mbold green\nstill\x1b[39m plain bold\x1b[22m\nplain', none)],
    ['a horizontal and vertical clip', (o) => (o.clip({ x1: 2, x2: 8, y1: 1, y2: 3 }), o.write(0, 0, 'abcdefghijkl\n\x1b[7mmnopqrstuvwx\x1b[27m\nyz0123456789\n#####', none), o.unclip(), o.write(0, 4, 'after', none))],
    ['a write outside the clip', (o) => (o.clip({ x1: 0, x2: 4, y1: 0, y2: 1 }), o.write(10, 3, 'gone', none), o.unclip())],
    ['transformers', (o) => o.write(0, 0, 'a\nb', { transformers: [(l, i) => `${i}:${l.toUpperCase()}`] })],
    ['a write past the right edge and below the bottom', (o) => o.write(6, 2, 'overflowing text\nand more\nand more', none)],
    ['rows that moved since the last frame', (o) => o.write(0, 0, '\x1b[31mone\x1b[39m\ntwo\n\x1b[7mthree\x1b[27m', none)],
    ['the same line at two columns on one row', (o) => (o.write(0, 1, 'ab', none), o.write(5, 1, 'ab', none))],
    ['overlapping writes', (o) => (o.write(0, 0, '\x1b[31mred red red\x1b[39m', none), o.write(4, 0, 'X', none))],
  ];
  test('a row is told apart by the column and the grid width, not only by its lines', () => {
    const ink = (o: Out) => frameCache.original!.call(o);
    const at = (x: number, w = 10) => build(w, 2, (o) => o.write(x, 0, '\x1b[1mab\x1b[22m', none));
    expect(at(0).get()).toEqual(ink(at(0)));
    expect(at(3).get()).toEqual(ink(at(3)));
    // Past the right edge the gap is holes (dropped) in a narrow grid and blanks in a wide one.
    expect(at(12).get()).toEqual(ink(at(12)));
    expect(at(12, 14).get()).toEqual(ink(at(12, 14)));
  });
  for (const [name, draw] of cases) {
    test(name, () => {
      // A frame before with the same lines one row lower, so rows come from the row cache at another height.
      build(10, 4, (o) => o.write(0, 1, '\x1b[31mone\x1b[39m\ntwo\n\x1b[7mthree\x1b[27m', none)).get();
      const mine = build(10, 4, draw).get();
      // Twice: the second frame comes from the caches.
      const again = build(10, 4, draw).get();
      const ink = frameCache.original!.call(build(10, 4, draw));
      expect(mine).toEqual(ink);
      expect(again).toEqual(ink);
    });
  }
});
