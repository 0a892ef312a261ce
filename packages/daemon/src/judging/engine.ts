/**
 * The judging pipeline: compile the submission in the sandbox, run it on every test case in judging
 * order (samples first, then secret, each lexicographic, as the loader orders them), validate each
 * output, and stop where the group rules stop (on-reject.ts) unless asked to run everything. A
 * pass-fail verdict is problemtools' default grader's over the legacy group tree (the first
 * rejection, with no on_reject or grader_flags).
 *
 * Theory of operation
 * - One work directory per judging under workRoot: prog/ (sources, then the compiled program,
 *   mounted read-only at /prog for runs), run-<k>/ (each test's fresh working directory, /box),
 *   <k>.out/.err (the program's stdout/stderr on the host; the sandbox enforces the output limit).
 * - Test data is mounted read-only (/data/in, /data/ans) only for validators; the submission gets its
 *   input on stdin.
 * - Several sandboxes: tests are dispatched in order to whichever slot is free; a test already running
 *   when a rejection cuts its group off finishes but is not graded, so parallelism never changes a
 *   verdict, only the wall-clock time.
 * - A run a hair over the time limit (within 10%) is re-run once and the faster run counts, so noise
 *   on a busy machine does not turn an accepted program into TLE.
 * - Anything that is the judge's fault (sandbox error, validator crash or wrong exit code) is JE and
 *   stops the judging.
 * - 2025-09 scoring problems judge every test (a rejection does not stop them), except the tests of a
 *   group whose require_pass groups already failed; legacy scoring stops as on_reject says. The score
 *   comes from @judged/shared/problem-score on the results (missing tests count as not accepted), so
 *   which tests were skipped never changes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Verdict } from '@judged/shared/verdict';
import { runStackKiB } from '@judged/shared/protocol';
import { scoreSubmission, type CaseOutcome, type GroupRules2025, type ScoringRules, type SubmissionScore } from '@judged/shared/problem-score';
import { expandCommand } from '@judged/shared/language-command';
import type { Language } from '../languages/types.ts';
import { defaultDiskMiB } from '../problems/limits.ts';
import type { PackageProgram, ProblemPackage, TestCase } from '../problems/types.ts';
import type { BindMount, RunRequest, RunResult, Sandbox } from '../sandbox/types.ts';
import { substituteInFiles } from '../problems/constants.ts';
import { BOX, compileProgram, JudgeError, languageBinds, languageEnv, ProgramCache, type BuiltProgram } from './build.ts';
import { compareFiles } from './default-validator.ts';
import { judgeMultiPass, type PassOutcome } from './multi-pass.ts';
import { gradePassFail, neededCases, passFailTree } from './on-reject.ts';
import { judgeInteractive, judgeRun, nearLimit, runLimits, validatorVerdict, type RunLimits } from './verdict.ts';
import { copyFiles, copyTree, defaultWorkRoot, makeDir, newJobDir, openForWriting, readEnds, removeDir, removeDirAsync } from './workspace.ts';

export const PROG_DIR = '/prog';
const DATA_IN = '/data/in';
const DATA_ANS = '/data/ans';
const FEEDBACK = '/feedback';

export interface SubmissionFile {
  /** Relative file name (may contain '/' for a directory submission). */
  name: string;
  content: Buffer | string;
}

export type JudgeProgress =
  | { phase: 'compiling' }
  | { phase: 'compiled'; ok: boolean }
  | { phase: 'running'; test: number; total: number; name: string }
  | { phase: 'tested'; test: number; total: number; record: TestRecord };

