/** What a worker judges with: the judging engine on a sandbox slot (replaced by a fake in tests). */
import path from 'node:path';
import type { SourceFile } from '@judged/shared/protocol';
import { JudgeEngine } from '../judging/engine.ts';
import type { Language } from '../languages/index.ts';
import type { ProblemPackage } from '../problems/types.ts';
import { openSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { JudgingProgress, JudgingResult } from '../store/index.ts';
import { juryRunOf, toJudgingResult } from './result.ts';

/** What a worker asks of the judging engine. */
export interface JudgeRequest {
  problem: ProblemPackage;
  language: Language;
  files: SourceFile[];
  sandbox: Sandbox;
  signal: AbortSignal;
  onProgress(p: JudgingProgress): void;
}

/** judgeError: set for JE, the judge's own failure, kept for the jury. */
export type JudgeFn = (req: JudgeRequest) => Promise<JudgingResult & { judgeError?: string }>;
/** cpus: pin the slot's runs to these CPUs (cpuset); absent = not pinned. */
export type OpenSandboxFn = (slot: number, cpus?: number[]) => Promise<Sandbox>;

export interface JudgingEngine {
  judge: JudgeFn;
  openSandbox: OpenSandboxFn;
  close?(): void;
}

/** The judging engine on the sandbox, its work dirs under dataDir/work. */
export function judgingEngine(languages: readonly Language[], dataDir: string, timeScale = 1): JudgingEngine {
  const engine = new JudgeEngine({ workRoot: path.join(dataDir, 'work'), languages: [...languages] });
  return {
    async judge(req) {
      const r = await engine.judge({
        problem: req.problem,
        language: req.language,
        files: req.files.map((f) => ({ name: f.name, content: f.source })),
        sandboxes: [req.sandbox],
        signal: req.signal,
        onProgress(p) {
          if (p.phase === 'compiling') req.onProgress({ status: 'compiling' });
          else if (p.phase === 'running') req.onProgress({ status: 'running', testIndex: p.test, testCount: p.total });
          else if (p.phase === 'tested') req.onProgress({ status: 'running', testIndex: p.test, testCount: p.total, run: juryRunOf(p.record) });
        },
      });
      return toJudgingResult(r, req.problem);
    },
    openSandbox: (slot, cpus) => openSandbox({ slot, timeScale, ...(cpus ? { cpus } : {}) }),
    close: () => engine.close(),
  };
}
