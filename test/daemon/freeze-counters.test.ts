/**
 * A team during the freeze watches everything it is shown (its live frames and their numbers, the
 * head number at subscribe, a replay from the start) and so does the projector page (a public
 * socket), while another team's submissions are judged behind the freeze. The same contest is run
 * twice, once with a real judging worker and once with none: whatever the watchers see must be the
 * same, so they learn neither how many hidden judgings (or tests) ran nor when.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventFrame } from '../../packages/shared/src/protocol.ts';
import { PROTOCOL_VERSION } from '../../packages/shared/src/protocol.ts';
import { createDaemon, type DaemonHandle } from '../../packages/daemon/src/server/start.ts';
import { silentLogger } from '../../packages/daemon/src/server/log.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';
import { TestClient, daemonLogins } from './client.ts';
import { repoRoot, until } from './spawn-daemon.ts';

const sub = (dir: string, file: string) => [{ name: file, source: fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions', dir, file), 'utf8') }];

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** What a frame tells its reader, without wall-clock times (those differ between any two runs). */
function seen(f: EventFrame): unknown {
  return { seq: f.seq, event: JSON.parse(JSON.stringify(f.event, (k, v) => (/(AtMs|TimeMs|Ms)$/.test(k) ? undefined : v))) };
}

interface Observed {
  team: unknown[];
  projector: unknown[];
  heads: number[];
  replays: unknown[][];
  logGrowth: number;
}

async function contestRun(judging: boolean): Promise<Observed> {
  const problems = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-freeze-p-'));
  fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problems, 'hello'), { recursive: true });
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-freeze-d-'));
  cleanup.push(() => fs.rmSync(problems, { recursive: true, force: true }), () => fs.rmSync(data, { recursive: true, force: true }));
  const before = process.env.JUDGED_SLOT_BASE;
  process.env.JUDGED_SLOT_BASE = String(testSlot('freezeCounters'));
  let d: DaemonHandle;
  try {
    d = await createDaemon({ problems, data, port: '0', workers: '1' }, { log: silentLogger, checkData: false, ...(judging ? {} : { engine: null }) });
  } finally {
    if (before === undefined) delete process.env.JUDGED_SLOT_BASE;
    else process.env.JUDGED_SLOT_BASE = before;
  }
  cleanup.push(() => d.close());
  const { url, clients, login } = daemonLogins(d, cleanup);
  const projectorSocket = async () => {
    const c = await TestClient.connect(url);
    clients.push(c);
    await c.request('hello', { protocolVersion: PROTOCOL_VERSION, client: 'judged-scoreboard-page' });
    return c;
  };
  const sync = (...cs: TestClient[]) => Promise.all(cs.map((c) => c.request('clock', {})));

  const admin = await login('admin');
  const team1 = await login('team1');
  const team2 = await login('team2');
  const projector = await projectorSocket();
  const heads: number[] = [];
  for (const c of [team1, projector]) heads.push((await c.request('subscribe', { sinceSeq: null })).headSeq);
  await admin.request('contestControl', { action: 'freezeNow' });
  await team1.waitEvent((e) => e.kind === 'clock' && e.clock.scoreboardFrozen);
  await projector.waitEvent((e) => e.kind === 'clock' && e.clock.scoreboardFrozen);
  const logBefore = d.store.events.headSeq();

  // Another team's work behind the freeze: an AC, a WA (fails on an early test), a CE.
  const ids: string[] = [];
  for (const [dir, file] of [['accepted', 'hello.py'], ['wrong_answer', 'world.py'], ['compile_error', 'syntax.py']] as const) {
    ids.push((await team2.request('submit', { problemId: 'hello', language: 'python3', files: sub(dir, file) })).submission.id);
  }
  if (judging) {
    await until(() => ids.every((id) => d.store.submissions.all().find((s) => s.id === id)?.status === 'judged'), 60_000, 'the hidden submissions judged');
  }
  // Things the team is meant to see, between and after them: its own question, an announcement.
  await team1.request('ask', { problemId: null, text: 'is the input one line?' });
  await admin.request('announce', { problemId: null, text: 'yes, one line' });
  await team1.waitEvent((e) => e.kind === 'clarification' && e.clarification.text === 'yes, one line');
  await sync(team1, projector);

  // Both watchers come back (a reconnect): from their last number, and from the very start.
  const replays: unknown[][] = [];
  for (const c of [team1, projector]) {
    const again = c === team1 ? await login('team1') : await projectorSocket();
    const resumed = await again.request('subscribe', { sinceSeq: c.lastSeq });
    expect(resumed.mode).toBe('replay');
    heads.push(resumed.headSeq);
    const fresh = c === team1 ? await login('team1') : await projectorSocket();
    heads.push((await fresh.request('subscribe', { sinceSeq: 0 })).headSeq);
    await sync(again, fresh);
    expect(again.events).toEqual([]);
    // A replay from the start numbers the events 1..head, and its end is what the live socket got.
    expect(fresh.events.map((f) => f.seq)).toEqual(fresh.events.map((_, i) => i + 1));
    expect(fresh.events.map(seen).slice(-c.events.length)).toEqual(c.events.map(seen));
    replays.push(fresh.events.map(seen));
  }
  return { team: team1.events.map(seen), projector: projector.events.map(seen), heads, replays, logGrowth: d.store.events.headSeq() - logBefore };
}

describe('freeze-safe counters', () => {
  it('a team and the projector learn nothing from hidden judgings: the same numbers, frames and heads with and without them', async () => {
    const without = await contestRun(false);
    for (const f of cleanup.splice(0).reverse()) await f();
    const withJudging = await contestRun(true);
    // The judgings did happen (each writes progress per test and jury events to the log).
    expect(withJudging.logGrowth - without.logGrowth).toBeGreaterThanOrEqual(10);
    expect(withJudging.team).toEqual(without.team);
    expect(withJudging.projector).toEqual(without.projector);
    expect(withJudging.heads).toEqual(without.heads);
    // The numbers a watcher sees are 1, 2, 3 ...: nothing skipped that it could count.
    for (const frames of [withJudging.team, withJudging.projector] as Array<Array<{ seq: number }>>) {
      expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => frames[0]!.seq + i));
    }
    expect(withJudging.heads[0]).toBeGreaterThan(0);
  }, 120_000);
});
