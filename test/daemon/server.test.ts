/**
 * The server in-process (createDaemon with no judging engine, port 0): the rules of the WebSocket
 * API that need no verdicts — who sees which events, replay or snapshot on resubscribe, sessions,
 * clarifications, contest times. Faster than spawning, so it can afford many cases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemon, type DaemonHandle } from '../../packages/daemon/src/server/start.ts';
import { silentLogger } from '../../packages/daemon/src/server/log.ts';
import { errorCode, TestClient } from './client.ts';
import { repoRoot } from './spawn-daemon.ts';

let d: DaemonHandle;
let wsUrl: string;
let dataDir: string;
const open: TestClient[] = [];
const pw = new Map<string, string>();

async function as(user: string): Promise<TestClient> {
  const c = await TestClient.login(wsUrl, user, pw.get(user)!);
  open.push(c);
  return c;
}
async function anon(): Promise<TestClient> {
  const c = await TestClient.connect(wsUrl);
  open.push(c);
  return c;
}
const src = [{ name: 'a.py', source: 'print("Hello, " + input() + "!")\n' }];
/** One round trip: everything the server sent this client before it has arrived. */
const sync = (c: TestClient) => c.request('clock', {});

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-server-'));
  d = await createDaemon({ problems: path.join(repoRoot, 'problems'), data: dataDir, port: '0', workers: '1' }, { log: silentLogger, engine: null, replayLimit: 3 });
  wsUrl = `ws://127.0.0.1:${d.port}/ws`;
  for (const c of d.credentials) pw.set(c.username, c.password);
});

