/**
 * Directory walking that follows symbolic links (packages may use them, per the spec) but refuses
 * ones that point outside the package: a sample or attachment linked to /etc/shadow would otherwise
 * be served to teams.
 */
import fs from 'node:fs';
import path from 'node:path';

export type EntryKind = 'file' | 'dir' | 'other';

/** Kind of `dir/name`, looking through symlinks; 'other' for dangling links, sockets and the like. */
export function entryKind(dir: string, e: fs.Dirent): EntryKind {
  if (e.isFile()) return 'file';
  if (e.isDirectory()) return 'dir';
  if (!e.isSymbolicLink()) return 'other';
  try {
    const st = fs.statSync(path.join(dir, e.name));
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'other';
  }
}

/** Whether `file` (after resolving links) lies inside `packageDir`. */
export function insidePackage(packageDir: string, file: string): boolean {
  try {
    const root = fs.realpathSync(packageDir);
    const real = fs.realpathSync(file);
    return real === root || real.startsWith(root + path.sep);
  } catch {
    return false;
  }
}
