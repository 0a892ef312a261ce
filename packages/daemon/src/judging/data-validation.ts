/**
 * Checks a package's test data with its own validators, as the package format asks of a judge:
 * - every input validator on every test case (data/sample, data/secret): exit 42 = valid, anything
 *   else rejects, with the validator's stderr/stdout as the message;
 * - data/invalid_input: each input must be rejected by at least one input validator;
 * - data/invalid_output / data/valid_output (non-interactive problems): the output validator (the
 *   package's, or the default one) must reject / accept <case>.out against <case>.in and .ans.
 * Input validators run as `<validator> input_validator_args... args... < case.in`, in a working
 * directory holding the case's .files, within the package's validation limits.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InputValidatorArgs, PackageProgram, ProblemPackage, ValidationCase } from '../problems/types.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { BuiltProgram } from './build.ts';
import { compareFiles } from './default-validator.ts';
import { readFeedback, validatorRequest, type JudgeEngine } from './engine.ts';
import { EXIT_AC, validatorVerdict } from './verdict.ts';
import { copyTree, makeDir, newJobDir, readEnds, removeDir } from './workspace.ts';

export type DataCheck = 'input' | 'invalid_input' | 'invalid_output' | 'valid_output';

export interface DataIssue {
  check: DataCheck;
  /** The data file the issue is about (absolute). */
  file: string;
  /** The validator that said so (input validator name, or "output validator"). */
  validator?: string;
  message: string;
}

export interface DataValidationReport {
  problem: string;
  /** How many files each check looked at. */
  checked: Record<DataCheck, number>;
  issues: DataIssue[];
  /** Checks that could not apply (no input validators, interactive problem), said once each. */
  notes: string[];
}

/** The arguments one input validator gets: its share of input_validator_args, then the case's args. */
export function inputValidatorArgsFor(a: InputValidatorArgs, validator: string): string[] {
  return a.byName ? (a.byName[validator] ?? []) : a.all;
}

