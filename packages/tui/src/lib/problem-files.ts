/**
 * Saving what the server sends of a problem to the team's disk: the PDF statement as one file, the
 * samples zip unpacked into a directory. The zip comes from the server, but a client trusts no name
 * it is sent: an entry that would land outside the directory (absolute, `..`, a backslash, through a
 * symlink) refuses the whole archive, and a file already there with other content is never
 * overwritten (the team may have edited it), so nothing is written half.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Api } from '../context.ts';

/** More than any samples zip the server sends (it caps downloads at 1 MiB compressed). */
const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;
const MAX_ENTRIES = 1000;

export class ProblemFileError extends Error {}

/** Downloads the PDF statement of `problemId` and writes it to `dest` (default: `<label>.pdf` here). */
export async function saveStatementPdf(api: Api, problem: { id: string; label: string }, dest?: string, cwd = process.cwd()): Promise<string> {
  const f = await api.request<'problemFile'>({ type: 'problemFile', problemId: problem.id, kind: 'statementPdf' });
  const file = path.resolve(cwd, dest ?? `${problem.label}.pdf`);
  writeFileAtomic(file, Buffer.from(f.contentBase64, 'base64'));
  return file;
}

export interface Unpacked {
  dir: string;
  written: string[];
  /** Already there with the same content. */
  unchanged: string[];
}

/** Downloads the samples of `problemId` and unpacks them into `<cwd>/<label>/`. */
export async function saveSamples(api: Api, problem: { id: string; label: string }, cwd = process.cwd()): Promise<Unpacked> {
  const f = await api.request<'problemFile'>({ type: 'problemFile', problemId: problem.id, kind: 'samplesZip' });
  return unpackZip(Buffer.from(f.contentBase64, 'base64'), path.resolve(cwd, problem.label));
}

/** A zip entry's name as a path inside the directory, or why it is refused. */
export function safeEntryName(name: string): string | { refused: string } {
  if (name.includes('\\') || name.includes('\0')) return { refused: `${JSON.stringify(name)} has a backslash or NUL` };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return { refused: `${JSON.stringify(name)} is an absolute path` };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..')) return { refused: `${JSON.stringify(name)} leaves the directory` };
  return parts.join('/');
}

export function unpackZip(zip: Uint8Array, dir: string): Unpacked {
  let total = 0;
  let count = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (f) => {
        count++;
        total += f.originalSize;
        if (count > MAX_ENTRIES || total > MAX_UNPACKED_BYTES) throw new ProblemFileError(`the samples archive unpacks to more than ${MAX_ENTRIES} files or ${MAX_UNPACKED_BYTES} bytes: refused`);
        return !f.name.endsWith('/');
      },
    });
  } catch (err) {
    if (err instanceof ProblemFileError) throw err;
    throw new ProblemFileError(`the samples archive is not a valid zip: ${(err as Error).message}`);
  }
  const plan: { rel: string; file: string; data: Uint8Array }[] = [];
  for (const [name, data] of Object.entries(entries)) {
    const rel = safeEntryName(name);
    if (typeof rel !== 'string') throw new ProblemFileError(`the samples archive was refused: ${rel.refused}`);
    plan.push({ rel, file: path.join(dir, rel), data });
  }
  const out: Unpacked = { dir, written: [], unchanged: [] };
  const changed: string[] = [];
  for (const p of plan) {
    refuseSymlinkOnTheWay(dir, p.rel);
    const st = fs.lstatSync(p.file, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isFile() && Buffer.from(p.data).equals(fs.readFileSync(p.file))) out.unchanged.push(p.rel);
    else changed.push(p.rel);
  }
  if (changed.length > 0) {
    throw new ProblemFileError(`${changed.map((c) => path.join(dir, c)).join(', ')} already ${changed.length === 1 ? 'exists' : 'exist'} with other content: move ${changed.length === 1 ? 'it' : 'them'} away first (nothing was written)`);
  }
  for (const p of plan) {
    if (out.unchanged.includes(p.rel)) continue;
    fs.mkdirSync(path.dirname(p.file), { recursive: true });
    writeFileAtomic(p.file, p.data);
    out.written.push(p.rel);
  }
  return out;
}

/** `dir` itself may be a symlink the team made; a symlink below it could point anywhere. */
function refuseSymlinkOnTheWay(dir: string, rel: string): void {
  let at = dir;
  for (const part of rel.split('/')) {
    at = path.join(at, part);
    const st = fs.lstatSync(at, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isSymbolicLink()) throw new ProblemFileError(`${at} is a symbolic link: refusing to write through it (nothing was written)`);
  }
}

function writeFileAtomic(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { flag: 'wx' });
  fs.renameSync(tmp, file);
}
