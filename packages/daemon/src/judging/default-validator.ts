/**
 * The default output validator on files: the streaming comparison itself is shared with the client
 * (@judged/shared/default-validator); this side feeds it file handles and turns a byte offset into a line.
 */
import fs from 'node:fs/promises';
import { compareSources, type ByteSource, type CompareFlags, type CompareOptions, type CompareResult } from '@judged/shared/default-validator';

export { compareSources, type ByteSource, type CompareOptions, type CompareResult };

export function fileSource(handle: fs.FileHandle): ByteSource {
  return {
    read: async (buf) => (await handle.read(buf, 0, buf.length, null)).bytesRead,
    close: () => handle.close(),
  };
}

/** Compares the team's output file with the judge's answer file. */
export async function compareFiles(teamPath: string, answerPath: string, flags: CompareFlags, opts: CompareOptions = {}): Promise<CompareResult> {
  const team = await fs.open(teamPath, 'r');
  let judge: fs.FileHandle | undefined;
  try {
    judge = await fs.open(answerPath, 'r');
    const r = await compareSources(fileSource(team), fileSource(judge), flags, opts);
    if (r.verdict === 'WA' && r.teamOffset !== undefined) {
      const line = await lineOfOffset(teamPath, r.teamOffset);
      return { verdict: 'WA', message: `line ${line} of the output: ${r.message}` };
    }
    return { verdict: r.verdict, message: r.message };
  } finally {
    await team.close();
    await judge?.close();
  }
}

/** 1-based line number of a byte offset in a file (only computed for a wrong answer). */
export async function lineOfOffset(file: string, offset: number): Promise<number> {
  const h = await fs.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    let seen = 0;
    while (seen < offset) {
      const { bytesRead } = await h.read(buf, 0, Math.min(buf.length, offset - seen), null);
      if (bytesRead === 0) break;
      let k = buf.indexOf(10, 0);
      while (k !== -1 && k < bytesRead) {
        line++;
        k = buf.indexOf(10, k + 1);
      }
      seen += bytesRead;
    }
    return line;
  } finally {
    await h.close();
  }
}
