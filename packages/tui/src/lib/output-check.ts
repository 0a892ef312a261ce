/**
 * Output comparison for `judge test`: the judge's own default output validator (token-wise, case
 * and float tolerance rules of the problem package format), so a local run says what the judge would.
 *
 * The validator itself is shared with the daemon (@judged/shared/default-validator); what is ours
 * here is the person-facing line diff.
 */
import { compareSources, type ByteSource, type CompareFlags } from '@judged/shared/default-validator';

export type CompareResult = { ok: true } | { ok: false; message: string };

function memorySource(text: string): ByteSource {
  let data: Buffer | null = Buffer.from(text, 'utf8');
  let pos = 0;
  return {
    read: async (buf) => {
      if (!data || pos >= data.length) return 0;
      const n = data.copy(buf, 0, pos, Math.min(data.length, pos + buf.length));
      pos += n;
      return n;
    },
    close: async () => {
      data = null;
    },
  };
}

export async function compareOutput(expected: string, got: string, o: Partial<CompareFlags> = {}): Promise<CompareResult> {
  const flags: CompareFlags = {
    caseSensitive: o.caseSensitive ?? false,
    spaceChangeSensitive: o.spaceChangeSensitive ?? false,
    ...(o.floatAbsoluteTolerance !== undefined ? { floatAbsoluteTolerance: o.floatAbsoluteTolerance } : {}),
    ...(o.floatRelativeTolerance !== undefined ? { floatRelativeTolerance: o.floatRelativeTolerance } : {}),
  };
  const r = await compareSources(memorySource(got), memorySource(expected), flags);
  return r.verdict === 'AC' ? { ok: true } : { ok: false, message: r.message };
}

/** A short line diff for people: the first differing lines with a little context. */
export function lineDiff(expected: string, got: string, maxLines = 8): string[] {
  const e = expected.replace(/\n$/, '').split('\n');
  const g = got.replace(/\n$/, '').split('\n');
  let first = 0;
  while (first < e.length && first < g.length && e[first]!.trimEnd() === g[first]!.trimEnd()) first++;
  const out: string[] = [];
  const from = Math.max(0, first - 1);
  for (let i = from; i < Math.max(e.length, g.length) && out.length < maxLines * 2; i++) {
    const a = e[i];
    const b = g[i];
    if (a !== undefined && b !== undefined && a.trimEnd() === b.trimEnd()) out.push(`  ${i + 1}  ${a}`);
    else {
      if (a !== undefined) out.push(`- ${i + 1}  ${a}`);
      if (b !== undefined) out.push(`+ ${i + 1}  ${b}`);
    }
  }
  return out;
}
