/**
 * The terminal client's connection code (packages/tui/src/client.ts) against the real server rather
 * than its fake: login, snapshot, live events, and a dropped connection resumed with a replay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFrame, Snapshot } from '../../packages/shared/src/protocol.ts';
import { createDaemon, type DaemonHandle } from '../../packages/daemon/src/server/start.ts';
import { silentLogger } from '../../packages/daemon/src/server/log.ts';
import { JudgeClient } from '../../packages/tui/src/client.ts';
import { repoRoot, until } from './spawn-daemon.ts';

let d: DaemonHandle;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-tui-'));
  d = await createDaemon({ problems: path.join(repoRoot, 'problems'), data: dataDir, port: '0', workers: '1' }, { log: silentLogger, engine: null });
});

afterAll(async () => {
  await d?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the TUI client against the real server', () => {
  it('logs in, gets a snapshot and live events, and catches up after a dropped connection', async () => {
    const team1 = d.credentials.find((c) => c.username === 'team1')!;
    const events: EventFrame[] = [];
    const snapshots: Snapshot[] = [];
    let lastSeq: number | null = null;
    const client = new JudgeClient({
      url: `ws://127.0.0.1:${d.port}/ws`,
      auth: { kind: 'password', username: 'team1', password: team1.password },
      subscribe: true,
      sinceSeq: () => lastSeq,
      backoff: { initialMs: 50, maxMs: 200 },
      handlers: {
        onSnapshot: (s, head) => {
          snapshots.push(s);
          lastSeq = head;
        },
        onEvent: (f) => {
          events.push(f);
          lastSeq = f.seq;
        },
      },
    });
    try {
      await client.ready();
      expect(client.session?.user.username).toBe('team1');
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0]!.problems.map((p) => p.id)).toContain('hello');

      const files = [{ name: 'a.py', source: 'print("Hello, " + input() + "!")\n' }];
      const first = await client.request<'submit'>({ type: 'submit', problemId: 'hello', language: 'python3', files });
      await until(() => events.some((e) => e.event.kind === 'submission' && e.event.submission.id === first.submission.id), 10_000, 'the live submission event');

      client.dropConnection();
      // Meanwhile another connection of the same team submits; the client must replay it on resume.
      const other = new JudgeClient({ url: `ws://127.0.0.1:${d.port}/ws`, auth: { kind: 'password', username: 'team1', password: team1.password }, reconnect: false });
      await other.ready();
      const missed = await other.request<'submit'>({ type: 'submit', problemId: 'hello', language: 'python3', files });
      other.close();
      await until(() => events.some((e) => e.event.kind === 'submission' && e.event.submission.id === missed.submission.id), 15_000, 'the missed event after reconnecting');
      expect(snapshots).toHaveLength(1);
      const seqs = events.map((e) => e.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    } finally {
      client.close();
    }
  });

  it('after "logout everywhere" (4001) it forgets its password and stays logged out', async () => {
    const team2 = d.credentials.find((c) => c.username === 'team2')!;
    const statuses: string[] = [];
    const client = new JudgeClient({
      url: `ws://127.0.0.1:${d.port}/ws`,
      auth: { kind: 'password', username: 'team2', password: team2.password },
      subscribe: true,
      backoff: { initialMs: 50, maxMs: 200 },
      handlers: { onStatus: (s) => statuses.push(s.status) },
    });
    let other: JudgeClient | null = null;
    try {
      await client.ready();
      const logins = () => d.store.db.prepare("SELECT COUNT(*) AS n FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'team2' AND s.revoked = 0").get() as { n: number };
      const before = logins().n;
      // Another terminal of the same session logs out: every connection holding the token is closed.
      other = new JudgeClient({ url: `ws://127.0.0.1:${d.port}/ws`, auth: { kind: 'token', token: client.session!.token }, reconnect: false });
      await other.ready();
      await other.request<'logout'>({ type: 'logout' });
      await until(() => client.state.status === 'failed', 10_000, 'the client to stop');
      expect(client.state.sessionEnded).toBe(true);
      expect(client.sessionEnded).toMatch(/session ended.*log in again/);
      // No new session appears for team2 from the remembered password.
      await new Promise((r) => setTimeout(r, 1000));
      expect(logins().n).toBe(before - 1);
      expect(statuses.filter((s) => s === 'online')).toHaveLength(1);
    } finally {
      other?.close();
      client.close();
    }
  });
});
