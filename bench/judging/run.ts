/**
 * Judging benchmark: what the engine costs per test next to a plain spawn + compare, in the same
 * process, on the same machine, at the same moment.
 *
 *   tiny:  a C hello world against a problem with 200 tiny tests (per-test overhead dominates)
 *   large: a C "copy stdin to stdout" against 10 tests of 50 MB each (I/O and compare dominate)
 *   stable: one CPU-bound program judged 8 times; spread of the reported CPU times
 *   compare: the default output validator alone on 100 MB (identical, whitespace changed on every
 *            line, upper-cased, numbers compared with a tolerance)
 *
 * Baseline per test: child_process.spawn of the same static binary with stdin from the .in file and
 * stdout to a file, then a byte compare of the output with the .ans file (both read whole). Engine per
 * test: from the engine's "running test k" to its "tested k" progress event (sandbox run, default
 * validator, bookkeeping). Ratios are of medians.
 *
 * Run as root with the sandbox built: pnpm exec tsx bench/judging/run.ts [--quick]
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareFiles } from '../../packages/daemon/src/judging/default-validator.ts';
import { JudgeEngine, type JudgeProgress } from '../../packages/daemon/src/judging/engine.ts';
import { loadLanguages } from '../../packages/daemon/src/languages/index.ts';
import { loadProblemPackage } from '../../packages/daemon/src/problems/index.ts';
import type { ProblemPackage } from '../../packages/daemon/src/problems/types.ts';
import { openSandbox } from '../../packages/daemon/src/sandbox/index.ts';
import type { Sandbox } from '../../packages/daemon/src/sandbox/types.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const quick = process.argv.includes('--quick');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-bench-judging-'));
const langs = loadLanguages();
const C = langs.find((l) => l.id === 'c')!;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function makePackage(name: string, limitsYaml: string, tests: number, write: (inPath: string, ansPath: string, i: number) => void): ProblemPackage {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'data', 'sample'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data', 'secret'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'statement'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'statement', 'problem.en.md'), `# ${name}\n`);
  fs.writeFileSync(path.join(dir, 'problem.yaml'), `problem_format_version: 2025-09\nname: ${name}\nuuid: 11111111-1111-4111-8111-111111111111\n${limitsYaml}`);
  for (let i = 0; i < tests; i++) {
    const base = path.join(dir, 'data', i === 0 ? 'sample' : 'secret', String(i).padStart(3, '0'));
    write(`${base}.in`, `${base}.ans`, i);
  }
  const load = loadProblemPackage(dir, { label: 'A', ordinal: 0, baseDir: root });
  if (!load.problem) throw new Error(JSON.stringify(load.errors));
  return load.problem;
}

function hostBinary(name: string, src: string): string {
  const file = path.join(root, `${name}.c`);
  fs.writeFileSync(file, src);
  const out = path.join(root, name);
  execFileSync('gcc', ['-x', 'c', '-O2', '-std=gnu17', '-static', '-o', out, file, '-lm']);
  return out;
}

function spawnOnce(bin: string, input: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const inFd = fs.openSync(input, 'r');
    const outFd = fs.openSync(output, 'w');
    const child = spawn(bin, [], { stdio: [inFd, outFd, 'ignore'] });
    child.on('error', reject);
    child.on('exit', () => {
      fs.closeSync(inFd);
      fs.closeSync(outFd);
      resolve();
    });
  });
}

async function baseline(bin: string, p: ProblemPackage): Promise<number[]> {
  const out = path.join(root, 'baseline.out');
  const times: number[] = [];
  for (const tc of p.testCases) {
    const t = performance.now();
    await spawnOnce(bin, tc.inputPath, out);
    const same = fs.readFileSync(out).equals(fs.readFileSync(tc.answerPath));
    times.push(performance.now() - t);
    if (!same) throw new Error(`baseline: wrong output on ${tc.name}`);
  }
  return times;
}

async function engineRun(engine: JudgeEngine, sb: Sandbox, p: ProblemPackage, src: string): Promise<{ perTest: number[]; compileMs: number; total: number; verdict: string }> {
  const started = new Map<number, number>();
  const perTest: number[] = [];
  let compileStart = 0;
  let compileMs = 0;
  const onProgress = (e: JudgeProgress): void => {
    if (e.phase === 'compiling') compileStart = performance.now();
    if (e.phase === 'compiled') compileMs = performance.now() - compileStart;
    if (e.phase === 'running') started.set(e.test, performance.now());
    if (e.phase === 'tested') perTest.push(performance.now() - started.get(e.test)!);
  };
  const t = performance.now();
  const r = await engine.judge({ problem: p, language: C, files: [{ name: 'main.c', content: src }], sandboxes: [sb], onProgress });
  return { perTest, compileMs, total: performance.now() - t, verdict: r.verdict };
}

const HELLO = '#include <stdio.h>\nint main(void){puts("Hello, World!");return 0;}\n';
const COPY = '#include <stdio.h>\nstatic char b[1<<16];\nint main(void){size_t n;while((n=fread(b,1,sizeof b,stdin))>0)fwrite(b,1,n,stdout);return 0;}\n';
const SPIN = '#include <stdio.h>\nint main(void){volatile unsigned long long n=0;for(unsigned long long i=0;i<400000000ULL;i++)n+=i;printf("%d\\n",(int)(n&1));return 0;}\n';

async function main(): Promise<void> {
  const cpus = os.availableParallelism();
  let sb: Sandbox | undefined;
  // Slots are per host; skip ones that other processes (tests, a daemon) hold.
  for (let slot = testSlot('benchJudging'); !sb && slot < testSlot('benchJudging') + 4; slot++) {
    try {
      sb = await openSandbox({ slot, cgroupParent: 'judged-bench', cpus: [cpus - 1] });
    } catch (err) {
      if (!/in use/.test((err as Error).message)) throw err;
    }
  }
  if (!sb) throw new Error(`no free sandbox slot from ${testSlot('benchJudging')}`);
  const engine = new JudgeEngine({ languages: langs, workRoot: path.join(root, 'work') });
  const lines: string[] = [];
  const say = (s: string): void => {
    lines.push(s);
    console.log(s);
  };
  try {
    say(`host: ${os.cpus()[0]?.model ?? '?'} x${cpus}, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

    // 1. 200 tiny tests.
    const tinyN = quick ? 50 : 200;
    const tiny = makePackage('tiny', 'limits:\n  time_limit: 1\n  memory: 64\n', tinyN, (i, a, k) => {
      fs.writeFileSync(i, `${k}\n`);
      fs.writeFileSync(a, 'Hello, World!\n');
    });
    const hello = hostBinary('hello', HELLO);
    const e1 = await engineRun(engine, sb, tiny, HELLO);
    const b1 = await baseline(hello, tiny);
    say(`tiny (${tinyN} tests): verdict ${e1.verdict}, compile ${e1.compileMs.toFixed(0)} ms, whole judging ${e1.total.toFixed(0)} ms`);
    say(`  per test median: engine ${median(e1.perTest).toFixed(2)} ms, plain spawn+compare ${median(b1).toFixed(2)} ms, ratio ${(median(e1.perTest) / median(b1)).toFixed(2)}x`);

    // 2. 10 tests of 50 MB.
    const bigN = quick ? 3 : 10;
    const mb = quick ? 10 : 50;
    const line = `${'1234567 '.repeat(15)}1234567\n`;
    const chunk = Buffer.from(line.repeat(Math.ceil((1 << 20) / line.length)));
    const large = makePackage('large', `limits:\n  time_limit: 5\n  memory: 256\n  output: ${mb + 16}\n`, bigN, (i, a) => {
      const fd = fs.openSync(i, 'w');
      for (let k = 0; k < mb; k++) fs.writeSync(fd, chunk);
      fs.closeSync(fd);
      fs.copyFileSync(i, a);
    });
    const copy = hostBinary('copy', COPY);
    const e2 = await engineRun(engine, sb, large, COPY);
    const b2 = await baseline(copy, large);
    const bytes = fs.statSync(large.testCases[0]!.inputPath).size;
    say(`large (${bigN} tests of ${(bytes / 2 ** 20).toFixed(0)} MiB): verdict ${e2.verdict}, whole judging ${e2.total.toFixed(0)} ms`);
    say(`  per test median: engine ${median(e2.perTest).toFixed(1)} ms, plain spawn+compare ${median(b2).toFixed(1)} ms, ratio ${(median(e2.perTest) / median(b2)).toFixed(2)}x`);

    // 3. The default validator alone on 100 MB.
    const cmpMb = quick ? 20 : 100;
    const ans = path.join(root, 'cmp.ans');
    const numbers = Buffer.from(Array.from({ length: 4096 }, (_, k) => `${(k * 7919) % 1000003} ${k}.25 word${k}`).join('\n') + '\n');
    const fd = fs.openSync(ans, 'w');
    for (let written = 0; written < cmpMb << 20; written += numbers.length) fs.writeSync(fd, numbers);
    fs.closeSync(fd);
    const variants: [string, (b: Buffer) => Buffer][] = [
      ['identical', (b) => b],
      ['double spaces on every line', (b) => Buffer.from(b.toString('latin1').replace(/ /g, '  '), 'latin1')],
      ['upper case', (b) => Buffer.from(b.toString('latin1').toUpperCase(), 'latin1')],
    ];
    const size = fs.statSync(ans).size;
    for (const [what, f] of variants) {
      const team = path.join(root, 'cmp.out');
      const tfd = fs.openSync(team, 'w');
      const piece = f(numbers);
      for (let written = 0; written < size; written += numbers.length) fs.writeSync(tfd, piece);
      fs.closeSync(tfd);
      for (const flags of [{ caseSensitive: false, spaceChangeSensitive: false }, { caseSensitive: false, spaceChangeSensitive: false, floatAbsoluteTolerance: 1e-6, floatRelativeTolerance: 1e-6 }]) {
        const t = performance.now();
        const r = await compareFiles(team, ans, flags);
        const ms = performance.now() - t;
        say(`compare ${(size / 2 ** 20).toFixed(0)} MiB, ${what}${flags.floatAbsoluteTolerance ? ', float tolerance' : ''}: ${r.verdict} in ${ms.toFixed(0)} ms (${(size / 2 ** 20 / (ms / 1000)).toFixed(0)} MiB/s)`);
      }
      fs.rmSync(team);
    }
    fs.rmSync(ans);

    // 4. Timing stability: one CPU-bound program judged 8 times (pinned slot).
    const one = makePackage('stable', 'limits:\n  time_limit: 10\n  memory: 64\n', 3, (i, a) => {
      fs.writeFileSync(i, '\n');
      fs.writeFileSync(a, '0\n');
    });
    const stability = async (label: string, sandboxes: Sandbox[]): Promise<void> => {
      const cpuTimes: number[] = [];
      for (let k = 0; k < 8; k++) {
        const r = await engine.judge({ problem: one, language: C, files: [{ name: 'spin.c', content: SPIN }], sandboxes });
        cpuTimes.push(...r.tests.filter((t) => t.kind === 'secret').map((t) => t.cpuTimeMs));
      }
      const spread = (Math.max(...cpuTimes) - Math.min(...cpuTimes)) / median(cpuTimes);
      say(`stable, ${label}: CPU ms ${cpuTimes.map((t) => t.toFixed(0)).join(' ')}; spread (max-min)/median ${(spread * 100).toFixed(1)}%, median ${median(cpuTimes).toFixed(0)} ms`);
    };
    await stability(`8 judgings on one slot pinned to CPU ${cpus - 1}`, [sb]);
    // Tests of one submission on two slots at once, each pinned to its own CPU.
    let sb2: Sandbox | undefined;
    for (let slot = testSlot('benchJudging') + 4; !sb2 && slot < testSlot('benchJudging') + 8 && cpus > 1; slot++) {
      try {
        sb2 = await openSandbox({ slot, cgroupParent: 'judged-bench', cpus: [0] });
      } catch (err) {
        if (!/in use/.test((err as Error).message)) throw err;
      }
    }
    if (sb2) {
      await stability('8 judgings, 2 secret tests each on two slots pinned to CPUs 0 and 1 in parallel', [sb, sb2]);
      await sb2.close();
    }
  } finally {
    engine.close();
    await sb.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
