/**
 * Problem packages (Kattis / ICPC problem package format, legacy and 2025-09) for the daemon.
 *
 * API (all synchronous; file paths in results are absolute):
 *
 *   loadProblemSet(problemsDir, opts?): { problems: ProblemPackage[], errors: ConfigFileError[], warnings: string[] }
 *     Every package under problemsDir (or problemsDir itself if it holds a problem.yaml), labelled
 *     A, B, C... by directory name, or by problemsDir/problemset.yaml (letter/label, short-name,
 *     color, rgb). A broken package lands in `errors` and the others still load.
 *   loadProblemPackage(dir, { label, ordinal, color?, baseDir? }, opts?): { problem?, errors, warnings }
 *   resolvePackageDirs(paths): string[]   — `judged verify` arguments (packages or dirs of packages) -> package dirs
 *   ensureGenerated(problemDir): { generated, outputs }   — makes test data declared in
 *     generators/manifest.yaml (large inputs not committed); throws with a readable message.
 *     loadProblem* call it unless opts.generate === false.
 *   deriveTimeLimitMs(limits, slowestAcceptedMs, fastestTleMs?): { timeLimitMs, ok, message }
 *     — for verify when limits.timeLimitSource === 'default' (problemtools' time_multiplier rule),
 *     and to check explicit limits against the example submissions.
 *   Errors are ConfigFileErrors (config-files/diagnostics.ts; formatConfigFileError gives
 *     'problems/x/problem.yaml:3: limits.memory: <what> — <what to do>').
 *   toProblemInfo(p): the shared ProblemInfo a contestant may see (no secret data, no paths).
 *
 * A ProblemPackage (types.ts) gives the judge: limits (timeLimitMs, memoryMiB, outputMiB, ...),
 * type.interactive, validation 'default' | 'custom', outputValidator (sources to build; also the
 * interactor), inputValidators (for verify), includedCode (include/<language>/), testCases in
 * judging order (samples first; each with inputPath, answerPath, outputValidatorArgs, compare
 * flags for the default validator, args, filesDir), submissions with expected
 * verdicts for verify (and language/entrypoint when submissions.yaml gives them), statements as
 * Markdown, samples and attachments for the client.
 *
 * Validator contract (the spec's): run outputValidator as
 *   <validator> inputPath answerPath feedbackDir/ ...outputValidatorArgs  < team output
 * exit 42 = AC, 43 = WA (feedbackDir/judgemessage.txt says why), anything else = JE. For
 * type.interactive the validator's stdout is the team's stdin and the team's stdout its stdin.
 */
export { loadProblemSet, resolvePackageDirs, listPackageDirs, isProblemPackage, defaultLabel } from './problemset.ts';
export { loadProblemPackage, type PackagePlacement, type PackageLoad } from './package.ts';
export { ensureGenerated, generatorManifestPath, type GenerateResult } from './generate.ts';
export { deriveTimeLimitMs, type DerivedTimeLimit } from './limits.ts';
export { parseCompareFlags, DEFAULT_COMPARE } from './validator-flags.ts';
export { texToMarkdown, mathToText } from './tex.ts';
export { categoryVerdicts } from './example-submissions.ts';
export { toProblemInfo, colourToRgb } from './public.ts';
export type * from './types.ts';
