/**
 * Sandbox cost benchmark: runs /bin/true and a hello-world C program N times through a sandbox slot,
 * and the same programs through a plain child_process.spawn and execa in this process, then prints
 * the per-run cost (median, p95) and the ratio of the sandboxed run to the plain spawn. The issue's
 * goal: a sandboxed hello-world costs no more than Node's own unsandboxed spawn (ratio <= 1.0).
 *
 *   pnpm exec tsx bench/sandbox/run.ts [--runs 200] [--slot 90] [--json] [--no-pieces]
 *
 * It also measures what each isolation piece costs: /bin/true through supervisors built without the
 * seccomp filter, without the per-run network namespace, and without the /box tmpfs (make
 * bench-variants; slots --slot+1..+3), in the same interleaved rounds.
 *
 * Needs root (the sandbox does). Runs are sequential, as judging runs on one slot are, and
 * interleaved between the kinds so that background load hits each kind alike.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openSandbox } from '../../packages/daemon/src/sandbox/index.ts';
import type { RunRequest, Sandbox } from '../../packages/daemon/src/sandbox/types.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

// execa is the daemon's dependency, not the workspace root's: resolve it from the daemon package.
const daemonRequire = createRequire(new URL('../../packages/daemon/package.json', import.meta.url));
const { execa } = (await import(pathToFileURL(daemonRequire.resolve('execa')).href)) as typeof import('../../packages/daemon/node_modules/execa/index.js');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    slot: { type: 'string', default: String(testSlot('benchSandbox')) },
    json: { type: 'boolean', default: false },
    'no-pieces': { type: 'boolean', default: false },
  },
});
const NATIVE = path.join(import.meta.dirname, '../../packages/daemon/native');
const PIECES = values['no-pieces'] ? [] : ['seccomp', 'netns', 'box-tmpfs'];
if (PIECES.length) {
  const mk = spawnSync('make', ['-s', '-C', NATIVE, 'bench-variants'], { encoding: 'utf8' });
  if (mk.status !== 0) throw new Error(`make bench-variants failed: ${mk.stderr}`);
}
const runs = Number(values.runs);
const slot = Number(values.slot);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
if (!Number.isInteger(slot) || slot < 0) throw new Error(`--slot must be a slot number, got ${values.slot}`);

interface Stats {
  name: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
}

function stats(name: string, samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { name, runs: s.length, medianMs: at(0.5), p95Ms: at(0.95), meanMs: s.reduce((a, b) => a + b, 0) / s.length };
}

/**
 * Runs every kind once per round, round after round, so that load from the rest of the machine
 * (two shared cores) falls on all kinds alike and the ratios stay fair.
 */
async function measureInterleaved(n: number, plan: Array<[string, () => Promise<void>]>): Promise<Stats[]> {
  for (const [, once] of plan) for (let i = 0; i < Math.min(10, n); i++) await once(); // warm-up
  const samples = plan.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [k, [, once]] of plan.entries()) {
      const t0 = performance.now();
      await once();
      samples[k]!.push(performance.now() - t0);
    }
  }
  return plan.map(([name], k) => stats(name, samples[k]!));
}

function nodeSpawn(file: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited ${code}`))));
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-bench-sandbox-'));
fs.chmodSync(tmp, 0o755);
const hello = path.join(tmp, 'hello');
fs.writeFileSync(`${hello}.c`, '#include <stdio.h>\nint main(void) { puts("hello, world"); return 0; }\n');
const cc = spawnSync('gcc', ['-O2', '-o', hello, `${hello}.c`], { encoding: 'utf8' });
if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`);

const workDir = path.join(tmp, 'work');
fs.mkdirSync(workDir, { mode: 0o755 });
fs.copyFileSync(hello, path.join(workDir, 'hello'));
fs.chmodSync(path.join(workDir, 'hello'), 0o755);
const stdoutPath = path.join(tmp, 'stdout');

