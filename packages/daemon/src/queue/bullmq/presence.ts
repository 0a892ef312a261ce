/**
 * Judgehosts in Redis: each one writes its status (JudgehostStatus, JSON) into one hash every few
 * seconds and reads whether the jury disabled it; the daemon reads the hash for /metrics, the jury's
 * Judgehosts screen, and how many jobs to keep published.
 *
 * Lifecycle, by the age of the last status: alive (younger than STALE_MS), stale (no status for a few
 * seconds: a busy or cut-off machine, or one just killed; it is given no work), gone (none for
 * goneMs(), a minute by default: it is not coming back by itself). The jury may remove a gone
 * judgehost from the hash; one that reports again simply reappears.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../server/log.ts';
import { JudgehostStatusSchema, type JudgehostStatus } from './protocol.ts';
import { DISABLED_KEY, JUDGEHOSTS_KEY } from './timing.ts';

export const PRESENCE_EVERY_MS = 2000;
export const STALE_MS = 3 * PRESENCE_EVERY_MS + 1000;

/** No status for this long: gone. JUDGED_JUDGEHOST_GONE_MS changes it (tests). */
export function goneMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.JUDGED_JUDGEHOST_GONE_MS;
  const ms = raw === undefined ? 60_000 : Number(raw);
  if (!Number.isInteger(ms) || ms <= STALE_MS || ms > 86_400_000) throw new RangeError(`JUDGED_JUDGEHOST_GONE_MS must be a whole number of ms above ${STALE_MS}, got "${raw}"`);
  return ms;
}

export type JudgehostState = 'alive' | 'stale' | 'gone';

export interface JudgehostView extends JudgehostStatus {
  alive: boolean;
  state: JudgehostState;
  seenAgoMs: number;
  disabled: boolean;
}

export function judgehostState(seenAgoMs: number, gone: number): JudgehostState {
  return seenAgoMs < STALE_MS ? 'alive' : seenAgoMs < gone ? 'stale' : 'gone';
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

/** Every judgehost that wrote its status and was not removed since, with its state and whether disabled. */
export async function readJudgehosts(client: Redis, log: Logger, nowMs = Date.now(), gone = goneMs()): Promise<JudgehostView[]> {
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
    const seenAgoMs = Math.max(0, nowMs - r.data.seenAtMs);
    const state = judgehostState(seenAgoMs, gone);
    out.push({ ...r.data, alive: state === 'alive', state, seenAgoMs, disabled: off.has(name) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Takes a judgehost off the list (its status and its disabled mark). */
export async function removeJudgehost(client: Redis, name: string): Promise<void> {
  await client.multi().hdel(JUDGEHOSTS_KEY, name).srem(DISABLED_KEY, name).exec();
}

export async function setDisabled(client: Redis, name: string, disabled: boolean): Promise<void> {
  if (disabled) await client.sadd(DISABLED_KEY, name);
  else await client.srem(DISABLED_KEY, name);
}
