import stringWidth from 'string-width';

/** Terminal cell width of a string (wide CJK/emoji count 2, escape codes 0). */
export function cellWidth(s: string): number {
  // Nearly everything on screen is printable ASCII: one cell per character, no need for the full
  // Unicode width tables (which were a quarter of a 160x50 frame's cost).
  return PRINTABLE_ASCII.test(s) ? s.length : stringWidth(s);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Cut a plain string to at most `width` cells, adding an ellipsis when cut. Works per code point so
 * a wide character is never split in half.
 */
export function truncate(s: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (cellWidth(s) <= width) return s;
  const room = width - cellWidth(ellipsis);
  if (room <= 0) return ellipsis.slice(0, width);
  if (PRINTABLE_ASCII.test(s)) return s.slice(0, room) + ellipsis;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const w = cellWidth(ch);
    if (used + w > room) break;
    out += ch;
    used += w;
  }
  return out + ellipsis;
}

/** Exactly `width` cells: truncated when longer, padded with spaces when shorter. */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, width);
  const pad = ' '.repeat(Math.max(0, width - cellWidth(t)));
  return align === 'left' ? t + pad : pad + t;
}

/** Greedy word wrap of plain text to `width` cells; long words are broken. */
export function wrap(s: string, width: number): string[] {
  if (width <= 0) return [''];
  const lines: string[] = [];
  for (const para of s.split('\n')) {
    let line = '';
    let lineW = 0;
    for (const word of para.split(/(\s+)/)) {
      if (word === '') continue;
      const w = cellWidth(word);
      if (/^\s+$/.test(word)) {
        if (lineW > 0 && lineW + w <= width) {
          line += word;
          lineW += w;
        }
        continue;
      }
      if (lineW + w <= width) {
        line += word;
        lineW += w;
        continue;
      }
      if (lineW > 0) {
        lines.push(line.trimEnd());
        line = '';
        lineW = 0;
      }
      let rest = word;
      while (cellWidth(rest) > width) {
        let chunk = '';
        let cw = 0;
        for (const ch of rest) {
          const chw = cellWidth(ch);
          if (cw + chw > width) break;
          chunk += ch;
          cw += chw;
        }
        lines.push(chunk);
        rest = rest.slice(chunk.length);
      }
      line = rest;
      lineW = cellWidth(rest);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** "1:02:03" or "02:03" for a duration in milliseconds (negative durations are clamped to 0). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  if (h >= 24) return `${Math.floor(h / 24)}d ${h % 24}:${mm}:${ss}`;
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** "123 ms" / "1.23 s" */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Memory given in KiB as "812 KiB" / "12.3 MiB". */
export function formatKiB(kib: number | null | undefined): string {
  if (kib == null) return '';
  if (kib < 1024) return `${Math.round(kib)} KiB`;
  return `${(kib / 1024).toFixed(kib < 10240 ? 1 : 0)} MiB`;
}

/** Text progress bar for judged tests: `[....x   ] 5/8`; `failedAt` is 1-based. */
export function progressBar(done: number, total: number, width: number, failedAt?: number): string {
  const inner = Math.max(1, width);
  if (total <= 0) return `[${' '.repeat(inner)}]`;
  const cells: string[] = [];
  for (let i = 0; i < inner; i++) {
    // Cell i covers tests (i*total/inner, (i+1)*total/inner]
    const upto = Math.ceil(((i + 1) * total) / inner);
    if (failedAt !== undefined && upto >= failedAt && Math.ceil((i * total) / inner) < failedAt) cells.push('x');
    else if (upto <= done) cells.push('.');
    else cells.push(' ');
  }
  return `[${cells.join('')}] ${done}/${total}`;
}
