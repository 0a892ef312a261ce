/**
 * `--queue` as Redis connection options: redis://[user:pass@]host[:port][/db], rediss:// (TLS) or
 * unix:///path/to/redis.sock. Valkey speaks the same protocol. An unreadable value is refused with
 * what to write instead.
 */
import type { RedisOptions } from 'bullmq';

export class QueueUrlError extends Error {
  override name = 'QueueUrlError';
}

export interface QueueTarget {
  /** For logs: the URL without its password. */
  display: string;
  redis: RedisOptions;
}

export function parseQueueUrl(value: string): QueueTarget {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new QueueUrlError(`--queue "${value}" is not a URL: write redis://HOST:6379 or unix:///run/redis/redis.sock`);
  }
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  if (u.protocol === 'unix:') {
    if (!u.pathname.startsWith('/')) throw new QueueUrlError(`--queue ${value}: the socket path must be absolute (unix:///path/redis.sock)`);
    return { display: `unix://${u.pathname}`, redis: { path: decodeURIComponent(u.pathname), password, username } };
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new QueueUrlError(`--queue ${value}: the scheme must be redis://, rediss:// or unix://`);
  if (!u.hostname) throw new QueueUrlError(`--queue ${value}: no host (redis://HOST:6379)`);
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new QueueUrlError(`--queue ${value}: the database after the / must be 0..15`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    display: `${u.protocol}//${u.host}/${db}`,
    redis: { host, port, db, password, username, ...(u.protocol === 'rediss:' ? { tls: {} } : {}) },
  };
}
