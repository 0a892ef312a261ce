/**
 * A problem package's content hash: sha256 over every entry under its directory, in sorted order,
 * each as its kind, relative path and content (a symlink: its target). Judgehosts fetch packages by
 * this hash and check it after unpacking, so a package changed on the daemon is fetched again and a
 * damaged or substituted download is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function packageContentHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    const names = fs.readdirSync(abs).sort();
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) h.update(`L\0${r}\0${fs.readlinkSync(path.join(dir, r))}\0`);
      else if (st.isDirectory()) {
        h.update(`D\0${r}\0`);
        walk(r);
      } else if (st.isFile()) {
        h.update(`F\0${r}\0${st.size}\0${st.mode & 0o111 ? 'x' : '-'}\0`);
        h.update(fs.readFileSync(path.join(dir, r)));
      }
      // Sockets, fifos, devices: not package content; left out (the loader never reads them).
    }
  };
  walk('');
  return h.digest('hex');
}
