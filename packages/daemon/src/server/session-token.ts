/**
 * Resumable session tokens: `<payload>.<mac>`, where payload is base64url JSON {a: account id,
 * t: issued at ms} and mac is HMAC-SHA256 under a key kept in the data dir. Tokens survive a daemon
 * restart (the key is on disk) without a sessions table, and are checked against the account on every
 * use, so disabling an account ends its sessions at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SessionClaims {
  accountId: string;
  issuedAtMs: number;
}

export interface SessionTokens {
  issue(accountId: string): string;
  /** The claims when the token is genuine and not expired, else null. */
  verify(token: string): SessionClaims | null;
}

export const SESSION_KEY_FILE = 'session.key';

/** Reads the key from `<dataDir>/session.key`, creating it (mode 0600) on first start. */
export function loadSessionKey(dataDir: string): Buffer {
  const file = path.join(dataDir, SESSION_KEY_FILE);
  try {
    const key = fs.readFileSync(file);
    if (key.length >= 32) return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}

export function createSessionTokens(key: Buffer, opts: { ttlMs: number; now?: () => number }): SessionTokens {
  const now = opts.now ?? Date.now;
  const mac = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  return {
    issue(accountId) {
      const payload = Buffer.from(JSON.stringify({ a: accountId, t: now() })).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > 512) return null;
      const dot = token.indexOf('.');
      if (dot <= 0) return null;
      const payload = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const want = mac(payload);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      } catch {
        return null;
      }
      const c = claims as { a?: unknown; t?: unknown };
      if (typeof c.a !== 'string' || typeof c.t !== 'number') return null;
      if (now() - c.t > opts.ttlMs || c.t > now() + 60_000) return null;
      return { accountId: c.a, issuedAtMs: c.t };
    },
  };
}
