import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSessionTokens, loadSessionKey } from './session-token.ts';

describe('session tokens', () => {
  const key = Buffer.alloc(32, 7);

  it('round-trips an account id', () => {
    const s = createSessionTokens(key, { ttlMs: 1000 });
    expect(s.verify(s.issue('team1'))?.accountId).toBe('team1');
  });

  it('refuses a tampered, foreign or expired token', () => {
    let t = 0;
    const s = createSessionTokens(key, { ttlMs: 1000, now: () => t });
    const token = s.issue('team1');
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ a: 'admin', t: 0 })).toString('base64url');
    expect(s.verify(`${forged}.${mac}`)).toBeNull();
    expect(s.verify(`${payload}.${mac!.slice(0, -2)}AA`)).toBeNull();
    expect(s.verify('garbage')).toBeNull();
    expect(createSessionTokens(Buffer.alloc(32, 8), { ttlMs: 1000 }).verify(token)).toBeNull();
    t = 1001;
    expect(s.verify(token)).toBeNull();
  });

  it('keeps the key across restarts in the data dir, mode 0600', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-key-'));
    const k1 = loadSessionKey(dir);
    const k2 = loadSessionKey(dir);
    expect(k1.equals(k2)).toBe(true);
    expect(fs.statSync(path.join(dir, 'session.key')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });
});
