/**
 * Judgehosts in Redis: each one writes its status (JudgehostStatus, JSON) into one hash every few
 * seconds and reads whether the jury disabled it; the daemon reads the hash for /metrics, the jury's
 * Judgehosts screen, and how many jobs to keep published. A status older than STALE_MS is "not alive".
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../server/log.ts';
import { JudgehostStatusSchema, type JudgehostStatus } from './protocol.ts';
import { DISABLED_KEY, JUDGEHOSTS_KEY } from './timing.ts';

export const PRESENCE_EVERY_MS = 2000;
export const STALE_MS = 3 * PRESENCE_EVERY_MS + 1000;

export interface JudgehostView extends JudgehostStatus {
  alive: boolean;
  disabled: boolean;
}

/** A connection for small commands that fails fast while Redis is away (no queue of commands piling up). */
export function commandClient(redis: RedisOptions): Redis {
  return new Redis({ ...(redis as object), enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
}

/** Keeps a judgehost's status in Redis; `disabled()` is what the jury last said. */
export function startPresence(redis: RedisOptions, status: () => JudgehostStatus, log: Logger): { disabled(): boolean; stop(): Promise<void> } {
  const client = commandClient(redis);
  client.on('error', () => {});
  let disabled = false;
  let wasDisabled = false;
  const beat = async (): Promise<void> => {
    const s = status();
    try {
      await client.hset(JUDGEHOSTS_KEY, s.name, JSON.stringify({ ...s, seenAtMs: Date.now() }));
      disabled = (await client.sismember(DISABLED_KEY, s.name)) === 1;
      if (disabled !== wasDisabled) log.warn(disabled ? 'judgehost disabled by the jury: taking no new work' : 'judgehost enabled again by the jury', { name: s.name });
      wasDisabled = disabled;
    } catch {
      // Redis away: the queue side logs it; the status is written again on the next beat.
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), PRESENCE_EVERY_MS);
  return {
    disabled: () => disabled,
    async stop() {
      clearInterval(timer);
      await beat();
      client.disconnect();
    },
  };
}

/** Every judgehost that ever wrote its status (since the hash was last cleared), with alive and disabled. */
export async function readJudgehosts(client: Redis, log: Logger, nowMs = Date.now()): Promise<JudgehostView[]> {
  const [all, disabled] = await Promise.all([client.hgetall(JUDGEHOSTS_KEY), client.smembers(DISABLED_KEY)]);
  const off = new Set(disabled);
  const out: JudgehostView[] = [];
  for (const [name, text] of Object.entries(all)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const r = JudgehostStatusSchema.safeParse(parsed);
    if (!r.success || r.data.name !== name) {
      log.warn('queue: malformed judgehost status ignored', { name: name.slice(0, 64) });
      continue;
    }
    out.push({ ...r.data, alive: nowMs - r.data.seenAtMs < STALE_MS, disabled: off.has(name) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function setDisabled(client: Redis, name: string, disabled: boolean): Promise<void> {
  if (disabled) await client.sadd(DISABLED_KEY, name);
  else await client.srem(DISABLED_KEY, name);
}