export interface TestRecord {
  /** 1-based position in judging order. */
  index: number;
  name: string;
  kind: 'sample' | 'secret';
  verdict: Verdict;
  cpuTimeMs: number;
  wallTimeMs: number;
  memoryKiB: number;
  exitCode: number | null;
  signal: number | null;
  /** Why this verdict, for the jury (limits, exit status, the validator's message). */
  message: string;
  /** feedback/judgemessage.txt of a custom validator, when it wrote one (capped). */
  judgeMessage?: string;
  /** feedback/teammessage.txt: the validator's message for the team (capped). */
  teamMessage?: string;
  /** Multi-pass problems: how many passes ran on this test. */
  passes?: number;
  /** How many times the test ran (2 when a near-limit run was repeated). */
  runs: number;
  /** Failed tests only, for the jury: the start of the program's stdout and the end of its stderr. */
  stdoutExcerpt?: string;
  stderrExcerpt?: string;
  /** Scoring problems: feedback/score.txt and score_multiplier.txt as the validator wrote them (capped). */
  scoreTxt?: string;
  multiplierTxt?: string;
  /** Scoring problems: the test's score, when its group scores tests. */
  score?: number;
}

export interface CompileRecord {
  ok: boolean;
  output: string;
  cpuTimeMs: number;
  wallTimeMs: number;
  /** The main class the program runs with (JVM languages: found in the compiled classes). */
  mainClass?: string;
}

export interface JudgeResult {
  verdict: Verdict;
  /** Largest CPU time over the tests run; null when nothing ran (CE, JE before running). */
  timeMs: number | null;
  memoryKiB: number | null;
  compile: CompileRecord | null;
  /** Records of the tests that ran, in judging order. */
  tests: TestRecord[];
  testCount: number;
  /** Tests accepted before the first failure. */
  passed: number;
  /** Index (1-based) of the test that decided a rejection, else null. */
  failedTest: number | null;
  /** JE: what went wrong in the judge. */
  message?: string;
  /** The time limit used (the problem's, or the caller's override). */
  timeLimitMs: number;
  /** Scoring problems: the score and how it came about (groups, the first rejection for the jury). */
  score?: JudgingScore;
}

export type JudgingScore = Omit<SubmissionScore, 'caseScores' | 'judgeError'>;

export interface JudgeRequest {
  problem: ProblemPackage;
  language: Language;
  files: SubmissionFile[];
  /** One sandbox per slot this judging may use; tests run in parallel when there are several. */
  sandboxes: Sandbox[];
  onProgress?: (p: JudgeProgress) => void;
  /** Judge every test even after a failure (verify, jury rejudges). Default false. */
  runAll?: boolean;
  /** Override the problem's time limit (verify deriving a limit). */
  timeLimitMs?: number;
  /** Java main class / main file (submissions.yaml entrypoint). */
  entrypoint?: string;
  signal?: AbortSignal;
  /** Keep the work directory for debugging (its path is logged by the caller). */
  keepWorkDir?: boolean;
}

export interface EngineOptions {
  /** Where work directories and built validators go. Default $TMPDIR/judged-work. */
  workRoot?: string;
  /** The languages validators are built with (C++, C, Python). */
  languages: Language[];
}

/**
 * A judging engine: holds the built validators of every problem it has seen. One per daemon; share it
 * between workers.
 */
export class JudgeEngine {
  readonly workRoot: string;
  private readonly programs: ProgramCache;
  private readonly languages: Language[];

  constructor(opts: EngineOptions) {
    this.workRoot = opts.workRoot ?? defaultWorkRoot();
    this.languages = opts.languages;
    this.programs = new ProgramCache(this.workRoot, () => this.languages);
  }

  close(): void {
    this.programs.close();
  }

  /** A package program built once per engine (output validator, input validator), for data checks. */
  buildProgram(program: PackageProgram, sandbox: Sandbox, problem: ProblemPackage): Promise<BuiltProgram> {
    return this.programs.get(program, sandbox, { timeS: problem.limits.compilationTimeS, memoryMiB: problem.limits.compilationMemoryMiB }, problem.constants);
  }

  async judge(req: JudgeRequest): Promise<JudgeResult> {
    const { problem, language: lang } = req;
    const timeLimitMs = req.timeLimitMs ?? problem.limits.timeLimitMs;
    const testCount = problem.testCases.length;
    const base = { testCount, timeLimitMs };
    if (req.sandboxes.length === 0) throw new Error('judge: no sandbox given');
    if (lang.disabled) {
      return { ...base, verdict: 'JE', timeMs: null, memoryKiB: null, compile: null, tests: [], passed: 0, failedTest: null, message: `language ${lang.id} is disabled on this judge: ${lang.disabled}` };
    }
    const job = newJobDir(this.workRoot, 'sub');
    try {
      return await this.judgeIn(job, req, timeLimitMs);
    } catch (err) {
      const message = err instanceof JudgeError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
      return { ...base, verdict: 'JE', timeMs: null, memoryKiB: null, compile: null, tests: [], passed: 0, failedTest: null, message };
    } finally {
      if (!req.keepWorkDir) await removeDirAsync(job);
    }
  }

