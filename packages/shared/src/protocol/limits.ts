/**
 * Protocol version, default port and the size limits both sides enforce, with the UTF-8 measure they
 * use (no Buffer, so it also runs in a browser).
 */
export const PROTOCOL_VERSION = 1;

/** Port judged listens on (HTTP and WebSocket) and judge connects to when none is given. */
export const DEFAULT_PORT = 7700;

/** Largest WebSocket message either side sends or accepts (2 MiB: a maximal source, JSON-escaped). */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** Largest submission, all files together, in UTF-8 bytes (256 KiB). */
export const MAX_SOURCE_BYTES = 256 * 1024;
export const MAX_SOURCE_FILES = 16;
export const MAX_CLARIFICATION_CHARS = 4000;
/** Sample test output shown back to a team is cut at this many characters. */
export const MAX_SAMPLE_EXCERPT_CHARS = 8000;
/** A validator's teammessage.txt shown to the team is cut at this many characters. */
export const MAX_TEAM_MESSAGE_CHARS = 2000;
/** Largest file a team may print, in UTF-8 bytes (100 KiB: some 40 pages of code). */
export const MAX_PRINT_BYTES = 100 * 1024;
/** Printed page layout: columns before a line wraps, lines of text under the header on each page. */
export const PRINT_COLUMNS = 90;
export const PRINT_PAGE_LINES = 60;
/** The default penalty per rejected run, ICPC rules. */
export const DEFAULT_PENALTY_TIME_MIN = 20;

/**
 * A new contest start must be at least this far ahead (the CCS Contest API's rule for PATCH
 * start_time, 30 s): a start in the past, or one that begins before teams have seen the countdown,
 * would count their time from a moment already gone. Starting at once is its own action (startNow).
 */
export const MIN_START_LEAD_MS = 30_000;

/**
 * Why a new start time is refused, or null: the one rule of the admin's form, the daemon's
 * setContestTimes and the Contest API. Only a contest that has not started is held to the lead; an
 * unchanged start passes (the admin changed only the end or the freeze), and so does unscheduling
 * (null). Moving the start of a running contest is other rules' business (e.g. submissions before it).
 * Callers add how to start at once in their own terms (the TUI's S, the startNow request).
 */
export function startLeadError(nextStartAtMs: number | null, currentStartAtMs: number | null, nowMs: number): string | null {
  if (nextStartAtMs === null || nextStartAtMs === currentStartAtMs) return null;
  if (currentStartAtMs !== null && nowMs >= currentStartAtMs) return null;
  if (nextStartAtMs >= nowMs + MIN_START_LEAD_MS) return null;
  const ago = nowMs - nextStartAtMs;
  const when = ago > 0 ? `${Math.ceil(ago / 1000)} s in the past` : `only ${Math.floor(-ago / 1000)} s from now`;
  return `the new start is ${when}: a start must be at least ${MIN_START_LEAD_MS / 1000} s ahead`;
}

export const LIMITS = {
  maxFrameBytes: MAX_FRAME_BYTES,
  maxSourceBytes: MAX_SOURCE_BYTES,
  maxSourceFiles: MAX_SOURCE_FILES,
  maxClarificationChars: MAX_CLARIFICATION_CHARS,
} as const;

/** UTF-8 length without allocating a buffer (works in Node and browsers). */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * The message a too-large submission gets, or null when it fits. Clients call it before sending; the
 * server's schema applies the same rule.
 */
export function sourceSizeError(files: ReadonlyArray<{ name: string; source: string }>, maxBytes = MAX_SOURCE_BYTES): string | null {
  let total = 0;
  for (const f of files) total += utf8ByteLength(f.source);
  if (total <= maxBytes) return null;
  const what = files.length === 1 ? `source file ${files[0]!.name} is` : `the ${files.length} source files are`;
  return `${what} ${kib(total)} (${total} bytes); the limit is ${kib(maxBytes)} (${maxBytes} bytes): submit a smaller source`;
}
