/**
 * Quick local measurement for the sandbox's speed goal (the official benchmark is bench/sandbox):
 * a sandboxed hello-world as the daemon sees it versus Node's own unsandboxed spawn of the same
 * program. Run as root: pnpm exec tsx bench/sandbox/measure-speed.ts [runs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSandbox } from '../../packages/daemon/src/sandbox/index.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const runs = Number(process.argv[2] ?? 300);
const dir = mkdtempSync(path.join(os.tmpdir(), 'judged-speed-'));
writeFileSync(path.join(dir, 'hello.c'), '#include <stdio.h>\nint main(){puts("hello");return 0;}\n');
execFileSync('gcc', ['-O2', '-o', path.join(dir, 'hello'), path.join(dir, 'hello.c')]);
const hello = path.join(dir, 'hello');

function spawnOnce(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(hello, [], { stdio: ['ignore', 'pipe', 'ignore'] });
    c.stdout.resume();
    c.on('error', reject);
    c.on('close', () => resolve());
  });
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `mean ${mean.toFixed(2)} ms, median ${q(0.5).toFixed(2)}, p90 ${q(0.9).toFixed(2)}`;
}

/**
 * Times a and b alternately (a, b, a, b ...) so that the load of a shared machine falls on both alike.
 * `before` runs untimed ahead of each b (the daemon makes a run's work dir as part of judging anyway).
 */
async function timeBoth(a: () => Promise<unknown>, b: () => Promise<unknown>, before: () => void) {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    let t = performance.now();
    await a();
    if (i >= 20) ta.push(performance.now() - t); // the first 20 of each are warm-up
    before();
    t = performance.now();
    await b();
    if (i >= 20) tb.push(performance.now() - t);
  }
  return [ta, tb] as const;
}

const sb = await openSandbox({ slot: testSlot('sandboxSpeed'), cgroupParent: 'judged-speed' });
let n = 0;
const limits = { cpuTimeMs: 1000, wallTimeMs: 2000, memoryKiB: 65536, processes: 8, outputKiB: 64 };
try {
  let w = '';
  const [node, boxed] = await timeBoth(spawnOnce, async () => {
    await sb.run({
      argv: ['/prog/hello'],
      workDir: w,
      stdoutPath: path.join(dir, 'out'),
      limits,
      binds: [{ host: hello, inside: '/prog/hello' }],
    });
  }, () => {
    w = path.join(dir, `w${n++}`);
    mkdirSync(w);
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`node spawn     : ${stats(node)}`);
  console.log(`sandboxed run  : ${stats(boxed)}`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`ratio          : mean ${(mean(boxed) / mean(node)).toFixed(2)}, median ${(median(boxed) / median(node)).toFixed(2)}`);
} finally {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
}
