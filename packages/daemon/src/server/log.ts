/**
 * Structured log: one JSON object a line (for files and log shippers), or a short readable line when
 * stderr is a terminal. Every record has time, level and msg; callers add fields instead of
 * formatting values into the message, so logs stay greppable.
 */
import { safeLine } from '@judged/shared/terminal-text';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose records all carry `fields` (e.g. {worker: 2}). */
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** Pretty lines instead of JSON; defaults to whether the stream is a TTY. */
  pretty?: boolean;
  level?: LogLevel;
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const pretty = opts.pretty ?? Boolean(process.stderr.isTTY);
  const min = ORDER[opts.level ?? (process.env.JUDGED_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? ORDER.info;
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));

  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (ORDER[level] < min) return;
    const record = { time: new Date().toISOString(), level, msg, ...bound, ...fields };
    write(pretty ? formatPretty(record) : jsonLine(record));
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...opts, pretty, write }, { ...bound, ...fields }),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

/**
 * JSON escapes C0 controls but leaves DEL, C1 controls and bidi overrides as they are; escape those
 * too, so `tail -f` of the JSON log in a terminal is as safe as the pretty log (the value stays exact).
 */
function jsonLine(record: LogFields): string {
  return JSON.stringify(record, errorReplacer).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function formatPretty(record: { time: string; level: LogLevel; msg: string } & LogFields): string {
  const { time, level, msg, ...rest } = record;
  const extras = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, errorReplacer)}`)
    .join(' ');
  // The line goes to the organizer's terminal and its fields hold other people's text (login names,
  // client names, messages): nothing in it may act on the terminal. JSON.stringify alone leaves C1
  // controls and bidi overrides in place.
  return safeLine(`${time.slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${msg}${extras ? '  ' + extras : ''}`);
}
