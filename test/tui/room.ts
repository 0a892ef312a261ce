/**
 * What the tmux suites share: a real `judged` with the demo contest on its own sandbox slots, a work
 * directory holding an accepted solution, and the full-screen `judge` opened in a tmux window.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { parseCredentials, repoRoot, startDaemonProcess, type DaemonOptions, type RunningDaemon } from '../daemon/spawn-daemon.ts';
import { testSlot, type SlotName } from '../../packages/daemon/test-utils/slots.ts';
import type { Tmux } from './tmux.ts';

export const haveTmux = spawnSync('tmux', ['-V']).status === 0;
export const TSX = path.join(repoRoot, 'node_modules/.bin/tsx');
export const CLI = path.join(repoRoot, 'packages/tui/src/cli.ts');

export interface Login {
  username: string;
  password: string;
}

export interface Room {
  daemon: RunningDaemon;
  team: Login;
  judge: Login;
  admin: Login;
  /** A temp dir with hello.py (problem A's accepted solution): the clients' working directory. */
  work: string;
}

export async function openRoom(slot: SlotName, prefix: string, readyTimeoutMs?: number, more: Pick<DaemonOptions, 'args' | 'env' | 'problems'> = {}): Promise<Room> {
  const daemon = await startDaemonProcess({ workers: 1, slotBase: testSlot(slot), ...(readyTimeoutMs ? { readyTimeoutMs } : {}), ...more });
  const creds = parseCredentials(daemon.output());
  const team = creds.get('team1')!;
  const judge = creds.get('judge')!;
  const admin = creds.get('admin')!;
  expect(team && judge && admin).toBeTruthy();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.copyFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), path.join(work, 'hello.py'));
  return { daemon, team, judge, admin, work };
}

/** The full-screen client logged in as `user`, in tmux window `name`, with its own config dir. */
export function openClient(tmux: Tmux, name: string, room: { work: string; port: number }, user: Login, columns = 80, rows = 24): void {
  tmux.open(name, `cd ${room.work} && ${TSX} ${CLI} --server 127.0.0.1:${room.port} --user ${user.username}`, columns, rows, {
    JUDGE_PASSWORD: user.password,
    JUDGE_CONFIG_DIR: path.join(room.work, `cfg-${name}`),
  });
}
