/**
 * Submission files as the CCS API carries them: one zip archive with the files at its root. We write
 * it (GET .../submissions/{id}/files) and read it (POST submissions, `files[0].data` in base64), with
 * fflate. Reading is bounded by the declared sizes (fflate stops at them), checked against our
 * source limits before anything is inflated, so a zip bomb costs at most MAX_SOURCE_BYTES.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { SourceFile } from '@judged/shared/protocol';
import { MAX_SOURCE_BYTES, MAX_SOURCE_FILES } from '@judged/shared/protocol';

export function zipSubmission(files: readonly SourceFile[], mtimeMs: number): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: number }]> = {};
  // Zip times are local DOS times from 1980 on; the submission time keeps the archive reproducible.
  for (const f of files) entries[f.name] = [strToU8(f.source), { mtime: Math.max(mtimeMs, Date.UTC(1980, 0, 2)) }];
  return zipSync(entries, { level: 6 });
}

export class ZipError extends Error {}

/** The files of a submitted zip; throws ZipError naming what is wrong. */
export function unzipSubmission(zip: Uint8Array): SourceFile[] {
  let declared = 0;
  let count = 0;
  let problem: string | null = null;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        count++;
        declared += f.originalSize;
        if (f.name.includes('/') || f.name.includes('\\')) problem ??= `${f.name}: files must be at the root of the zip, without directories`;
        if (count > MAX_SOURCE_FILES) problem ??= `the zip holds more than ${MAX_SOURCE_FILES} files`;
        if (declared > MAX_SOURCE_BYTES) problem ??= `the files are larger than ${MAX_SOURCE_BYTES} bytes together`;
        return problem === null;
      },
    });
  } catch (err) {
    throw new ZipError(`files[0].data is not a readable zip archive (${(err as Error).message})`);
  }
  if (problem) throw new ZipError(problem);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return Object.entries(entries).map(([name, bytes]) => {
    try {
      return { name, source: decoder.decode(bytes) };
    } catch {
      throw new ZipError(`${name} is not UTF-8 text`);
    }
  });
}
