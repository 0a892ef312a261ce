/**
 * The print flow: a team's file is checked against its page budget and stored (queued) in one
 * transaction, then, with a printer configured, handed to lp; what lp refuses stays for the jury as
 * failed. Without a printer every printout waits in the jury's Print queue.
 */
import { ApiError } from '../server/api-error.ts';
import type { PrintJob } from '@judged/shared/protocol';
import type { Store } from '../store/index.ts';
import { layOut, pageCount } from './layout.ts';
import { sendToPrinter } from './lp.ts';

export interface PrintingOptions {
  /** The CUPS destination (judged --printer); null: printouts wait for the jury. */
  printer: string | null;
  /** Pages each team may print in the contest (judged --print-pages). */
  maxPages: number;
}

export const DEFAULT_PRINT_PAGES = 50;

export class Printing {
  constructor(
    private readonly store: Store,
    readonly opts: PrintingOptions,
  ) {}

  /** Stores the printout and, with a printer, prints it; refuses past the budget. */
  async print(teamId: string, fileName: string, text: string): Promise<{ job: PrintJob; pagesLeft: number }> {
    const pages = pageCount(text);
    const job = this.store.printouts.add({ teamId, fileName, text, pages }, this.opts.maxPages);
    if (!job) {
      const left = Math.max(0, this.opts.maxPages - this.store.printouts.pagesUsed(teamId));
      throw new ApiError('budget_spent', `${fileName} is ${pages} page${pages === 1 ? '' : 's'}; your team has ${left} of its ${this.opts.maxPages} pages left: print less, or ask the organizers`);
    }
    const after = this.opts.printer ? await this.send(job) : job;
    return { job: after, pagesLeft: Math.max(0, this.opts.maxPages - this.store.printouts.pagesUsed(teamId)) };
  }

  /** The jury sends a printout to the printer again. */
  async reprint(id: string): Promise<PrintJob> {
    const job = this.store.printouts.get(id);
    if (!job) throw new ApiError('not_found', `no printout ${id}`, 'jobId');
    if (!this.opts.printer) throw new ApiError('conflict', 'no printer is configured (judged --printer NAME): view the printout and print it by hand');
    return this.send(job);
  }

  /** The printout as the printer gets it. */
  text(job: PrintJob): string {
    return layOut(this.store.printouts.text(job.id) ?? '', { teamId: job.teamId, teamName: job.teamName, location: job.location, fileName: job.fileName, atMs: job.createdAtMs });
  }

  private async send(job: PrintJob): Promise<PrintJob> {
    const result = await sendToPrinter(this.opts.printer!, `${job.teamId} ${job.fileName}`, this.text(job));
    return this.store.printouts.printed(job.id, result) ?? job;
  }
}
