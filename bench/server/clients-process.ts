/**
 * One process of the server benchmark's clients (bench/server/run.ts forks several), so the clients'
 * own event loops are not the daemon's nor each other's. Driven over IPC by the parent:
 *   {cmd:'connect', wsUrl, teams:[{username,password,address}], watchers:[address]} -> {ok:'connected'}
 *   {cmd:'submit', count, source}  (round-robin over this process's teams) -> {ok:'submitted'}
 *   {cmd:'judged'} -> {ok:'judged', judged}   (verdicts seen so far, for the parent to wait on)
 *   {cmd:'cpu'} -> {ok:'cpu', cpuMs}   (this process's CPU so far, user + system)
 *   {cmd:'report'} -> {ok:'report', arrivals: [key, {atMs, got}][], verdictMs}
 * An arrival is keyed by the event's write time and rows (readers of different classes know one
 * event by different numbers) and holds each client's delay from that write (ms, wall clock).
 */
import { PROTOCOL_VERSION } from '../../packages/shared/src/protocol.ts';
import type { EventFrame } from '../../packages/shared/src/protocol.ts';
import { TestClient } from '../../test/daemon/client.ts';

type Msg =
  | { cmd: 'connect'; wsUrl: string; teams: Array<{ username: string; password: string; address: string }>; watchers: string[] }
  | { cmd: 'submit'; count: number; source: string }
  | { cmd: 'judged' }
  | { cmd: 'cpu' }
  | { cmd: 'report' };

const clients: TestClient[] = [];
const teams: TestClient[] = [];
const arrivals = new Map<string, { atMs: number; got: number[] }>();
const submitAt = new Map<string, number>();
const verdictMs: number[] = [];

function scoreboardKey(f: EventFrame): string | null {
  if (f.event.kind !== 'scoreboard') return null;
  return `${f.atMs}|${f.event.view}|${f.event.rows.map((r) => `${r.teamId}:${r.solved}:${r.penaltyMin}`).join(',')}`;
}

function watch(c: TestClient, team: boolean): void {
  c.onEvent = (f, at) => {
    const key = scoreboardKey(f);
    if (key) {
      let a = arrivals.get(key);
      if (!a) arrivals.set(key, (a = { atMs: f.atMs, got: [] }));
      a.got.push(performance.timeOrigin + performance.now() - f.atMs);
    }
    if (team && f.event.kind === 'verdict') {
      const sent = submitAt.get(f.event.verdict.submissionId);
      if (sent !== undefined) verdictMs.push(at - sent);
    }
  };
}

async function inBatches<T>(items: readonly T[], size: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function handle(m: Msg): Promise<unknown> {
  if (m.cmd === 'connect') {
    await inBatches(m.teams, 10, async (t) => {
      const c = await TestClient.login(m.wsUrl, t.username, t.password, { validate: false, keepEvents: false, localAddress: t.address });
      teams.push(c);
      clients.push(c);
      watch(c, true);
    });
    await inBatches(m.watchers, 25, async (address) => {
      const c = await TestClient.connect(m.wsUrl, 30_000, { validate: false, keepEvents: false, localAddress: address });
      await c.request('hello', { protocolVersion: PROTOCOL_VERSION, client: 'bench-watcher' });
      clients.push(c);
      watch(c, false);
    });
    await inBatches(clients, 50, (c) => c.request('subscribe', { sinceSeq: null }));
    return { ok: 'connected' };
  }
  if (m.cmd === 'submit') {
    await Promise.all(
      Array.from({ length: m.count }, async (_, i) => {
        const t = teams[i % teams.length]!;
        const sent = performance.now();
        const { submission } = await t.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source: m.source }] });
        submitAt.set(submission.id, sent);
      }),
    );
    return { ok: 'submitted' };
  }
  if (m.cmd === 'judged') return { ok: 'judged', judged: verdictMs.length };
  if (m.cmd === 'cpu') {
    const u = process.cpuUsage();
    return { ok: 'cpu', cpuMs: (u.user + u.system) / 1000 };
  }
  return { ok: 'report', arrivals: [...arrivals.entries()], verdictMs };
}

process.on('message', (m: Msg) => {
  handle(m).then(
    (r) => process.send!(r),
    (err: unknown) => process.send!({ ok: 'error', message: String((err as Error)?.stack ?? err) }),
  );
});
process.on('disconnect', () => {
  for (const c of clients) c.terminate();
  process.exit(0);
});
