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
});