let sandbox: Sandbox | null = null;
const variants: Sandbox[] = [];
const results: Stats[] = [];
try {
  const box = await openSandbox({ slot });
  sandbox = box;
  const sandboxed = (argv: string[], sb: Sandbox = box) => async (): Promise<void> => {
    const req: RunRequest = {
      argv,
      workDir,
      stdoutPath,
      limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryKiB: 256 * 1024, processes: 16, outputKiB: 1024 },
    };
    const r = await sb.run(req);
    if (r.exitCode !== 0) throw new Error(`sandboxed ${argv.join(' ')} failed: ${JSON.stringify(r)}`);
  };
  for (const [i, piece] of PIECES.entries())
    variants.push(await openSandbox({ slot: slot + 1 + i, supervisorPath: path.join(NATIVE, 'build/bench', `without-${piece}`) }));
  const plan: Array<[string, () => Promise<void>]> = [
    ['spawn /bin/true', () => nodeSpawn('/bin/true', [], workDir)],
    ['execa /bin/true', async () => void (await execa('/bin/true', [], { cwd: workDir }))],
    ['sandbox /bin/true', sandboxed(['/bin/true'])],
    ['spawn hello', () => nodeSpawn('./hello', [], workDir)],
    ['execa hello', async () => void (await execa('./hello', [], { cwd: workDir }))],
    ['sandbox hello', sandboxed(['./hello'])],
    ...PIECES.map((piece, i): [string, () => Promise<void>] => [`sandbox -${piece} /bin/true`, sandboxed(['/bin/true'], variants[i])]),
  ];
  results.push(...(await measureInterleaved(runs, plan)));
} finally {
  await sandbox?.close();
  for (const v of variants) await v.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

const by = (name: string): Stats => results.find((r) => r.name === name)!;
const ratios = {
  'sandbox hello / spawn hello': by('sandbox hello').medianMs / by('spawn hello').medianMs,
  'sandbox hello / execa hello': by('sandbox hello').medianMs / by('execa hello').medianMs,
  'sandbox /bin/true / spawn /bin/true': by('sandbox /bin/true').medianMs / by('spawn /bin/true').medianMs,
  'p95 sandbox hello / spawn hello': by('sandbox hello').p95Ms / by('spawn hello').p95Ms,
};
// What each piece costs: the full sandbox minus one built without it (median and p95 of /bin/true).
const pieceCost = Object.fromEntries(
  PIECES.map((piece) => {
    const without = by(`sandbox -${piece} /bin/true`);
    return [piece, { medianMs: by('sandbox /bin/true').medianMs - without.medianMs, p95Ms: by('sandbox /bin/true').p95Ms - without.p95Ms }];
  }),
);
const isolate = spawnSync('sh', ['-c', 'command -v isolate'], { encoding: 'utf8' }).stdout.trim();
const isolateNote = isolate
  ? `isolate found at ${isolate}, but comparing with it is not implemented here`
  : 'isolate is not installed on this host: no comparison with it';

if (values.json) {
  console.log(JSON.stringify({ runs, slot, host: { cpus: os.cpus().length, kernel: os.release(), loadavg: os.loadavg() }, results, ratios, pieceCost, isolate: isolateNote }, null, 2));
} else {
  const f = (x: number): string => x.toFixed(3).padStart(9);
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`sandbox bench: ${runs} runs each, slot ${slot}, ${os.cpus().length} CPUs, kernel ${os.release()}, load ${load}`);
  console.log(`${'what'.padEnd(22)} ${'median ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'mean ms'.padStart(9)}`);
  for (const r of results) console.log(`${r.name.padEnd(22)} ${f(r.medianMs)} ${f(r.p95Ms)} ${f(r.meanMs)}`);
  for (const [k, v] of Object.entries(ratios)) console.log(`ratio ${k}: ${v.toFixed(2)}${k.startsWith('sandbox hello / spawn') ? (v <= 1 ? ' (goal <= 1.0 met)' : ' (goal <= 1.0 NOT met)') : k.startsWith('p95 sandbox hello') ? (v <= 1.5 ? ' (goal <= 1.5 met)' : ' (goal <= 1.5 NOT met)') : ''}`);
  for (const [k, v] of Object.entries(pieceCost)) console.log(`cost of ${k}: median ${v.medianMs.toFixed(3)} ms, p95 ${v.p95Ms.toFixed(3)} ms per run`);
  console.log(isolateNote);
}
