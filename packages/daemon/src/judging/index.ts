/**
 * The judging engine (see engine.ts for the theory of operation, docs/judging.md for the rules).
 *
 *   new JudgeEngine({ languages, workRoot? }).judge(req): Promise<JudgeResult>   — one engine per daemon
 *   judgeSubmission(req): the same with a process-wide engine
 *   compareFiles(team, answer, flags): the default output validator, streaming
 *   judgeRun / judgeInteractive / validatorVerdict / runLimits: the verdict rules as pure functions
 */
export { JudgeEngine, judgeSubmission, PROG_DIR, type JudgeRequest, type JudgeResult, type JudgeProgress, type TestRecord, type CompileRecord, type SubmissionFile, type EngineOptions } from './engine.ts';
export { compareFiles, compareSources, type CompareResult } from './default-validator.ts';
export { judgeRun, judgeInteractive, validatorVerdict, runLimits, nearLimit, EXIT_AC, EXIT_WA, type RunLimits } from './verdict.ts';
export { JudgeError } from './build.ts';
