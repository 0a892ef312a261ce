/** `judge statement A --pdf [-o FILE]` and `judge samples A`: a problem's files on the team's disk. */
import { ProblemFileError, saveSamples, saveStatementPdf } from '../lib/problem-files.ts';
import { CliError, printJson } from './output.ts';
import { findProblem, withClient } from './read.ts';
import type { GlobalOpts } from './session.ts';

async function asCliError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProblemFileError) throw new CliError(err.message);
    throw err;
  }
}

export async function cmdStatementPdf(opts: GlobalOpts, key: string, output?: string): Promise<number> {
  return withClient(opts, async (c) => {
    const p = await findProblem(c, key);
    const file = await asCliError(() => saveStatementPdf(c, p, output));
    if (opts.json) printJson({ problemId: p.id, file });
    else process.stdout.write(`Saved the statement of ${p.label} to ${file}\n`);
    return 0;
  });
}

export async function cmdSamples(opts: GlobalOpts, key: string): Promise<number> {
  return withClient(opts, async (c) => {
    const p = await findProblem(c, key);
    const r = await asCliError(() => saveSamples(c, p));
    if (opts.json) printJson({ problemId: p.id, ...r });
    else {
      const what = [r.written.length > 0 ? `wrote ${r.written.join(', ')}` : '', r.unchanged.length > 0 ? `${r.unchanged.length} already there unchanged` : ''].filter(Boolean).join('; ');
      process.stdout.write(`Samples of ${p.label} in ${r.dir}/: ${what || 'none'}\n`);
    }
    return 0;
  });
}