export async function validateProblemData(problem: ProblemPackage, engine: JudgeEngine, sandbox: Sandbox): Promise<DataValidationReport> {
  const report: DataValidationReport = { problem: problem.shortName, checked: { input: 0, invalid_input: 0, invalid_output: 0, valid_output: 0 }, issues: [], notes: [] };
  const job = newJobDir(engine.workRoot, `data-${problem.shortName}`);
  try {
    const validators: { program: PackageProgram; built: BuiltProgram }[] = [];
    for (const program of problem.inputValidators) {
      try {
        validators.push({ program, built: await engine.buildProgram(program, sandbox, problem) });
      } catch (err) {
        report.issues.push({ check: 'input', file: program.dir, validator: program.name, message: `the input validator does not build: ${(err as Error).message}` });
      }
    }
    if (problem.inputValidators.length === 0) report.notes.push('no input validators: the test data inputs are not checked');

    const runInput = async (v: (typeof validators)[number], inputPath: string, args: string[], filesDir: string | undefined, k: number) => {
      const work = makeDir(path.join(job, `in-${k}`), true);
      if (filesDir) copyTree(filesDir, work);
      const log = path.join(job, `in-${k}.log`);
      const l = problem.limits;
      try {
        const r = await sandbox.run({
          argv: [...v.built.argv, ...args],
          env: v.built.env,
          workDir: work,
          stdinPath: inputPath,
          stdoutPath: log,
          stderrPath: log,
          limits: { cpuTimeMs: l.validationTimeS * 1000, wallTimeMs: l.validationTimeS * 2000, memoryKiB: l.validationMemoryMiB * 1024, processes: 64, outputKiB: l.validationOutputMiB * 1024 },
          binds: [{ host: v.built.dir, inside: v.built.inside }, ...v.built.binds],
        });
        const said = readEnds(log, 1500, 500).trim();
        const how = r.limitHit ? `hit its ${r.limitHit} limit` : r.signal !== null ? `was killed by signal ${r.signal}` : `exited ${r.exitCode}`;
        return { valid: r.exitCode === EXIT_AC && r.limitHit === null, message: `${how}${said ? `: ${said}` : ''}` };
      } finally {
        removeDir(work);
        fs.rmSync(log, { force: true });
      }
    };

    let k = 0;
    const checkValidInput = async (check: DataCheck, inputPath: string, args: InputValidatorArgs, caseArgs: string[], filesDir?: string) => {
      for (const v of validators) {
        const res = await runInput(v, inputPath, [...inputValidatorArgsFor(args, v.program.name), ...caseArgs], filesDir, k++);
        if (!res.valid) report.issues.push({ check, file: inputPath, validator: v.program.name, message: `input rejected: the validator ${res.message}` });
      }
    };

    if (validators.length > 0) {
      for (const tc of problem.testCases) {
        report.checked.input++;
        await checkValidInput('input', tc.inputPath, tc.inputValidatorArgs, tc.args, tc.filesDir);
      }
    }

    const cases = problem.validationCases;
    for (const vc of cases.filter((c) => c.kind === 'invalid_input')) {
      if (validators.length === 0) {
        report.issues.push({ check: 'invalid_input', file: vc.inputPath, message: 'the package has data/invalid_input but no input validator to reject it' });
        continue;
      }
      report.checked.invalid_input++;
      const verdicts = [];
      for (const v of validators) verdicts.push({ v, res: await runInput(v, vc.inputPath, inputValidatorArgsFor(vc.inputValidatorArgs, v.program.name), undefined, k++) });
      if (verdicts.every((x) => x.res.valid)) {
        report.issues.push({ check: 'invalid_input', file: vc.inputPath, validator: verdicts.map((x) => x.v.program.name).join(', '), message: 'an invalid input was accepted by every input validator' });
      }
    }

    const outputCases = cases.filter((c) => c.kind !== 'invalid_input');
    if (outputCases.length > 0 && problem.type.interactive) {
      report.notes.push('interactive problem: data/invalid_output and data/valid_output are not checked (they are for non-interactive problems)');
    } else {
      let built: BuiltProgram | undefined;
      if (problem.validation === 'custom' && problem.outputValidator && outputCases.length > 0) built = await engine.buildProgram(problem.outputValidator, sandbox, problem);
      for (const vc of outputCases) {
        report.checked[vc.kind]++;
        if (validators.length > 0) await checkValidInput(vc.kind, vc.inputPath, vc.inputValidatorArgs, []);
        const r = await judgeOutput(problem, vc, built, sandbox, job, k++);
        const want = vc.kind === 'valid_output' ? 'AC' : 'WA';
        if (r.verdict !== want) {
          report.issues.push({
            check: vc.kind,
            file: vc.outputPath!,
            validator: built ? 'output validator' : 'default output validator',
            message: `${vc.kind === 'valid_output' ? 'a valid output was not accepted' : 'an invalid output was not rejected'} (${r.verdict}${r.message ? `: ${r.message}` : ''})`,
          });
        }
      }
    }
  } finally {
    removeDir(job);
  }
  return report;
}

async function judgeOutput(problem: ProblemPackage, vc: ValidationCase, built: BuiltProgram | undefined, sandbox: Sandbox, job: string, k: number): Promise<{ verdict: 'AC' | 'WA' | 'JE'; message: string }> {
  if (!built) {
    const c = await compareFiles(vc.outputPath!, vc.answerPath!, vc.compare);
    return { verdict: c.verdict === 'AC' ? 'AC' : 'WA', message: c.message };
  }
  const feedback = makeDir(path.join(job, `feedback-${k}`), true);
  const work = makeDir(path.join(job, `out-${k}`), true);
  try {
    const req = validatorRequest(built, { answerPath: vc.answerPath!, outputValidatorArgs: vc.outputValidatorArgs }, work, feedback, problem, undefined, vc.inputPath);
    req.stdinPath = vc.outputPath;
    req.stderrPath = path.join(job, `out-${k}.err`);
    const r = await sandbox.run(req);
    const v = validatorVerdict(r);
    const fb = readFeedback(feedback).judgeMessage;
    const err = readEnds(req.stderrPath, 1000, 500).trim();
    return { verdict: v.verdict, message: [v.reason, fb, v.verdict === 'JE' ? err : ''].filter(Boolean).join('; ') };
  } finally {
    removeDir(feedback);
    removeDir(work);
    fs.rmSync(path.join(job, `out-${k}.err`), { force: true });
  }
}

/** One line per issue: `package: file: validator: message` (file relative to baseDir). */
export function formatDataIssues(report: DataValidationReport, baseDir: string): string[] {
  return report.issues.map((i) => `${report.problem}: ${path.relative(baseDir, i.file)}: ${i.validator ? `${i.validator}: ` : ''}${i.message.split('\n').join(' ').slice(0, 600)}`);
}
