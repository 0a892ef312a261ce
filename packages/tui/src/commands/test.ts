import path from 'node:path';
import chalk from 'chalk';
import { checkSourceFile } from '../lib/files.ts';
import { runLocalTests, type SampleOutcome } from '../lib/localrun.ts';
import { formatMs } from '../lib/text.ts';
import { CliError, EXIT, printJson } from './output.ts';
import { connect, type GlobalOpts } from './session.ts';
import { findProblem, colourVerdict } from './read.ts';
import { pickLanguage } from './submit.ts';

/** `judge test A sol.cpp`: the samples of A, run locally; exit 0 when all pass, 1 otherwise. */
export async function cmdTest(opts: GlobalOpts & { lang?: string; floatTolerance?: string }, problemKey: string, file: string): Promise<number> {
  const abs = path.resolve(file);
  const check = checkSourceFile(abs);
  if (!check.ok) throw new CliError(check.problems.join('; '));
  let tol: number | undefined;
  if (opts.floatTolerance !== undefined) {
    tol = Number(opts.floatTolerance);
    if (!Number.isFinite(tol) || tol < 0) throw new CliError(`--float-tolerance needs a non-negative number, got "${opts.floatTolerance}"`);
  }
  const { client } = await connect(opts);
  let problem;
  let lang;
  try {
    const p = await findProblem(client, problemKey);
    problem = (await client.request<'statement'>({ type: 'statement', problemId: p.id })).problem;
    // The judge's own language list and commands, picked as `judge submit` picks them.
    lang = pickLanguage(abs, (await client.request<'languages'>({ type: 'languages' })).languages, opts.lang);
  } finally {
    client.close();
  }
  if (problem.samples.length === 0) throw new CliError(`problem ${problem.label} has no samples to test on`);
  // The judge's own rule for the samples when the server publishes it; --float-tolerance overrides.
  const published = problem.sampleCompare ?? null;
  if (!published && !opts.json) process.stdout.write(chalk.yellow('note: this problem has a custom validator or interactor; comparing outputs token by token\n'));
  const compare = { ...(published ?? {}), ...(tol !== undefined ? { floatAbsoluteTolerance: tol, floatRelativeTolerance: tol } : {}) };
  const print = (s: SampleOutcome) => {
    if (opts.json) return;
    process.stdout.write(`sample ${s.name}: ${colourVerdict(s.verdict, '')}  ${formatMs(s.timeMs)}${s.message ? `  ${s.message}` : ''}\n`);
    for (const d of s.diff) process.stdout.write(`  ${d.startsWith('-') ? chalk.red(d) : d.startsWith('+') ? chalk.green(d) : chalk.dim(d)}\n`);
    if (s.verdict !== 'AC' && s.stderr.trim()) process.stdout.write(chalk.dim(`  stderr: ${s.stderr.trim().split('\n').slice(0, 5).join('\n          ')}\n`));
  };
  if (!opts.json) process.stdout.write(`Testing ${path.basename(abs)} (${lang.id}) on ${problem.samples.length} sample(s) of ${problem.label}. ${problem.name}\n`);
  const r = await runLocalTests(abs, lang, problem.samples, { timeLimitMs: problem.timeLimitMs, memoryLimitMiB: Math.ceil(problem.memoryLimitKiB / 1024), compare, onSample: print });
  const passed = r.samples.filter((s) => s.verdict === 'AC').length;
  if (opts.json) printJson({ problem: problem.label, language: lang.id, compiled: r.compiled, compileOutput: r.compileOutput, samples: r.samples, passed, total: problem.samples.length });
  else if (!r.compiled) process.stdout.write(`${chalk.blue('CE')} compilation failed:\n${r.compileOutput.trimEnd()}\n`);
  else process.stdout.write(`${passed === r.samples.length ? chalk.green('all samples pass') : chalk.red(`${passed}/${r.samples.length} samples pass`)} (local run, no sandbox: times are indicative)\n`);
  return r.compiled && passed === r.samples.length ? EXIT.ok : EXIT.rejected;
}
