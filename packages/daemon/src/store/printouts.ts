/**
 * Printouts: what a team sent to print, kept whole so nothing is lost on a crash and the jury can
 * print it again. The page budget is checked in the same transaction as the insert, so two printouts
 * sent at once cannot both pass a budget that has room for one.
 */
import type { PrintJob } from '@judged/shared/protocol';
import type { StoreCore } from './core.ts';

interface PrintRow {
  id: number;
  team_id: string;
  team_name: string;
  location: string | null;
  file_name: string;
  bytes: number;
  pages: number;
  state: PrintJob['state'];
  error: string | null;
  done: number;
  print_count: number;
  created_at_ms: number;
  printed_at_ms: number | null;
}

const SELECT = `SELECT p.id, p.team_id, t.name AS team_name, t.location, p.file_name, length(CAST(p.text AS BLOB)) AS bytes, p.pages,
  p.state, p.error, p.done, p.print_count, p.created_at_ms, p.printed_at_ms
  FROM print_jobs p JOIN teams t ON t.id = p.team_id`;

function toJob(r: PrintRow): PrintJob {
  return {
    id: String(r.id),
    teamId: r.team_id,
    teamName: r.team_name,
    location: r.location,
    fileName: r.file_name,
    pages: r.pages,
    bytes: r.bytes,
    state: r.state,
    error: r.error,
    done: r.done === 1,
    createdAtMs: r.created_at_ms,
    printedAtMs: r.printed_at_ms,
    printCount: r.print_count,
  };
}

export type NewPrintout = { teamId: string; fileName: string; text: string; pages: number };

export class PrintoutStore {
  constructor(private readonly core: StoreCore) {}

  /** Pages the team has printed so far (a jury reprint does not count). */
  pagesUsed(teamId: string): number {
    return (this.core.db.prepare('SELECT COALESCE(SUM(pages), 0) AS n FROM print_jobs WHERE team_id = ?').get(teamId) as { n: number }).n;
  }

  /** Stores a printout as queued unless it would take the team past `maxPages`: then null. */
  add(p: NewPrintout, maxPages: number): PrintJob | null {
    return this.core.tx(() => {
      if (this.pagesUsed(p.teamId) + p.pages > maxPages) return null;
      const info = this.core.db
        .prepare("INSERT INTO print_jobs (team_id, file_name, text, pages, state, created_at_ms) VALUES (?, ?, ?, ?, 'queued', ?)")
        .run(p.teamId, p.fileName, p.text, p.pages, this.core.now());
      return this.emit(Number(info.lastInsertRowid));
    });
  }

  get(id: string): PrintJob | undefined {
    const r = this.core.db.prepare(`${SELECT} WHERE p.id = ?`).get(Number(id)) as PrintRow | undefined;
    return r ? toJob(r) : undefined;
  }

  /** The file as the team sent it. */
  text(id: string): string | undefined {
    return (this.core.db.prepare('SELECT text FROM print_jobs WHERE id = ?').get(Number(id)) as { text: string } | undefined)?.text;
  }

  /** Newest first. */
  list(): PrintJob[] {
    return (this.core.db.prepare(`${SELECT} ORDER BY p.id DESC`).all() as PrintRow[]).map(toJob);
  }

  /** The printer took it (printed) or refused it (failed, with why). */
  printed(id: string, result: { ok: true } | { ok: false; error: string }): PrintJob | undefined {
    return this.core.tx(() => {
      const r = result.ok
        ? this.core.db.prepare("UPDATE print_jobs SET state = 'printed', error = NULL, print_count = print_count + 1, printed_at_ms = ? WHERE id = ?").run(this.core.now(), Number(id))
        : this.core.db.prepare("UPDATE print_jobs SET state = 'failed', error = ? WHERE id = ?").run(result.error, Number(id));
      return r.changes === 1 ? this.emit(Number(id)) : undefined;
    });
  }

  setDone(id: string, done: boolean): PrintJob | undefined {
    return this.core.tx(() => {
      const r = this.core.db.prepare('UPDATE print_jobs SET done = ? WHERE id = ?').run(done ? 1 : 0, Number(id));
      return r.changes === 1 ? this.emit(Number(id)) : undefined;
    });
  }

  private emit(id: number): PrintJob {
    const job = this.get(String(id))!;
    this.core.appendEvent({ kind: 'printJob', job });
    return job;
  }
}