afterAll(async () => {
  for (const c of open) c.terminate();
  await d?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('server (in-process)', () => {
  it('refuses a client of another protocol version', async () => {
    const c = await anon();
    expect(await errorCode(c.request('hello', { protocolVersion: 99 }))).toBe('unsupported_version');
  });

  it('shows each role only its own events', async () => {
    const pub = await anon();
    const judge = await as('judge');
    const t1 = await as('team1');
    const t2 = await as('team2');
    for (const c of [pub, judge, t1, t2]) await c.request('subscribe', { sinceSeq: null });
    const { submission } = await t1.request('submit', { problemId: 'hello', language: 'python3', files: src });
    await t1.waitEvent((e) => e.kind === 'submission' && e.submission.id === submission.id);
    await judge.waitEvent((e) => e.kind === 'jurySubmission' && e.submission.id === submission.id);
    await pub.waitEvent((e) => e.kind === 'scoreboard');
    await Promise.all([pub, t2, judge].map(sync));
    const kinds = (c: TestClient) => new Set(c.events.map((e) => e.event.kind));
    expect([...kinds(pub)].every((k) => k === 'scoreboard' || k === 'clock')).toBe(true);
    expect(kinds(t2).has('submission')).toBe(false);
    expect(kinds(t2).has('progress')).toBe(false);
    expect(kinds(t1).has('jurySubmission')).toBe(false);
    // The public board does not name the file or the language of anybody's submission.
    expect(JSON.stringify(pub.events)).not.toContain('a.py');
  });

  it('replays a short gap and sends a snapshot when the client is too far behind', async () => {
    const t = await as('team4');
    await t.request('subscribe', { sinceSeq: null });
    const before = (await t.request('subscribe', { sinceSeq: null })).headSeq;
    const one = await t.request('submit', { problemId: 'hello', language: 'python3', files: src });
    const c1 = await anon();
    await c1.resume(t.session!.token);
    const replay = await c1.request('subscribe', { sinceSeq: before });
    expect(replay.mode).toBe('replay');
    await c1.waitEvent((e) => e.kind === 'submission' && e.submission.id === one.submission.id);

    for (let i = 0; i < 4; i++) await t.request('submit', { problemId: 'hello', language: 'python3', files: src });
    const c2 = await anon();
    await c2.resume(t.session!.token);
    const snap = await c2.request('subscribe', { sinceSeq: before });
    expect(snap.mode).toBe('snapshot');
    if (snap.mode === 'snapshot') {
      expect(snap.snapshot.submissions?.length).toBe(5);
      expect(snap.snapshot.problems.map((p) => p.id)).toContain('hello');
      expect(snap.headSeq).toBeGreaterThan(before);
    }
    // A seq from the future (another data dir) also gets a snapshot.
    expect((await c2.request('subscribe', { sinceSeq: 10_000_000 })).mode).toBe('snapshot');
  });

  it('follows a login made after subscribing, and a logout', async () => {
    const c = await anon();
    await c.request('subscribe', { sinceSeq: null });
    await c.request('login', { username: 'team3', password: pw.get('team3')! });
    const { submission } = await c.request('submit', { problemId: 'hello', language: 'python3', files: src });
    await c.waitEvent((e) => e.kind === 'submission' && e.submission.id === submission.id);
    const token = (await c.request('login', { username: 'team3', password: pw.get('team3')! })).session.token;
    await c.request('logout', {});
    expect(await errorCode(c.request('problems', {}))).toBe('unauthenticated');
    expect(await errorCode(c.request('resume', { token }))).toBe('session_invalid');
  });

  it('routes a clarification to the jury and the answer to the asking team only', async () => {
    const judge = await as('judge');
    const t1 = await as('team1');
    const t2 = await as('team2');
    for (const c of [judge, t1, t2]) await c.request('subscribe', { sinceSeq: null });
    const { clarification: q } = await t1.request('ask', { problemId: 'hello', text: 'May the name be empty?' });
    await judge.waitEvent((e) => e.kind === 'clarification' && e.clarification.id === q.id);
    const { clarification: a } = await judge.request('answer', { clarificationId: q.id, text: 'No.', to: 'team' });
    await t1.waitEvent((e) => e.kind === 'clarification' && e.clarification.id === a.id);
    await sync(t2);
    expect(t2.events.some((e) => e.event.kind === 'clarification')).toBe(false);
    expect((await t2.request('clarifications', {})).clarifications.map((c) => c.id)).not.toContain(q.id);
    expect(await errorCode(t1.request('answer', { clarificationId: q.id, text: 'x', to: 'all' }))).toBe('forbidden');
  });

  it('lets the jury see the queue and full submissions, and rejudge', async () => {
    const judge = await as('judge');
    const t = await as('team2');
    const { submission } = await t.request('submit', { problemId: 'hello', language: 'python3', files: src });
    const { queue } = await judge.request('queue', {});
    expect(queue.some((q) => q.submissionId === submission.id && q.status === 'queued')).toBe(true);
    const full = await judge.request('jurySubmission', { submissionId: submission.id });
    expect(full.files).toEqual(src);
    expect((await judge.request('jurySubmissions', { teamId: 'team2' })).submissions.map((s) => s.id)).toContain(submission.id);
    expect(await errorCode(judge.request('jurySubmission', { submissionId: '999999' }))).toBe('not_found');
    expect(await errorCode(judge.request('setContestTimes', { startAtMs: Date.now(), durationMs: 1000, freezeDurationMs: null }))).toBe('forbidden');
  });

  it('lets only an admin move the clock: no start after existing submissions, freeze now, no finalize while running', async () => {
    const admin = await as('admin');
    const t = await as('team1');
    const clock0 = (await admin.request('clock', {})).clock;
    // The demo started at creation and has submissions: the start cannot move after them.
    expect(await errorCode(admin.request('setContestTimes', { startAtMs: Date.now() + 3600_000, durationMs: clock0.durationMs, freezeDurationMs: null }))).toBe('conflict');
    const { clock } = await admin.request('contestControl', { action: 'freezeNow' });
    expect(clock.state).toBe('frozen');
    expect((await t.request('scoreboard', {})).scoreboard.frozen).toBe(true);
    expect((await admin.request('scoreboard', {})).scoreboard.view).toBe('jury');
    expect(await errorCode(admin.request('contestControl', { action: 'finalize' }))).toBe('conflict');
  });
});
