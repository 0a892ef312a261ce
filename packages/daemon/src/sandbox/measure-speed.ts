/**
 * Quick local measurement for the sandbox's speed goal (the official benchmark is bench/sandbox):
 * a sandboxed hello-world as the daemon sees it versus Node's own unsandboxed spawn of the same
 * program. Run as root: pnpm exec tsx packages/daemon/src/sandbox/measure-speed.ts [runs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSandbox } from './index.ts';

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

/** Times fn; `before` runs untimed (the daemon makes a run's work dir as part of judging anyway). */
async function time(fn: () => Promise<unknown>, before: () => void = () => {}): Promise<number[]> {
  for (let i = 0; i < 20; i++) {
    before();
    await fn(); // warm-up
  }
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    before();
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const sb = await openSandbox({ slot: 59, cgroupParent: 'judged-speed' });
let n = 0;
const limits = { cpuTimeMs: 1000, wallTimeMs: 2000, memoryKiB: 65536, processes: 8, outputKiB: 64 };
try {
  const node = await time(spawnOnce);
  let w = '';
  const boxed = await time(async () => {
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
  console.log(`ratio (mean)   : ${(mean(boxed) / mean(node)).toFixed(2)}`);
} finally {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
}
