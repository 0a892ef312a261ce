/**
 * Event-feed tokens (since_token). A token names a place in the daemon's event log: the event's seq
 * and the index of the line among those that event produced for one class of reader (the jury, the
 * public, or one team). It is sealed with AES-256-GCM under the data dir's key, so:
 * - a team or the public cannot read seqs from tokens, and so cannot count the events hidden from
 *   them (submissions and judgements during the freeze, other teams' clarifications): two tokens
 *   look like unrelated random strings, even for the same place;
 * - a forged, altered, or other-class token fails to open and is refused (400), so a team cannot
 *   reuse the jury's place, nor the public another team's.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Viewer } from '@judged/shared/visibility';
import { isJury } from '@judged/shared/visibility';

export interface FeedPlace {
  seq: number;
  /** Index of the line among the lines of event `seq` for this reader class (0-based). */
  line: number;
  /** Whether the reader had been sent the judgements the freeze hid (so a resume need not repeat them). */
  thawed: boolean;
}

/** The class of readers that see the same feed: jury (judge, admin), public, or one team. */
export function readerClass(v: Viewer): string {
  if (isJury(v)) return 'jury';
  return v.role === 'team' && v.teamId !== null ? `team:${v.teamId}` : 'public';
}

export class FeedTokens {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the feed token key must be 32 bytes');
  }

  seal(cls: string, p: FeedPlace): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(cls));
    const body = Buffer.concat([c.update(JSON.stringify([p.seq, p.line, p.thawed ? 1 : 0])), c.final()]);
    return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64url');
  }

  /** The place a token names, or null when it is not one of ours for this reader class. */
  open(cls: string, token: string): FeedPlace | null {
    if (!/^[A-Za-z0-9_-]{30,200}$/.test(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < 12 + 16 + 5) return null;
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAAD(Buffer.from(cls));
      d.setAuthTag(raw.subarray(raw.length - 16));
      const text = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
      const v = JSON.parse(text) as unknown;
      if (!Array.isArray(v) || v.length !== 3 || !v.every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
      return { seq: v[0] as number, line: v[1] as number, thawed: v[2] === 1 };
    } catch {
      return null;
    }
  }
}

const KEY_FILE = 'ccs-feed-token.key';

/** The data dir's token key, made on first use (kept so tokens still open after a restart). */
export function loadFeedTokenKey(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  try {
    const key = fs.readFileSync(file);
    if (key.length === 32) return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}
