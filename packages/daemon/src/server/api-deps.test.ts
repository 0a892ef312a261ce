/** The Contest API's actions on a real contest and store: what a PATCH of the contest changes. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '@judged/shared/protocol';
import { manualClock, problem } from '../../test-utils/store-fixtures.ts';
import { openContest, type OpenedContest } from '../contest/index.ts';
import { contestApiActions } from './api-deps.ts';
import { Budgets } from './budgets.ts';
import { createLogger } from './log.ts';
import { patchContest } from './http/actions.ts';

const HOUR = 3600_000;
const opened: OpenedContest[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.contest.close();
    o.store.close();
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A contest package without start_time: 5 h, the last `freeze` of them frozen. */
function open(freeze: string | null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-api-deps-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'contest.yaml'), `id: c1\nname: C\nduration: 5:00:00\n${freeze ? `scoreboard_freeze_duration: ${freeze}\n` : ''}`);
  const clock = manualClock();
  const o = openContest({ dataDir: ':memory:', contestDir: dir, problems: [problem('hello', 'A')], now: clock.now });
  opened.push(o);
  const actions = contestApiActions({ contest: o.contest, store: o.store, budgets: new Budgets({}, clock.now), log: createLogger({ pretty: false, write: () => {} }), wake: () => {} });
  const admin: User = { username: 'admin', role: 'admin', teamId: null, displayName: 'Admin' };
  const patch = (body: Record<string, unknown>) => patchContest(actions, admin, o.contest.clock(), { id: o.contest.clock().contestId, ...body }, clock.now());
  return { o, clock, patch };
}

describe('PATCH /api/contests/{id} start_time', () => {
  it('keeps contest.yaml\'s freeze duration when the start is scheduled from none, moved, and unscheduled', () => {
    const { o, clock, patch } = open('1:00:00');
    expect(o.contest.clock()).toMatchObject({ startAtMs: null, freezeAtMs: null, freezeDurationMs: HOUR });
    const at = clock.now() + HOUR;
    const c = patch({ start_time: new Date(at).toISOString() });
    expect(c.scoreboard_freeze_duration).toBe('1:00:00.000');
    expect(o.contest.clock()).toMatchObject({ startAtMs: at, endAtMs: at + 5 * HOUR, freezeAtMs: at + 4 * HOUR, freezeDurationMs: HOUR });
    patch({ start_time: new Date(at + HOUR).toISOString() });
    expect(o.contest.clock()).toMatchObject({ freezeAtMs: at + 5 * HOUR, freezeDurationMs: HOUR });
    patch({ start_time: null });
    expect(o.contest.clock()).toMatchObject({ startAtMs: null, freezeDurationMs: HOUR });
    patch({ start_time: new Date(at).toISOString() });
    expect(o.contest.clock().freezeAtMs).toBe(at + 4 * HOUR);
  });

  it('a contest without a freeze stays without one', () => {
    const { o, clock, patch } = open(null);
    patch({ start_time: new Date(clock.now() + HOUR).toISOString() });
    expect(o.contest.clock()).toMatchObject({ freezeAtMs: null, freezeDurationMs: null });
  });
});
