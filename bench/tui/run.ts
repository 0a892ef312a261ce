/**
 * Client latency benchmark: per screen, keystroke-to-frame median / p95, CPU ms and bytes written per key
 * (300 teams, 12 problems, 200 submissions), and verdict-sent-to-verdict-shown. The measuring code is
 * bench/tui/latency.ts; it mounts the App through packages/tui/test-utils (React and Ink resolve from
 * the tui package only). Every scenario runs in its own child process, so one screen's garbage or JIT
 * state does not bill the next and the CPU time is that screen's alone.
 *
 *   tsx bench/tui/run.ts [--rounds N] [--size 160x50]... [--only TEXT] [--base DIR] [--cpu-prof DIR] [--json]
 *
 * --base DIR also measures the client of another checkout (DIR/packages/tui, e.g. main) with the same
 * scenarios, alternating base and this tree scenario by scenario, and prints the ratios this/base.
 * --cpu-prof DIR writes a V8 CPU profile per scenario child (node --cpu-prof) into DIR.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// What users run: React's production build (cli.ts sets the same).
process.env.NODE_ENV ??= 'production';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OWN_TUI = path.resolve(HERE, '../../packages/tui');

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const opts = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]!] : []));

if (opt('--child')) {
  // One scenario in this process: print its result as JSON on stdout.
  const { loadTui, keystrokes, verdicts, SCENARIOS } = await import('./latency.ts');
  const tui = await loadTui(opt('--child')!);
  const [cols, rows] = opt('--size')!.split('x').map(Number) as [number, number];
  const rounds = Number(opt('--rounds'));
  const name = opt('--scenario')!;
  const sc = SCENARIOS.find((s) => s.name === name);
  const result = name === 'verdict shown' ? await verdicts(tui, cols, rows, rounds) : await keystrokes(tui, sc!, cols, rows, rounds);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

const { SCENARIOS } = await import('./latency.ts');
const rounds = Number(opt('--rounds')) || 200;
const sizes = (opts('--size').length ? opts('--size') : ['80x24', '160x50']).map((s) => s.trim());
const only = opt('--only');
const base = opt('--base');
const profDir = opt('--cpu-prof');
const json = argv.includes('--json');
const names = [...SCENARIOS.map((s) => s.name), 'verdict shown'].filter((n) => !only || n.includes(only));

interface Result {
  latency: { n: number; median?: number; p95?: number };
  cpuMsPerKey?: number;
  bytesPerKey?: number;
  missed: number;
}

function child(tuiDir: string, scenario: string, size: string, tag: string): Promise<Result> {
  // One profile per thread (tsx's loader runs in a worker): the main thread's is the biggest.
  const prof = profDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profDir, `${tag}-${size}-${scenario.replace(/[^a-z0-9]+/gi, '_')}`)] : [];
  const args = [...process.execArgv, ...prof, fileURLToPath(import.meta.url), '--child', tuiDir, '--scenario', scenario, '--size', size, '--rounds', String(rounds)];
  return new Promise((resolve, reject) => {
    // tsx reads the tsconfig (JSX mode) of the working directory: run in the measured tree's root.
    const p = spawn(process.execPath, args, { cwd: path.resolve(tuiDir, '../..'), stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_TREE: tag } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => {
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || !line) reject(new Error(`${tag} ${scenario} ${size}: exit ${code}\n${out}`));
      else resolve(JSON.parse(line) as Result);
    });
  });
}

const trees: [string, string][] = [['this', OWN_TUI], ...(base ? ([['base', path.resolve(base, 'packages/tui')]] as [string, string][]) : [])];
const results: Record<string, Record<string, Record<string, Result>>> = {};
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const loadAt: string[] = [`start ${load()}`];
for (const size of sizes) {
  for (const name of names) {
    // Alternate which tree goes first, so a load change does not always bill the same one.
    const order = names.indexOf(name) % 2 ? [...trees].reverse() : trees;
    for (const [tag, dir] of order) {
      const r = await child(dir, name, size, tag);
      ((results[size] ??= {})[name] ??= {})[tag] = r;
      if (!json) process.stderr.write(`${size} ${tag.padEnd(4)} ${name}: ${r.latency.median} / ${r.latency.p95} ms${r.cpuMsPerKey !== undefined ? `, ${r.cpuMsPerKey} ms CPU, ${r.bytesPerKey} B per key` : ''}${r.missed ? `, ${r.missed} missed` : ''}\n`);
    }
  }
  loadAt.push(`after ${size} ${load()}`);
}

if (json) {
  process.stdout.write(JSON.stringify({ rounds, load: loadAt, results }, null, 2) + '\n');
} else {
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? (a / b).toFixed(2) : '-');
  const lines: string[] = [`rounds ${rounds}; load average (1 5 15 min): ${loadAt.join('; ')}`, ''];
  for (const size of sizes) {
    lines.push(`## ${size}`, '');
    lines.push(base ? '| screen | median / p95 ms | CPU ms per key | bytes per key | base median / p95 | base CPU | CPU ratio | p95 ratio |' : '| screen | median / p95 ms | CPU ms per key | bytes per key |');
    lines.push(base ? '| --- | --- | --- | --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |');
    for (const name of names) {
      const r = results[size]![name]!;
      const t = r.this!;
      const row = [name + (t.missed ? ` (${t.missed} keys drew nothing)` : ''), `${t.latency.median} / ${t.latency.p95}`, t.cpuMsPerKey ?? '-', t.bytesPerKey ?? '-'];
      if (base) {
        const b = r.base!;
        row.push(`${b.latency.median} / ${b.latency.p95}`, b.cpuMsPerKey ?? '-', ratio(t.cpuMsPerKey, b.cpuMsPerKey), ratio(t.latency.p95, b.latency.p95));
      }
      lines.push(`| ${row.join(' | ')} |`);
    }
    lines.push('');
  }
  process.stdout.write(lines.join('\n') + '\n');
}
process.exit(0);
