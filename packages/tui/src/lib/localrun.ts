import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Sample } from '@judged/shared/problem';
import { runStackKiB, type Language } from '@judged/shared/protocol';
import type { CompareFlags } from '@judged/shared/default-validator';
import { chooseMainClass, listClasses } from '@judged/shared/java-main';
import { expandCommand, type CommandVars } from '@judged/shared/language-command';
import { compareOutput, lineDiff } from './output-check.ts';

/**
 * Compile and run a solution on a problem's samples on the contestant's own machine, without a
 * sandbox (it is their program on their computer), with the judge's own commands for its language
 * (the server's language list), so a local compile error or crash is the one the judge would see.
 * Time is wall-clock here, so a local TLE is a hint, not a verdict: only a run killed at five times
 * the limit counts as TLE here.
 */

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

/** What the judge's placeholders stand for here (languages/types.ts on the daemon names them). */
/**
 * A judge command as argv for this machine: placeholders filled as the judge fills them, and a
 * program the judge names by an absolute path that does not exist here looked up by its name in PATH
 * instead (the judge's loader resolves bare names to the sandbox's directories, which this machine
 * may lay out otherwise).
 */
export function localCommand(cmd: readonly string[], v: CommandVars): string[] {
  const out = expandCommand(cmd, v);
  if (out[0] && path.isAbsolute(out[0]) && !fs.existsSync(out[0])) out[0] = path.basename(out[0]);
  return out;
}

export async function runLocalTests(
  file: string,
  lang: Pick<Language, 'compile' | 'run'>,
  samples: Sample[],
  opts: { timeLimitMs: number; memoryLimitMiB: number; compare: Partial<CompareFlags>; onSample?: (o: SampleOutcome) => void },
): Promise<LocalTestResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-test-'));
  try {
    const main = path.basename(file);
    fs.copyFileSync(file, path.join(dir, main));
    const vars: CommandVars = { progdir: dir, files: [main], main, mainclass: '', memlimitMiB: opts.memoryLimitMiB, stackKiB: runStackKiB(opts.memoryLimitMiB) };
    let compileOutput = '';
    if (lang.compile) {
      const [cmd, ...args] = localCommand(lang.compile, vars);
      const r = await execa(cmd!, args, { cwd: dir, reject: false, all: true, timeout: 120_000 });
      compileOutput = r.all ?? '';
      if (r.exitCode !== 0) {
        const why = r.failed && r.exitCode === undefined ? `${cmd} could not run: ${r.shortMessage}` : compileOutput;
        return { compiled: false, compileOutput: why, samples: [] };
      }
    }
    if (lang.run.some((arg) => arg.includes('{mainclass}'))) {
      // Java: the class holding main(), found in the compiled classes as the judge finds it.
      const choice = chooseMainClass(listClasses(dir));
      if (!choice.ok) return { compiled: false, compileOutput: `${compileOutput}\n${choice.error}`.trim(), samples: [] };
      vars.mainclass = choice.mainclass;
    }
    const results: SampleOutcome[] = [];
    // Generous local limit: machines differ; a run over the real limit is flagged TLE anyway.
    const hardMs = Math.max(5000, opts.timeLimitMs * 5);
    for (const s of samples) {
      const [cmd, ...args] = localCommand(lang.run, vars);
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
