/**
 * The judgehost secret: 32 random bytes (hex) in a file only root can read. The daemon creates it in
 * its data dir on the first start with --queue; the organizer copies it to each judgehost. It signs
 * jobs and results and the package downloads (protocol.ts), and never itself crosses the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const SECRET_FILE = 'judgehost-secret';

export function readSecret(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new Error(`judgehost secret ${file} does not exist: copy it from the daemon's data dir (${SECRET_FILE})`);
  }
  if ((st.mode & 0o077) !== 0) throw new Error(`judgehost secret ${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}): chmod 600 ${file}`);
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`judgehost secret ${file} must hold 64 hex digits (the file the daemon wrote)`);
  return text;
}

/** The secret at `file`, written first when there is none. */
export function readOrCreateSecret(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return readSecret(file);
}
