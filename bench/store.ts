/**
 * Store and contest costs on this machine's disk (WAL, synchronous=FULL: one fsync per commit).
 * Run: pnpm exec tsx bench/store.ts [dir]   (dir defaults to a fresh folder under the OS temp dir)
 * Prints: a burst of 300 submissions through contest.submit (one transaction each) and the same
 * burst in one transaction, the same burst with synchronous=NORMAL for comparison, claim+complete
 * throughput, a restart with 10,000 submissions (scoreboard rebuilt once), and replay of a team's
 * events from a long log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProblemSummary } from '../packages/shared/src/protocol.ts';
import { openContest } from '../packages/daemon/src/contest/index.ts';
import { acResult, waResult } from '../packages/daemon/test-utils/store-fixtures.ts';

const base = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'judged-bench-store-'));
const problems: ProblemSummary[] = Array.from({ length: 12 }, (_, i) => ({
  id: `p${i}`,
  label: String.fromCharCode(65 + i),
  name: `P${i}`,
  colour: null,
  timeLimitMs: 1000,
  memoryLimitKiB: 262144,
  sampleCount: 1,
  testCount: 20,
}));
const files = [{ name: 'main.cpp', source: '#include <cstdio>\nint main(){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}\n'.repeat(20) }];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

function fresh(name: string) {
  const dir = path.join(base, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const o = openContest({ dataDir: dir, problems });
  // More teams than the demo's four: add them directly (hashing 100 passwords is not what we measure).
  o.store.tx(() => {
    for (let i = 5; i <= 100; i++) o.store.accounts.addTeam({ id: `team${i}`, name: `Team ${i}` });
  });
  o.contest.scoreboards.rebuild();
  return o;
}

function burst(o: ReturnType<typeof fresh>, n: number): { totalMs: number; per: number[] } {
  const per: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    o.contest.submit(`team${(i % 100) + 1}`, { problemId: `p${i % 12}`, language: 'cpp', files });
    per.push(performance.now() - t);
  }
  return { totalMs: performance.now() - t0, per };
}

// 1. Burst, one transaction per submission (what the server does per request).
{
  const o = fresh('burst');
  const r = burst(o, 300);
  const count = o.store.db.prepare('SELECT COUNT(*) FROM submissions').pluck().get();
  console.log(`burst 300 submit() (FULL): ${fmt(r.totalMs)} total, p50 ${fmt(pct(r.per, 50))}, p99 ${fmt(pct(r.per, 99))}, stored ${count}`);
  o.store.close();
}
// 2. Same with synchronous=NORMAL (not what judged uses; shows what the fsync costs).
{
  const o = fresh('burst-normal');
  o.store.db.pragma('synchronous = NORMAL');
  const r = burst(o, 300);
  console.log(`burst 300 submit() (NORMAL, for comparison): ${fmt(r.totalMs)} total, p50 ${fmt(pct(r.per, 50))}, p99 ${fmt(pct(r.per, 99))}`);
  o.store.close();
}
// 3. One transaction for all 300.
{
  const o = fresh('batch');
  const t0 = performance.now();
  o.store.tx(() => {
    for (let i = 0; i < 300; i++) o.contest.submit(`team${(i % 100) + 1}`, { problemId: `p${i % 12}`, language: 'cpp', files });
  });
  console.log(`burst 300 submit() in one transaction: ${fmt(performance.now() - t0)}`);
  o.store.close();
}
// 3b. Group commit: submitBatched() as the server calls it, 300 requests arriving over about 1 s.
{
  const o = fresh('grouped');
  const latencies: number[] = [];
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let done = 0;
    let sent = 0;
    const timer = setInterval(() => {
      // Timers fire at most every ~1 ms; send 1 request per tick, 300 in total.
      const i = sent++;
      const t = performance.now();
      void o.contest.submitBatched(`team${(i % 100) + 1}`, { problemId: `p${i % 12}`, language: 'cpp', files }).then(() => {
        latencies.push(performance.now() - t);
        if (++done === 300) resolve();
      });
      if (sent === 300) clearInterval(timer);
    }, 3);
  });
  const commits = new Set(o.store.db.prepare('SELECT submitted_at_ms FROM submissions').pluck().all()).size;
  console.log(
    `submitBatched(): 300 requests, one every ~3 ms: last accepted after ${fmt(performance.now() - t0)}, latency p50 ${fmt(pct(latencies, 50))}, p99 ${fmt(pct(latencies, 99))} (${commits} distinct submit times)`,
  );
  const t1 = performance.now();
  const all = await Promise.all(
    Array.from({ length: 300 }, (_, i) => o.contest.submitBatched(`team${(i % 100) + 1}`, { problemId: `p${i % 12}`, language: 'cpp', files })),
  );
  console.log(`submitBatched(): 300 requests in the same tick: ${all.length} accepted in ${fmt(performance.now() - t1)}`);
  o.store.close();
}
// 4. Claim + progress x3 + complete, and a restart with 10,000 submissions.
{
  const o = fresh('judge');
  o.store.tx(() => {
    for (let i = 0; i < 10_000; i++) o.contest.submit(`team${(i % 100) + 1}`, { problemId: `p${i % 12}`, language: 'cpp', files });
  });
  const n = 1000;
  const per: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const job = o.store.queue.claim('w', 30_000)!;
    for (let k = 1; k <= 3; k++) o.store.queue.progress(job.judgingId, 'w', { status: 'running', testIndex: k, testCount: 20 });
    o.store.queue.complete(job.judgingId, 'w', i % 3 ? acResult(20) : waResult(20));
    per.push(performance.now() - t);
  }
  const total = performance.now() - t0;
  console.log(`claim + 3 progress + complete (20 runs), ${n} judgings: ${fmt(total)} total, ${fmt(total / n)} each, p99 ${fmt(pct(per, 99))} (only complete() waits for the disk)`);
  const head = o.store.events.headSeq();
  o.store.close();
  const t1 = performance.now();
  const again = openContest({ dataDir: path.join(base, 'judge'), problems });
  console.log(`restart with 10,000 submissions, ${head} events: openContest ${fmt(performance.now() - t1)} (scoreboards built once)`);
  const t2 = performance.now();
  const ev = again.store.events.eventsSince(0, { role: 'team', teamId: 'team7' }, 100_000);
  console.log(`replay of one team's events from ${head}: ${ev.length} events in ${fmt(performance.now() - t2)}`);
  const t3 = performance.now();
  for (let i = 0; i < 100; i++) again.contest.scoreboard('public');
  console.log(`scoreboard snapshot (100 teams x 12 problems): ${fmt((performance.now() - t3) / 100)}`);
  again.store.close();
}
if (!process.argv[2]) fs.rmSync(base, { recursive: true, force: true });
