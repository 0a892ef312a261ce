/**
 * SIGKILLs a process in the middle of writing (submissions, completions, rejudges) and checks on
 * reopen that everything it was told was committed is there, and that no judging has two verdicts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContestEvent } from '@judged/shared/protocol';
import { openStore } from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Runs the child until it has printed `lines` lines after READY, then SIGKILLs it; returns what it printed. */
function runAndKill(dir: string, lines: number, mode: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../../test-utils/store-crash-child.ts'), dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const n = out.split('\n').length - 2; // minus READY and the partial last line
      if (!killed && out.startsWith('READY') && n >= lines) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited on its own (code ${code}): ${err}`));
      // Only complete lines were surely written after a commit.
      resolve(out.split('\n').slice(0, -1));
    });
  });
}

describe('crash safety', () => {
  it.each(['single', 'batched'])('keeps every acknowledged write and never two verdicts for one judging across SIGKILLs (%s commits)', { timeout: 120_000 }, async (mode) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-crash-'));
    dirs.push(dir);
    const acknowledged: string[] = [];
    for (const lines of [150, 333, 77]) acknowledged.push(...(await runAndKill(dir, lines, mode)));

    const store = openStore(dir);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const subIds = new Set((store.db.prepare('SELECT id FROM submissions').pluck().all() as number[]).map(String));
    const submitted = acknowledged.filter((l) => l.startsWith('S ')).map((l) => l.split(' ')[1]!);
    expect(submitted.length).toBeGreaterThan(200);
    for (const id of submitted) expect(subIds.has(id), `submission ${id} was acknowledged but is missing`).toBe(true);

    for (const line of acknowledged.filter((l) => l.startsWith('C '))) {
      const [, jid, verdict] = line.split(' ');
      const row = store.db.prepare('SELECT verdict, status FROM judgings WHERE id = ?').get(Number(jid)) as { verdict: string; status: string };
      expect(row, `judging ${jid}`).toEqual({ verdict, status: 'done' });
    }
    for (const line of acknowledged.filter((l) => l.startsWith('R '))) {
      const n = store.db.prepare('SELECT COUNT(*) FROM judgings WHERE submission_id = ?').pluck().get(Number(line.split(' ')[1])) as number;
      expect(n).toBeGreaterThanOrEqual(2);
    }

    // Every submission has a judging; at most one valid; each finished judging's job is done.
    expect(store.db.prepare('SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM judgings j WHERE j.submission_id = s.id)').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM (SELECT submission_id FROM judgings WHERE valid = 1 GROUP BY submission_id HAVING COUNT(*) > 1)').pluck().get()).toBe(0);
    expect(store.db.prepare("SELECT COUNT(*) FROM judgings j JOIN jobs q ON q.judging_id = j.id WHERE j.verdict IS NOT NULL AND q.state != 'done'").pluck().get()).toBe(0);
    expect(store.db.prepare("SELECT COUNT(*) FROM judgings WHERE (verdict IS NULL) != (status != 'done')").pluck().get()).toBe(0);

    // The event log agrees: one team verdict event per judging at most, and a judging's verdict never changes.
    const verdictEvents = new Map<string, number>();
    const verdictOf = new Map<string, string>();
    for (const e of store.events.allEventsSince(0, 1_000_000)) {
      const ev = e.event as ContestEvent;
      if (ev.kind === 'verdict') verdictEvents.set(ev.verdict.judgingId, (verdictEvents.get(ev.verdict.judgingId) ?? 0) + 1);
      if (ev.kind === 'juryJudging' && ev.judging.verdict !== null) {
        const before = verdictOf.get(ev.judging.id);
        if (before !== undefined) expect(ev.judging.verdict, `judging ${ev.judging.id}`).toBe(before);
        verdictOf.set(ev.judging.id, ev.judging.verdict);
      }
    }
    for (const [jid, n] of verdictEvents) expect(n, `verdict events for judging ${jid}`).toBe(1);
    for (const [jid, v] of verdictOf) expect(store.db.prepare('SELECT verdict FROM judgings WHERE id = ?').pluck().get(Number(jid))).toBe(v);
    store.close();
  });
});
