/**
 * Loads one problem package directory into a ProblemPackage, collecting every problem it finds
 * (rather than stopping at the first) so an organizer can fix a package in one pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import { splitFlags } from './validator-flags.ts';
import { IdSchema } from '@judged/shared/problem';
import { Diagnostics, type ConfigFileError } from '../config-files/diagnostics.ts';
import { entryKind, insidePackage } from './fsutil.ts';
import { ensureGenerated } from './generate.ts';
import { resolveLimits } from './limits.ts';
import { findInputValidators, findOutputValidator, listFiles } from './programs.ts';
import { PROBLEM_KEYS, problemYamlSchema, LIMIT_KEYS } from './schemas.ts';
import { findStatements, readSamples, sampleFiles } from './statement.ts';
import { normaliseConstants } from './constants.ts';
import { loadValidationCases } from './validation-data.ts';
import { loadSubmissions } from './example-submissions.ts';
import { loadExpectedMaxScore } from './expected-max-score.ts';
import { loadTestData } from './testdata.ts';
import { loadPassFailTree, loadScoringRules } from './scoring-rules.ts';
import { readYaml, unknownKeys } from '../config-files/read.ts';
import type { Attachment, LoadOptions, PackageFormat, ProblemPackage, ProblemType } from './types.ts';

export interface PackagePlacement {
  label: string;
  ordinal: number;
  color?: { name?: string; rgb?: string };
  /** Error paths are shown relative to this directory (the problems directory). */
  baseDir?: string;
}

export interface PackageLoad {
  problem?: ProblemPackage;
  errors: ConfigFileError[];
  warnings: string[];
}

const FORMATS: Record<string, PackageFormat> = {
  legacy: 'legacy',
  'legacy-icpc': 'legacy',
  draft: '2025-09',
  '2023-07-draft': '2025-09',
  '2023-07': '2025-09',
  '2025-09-draft': '2025-09',
  '2025-09': '2025-09',
};

const TYPES_2025 = ['pass-fail', 'scoring', 'multi-pass', 'interactive', 'submit-answer'];

