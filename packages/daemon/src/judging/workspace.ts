/**
 * Host directories for one judging. The sandbox runs programs as an unprivileged per-slot user, so
 * every directory a program writes to is made world-writable here, and everything it only reads is
 * world-readable; the work area as a whole is private to this process's own tree under workRoot.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function defaultWorkRoot(): string {
  return path.join(os.tmpdir(), 'judged-work');
}

export function makeDir(p: string, writableBySandbox: boolean): string {
  fs.mkdirSync(p, { recursive: true });
  // chmod after mkdir: the umask would otherwise take the write bits away.
  fs.chmodSync(p, writableBySandbox ? 0o777 : 0o755);
  return p;
}

export function newJobDir(workRoot: string, prefix: string): string {
  makeDir(workRoot, false);
  return makeDir(path.join(workRoot, `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`), false);
}

/** Copies files (relative names, subdirectories allowed) and makes them readable by the sandbox. */
export function copyFiles(fromDir: string, files: readonly string[], toDir: string): void {
  for (const f of files) {
    const dest = path.join(toDir, f);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(fromDir, f), dest);
    fs.chmodSync(dest, (fs.statSync(path.join(fromDir, f)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

/** Copies a whole directory tree (a test case's .files directory, a validator with build scripts). */
export function copyTree(fromDir: string, toDir: string): void {
  for (const e of fs.readdirSync(fromDir, { withFileTypes: true })) {
    const src = path.join(fromDir, e.name);
    const dest = path.join(toDir, e.name);
    if (e.isDirectory()) {
      makeDir(dest, true);
      copyTree(src, dest);
    } else {
      fs.copyFileSync(src, dest);
      fs.chmodSync(dest, (fs.statSync(src).mode & 0o111) !== 0 ? 0o755 : 0o644);
    }
  }
}

/** Makes everything under dir writable by the sandbox user (a feedback directory restored between passes). */
export function openForWriting(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    fs.chmodSync(p, e.isDirectory() ? 0o777 : 0o666);
    if (e.isDirectory()) openForWriting(p);
  }
}

/** Makes everything under dir readable (and directories enterable) by the sandbox user. */
export function openUp(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) {
      fs.chmodSync(p, 0o755);
      openUp(p);
    } else {
      const mode = fs.statSync(p).mode;
      fs.chmodSync(p, (mode & 0o111) !== 0 ? 0o755 : 0o644);
    }
  }
}

/** First `head` and last `tail` bytes of a file, for compiler output and stderr (never the whole file). */
export function readEnds(file: string, head = 32 * 1024, tail = 16 * 1024): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= head + tail) {
      const buf = Buffer.alloc(size);
      fs.readSync(fd, buf, 0, size, 0);
      return buf.toString('utf8');
    }
    const a = Buffer.alloc(head);
    fs.readSync(fd, a, 0, head, 0);
    const b = Buffer.alloc(tail);
    fs.readSync(fd, b, 0, tail, size - tail);
    return `${a.toString('utf8')}\n[... ${size - head - tail} bytes left out ...]\n${b.toString('utf8')}`;
  } finally {
    fs.closeSync(fd);
  }
}

export function removeDir(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}

/**
 * The same off the event loop (libuv's thread pool), for the clean-up after a judging: a job's tree
 * took ~24 ms to remove in the server bench, a stall of every client's events while it ran.
 */
export function removeDirAsync(p: string): Promise<void> {
  return fs.promises.rm(p, { recursive: true, force: true });
}
