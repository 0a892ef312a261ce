/**
 * How a printout looks on paper: tabs expanded, long lines wrapped at PRINT_COLUMNS, PRINT_PAGE_LINES
 * lines of text per page under a header naming the team, its place, the file, the time and the page
 * ("page 2/5"), pages separated by form feeds (CUPS's text filter starts a new sheet at each). Pure,
 * so the page count a team is charged is the one the printer gets.
 */
import { PRINT_COLUMNS, PRINT_PAGE_LINES } from '@judged/shared/protocol';

export interface PrintHeader {
  teamId: string;
  teamName: string;
  location: string | null;
  fileName: string;
  atMs: number;
}

/** The text as lines of at most PRINT_COLUMNS characters. */
function lines(text: string): string[] {
  const out: string[] = [];
  const body = text.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  for (const raw of body.split('\n')) {
    let line = '';
    for (const ch of raw) line += ch === '\t' ? ' '.repeat(8 - (line.length % 8)) : ch;
    if (line.length === 0) out.push('');
    for (let i = 0; i < line.length; i += PRINT_COLUMNS) out.push(line.slice(i, i + PRINT_COLUMNS));
  }
  return out;
}

export function pageCount(text: string): number {
  return Math.max(1, Math.ceil(lines(text).length / PRINT_PAGE_LINES));
}

/** The text as it goes to the printer (and as the jury reads it): header on every page. */
export function layOut(text: string, h: PrintHeader): string {
  const all = lines(text);
  const pages = Math.max(1, Math.ceil(all.length / PRINT_PAGE_LINES));
  const when = new Date(h.atMs).toISOString().slice(0, 16).replace('T', ' ');
  const who = [h.teamId, h.teamName, h.location].filter((x) => x).join(' | ');
  const out: string[] = [];
  for (let p = 0; p < pages; p++) {
    const right = `page ${p + 1}/${pages}`;
    const left = `${who} | ${h.fileName} | ${when} UTC`;
    const room = Math.max(1, PRINT_COLUMNS - right.length - 1);
    const head = left.length > room ? `${left.slice(0, room - 1)}…` : left;
    out.push(`${head}${' '.repeat(Math.max(1, PRINT_COLUMNS - head.length - right.length))}${right}`, '-'.repeat(PRINT_COLUMNS));
    out.push(...all.slice(p * PRINT_PAGE_LINES, (p + 1) * PRINT_PAGE_LINES));
    if (p < pages - 1) out.push('\f');
  }
  return out.join('\n').replace(/\n\f\n/g, '\n\f') + '\n';
}
