/**
 * Two processes claim from one database at once (as judgehosts sharing a queue would): every job is
 * handed out exactly once and judged exactly once.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './index.ts';
import { seededStore, submit } from '../../test-utils/store-fixtures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-claim-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function worker(id: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../../test-utils/store-claim-child.ts'), dir, id], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`worker ${id} exited ${code}: ${err}`))));
  });
}

describe('claims from two processes', () => {
  it('hands every job out once', { timeout: 120_000 }, async () => {
    const store = seededStore(dir);
    store.tx(() => {
      for (let i = 0; i < 200; i++) submit(store, i % 2 ? 't1' : 't2');
    });
    store.close();
    const [a, b] = await Promise.all([worker('host-a'), worker('host-b')]);
    const all = [...a, ...b];
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    const check = openStore(dir);
    expect(check.queue.counts()).toEqual({ queued: 0, claimed: 0, done: 200 });
    expect(check.db.prepare("SELECT COUNT(*) FROM judgings WHERE verdict = 'AC' AND valid = 1").pluck().get()).toBe(200);
    expect(check.db.prepare('SELECT MAX(attempts) FROM jobs').pluck().get()).toBe(1);
    check.close();
  });
});
