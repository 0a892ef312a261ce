/**
 * Structured log: one JSON object a line (for files and log shippers), or a short readable line when
 * stderr is a terminal. Every record has time, level and msg; callers add fields instead of
 * formatting values into the message, so logs stay greppable.
 */
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
    write(pretty ? formatPretty(record) : JSON.stringify(record, errorReplacer));
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

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function formatPretty(record: { time: string; level: LogLevel; msg: string } & LogFields): string {
  const { time, level, msg, ...rest } = record;
  const extras = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, errorReplacer)}`)
    .join(' ');
  return `${time.slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${msg}${extras ? '  ' + extras : ''}`;
}
