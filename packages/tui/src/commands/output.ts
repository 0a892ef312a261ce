import chalk from 'chalk';
import { safeBlock } from '@judged/shared/terminal-text';
import { RequestError } from '../client.ts';

/** Exit codes every subcommand shares. */
export const EXIT = { ok: 0, rejected: 1, usage: 2 } as const;

/** An error that ends a subcommand with a message and exit code (2 unless said otherwise). */
export class CliError extends Error {
  constructor(
    message: string,
    public exitCode: number = EXIT.usage,
    public code = 'error',
  ) {
    super(message);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Report a failure: the message on stderr, and with --json also one JSON value on stdout. */
export function reportError(err: unknown, json: boolean): number {
  let code = 'error';
  let message: string;
  let exit: number = EXIT.usage;
  if (err instanceof CliError) {
    code = err.code;
    message = err.message;
    exit = err.exitCode;
  } else if (err instanceof RequestError) {
    code = err.code;
    message = describeRequestError(err);
  } else {
    message = err instanceof Error ? err.message : String(err);
  }
  if (json) printJson({ error: { code, message } });
  // A server's message can quote what someone typed: the terminal gets it cleaned, JSON exact.
  process.stderr.write(`${chalk.red('judge:')} ${safeBlock(message)}\n`);
  return exit;
}

export function describeRequestError(e: RequestError): string {
  switch (e.code) {
    case 'bad_credentials':
      return `login failed: wrong user name or password (${e.message})`;
    case 'session_invalid':
      return 'the stored session is no longer valid: log in again (run `judge` or set JUDGE_PASSWORD)';
    case 'contest_not_running':
      return `the contest is not running: ${e.message}`;
    case 'rate_limited':
      // The server's budgets say what was too many and how long to wait ("too many submissions from your team: wait 20 s").
      if (/^too many .*: wait \d+ (s|min)/.test(e.message)) return e.message;
      return `too many requests: ${e.message}${e.retryAfterMs ? ` (try again in ${Math.ceil(e.retryAfterMs / 1000)} s)` : ''}`;
    default:
      return e.message;
  }
}

/** A plain table: columns padded to the widest cell; no colour when stdout is not a terminal. */
export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => stripAnsi(r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(Math.max(0, w[i]! - stripAnsi(c).length))).join('  ').trimEnd();
  return [chalk.bold(line(head)), ...rows.map(line)].join('\n') + '\n';
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
