import path from 'node:path';
import { RequestError } from '../client.ts';
import { readPrintFile } from '../lib/files.ts';
import { CliError, EXIT, printJson } from './output.ts';
import { withClient } from './read.ts';
import type { GlobalOpts } from './session.ts';

/**
 * `judge print FILE`: send a text file to be printed. Exit 0 when it was printed or queued for the
 * organizers, 1 when the server refused it (the team's pages are spent), 2 for a file that is not
 * printable text (checked here first) and the usual usage / login / connection errors.
 */
export async function cmdPrint(opts: GlobalOpts, file: string): Promise<number> {
  const f = readPrintFile(path.resolve(file));
  if (!f.ok) throw new CliError(f.problem);
  return withClient(opts, async (c) => {
    try {
      const r = await c.request<'print'>({ type: 'print', fileName: f.name, text: f.text });
      if (opts.json) printJson(r);
      else {
        const where = r.state === 'printed' ? 'sent to the printer' : r.state === 'failed' ? 'refused by the printer; the organizers print it for you' : 'queued for the organizers to print';
        process.stdout.write(`Printout ${r.jobId}: ${f.name}, ${r.pages} page${r.pages === 1 ? '' : 's'}, ${where}. ${r.pagesLeft} pages left.\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof RequestError && err.code === 'budget_spent') throw new CliError(err.message, EXIT.rejected, err.code);
      throw err;
    }
  });
}
