/**
 * Password hashes: scrypt from node:crypto with a random 16-byte salt. The stored string carries its
 * parameters (`scrypt$N$r$p$salt$hash`, base64url) so they can be raised later without breaking old
 * hashes. Session tokens are random and stored as SHA-256 only.
 *
 * Checking a password is async (scrypt on libuv's thread pool): a check costs 50-250 ms of CPU, and
 * a wave of logins at contest start must not stall event delivery to everybody else. Hashing new
 * passwords is sync only at setup, before anyone is connected (hashPassword); what an admin does while
 * clients are connected (addTeam, importTeams, a new password) hashes with hashPasswordAsync, the
 * same parameters off the loop.
 */
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEY_LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** hashPassword on libuv's thread pool: same parameters, same format. */
export async function hashPasswordAsync(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password.normalize('NFC'), salt, KEY_LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

function scryptAsync(password: string, salt: Buffer, keyLen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Whether `password` matches a stored `scrypt$N$r$p$salt$hash` string; false for malformed ones. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const want = Buffer.from(parts[5]!, 'base64url');
  if (want.length === 0) return false;
  const got = await scryptAsync(password.normalize('NFC'), salt, want.length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  return timingSafeEqual(got, want);
}

/** Generated passwords come from the one generator in shared (the Teams screen uses it too). */
export { randomPassword } from '@judged/shared/password';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