export function loadProblemPackage(dirIn: string, placement: PackagePlacement, opts: LoadOptions = {}): PackageLoad {
  const dir = path.resolve(dirIn);
  const shortName = path.basename(dir);
  const diag = new Diagnostics(shortName, placement.baseDir ?? path.dirname(dir));
  const done = (): PackageLoad => ({ errors: diag.errors, warnings: diag.warnings });
  const problemYamlPath = path.join(dir, 'problem.yaml');

  const id = IdSchema.safeParse(shortName);
  if (!id.success) {
    diag.error(dir, `the directory name is the problem id and ${id.error.issues[0]?.message ?? 'is not a valid id'}`, 'rename the directory, e.g. to lowercase letters and digits');
    return done();
  }
  if (!/^[a-z0-9]+$/.test(shortName)) {
    diag.warn(dir, 'package directory names should be lowercase letters and digits only (the spec\'s rule); loaded anyway');
  }
  if (!fs.existsSync(problemYamlPath)) {
    diag.error(problemYamlPath, 'missing problem.yaml', 'add a problem.yaml (at least `name: ...`) to make this directory a problem package');
    return done();
  }
  const read = readYaml(problemYamlPath, problemYamlSchema, diag, problemYamlHint);
  if (!read) return done();
  const y = read.data;
  for (const k of unknownKeys(read.raw, PROBLEM_KEYS)) diag.warn(problemYamlPath, `unknown key "${k}" ignored`);
  for (const k of unknownKeys((read.raw as { limits?: unknown }).limits, LIMIT_KEYS)) diag.warn(problemYamlPath, `unknown key "limits.${k}" ignored`);

  const versionText = y.problem_format_version ?? 'legacy';
  const format = FORMATS[versionText];
  if (!format) {
    diag.error(problemYamlPath, `unsupported problem_format_version "${versionText}"`, `use one of: ${Object.keys(FORMATS).join(', ')}`, {
      field: 'problem_format_version',
      line: read.lineOf(['problem_format_version']),
    });
    return done();
  }

  // Problem type: legacy `type` + `validation`, 2025-09 `type` (string or list).
  const type: ProblemType = { interactive: false, scoring: false, multiPass: false, submitAnswer: false };
  let validation: 'default' | 'custom' = 'default';
  let validatorScores = false;
  const typeList = y.type === undefined ? ['pass-fail'] : Array.isArray(y.type) ? y.type : y.type.split(/\s+/).filter(Boolean);
  const allowedTypes = format === 'legacy' ? ['pass-fail', 'scoring'] : TYPES_2025;
  for (const t of typeList) {
    if (!allowedTypes.includes(t)) {
      diag.error(problemYamlPath, `unknown problem type "${t}"`, `use ${allowedTypes.join(' | ')}${format === 'legacy' ? ' (interactive is `validation: custom interactive` in legacy packages)' : ''}`, {
        field: 'type',
        line: read.lineOf(['type']),
      });
    }
  }
  type.scoring = typeList.includes('scoring');
  type.interactive = typeList.includes('interactive');
  type.multiPass = typeList.includes('multi-pass');
  type.submitAnswer = typeList.includes('submit-answer');
  if (type.scoring && typeList.includes('pass-fail')) {
    diag.error(problemYamlPath, 'type lists both pass-fail and scoring', 'keep one of them', { field: 'type', line: read.lineOf(['type']) });
  }
  if (type.interactive && type.submitAnswer) {
    diag.error(problemYamlPath, 'type lists both interactive and submit-answer', 'these are incompatible; keep one', { field: 'type', line: read.lineOf(['type']) });
  }

  if (y.validation !== undefined) {
    const tokens = y.validation.split(/\s+/).filter(Boolean);
    const line = read.lineOf(['validation']);
    if (format === '2025-09') diag.warn(problemYamlPath, '`validation` is a legacy key; 2025-09 uses `type` and the presence of output_validator/');
    if (tokens[0] !== 'default' && tokens[0] !== 'custom') {
      diag.error(problemYamlPath, `validation must start with "default" or "custom", got "${y.validation}"`, 'write `validation: default`, `validation: custom` or `validation: custom interactive`', {
        field: 'validation',
        line,
      });
    } else {
      validation = tokens[0];
      for (const extra of tokens.slice(1)) {
        if (extra === 'interactive' && validation === 'custom') type.interactive = true;
        else if (extra === 'score' && validation === 'custom') type.scoring = validatorScores = true;
        else {
          diag.error(problemYamlPath, `unexpected "${extra}" in validation "${y.validation}"`, 'only `custom` may be followed by `interactive` and/or `score`', { field: 'validation', line });
        }
      }
    }
  }
  if (y.validator_flags !== undefined && format === '2025-09') {
    diag.warn(problemYamlPath, 'validator_flags is a legacy key; 2025-09 puts output_validator_args in data/**/test_group.yaml (applied anyway)');
  }

  for (const [sub, feature] of [
    ['static_validator', 'static validators (static_validator/)'],
    ['graders', 'custom graders (graders/)'],
  ] as const) {
    if (fs.existsSync(path.join(dir, sub))) diag.error(path.join(dir, sub), `${feature} are not supported by judged`, `remove ${sub}/ to judge the problem without it, or judge it elsewhere`);
  }
  const outputValidator = findOutputValidator(dir, format, diag);
  if (outputValidator) {
    if (format === 'legacy' && validation === 'default') {
      diag.warn(outputValidator.dir, 'output_validators/ is present but validation is "default": the custom validator is not used');
    } else {
      validation = 'custom';
    }
  }
  if (type.interactive || type.multiPass) validation = 'custom';
  if (validation === 'custom' && !outputValidator) {
    diag.error(problemYamlPath, `${type.interactive ? 'an interactive problem' : 'custom validation'} needs an output validator`, `add ${format === 'legacy' ? 'output_validators/<name>/' : 'output_validator/'} with the validator's source (or build/run scripts)`, {
      field: y.validation !== undefined ? 'validation' : 'type',
      line: read.lineOf([y.validation !== undefined ? 'validation' : 'type']),
    });
  }
  if (type.submitAnswer) {
    diag.error(problemYamlPath, 'problem type submit-answer is not supported by judged', 'judge this problem on a system that takes answer files, or remove it from the contest', { field: 'type', line: read.lineOf(['type']) });
  }
  if (y.limits?.validation_passes !== undefined && !type.multiPass) {
    diag.warn(problemYamlPath, 'limits.validation_passes is only for multi-pass problems; ignored');
  }

  const limits = resolveLimits(
    dir,
    format,
    y,
    {
      timeLimitMs: opts.defaultTimeLimitMs ?? 1000,
      memoryMiB: opts.defaultMemoryMiB ?? 2048,
      outputMiB: opts.defaultOutputMiB ?? 8,
    },
    diag,
    read.lineOf,
  );

  if (opts.generate !== false) {
    try {
      const gen = ensureGenerated(dir);
      if (gen.generated.length > 0) diag.warn(path.join(dir, 'generators'), `generated ${gen.generated.length} test data file(s)`);
    } catch (err) {
      diag.error(path.join(dir, 'generators', 'manifest.yaml'), (err as Error).message.split('\n')[0]!, 'fix the generator (see the message) and load again', {});
    }
  }

  const constants = normaliseConstants(y.constants);
  const testData = loadTestData({
    dir,
    format,
    validatorFlags: format === 'legacy' || y.validator_flags ? splitFlags(y.validator_flags) : [],
    defaultValidation: validation === 'default',
    interactive: type.interactive,
    diag,
    problemYaml: { file: problemYamlPath, line: read.lineOf(['validator_flags']) },
    constants,
  });
  const scoringCtx = {
    dir,
    format,
    scoring: type.scoring,
    validatorScores,
    groups: testData.groups,
    testCases: testData.testCases,
    ownConfigs: testData.ownConfigs,
    configs: testData.configs,
    grading: y.grading,
    problemYaml: { file: problemYamlPath, lineOf: read.lineOf },
    diag,
  };
  const scoring = loadScoringRules(scoringCtx);
  const passFail = type.scoring ? undefined : loadPassFailTree(scoringCtx);
  // Pass-fail reads grading.on_reject (problemtools does); the rest of `grading` is for scores.
  const gradingKeys = y.grading !== null && typeof y.grading === 'object' ? Object.keys(y.grading).filter((k) => k !== 'on_reject') : y.grading === undefined ? [] : ['grading'];
  if (!type.scoring && gradingKeys.length > 0) diag.warn(problemYamlPath, '`grading` is only for scoring problems; ignored');
  const validationCases = loadValidationCases({
    dir,
    format,
    diag,
    constants,
    validatorFlags: format === 'legacy' || y.validator_flags ? splitFlags(y.validator_flags) : [],
    defaultValidation: validation === 'default',
  });
  const samples = readSamples(testData.testCases, testData.extraInteractions, type.interactive, opts.maxSampleBytes ?? 64 * 1024);
  const { statements, texNames, pdfs } = findStatements(dir, format, diag, samples, constants);

  // Names: 2025-09 requires `name`; legacy may take it from \problemname in the LaTeX statement.
  let names: Record<string, string> = {};
  if (typeof y.name === 'string') names = { en: y.name };
  else if (y.name) names = { ...y.name };
  else if (Object.keys(texNames).length > 0) names = { ...texNames };
  if (Object.keys(names).length === 0) {
    if (format === '2025-09') {
      diag.error(problemYamlPath, 'missing name', 'add `name: Your Problem Name` (or a map of language code to name)', { field: 'name', line: 1 });
    } else {
      diag.warn(problemYamlPath, `no name in problem.yaml or the statement; using "${shortName}"`);
    }
    names = { en: shortName };
  }
  const name = names.en ?? Object.values(names)[0] ?? shortName;
  const statementLangs = statements.map((st) => st.language).sort();
  if (format === '2025-09' && y.name !== undefined && statements.length > 0 && Object.keys(names).sort().join() !== statementLangs.join()) {
    diag.warn(problemYamlPath, `name languages (${Object.keys(names).sort().join(', ')}) differ from the statement languages (${statementLangs.join(', ')})`);
  }

  const attachments: Attachment[] = [];
  const attDir = path.join(dir, 'attachments');
  if (fs.existsSync(attDir)) {
    for (const e of fs.readdirSync(attDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(attDir, e.name);
      if (!insidePackage(dir, full)) {
        diag.error(full, 'symbolic link to a file outside the package', 'copy the file into attachments/ instead of linking to it');
        continue;
      }
      if (entryKind(attDir, e) !== 'file') {
        diag.warn(full, 'attachments are plain files; subdirectories are not offered to teams');
        continue;
      }
      attachments.push({ name: e.name, path: full, sizeBytes: fs.statSync(full).size });
    }
  }

  const submissions = loadSubmissions(dir, diag);
  const expectedMax = scoring ? loadExpectedMaxScore(shortName, problemYamlPath, scoring, testData.testCases, submissions, diag) : undefined;
  const inputValidators = findInputValidators(dir, diag);
  const includedCode: ProblemPackage['includedCode'] = [];
  const includeDir = path.join(dir, 'include');
  if (fs.existsSync(includeDir)) {
    for (const e of fs.readdirSync(includeDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.') || entryKind(includeDir, e) !== 'dir') continue;
      const files = listFiles(path.join(includeDir, e.name));
      if (files.length > 0) includedCode.push({ language: e.name, dir: path.join(includeDir, e.name), files });
    }
  }
  const languages = y.languages === undefined || y.languages === 'all' ? null : Array.isArray(y.languages) ? y.languages : y.languages.split(/\s+/);

  if (diag.errors.length > 0) return done();
  return {
    problem: {
      dir,
      shortName,
      label: placement.label,
      ordinal: placement.ordinal,
      color: placement.color,
      format,
      name,
      names,
      uuid: y.uuid,
      type,
      limits,
      validation,
      outputValidator: validation === 'custom' ? outputValidator : undefined,
      inputValidators,
      validationCases,
      includedCode,
      constants,
      groups: testData.groups,
      ...(scoring ? { scoring } : {}),
      ...(passFail ? { passFail } : {}),
      ...(expectedMax !== undefined ? { expectedMaxScore: expectedMax } : {}),
      testCases: testData.testCases,
      samples,
      sampleFiles: sampleFiles(testData.testCases, testData.extraInteractions, type.interactive),
      statements,
      pdfStatements: pdfs,
      attachments,
      submissions,
      languages,
      warnings: diag.warnings,
    },
    errors: [],
    warnings: diag.warnings,
  };
}

function problemYamlHint(field: string): string {
  const hints: Record<string, string> = {
    name: 'write `name: Problem Name`, or a map like `name: {en: Problem Name}`',
    'limits.time_limit': 'give the time limit in seconds as a number, e.g. `time_limit: 2`',
    'limits.memory': 'give memory in MiB as a whole number, e.g. `memory: 256`',
    'limits.output': 'give the output limit in MiB as a whole number, e.g. `output: 8`',
    validation: 'write `validation: default`, `custom` or `custom interactive`',
    validator_flags: 'write the flags as one string, e.g. `validator_flags: float_tolerance 1e-6`',
    type: 'write e.g. `type: pass-fail` or `type: interactive`',
  };
  return hints[field] ?? `check "${field || 'problem.yaml'}" against the problem.yaml table of the Kattis problem package format`;
}
