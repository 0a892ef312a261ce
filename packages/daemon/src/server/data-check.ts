/**
 * Before a contest starts: every package's data against its own validators (input validators on
 * every test case, data/invalid_input, invalid_output, valid_output). A package whose data fails
 * stops the start with the package, file, validator and what it said; `--force` starts anyway and
 * says so loudly in the log.
 */
import path from 'node:path';
import { formatDataIssues, validateProblemData } from '../judging/data-validation.ts';
import { JudgeEngine } from '../judging/engine.ts';
import type { Language } from '../languages/types.ts';
import type { ProblemPackage } from '../problems/types.ts';
import { openSandbox } from '../sandbox/index.ts';
import type { Logger } from './log.ts';

/** Lines naming each problem found, empty when all data is valid. Throws only if no sandbox opens. */
export async function checkProblemData(problems: ProblemPackage[], o: { languages: Language[]; workRoot: string; slot: number; log: Logger; timeScale?: number }): Promise<string[]> {
  const sandbox = await openSandbox({ slot: o.slot, timeScale: o.timeScale });
  const engine = new JudgeEngine({ languages: o.languages, workRoot: o.workRoot });
  const lines: string[] = [];
  try {
    for (const p of problems) {
      const report = await validateProblemData(p, engine, sandbox);
      for (const n of report.notes) o.log.info('problem data note', { problem: p.shortName, detail: n });
      lines.push(...formatDataIssues(report, path.dirname(p.dir)));
    }
  } finally {
    engine.close();
    await sandbox.close();
  }
  return lines;
}
