import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Sample } from '@judged/shared/problem';
import type { CompareFlags } from '@judged/shared/default-validator';
import { compareOutput, lineDiff } from './output-check.ts';

/**
 * Compile and run a solution on a problem's samples on the contestant's own machine, without a
 * sandbox (it is their program on their computer). Time is wall-clock here, so a local TLE is a hint,
 * not a verdict: only a run killed at five times the limit counts as TLE here.
 */
export interface LocalLanguage {
  id: string;
  extensions: string[];
  /** argv; {src} is the source path, {dir} the work dir, {exe} the binary, {class} Java's class. */
  compile?: string[];
  run: string[];
}

export const LOCAL_LANGUAGES: LocalLanguage[] = [
  { id: 'c', extensions: ['c'], compile: ['gcc', '-O2', '-std=gnu17', '-o', '{exe}', '{src}', '-lm'], run: ['{exe}'] },
  { id: 'cpp', extensions: ['cpp', 'cc', 'cxx', 'c++'], compile: ['g++', '-O2', '-std=gnu++20', '-o', '{exe}', '{src}'], run: ['{exe}'] },
  { id: 'python3', extensions: ['py'], run: ['python3', '{src}'] },
  { id: 'java', extensions: ['java'], compile: ['javac', '-d', '{dir}', '{src}'], run: ['java', '-cp', '{dir}', '{class}'] },
  { id: 'javascript', extensions: ['js', 'mjs'], run: ['node', '{src}'] },
  { id: 'rust', extensions: ['rs'], compile: ['rustc', '-O', '--edition', '2021', '-o', '{exe}', '{src}'], run: ['{exe}'] },
];

export interface SampleOutcome {
  name: string;
  verdict: 'AC' | 'WA' | 'TLE' | 'RTE';
  timeMs: number;
  message: string;
  diff: string[];
  stderr: string;
}

export interface LocalTestResult {
  compiled: boolean;
  compileOutput: string;
  samples: SampleOutcome[];
}

export function localLanguageFor(id: string | undefined, file: string): LocalLanguage | null {
  const ext = path.extname(file).slice(1).toLowerCase();
  return LOCAL_LANGUAGES.find((l) => (id ? l.id === id : l.extensions.includes(ext))) ?? null;
}

function fill(argv: string[], v: Record<string, string>): string[] {
  return argv.map((a) => a.replace(/\{(\w+)\}/g, (_m, k: string) => v[k] ?? _m));
}

export async function runLocalTests(
  file: string,
  lang: LocalLanguage,
  samples: Sample[],
  opts: { timeLimitMs: number; compare: Partial<CompareFlags>; onSample?: (o: SampleOutcome) => void },
): Promise<LocalTestResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-test-'));
  try {
    const src = path.join(dir, path.basename(file));
    fs.copyFileSync(file, src);
    const vars = { src, dir, exe: path.join(dir, 'solution'), class: path.basename(file, path.extname(file)) };
    let compileOutput = '';
    if (lang.compile) {
      const [cmd, ...args] = fill(lang.compile, vars);
      const r = await execa(cmd!, args, { cwd: dir, reject: false, all: true, timeout: 120_000 });
      compileOutput = r.all ?? '';
      if (r.exitCode !== 0) {
        const why = r.failed && r.exitCode === undefined ? `${cmd} could not run: ${r.shortMessage}` : compileOutput;
        return { compiled: false, compileOutput: why, samples: [] };
      }
    }
    const results: SampleOutcome[] = [];
    // Generous local limit: machines differ; a run over the real limit is flagged TLE anyway.
    const hardMs = Math.max(5000, opts.timeLimitMs * 5);
    for (const s of samples) {
      const [cmd, ...args] = fill(lang.run, vars);
      const t0 = performance.now();
      const r = await execa(cmd!, args, { cwd: dir, input: s.input, reject: false, timeout: hardMs, maxBuffer: 64 * 1024 * 1024, stripFinalNewline: false });
      const timeMs = Math.round(performance.now() - t0);
      let out: SampleOutcome;
      if (r.timedOut) {
        out = { name: s.name, verdict: 'TLE', timeMs, message: `killed after ${hardMs} ms (the limit is ${opts.timeLimitMs} ms)`, diff: [], stderr: String(r.stderr ?? '') };
      } else if (r.exitCode !== 0) {
        out = { name: s.name, verdict: 'RTE', timeMs, message: r.signal ? `killed by ${r.signal}` : `exit code ${r.exitCode}`, diff: [], stderr: String(r.stderr ?? '') };
      } else {
        const got = String(r.stdout ?? '');
        const c = await compareOutput(s.output, got, opts.compare);
        // Wall time on a busy laptop says little about CPU time on the judge: a slow run that is
        // right is reported as a warning, not as TLE.
        const slow = timeMs > opts.timeLimitMs ? `slower than the ${opts.timeLimitMs} ms limit here (wall clock; the judge measures CPU time)` : '';
        out = c.ok
          ? { name: s.name, verdict: 'AC', timeMs, message: slow, diff: [], stderr: '' }
          : { name: s.name, verdict: 'WA', timeMs, message: c.message, diff: lineDiff(s.output, got), stderr: String(r.stderr ?? '') };
      }
      results.push(out);
      opts.onSample?.(out);
    }
    return { compiled: true, compileOutput, samples: results };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
