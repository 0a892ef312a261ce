import type { Language as WireLanguage } from '@judged/shared/protocol';
import type { Language } from './types.ts';

/** A language as clients see it: its extensions and the judge's own commands (for `judge test`). */
export function wireLanguage(l: Language): WireLanguage {
  return { id: l.id, name: l.name, extensions: [...l.extensions], multiFile: l.multiFile, compile: l.compile ? [...l.compile] : null, run: [...l.run] };
}
