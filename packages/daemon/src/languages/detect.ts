/**
 * A program's language from its files, by problemtools' rule (config/languages.yaml, "Language
 * detection"): a file counts as evidence for a language when its extension is one of the
 * language's and, for a language with a shebang rule, the file's extension is not among the
 * rule's or its first line matches the rule. The language with the most evidence wins; a tie goes
 * to the higher priority. So `#!/usr/bin/env python2` makes a .py file Python 2 (python2 is ahead of
 * python3 in priority, and both count it), while a .py without that line is Python 3 only.
 */
import path from 'node:path';
import type { Language } from './types.ts';

export interface ProgramFile {
  name: string;
  /** The file's first line (a shebang), when it has one. */
  firstLine?: string;
}

function evidence(lang: Language, f: ProgramFile): boolean {
  const ext = path.extname(f.name).slice(1);
  if (!lang.extensions.includes(ext)) return false;
  const rule = lang.shebang;
  if (!rule || !rule.extensions.includes(ext)) return true;
  return new RegExp(rule.pattern).test(f.firstLine ?? '');
}

/** The detected language, or undefined when no file is a source of any language. */
export function detectLanguage(langs: readonly Language[], files: readonly ProgramFile[]): Language | undefined {
  let best: { lang: Language; count: number } | undefined;
  for (const lang of langs) {
    const count = files.filter((f) => evidence(lang, f)).length;
    if (count === 0) continue;
    if (!best || count > best.count || (count === best.count && (lang.priority ?? 0) > (best.lang.priority ?? 0))) best = { lang, count };
  }
  return best?.lang;
}
