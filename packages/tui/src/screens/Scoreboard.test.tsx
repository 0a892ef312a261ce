import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { Scoreboard } from '@judged/shared/scoring';
import { App } from '../app.tsx';
import { cellText, OWN_TEAM_COLOUR, PARTIAL_COLOUR } from './Scoreboard.tsx';
import { problems, teamState } from '../../test-utils/fixtures.ts';
import { fakeApi, frameContaining, frameFits, renderAt, type Rendered } from '../../test-utils/testing.tsx';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

/** A score board of 40 teams on the fixture's problems: the first has three subtasks (20 + 30 + 50). */
function scoreState() {
  const state = teamState({ teams: 40 });
  const probs = problems(5);
  const subtasks = [
    { name: 'secret/01-tiny', maxScore: 20 },
    { name: 'secret/02-medium', maxScore: 30 },
    { name: 'secret/03-large', maxScore: 50 },
  ];
  const board = new Scoreboard({
    problems: probs.map((p, i) => ({ id: p.id, label: p.label, name: p.name, colour: p.colour, maxScore: 100, ...(i === 0 ? { subtasks } : {}) })),
    teams: Array.from({ length: 40 }, (_, t) => ({ id: `team${t + 1}`, name: `Team ${t + 1}`, organization: null })),
    view: 'public',
    type: 'score',
    scoreMode: 'subtask-sum',
  });
  let n = 0;
  const run = (teamId: string, problemId: string, minute: number, subtaskScores?: number[]) =>
    board.applyRun({ submissionId: String(++n), teamId, problemId, contestTimeMs: minute * 60_000, verdict: 'AC', ...(subtaskScores ? { score: subtaskScores.reduce((a, b) => a + b, 0), subtaskScores } : {}) });
  run('team1', probs[0]!.id, 10, [20, 15, 0]);
  run('team1', probs[0]!.id, 20, [0, 30, 37.5]);
  run('team1', probs[1]!.id, 30);
  run('team2', probs[0]!.id, 12, [20, 0, 0]);
  state.update({ scoreboard: board.snapshot() });
  return state;
}

describe('Scoreboard screen, score board', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: b shows and hides the selected team's points per subtask, named in the hint line and the help`, async () => {
      const r = renderAt(<App store={scoreState()} api={fakeApi()} />, cols, rows);
      mounted.push(r);
      await r.press('5');
      let f = await frameContaining(r, 'Score');
      expect(frameFits(f, cols, rows).ok, frameFits(f, cols, rows).why).toBe(true);
      expect(f).toMatch(/^›1 +> Team 1 +187\.5 87\.5 +100 /m);
      expect(f).toContain('b subtasks  │ Tab screens  ? help  q quit');
      expect(f).not.toContain('Subtasks of');

      await r.press('b');
      f = await frameContaining(r, 'Subtasks of Team 1');
      expect(frameFits(f, cols, rows).ok, frameFits(f, cols, rows).why).toBe(true);
      expect(f).toContain('Subtasks of Team 1 (rank 1, 187.5 points)');
      // subtask-sum: the best of each subtask over the two submissions.
      expect(f).toMatch(/A .* 20\/20 30\/30 37\.5\/50 = 87\.5\/100/);
      expect(f).toMatch(/B .* 100\/100/);
      // The panel follows the selection.
      await r.press('j');
      f = await frameContaining(r, 'Subtasks of Team 2');
      expect(f).toMatch(/A .* 20\/20 0\/30 0\/50 = 20\/100/);
      expect(f).toMatch(/E Long Name .* 0\/100/);
      expect(frameFits(f, cols, rows).ok, frameFits(f, cols, rows).why).toBe(true);

      await r.press('b');
      f = await frameContaining(r, /^rows 1-/m);
      expect(f).not.toContain('Subtasks of');
      await r.press('?');
      f = await frameContaining(r, 'points per subtask');
      expect(f).toContain("show or hide the selected team's points per subtask");
    });
  }
});

describe('score cells', () => {
  const cell = (score: number, more: { solved?: boolean; pending?: number; attempts?: number } = {}) => ({ problemId: 'a', attempts: more.attempts ?? 1, pending: more.pending ?? 0, solved: more.solved ?? false, timeMin: null, penaltyMin: 0, firstToSolve: false, score });
  test('a partly scored cell has its own colour, apart from pending (live and frozen), full marks, rejected and the own team', () => {
    const partial = cellText(cell(40), false);
    expect(partial).toEqual({ text: '40', colour: PARTIAL_COLOUR });
    const others = [cellText(cell(0, { pending: 1 }), false), cellText(cell(0, { pending: 1 }), true), cellText(cell(100, { solved: true }), false), cellText(cell(0), false)].map((c) => c.colour);
    expect(others).toEqual(['yellow', 'blue', 'green', 'red']);
    expect([...others, OWN_TEAM_COLOUR]).not.toContain(PARTIAL_COLOUR);
  });
});