  private async judgeIn(job: string, req: JudgeRequest, timeLimitMs: number): Promise<JudgeResult> {
    const { problem, language: lang, sandboxes } = req;
    const progress = req.onProgress ?? (() => {});
    const testCount = problem.testCases.length;

    // Sources, then the package's include/<language>/ files (which win over the team's, per the spec).
    const prog = makeDir(path.join(job, 'prog'), true);
    for (const f of req.files) {
      const safe = path.normalize(f.name);
      if (safe.startsWith('..') || path.isAbsolute(safe)) throw new JudgeError(`bad submission file name ${JSON.stringify(f.name)}`);
      // Subdirectories (Java packages) must be writable: the compiler writes its output beside the sources.
      for (let d = path.dirname(safe); d !== '.'; d = path.dirname(d)) makeDir(path.join(prog, d), true);
      fs.writeFileSync(path.join(prog, safe), f.content);
      fs.chmodSync(path.join(prog, safe), 0o644);
    }
    const include = problem.includedCode.find((i) => i.language === lang.id) ?? problem.includedCode.find((i) => i.language === 'default');
    if (include) {
      copyFiles(include.dir, include.files, prog);
      substituteInFiles(prog, include.files, problem.constants);
    }
    const files = [...new Set([...req.files.map((f) => path.normalize(f.name)), ...(include?.files ?? [])])].sort();

    progress({ phase: 'compiling' });
    const limits = problem.limits;
    const c = await compileProgram(sandboxes[0]!, lang, prog, files, { timeS: limits.compilationTimeS, memoryMiB: limits.compilationMemoryMiB }, req.entrypoint);
    const compile: CompileRecord = { ok: c.ok, output: c.output, cpuTimeMs: c.result?.cpuTimeMs ?? 0, wallTimeMs: c.result?.wallTimeMs ?? 0, ...(c.ok && c.mainclass ? { mainClass: c.mainclass } : {}) };
    progress({ phase: 'compiled', ok: c.ok });
    if (!c.ok) {
      return { verdict: 'CE', timeMs: null, memoryKiB: null, compile, tests: [], testCount, passed: 0, failedTest: null, timeLimitMs };
    }
    // The compiled program is only read from now on.
    fs.chmodSync(prog, 0o755);

    let validator: BuiltProgram | undefined;
    if (problem.validation === 'custom' || problem.type.interactive) {
      if (!problem.outputValidator) throw new JudgeError(`${problem.shortName}: needs an output validator but the package has none`);
      validator = await this.programs.get(problem.outputValidator, sandboxes[0]!, { timeS: limits.compilationTimeS, memoryMiB: limits.compilationMemoryMiB }, problem.constants);
    }

    const runLimit = runLimits(timeLimitMs, limits.memoryMiB, limits.outputMiB, lang);
    const stackKiB = runStackKiB(limits.memoryMiB);
    const argv = expandCommand(lang.run, { progdir: PROG_DIR, files: [], main: c.main, mainclass: c.mainclass, memlimitMiB: limits.memoryMiB, stackKiB });
    const ctx: TestContext = { job, prog, lang, argv, runLimit, validator, problem };

    const records: (TestRecord | undefined)[] = new Array(testCount);
    const scoring = problem.scoring;
    // Legacy group rules (pass-fail problems and legacy scoring): skip the tests the walk no longer
    // reaches, as problemtools skips what an on_reject: break group cut off (runAll judges them all).
    const tree = scoring ? (scoring.format === 'legacy' ? scoring.root : undefined) : passFailTree(problem);
    const tracker = tree && !req.runAll ? neededCases(tree) : undefined;
    const skip = scoring?.format === '2025-09' ? requirePassSkip(problem, scoring, records) : (tc: TestCase) => tracker !== undefined && !tracker.needed(tc.name);
    let stopAt = Number.POSITIVE_INFINITY;
    let next = 0;
    const worker = async (sandbox: Sandbox): Promise<void> => {
      for (;;) {
        if (req.signal?.aborted) throw new JudgeError('judging aborted');
        const k = next++;
        if (k >= testCount || k > stopAt) return;
        const tc = problem.testCases[k]!;
        if (skip(tc)) continue;
        progress({ phase: 'running', test: k + 1, total: testCount, name: tc.name });
        let rec: TestRecord;
        try {
          rec = await runTest(ctx, sandbox, tc, k);
        } catch (err) {
          // The sandbox failed on this test: JE for it, and the other slots finish their runs
          // before the work dir goes away.
          const message = `${(err as Error).name}: ${(err as Error).message}`;
          rec = { index: k + 1, name: tc.name, kind: tc.kind, verdict: 'JE', cpuTimeMs: 0, wallTimeMs: 0, memoryKiB: 0, exitCode: null, signal: null, message, runs: 1 };
        }
        records[k] = rec;
        tracker?.judged(rec);
        progress({ phase: 'tested', test: k + 1, total: testCount, record: rec });
        if (rec.verdict === 'JE') stopAt = Math.min(stopAt, k);
      }
    };
    const settled = await Promise.allSettled(sandboxes.map((s) => worker(s)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    const tests = records.filter((r): r is TestRecord => r !== undefined);
    if (scoring) return scoredResult(problem, scoring, tests, compile, timeLimitMs);
    const graded = gradePassFail(passFailTree(problem), tests);
    const firstFail = graded.decidingCase === null ? undefined : tests.find((t) => t.name === graded.decidingCase);
    const passed = firstFail ? tests.filter((r) => r.index < firstFail.index && r.verdict === 'AC').length : tests.length;
    // A reached case without a result: judging stopped at a judge error elsewhere.
    const notJudged = graded.notJudged.length > 0 && !firstFail ? `not judged: ${graded.notJudged.slice(0, 3).join(', ')}` : undefined;
    return {
      verdict: graded.verdict,
      timeMs: tests.length > 0 ? Math.max(...tests.map((t) => t.cpuTimeMs)) : null,
      memoryKiB: tests.length > 0 ? Math.max(...tests.map((t) => t.memoryKiB)) : null,
      compile,
      tests,
      testCount,
      passed,
      failedTest: firstFail?.index ?? null,
      message: firstFail?.verdict === 'JE' ? firstFail.message : graded.verdict === 'JE' ? (tests.find((t) => t.verdict === 'JE')?.message ?? notJudged) : undefined,
      timeLimitMs,
    };
  }
}

/** 2025-09 require_pass: whether a test's group depends on a group with a rejection already known. */
function requirePassSkip(problem: ProblemPackage, rules: ScoringRules, records: readonly (TestRecord | undefined)[]): (tc: TestCase) => boolean {
  if (rules.format !== '2025-09') return () => false;
  const groupOf = new Map<string, GroupRules2025>();
  for (const g of rules.groups) for (const c of g.cases) groupOf.set(c, g);
  const casesOf = new Map<string, Set<string>>([['sample', new Set(rules.sample)], ...rules.groups.map((g) => [g.name, new Set(g.cases)] as [string, Set<string>])]);
  const requires = new Map(rules.groups.map((g) => [g.name, g.requirePass]));
  // A group fails once one of its tests is rejected, or once a group it requires has (it is then skipped).
  const failed = (group: string): boolean =>
    (requires.get(group) ?? []).some(failed) || records.some((r) => r !== undefined && r.verdict !== 'AC' && casesOf.get(group)?.has(r.name) === true);
  return (tc) => {
    const g = groupOf.get(tc.name);
    const required = [...(g?.requirePass ?? []), ...(tc.kind === 'secret' ? rules.secret.requirePass : [])];
    return required.some(failed);
  };
}

/** A scoring problem's result: the score rules decide the verdict (AC with a score, or JE) and the score. */
function scoredResult(problem: ProblemPackage, rules: ScoringRules, tests: TestRecord[], compile: CompileRecord, timeLimitMs: number): JudgeResult {
  const outcomes = new Map<string, CaseOutcome>(tests.map((t) => [t.name, { verdict: t.verdict, ...(t.scoreTxt !== undefined ? { scoreTxt: t.scoreTxt } : {}), ...(t.multiplierTxt !== undefined ? { multiplierTxt: t.multiplierTxt } : {}) }]));
  const { caseScores, judgeError, ...score } = scoreSubmission(rules, outcomes, problem.testCases.map((t) => t.name));
  for (const t of tests) if (caseScores[t.name] !== undefined) t.score = caseScores[t.name];
  const firstFail = tests.find((t) => t.verdict !== 'AC');
  const je = tests.find((t) => t.verdict === 'JE');
  return {
    verdict: score.verdict,
    timeMs: tests.length > 0 ? Math.max(...tests.map((t) => t.cpuTimeMs)) : null,
    memoryKiB: tests.length > 0 ? Math.max(...tests.map((t) => t.memoryKiB)) : null,
    compile,
    tests,
    testCount: problem.testCases.length,
    passed: tests.filter((t) => t.verdict === 'AC').length,
    failedTest: firstFail?.index ?? null,
    ...(je ? { message: je.message } : judgeError ? { message: judgeError } : {}),
    timeLimitMs,
    score,
  };
}

interface TestContext {
  job: string;
  prog: string;
  lang: Language;
  argv: string[];
  runLimit: RunLimits;
  validator?: BuiltProgram;
  problem: ProblemPackage;
}

/** `inputPath`: the input the submission got (a multi-pass problem's later passes get nextpass.in). */
function dataBinds(tc: Pick<TestCase, 'answerPath'>, inputPath: string): BindMount[] {
  return [
    { host: path.dirname(inputPath), inside: DATA_IN },
    { host: path.dirname(tc.answerPath), inside: DATA_ANS },
  ];
}

function validatorArgs(tc: Pick<TestCase, 'answerPath' | 'outputValidatorArgs'>, inputPath: string): string[] {
  return [`${DATA_IN}/${path.basename(inputPath)}`, `${DATA_ANS}/${path.basename(tc.answerPath)}`, `${FEEDBACK}/`, ...tc.outputValidatorArgs];
}

export function validatorRequest(v: BuiltProgram, tc: Pick<TestCase, 'answerPath' | 'outputValidatorArgs'>, workDir: string, feedback: string, problem: ProblemPackage, wallMs: number | undefined, inputPath: string): RunRequest {
  const l = problem.limits;
  return {
    argv: [...v.argv, ...validatorArgs(tc, inputPath)],
    env: v.env,
    workDir,
    limits: {
      cpuTimeMs: l.validationTimeS * 1000,
      // An interactor lives as long as its program (plus a little to finish): a hung interactor must
      // not hold the slot for the whole validation time.
      wallTimeMs: wallMs ?? l.validationTimeS * 1000 * 2,
      memoryKiB: l.validationMemoryMiB * 1024,
      processes: 64,
      outputKiB: l.validationOutputMiB * 1024,
    },
    binds: [{ host: v.dir, inside: v.inside }, ...dataBinds(tc, inputPath), { host: feedback, inside: FEEDBACK, writable: true }, ...v.binds],
  };
}

/** judgemessage.txt (for the jury) and teammessage.txt (for the team) from the feedback directory. */
export function readFeedback(feedback: string): { judgeMessage?: string; teamMessage?: string } {
  const read = (name: string, head: number, tail: number): string | undefined => {
    const f = path.join(feedback, name);
    if (!fs.existsSync(f)) return undefined;
    return readEnds(f, head, tail).trim() || undefined;
  };
  const judgeMessage = read('judgemessage.txt', 8 * 1024, 2 * 1024);
  const teamMessage = read('teammessage.txt', 2 * 1024, 0);
  return { ...(judgeMessage ? { judgeMessage } : {}), ...(teamMessage ? { teamMessage } : {}) };
}

/** score.txt / score_multiplier.txt of a scoring problem's validator (the score rules check them). */
function readScoreFiles(feedback: string): { scoreTxt?: string; multiplierTxt?: string } {
  const read = (name: string): string | undefined => {
    const f = path.join(feedback, name);
    return fs.existsSync(f) ? readEnds(f, 256, 0) : undefined;
  };
  const scoreTxt = read('score.txt');
  const multiplierTxt = read('score_multiplier.txt');
  return { ...(scoreTxt !== undefined ? { scoreTxt } : {}), ...(multiplierTxt !== undefined ? { multiplierTxt } : {}) };
}

function excerpts(out: string, err: string): { stdoutExcerpt?: string; stderrExcerpt?: string } {
  const o = fs.existsSync(out) ? readEnds(out, 1024, 0) : '';
  const e = fs.existsSync(err) ? readEnds(err, 0, 2048) : '';
  return { ...(o ? { stdoutExcerpt: o } : {}), ...(e ? { stderrExcerpt: e } : {}) };
}

/** The ends of stderr (and stdout) of a failed run, where runtimes say they ran out of memory. */
function failureText(r: RunResult, err: string, out?: string): string {
  if (r.exitCode === 0 && r.signal === null) return '';
  return `${readEnds(err, 4096, 8192)}\n${out ? readEnds(out, 0, 4096) : ''}`;
}

async function runTest(ctx: TestContext, sandbox: Sandbox, tc: TestCase, k: number): Promise<TestRecord> {
  const runDir = makeDir(path.join(ctx.job, `run-${k + 1}`), true);
  const feedback = makeDir(path.join(ctx.job, `feedback-${k + 1}`), true);
  // Multi-pass: the feedback directory as the previous pass left it, so a repeated pass starts alike.
  const snapshot = path.join(ctx.job, `feedback-${k + 1}.before`);
  const out = path.join(ctx.job, `${k + 1}.out`);
  const err = path.join(ctx.job, `${k + 1}.err`);
  const resetFeedback = (): void => {
    removeDir(feedback);
    makeDir(feedback, true);
    if (fs.existsSync(snapshot)) {
      copyTree(snapshot, feedback);
      openForWriting(feedback);
    }
  };
  try {
    const request = (inputPath: string): RunRequest => {
      removeDir(runDir);
      makeDir(runDir, true);
      if (tc.filesDir) copyTree(tc.filesDir, runDir);
      return {
        argv: [...ctx.argv, ...tc.args],
        env: languageEnv(ctx.lang),
        workDir: runDir,
        stdinPath: inputPath,
        stdoutPath: out,
        stderrPath: err,
        limits: ctx.runLimit.sandbox,
        box: { sizeKiB: (ctx.problem.limits.diskMiB ?? defaultDiskMiB(ctx.problem.limits.memoryMiB)) * 1024 },
        binds: [{ host: ctx.prog, inside: PROG_DIR }, ...languageBinds(ctx.lang)],
      };
    };

    /** One run of the submission and its validation, with `inputPath` as the input. */
    const onePass = async (inputPath: string): Promise<PassOutcome> => {
      if (ctx.problem.type.interactive) {
        const v = ctx.validator!;
        let runs = 0;
        const once = async () => {
          runs++;
          resetFeedback();
          const program = request(inputPath);
          const interactor = validatorRequest(v, tc, makeDir(path.join(ctx.job, `interactor-${k + 1}`), true), feedback, ctx.problem, program.limits.wallTimeMs + 5000, inputPath);
          // The interactor gets the submission's stderr file path too, so neither side can block on it.
          return sandbox.runInteractive({ program, interactor });
        };
        let res = await once();
        if (nearLimit(res.program, ctx.runLimit.timeLimitMs)) {
          const again = await once();
          if (again.program.cpuTimeMs < res.program.cpuTimeMs) res = again;
        }
        const j = judgeInteractive(res.program, res.interactor, res.firstExited, ctx.runLimit, failureText(res.program, err), ctx.lang);
        const vv = validatorVerdict(res.interactor).verdict;
        return { verdict: j.verdict, reason: j.reason, run: res.program, runs, validator: vv === 'AC' ? 'accepted' : vv === 'WA' ? 'rejected' : 'failed' };
      }

      let runs = 1;
      let r = await sandbox.run(request(inputPath));
      if (nearLimit(r, ctx.runLimit.timeLimitMs)) {
        runs++;
        const again = await sandbox.run(request(inputPath));
        if (again.cpuTimeMs < r.cpuTimeMs) r = again;
      }
      const j = judgeRun(r, ctx.runLimit, failureText(r, err, out), ctx.lang);
      if (j.verdict) return { verdict: j.verdict, reason: j.reason, run: r, runs, validator: 'not-run' };

      if (!ctx.validator) {
        const cmp = await compareFiles(out, tc.answerPath, tc.compare);
        return { verdict: cmp.verdict, reason: cmp.message, run: r, runs, validator: 'not-run' };
      }
      resetFeedback();
      fs.chmodSync(out, 0o644);
      // Its own empty work dir: the submission's run dir holds whatever the submission left there.
      const vdir = makeDir(path.join(ctx.job, `validator-${k + 1}`), true);
      const vreq = validatorRequest(ctx.validator, tc, vdir, feedback, ctx.problem, undefined, inputPath);
      vreq.stdinPath = out;
      vreq.stdoutPath = path.join(ctx.job, `validator-${k + 1}.out`);
      vreq.stderrPath = path.join(ctx.job, `validator-${k + 1}.err`);
      const vr = await sandbox.run(vreq);
      const vv = validatorVerdict(vr);
      if (vv.verdict === 'JE') {
        const errText = readEnds(vreq.stderrPath, 2000, 2000).trim();
        return { verdict: 'JE', reason: `${vv.reason}${errText ? `: ${errText}` : ''}`, run: r, runs, validator: 'failed' };
      }
      return { verdict: vv.verdict, reason: vv.verdict === 'WA' ? 'the output validator rejected the output' : '', run: r, runs, validator: vv.verdict === 'AC' ? 'accepted' : 'rejected' };
    };

    let o: PassOutcome & { passes?: number };
    if (ctx.problem.type.multiPass) {
      const m = await judgeMultiPass({
        firstInput: tc.inputPath,
        feedbackDir: feedback,
        maxPasses: ctx.problem.limits.validationPasses,
        passInput: (pass) => path.join(ctx.job, `${k + 1}.pass-${pass}.in`),
        runPass: async (pass, inputPath) => {
          removeDir(snapshot);
          if (pass > 1) copyTree(feedback, makeDir(snapshot, true));
          return onePass(inputPath);
        },
      });
      o = { ...m, validator: 'not-run' };
    } else {
      o = await onePass(tc.inputPath);
    }
    const r = o.run;
    return {
      index: k + 1,
      name: tc.name,
      kind: tc.kind,
      verdict: o.verdict,
      cpuTimeMs: r.cpuTimeMs,
      wallTimeMs: r.wallTimeMs,
      memoryKiB: r.memoryKiB,
      exitCode: r.exitCode,
      signal: r.signal,
      // The sandbox's own account of the run the jury needs to read the verdict (e.g. "/box is full").
      message: [o.reason, ...(r.notes ?? []).filter((n) => n.startsWith('/box') || n.includes('system-call filter'))].filter(Boolean).join('; '),
      ...readFeedback(feedback),
      ...(ctx.problem.scoring ? readScoreFiles(feedback) : {}),
      runs: o.runs,
      ...(o.passes !== undefined ? { passes: o.passes } : {}),
      ...(o.verdict !== 'AC' ? excerpts(out, err) : {}),
    };
  } finally {
    // Off the event loop: the next test uses its own directories, and the job waits for these.
    const passes = (await fs.promises.readdir(ctx.job)).filter((f) => f.startsWith(`${k + 1}.pass-`));
    await Promise.all(
      [runDir, feedback, snapshot, `interactor-${k + 1}`, `validator-${k + 1}`, out, err, `validator-${k + 1}.out`, `validator-${k + 1}.err`, ...passes].map((p) => removeDirAsync(path.resolve(ctx.job, p))),
    );
  }
}
