/**
 * The one generator of passwords judged makes up (the daemon's generated logins, the Teams screen's
 * new and reset passwords): people type them from a printed sheet, so the alphabet leaves out the
 * look-alikes 0/O and 1/l/I. Web Crypto's getRandomValues (Node and browsers alike, no Buffer).
 */
export const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const PASSWORD_LENGTH = 12;

/**
 * A random password: every character equally likely. A byte modulo 56 would favour the first 32
 * characters (256 = 4 * 56 + 32), so bytes at or above 224 are dropped and drawn again
 * (rejection sampling).
 */
export function randomPassword(length = PASSWORD_LENGTH, random: (bytes: Uint8Array) => void = (b) => void globalThis.crypto.getRandomValues(b)): string {
  const n = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = '';
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    random(bytes);
    for (const b of bytes) {
      if (b < limit) out += PASSWORD_ALPHABET[b % n];
      if (out.length === length) break;
    }
  }
  return out;
}
