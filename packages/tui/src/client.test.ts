import { afterEach, describe, expect, test } from 'vitest';
import { JudgeClient, RequestError } from './client.ts';
import type { FakeServer } from '../test-utils/fake-server.ts';
import { teamOnFakeServer } from '../test-utils/fixtures.ts';

const servers: FakeServer[] = [];
const clients: JudgeClient[] = [];
afterEach(async () => {
  while (clients.length) clients.pop()!.close();
  while (servers.length) await servers.pop()!.stop();
});

async function setup(opts: Parameters<typeof teamOnFakeServer>[0] = {}) {
  const t = await teamOnFakeServer(opts, { backoff: { initialMs: 50, maxMs: 200 } });
  servers.push(t.server);
  clients.push(t.client);
  return t;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('JudgeClient against the fake server', () => {
  test('logs in, gets a snapshot, then live events', async () => {
    const { server, store, client } = await setup();
    await client.ready();
    expect(store.getSnapshot().user?.teamId).toBe('team1');
    expect(store.getSnapshot().problems).toHaveLength(4);
    const r = await client.request<'submit'>({ type: 'submit', problemId: 'pa', language: 'python3', files: [{ name: 'a.py', source: 'print(6)' }] });
    server.judge(r.submission.id, 'AC');
    await until(() => store.getSnapshot().submissions.some((s) => s.id === r.submission.id && s.verdict === 'AC'));
    expect(store.getSnapshot().verdicts[r.submission.id]?.verdict).toBe('AC');
  });

  test('a dropped connection reconnects, resumes the session and replays missed events once', async () => {
    const { server, store, client } = await setup();
    await client.ready();
    const sub = await client.request<'submit'>({ type: 'submit', problemId: 'pb', language: 'cpp', files: [{ name: 'b.cpp', source: 'x' }] });
    await until(() => store.getSnapshot().submissions.length === 1);
    let applied = 0;
    store.subscribe(() => applied++);
    server.dropAll();
    await until(() => store.getSnapshot().conn.status === 'reconnecting');
    // Events while offline are replayed after the reconnect, each exactly once.
    server.judge(sub.submission.id, 'WA');
    await until(() => store.getSnapshot().conn.status === 'online' && store.getSnapshot().submissions[0]?.verdict === 'WA');
    expect(server.received.filter((t) => t === 'resume')).toHaveLength(1);
    expect(server.received.filter((t) => t === 'login')).toHaveLength(1);
    const seqBefore = store.getSnapshot().lastSeq;
    // Replaying the same events again changes nothing.
    const replay = store.applyEvent({ type: 'event', seq: seqBefore!, atMs: 0, event: { kind: 'clock', clock: server.clock } });
    expect(replay).toBe(false);
    expect(store.getSnapshot().submissions).toHaveLength(1);
    expect(applied).toBeGreaterThan(0);
  });

  test('too far behind: a fresh snapshot instead of a replay', async () => {
    const { server, store, client } = await setup({});
    (server as unknown as { opts: { replayWindow: number } }).opts.replayWindow = 2;
    await client.ready();
    server.dropAll();
    for (let i = 0; i < 5; i++) server.setClock({ ...server.clock, name: `Renamed ${i}` });
    await until(() => store.getSnapshot().conn.status === 'online' && store.getSnapshot().clock?.name === 'Renamed 4');
    expect(store.getSnapshot().lastSeq).toBe(server.headSeq);
  });

  test('wrong password and unreachable server fail plainly, without retrying', async () => {
    const { server } = await setup();
    const bad = new JudgeClient({ url: `ws://127.0.0.1:${server.port}/ws`, auth: { kind: 'password', username: 'team1', password: 'x' } });
    clients.push(bad);
    await expect(bad.ready()).rejects.toMatchObject({ code: 'bad_credentials' });
    const down = new JudgeClient({ url: 'ws://127.0.0.1:1/ws', auth: { kind: 'password', username: 'a', password: 'b' } });
    clients.push(down);
    const err = await down.ready().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).message).toMatch(/unreachable/);
  });

  test('a session ended by the server (4001) is not logged back in with the remembered password', async () => {
    const { server, store, client } = await setup();
    const ended: string[] = [];
    (client as unknown as { opts: { handlers: { onSessionEnded?: (r: string) => void } } }).opts.handlers.onSessionEnded = (r) => ended.push(r);
    await client.ready();
    server.endSessions('team1');
    await until(() => store.getSnapshot().conn.status === 'failed');
    expect(store.getSnapshot().conn).toMatchObject({ sessionEnded: true, message: expect.stringMatching(/session ended/) });
    expect(ended).toHaveLength(1);
    expect(client.sessionEnded).toMatch(/log in again/);
    // It stays out: no reconnect, no resume, no second login.
    await new Promise((r) => setTimeout(r, 500));
    expect(server.received.filter((t) => t === 'login')).toHaveLength(1);
    expect(server.received.filter((t) => t === 'resume')).toHaveLength(0);
    expect(server.connections()).toBe(0);
    expect((client as unknown as { opts: { auth?: unknown } }).opts.auth).toBeUndefined();
  });

  test('a session ended while offline is found on resume and not logged back in either', async () => {
    const { server, store, client } = await setup();
    await client.ready();
    server.dropAll();
    await until(() => store.getSnapshot().conn.status === 'reconnecting');
    // Revoked while the client was away: it hears of it only as session_invalid on resume.
    server.endSessions('team1');
    await until(() => store.getSnapshot().conn.status === 'failed');
    expect(store.getSnapshot().conn.sessionEnded).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(server.received.filter((t) => t === 'login')).toHaveLength(1);
    expect(server.received.filter((t) => t === 'resume')).toHaveLength(1);
  });

  test('a stale stored token falls back to the password', async () => {
    const { server } = await setup();
    const c = new JudgeClient({ url: `ws://127.0.0.1:${server.port}/ws`, auth: { kind: 'token', token: 'stale-token-0123456789', username: 'team1', password: 'secret1' } });
    clients.push(c);
    await c.ready();
    expect(c.session?.user.username).toBe('team1');
  });
});
