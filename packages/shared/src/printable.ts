/**
 * The zod form of terminal-text.ts's forbiddenCharIn: text other people will read in a terminal
 * (names, labels, clarifications) may not carry what a terminal acts on. Used at every edge where
 * such text enters: protocol requests, and the contest package's files and problem.yaml at load.
 */
import { z } from 'zod';
import { forbiddenCharIn } from './terminal-text.ts';

export function printable<S extends z.ZodType<string>>(schema: S, multiLine = false) {
  return schema.superRefine((v, ctx) => {
    const bad = forbiddenCharIn(v, multiLine);
    if (bad) ctx.addIssue({ code: 'custom', message: `contains ${bad}; ${multiLine ? 'text' : 'a name'} may hold printable characters${multiLine ? ', line breaks and tabs' : ''} only` });
  });
}
