/**
 * Walks data/sample and data/secret into test groups and test cases in judging order: within a
 * directory, cases and subgroups interleave in lexicographic order of their names (the spec's rule).
 * Group settings come from legacy testdata.yaml or 2025-09 test_group.yaml and per-case <case>.yaml.
 * This module is the one owner of how group settings inherit, in both formats as problemtools does it:
 * a key a group's file leaves out (or every key, without a file) comes from the parent group, so the
 * nearest ancestor that sets it decides (legacy data/testdata.yaml is the root of all).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import { entryKind, insidePackage } from './fsutil.ts';
import { DEFAULT_COMPARE, parseCompareFlags, splitFlags } from './validator-flags.ts';
import { TEST_CASE_KEYS, TEST_GROUP_KEYS, testCaseSchema, testGroupSchema, type TestGroupYaml } from './schemas.ts';
import { readYaml, unknownKeys } from '../config-files/read.ts';
import { substituteConstants, type Constants } from './constants.ts';
import type { CompareFlags, InputValidatorArgs, PackageFormat, TestCase, TestGroup } from './types.ts';

export interface TestDataContext {
  dir: string;
  format: PackageFormat;
  /** Legacy problem.yaml validator_flags, split. */
  validatorFlags: string[];
  /** Whether the default validator is used (then flags are parsed and checked). */
  defaultValidation: boolean;
  interactive: boolean;
  diag: Diagnostics;
  /** problem.yaml path + line lookup, for errors about validator_flags. */
  problemYaml: { file: string; line?: number };
  /** problem.yaml constants, substituted in the arguments of test_group.yaml and <case>.yaml. */
  constants: Constants;
}

export interface TestData {
  groups: TestGroup[];
  testCases: TestCase[];
  /** Legacy interactive samples may have a `.interaction` without .in/.ans: shown, never judged. */
  extraInteractions: string[];
  /** Each group's own config file as written (keys not inherited), by group name; '' is legacy data/. */
  ownConfigs: Map<string, OwnGroupConfig>;
  /** Every group's settings in force (its own keys over the inherited ones), by group name; '' is legacy data/. */
  configs: Map<string, TestGroupYaml>;
}

export interface OwnGroupConfig {
  file: string;
  yaml: TestGroupYaml;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

interface GroupConfig {
  yaml: TestGroupYaml;
  /** The file each key came from (for error messages). */
  origin: Readonly<Record<string, string>>;
}

const HIDDEN = /^[.-]/;

/** The inheritance rule (problemtools' TestCaseGroup): a group's own keys over its parent's settings. */
export function inheritGroupConfig(parent: TestGroupYaml | undefined, own: TestGroupYaml | undefined): TestGroupYaml {
  return { ...parent, ...own };
}

export function loadTestData(ctx: TestDataContext): TestData {
  const out: TestData = { groups: [], testCases: [], extraInteractions: [], ownConfigs: new Map(), configs: new Map() };
  const dataDir = path.join(ctx.dir, 'data');
  if (!isDir(dataDir)) {
    ctx.diag.error(dataDir, 'missing data/ directory', 'add data/secret/ with at least one .in/.ans pair (and data/sample/ for the samples)');
    return out;
  }
  const configFile = ctx.format === 'legacy' ? 'testdata.yaml' : 'test_group.yaml';
  const otherFile = ctx.format === 'legacy' ? 'test_group.yaml' : 'testdata.yaml';
  // Legacy allows a testdata.yaml directly in data/ that applies to every group.
  let rootConfig: GroupConfig = { yaml: {}, origin: {} };
  if (ctx.format === 'legacy') {
    rootConfig = readGroupConfig(ctx, out, '', dataDir, configFile, otherFile, rootConfig) ?? rootConfig;
    out.configs.set('', rootConfig.yaml);
  }

  for (const kind of ['sample', 'secret'] as const) {
    const groupDir = path.join(dataDir, kind);
    if (!isDir(groupDir)) {
      if (kind === 'secret') {
        ctx.diag.error(groupDir, 'missing data/secret/', 'put the secret test cases in data/secret/ as NAME.in + NAME.ans pairs');
      }
      continue;
    }
    walkGroup(ctx, out, groupDir, kind, kind, rootConfig, configFile, otherFile);
  }
  const secretCases = out.testCases.filter((t) => t.kind === 'secret').length;
  if (secretCases === 0 && isDir(path.join(dataDir, 'secret'))) {
    ctx.diag.error(path.join(dataDir, 'secret'), 'no test cases in data/secret/', 'add at least one NAME.in + NAME.ans pair (generated data: check generators/manifest.yaml ran)');
  }
  for (const [i, t] of out.testCases.entries()) t.ordinal = i + 1;
  return out;
}

function walkGroup(
  ctx: TestDataContext,
  out: TestData,
  groupDir: string,
  name: string,
  kind: 'sample' | 'secret',
  inherited: GroupConfig,
  configFile: string,
  otherFile: string,
): void {
  const config = readGroupConfig(ctx, out, name, groupDir, configFile, otherFile, inherited) ?? inherited;
  out.configs.set(name, config.yaml);
  out.groups.push({
    name,
    configPath: fs.existsSync(path.join(groupDir, configFile)) ? path.join(groupDir, configFile) : undefined,
  });

  const entries = fs.readdirSync(groupDir, { withFileTypes: true }).filter((e) => !HIDDEN.test(e.name));
  const names = new Set(entries.map((e) => e.name));
  // One realpath per directory: a plain file is inside the package when its directory is; only
  // symlinked files need their own check.
  const listing: GroupListing = {
    names,
    symlinks: new Set(entries.filter((e) => e.isSymbolicLink()).map((e) => e.name)),
    dirs: new Set(entries.filter((e) => e.isDirectory() || (e.isSymbolicLink() && entryKind(groupDir, e) === 'dir')).map((e) => e.name)),
    dirInside: insidePackage(ctx.dir, groupDir),
  };
  // Cases are keyed by base name; directories are groups unless they are a case's `.files` dir.
  const items: { key: string; isGroup: boolean }[] = [];
  for (const e of entries) {
    const ek = entryKind(groupDir, e);
    if (ek === 'other') continue;
    if (ek === 'dir') {
      if (e.name.endsWith('.files')) continue;
      items.push({ key: e.name, isGroup: true });
    } else if (e.name.endsWith('.in')) {
      items.push({ key: e.name.slice(0, -3), isGroup: false });
    } else if (e.name.endsWith('.interaction') && !names.has(e.name.replace(/\.interaction$/, '.in'))) {
      if (kind === 'sample' && ctx.interactive) out.extraInteractions.push(path.join(groupDir, e.name));
    } else if (e.name.endsWith('.ans') && !names.has(e.name.replace(/\.ans$/, '.in'))) {
      ctx.diag.warn(path.join(groupDir, e.name), 'answer file without a matching .in is ignored');
    }
  }
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  let hasCases = false;
  let hasGroups = false;
  for (const item of items) {
    if (item.isGroup) {
      hasGroups = true;
      if (ctx.format === '2025-09' && kind === 'sample') {
        ctx.diag.warn(path.join(groupDir, item.key), 'data/sample must not contain test groups in 2025-09; judged anyway');
      }
      walkGroup(ctx, out, path.join(groupDir, item.key), `${name}/${item.key}`, kind, config, configFile, otherFile);
    } else {
      hasCases = true;
      const tc = loadCase(ctx, groupDir, listing, name, item.key, kind, config);
      if (tc) out.testCases.push(tc);
    }
  }
  if (ctx.format === '2025-09' && name === 'secret' && hasCases && hasGroups) {
    ctx.diag.warn(groupDir, '2025-09 data/secret must hold either test cases or test groups, not both; judged in lexicographic order anyway');
  }
}

function readGroupConfig(
  ctx: TestDataContext,
  out: TestData,
  name: string,
  groupDir: string,
  configFile: string,
  otherFile: string,
  inherited: GroupConfig,
): GroupConfig | undefined {
  const wrong = path.join(groupDir, otherFile);
  if (fs.existsSync(wrong)) {
    ctx.diag.warn(wrong, `ignored: this ${ctx.format} package reads ${configFile} (rename it, or set problem_format_version)`);
  }
  const file = path.join(groupDir, configFile);
  if (!fs.existsSync(file)) return undefined;
  const read = readYaml(file, testGroupSchema, ctx.diag, (field) => `check ${field || 'the file'} against the ${configFile} table of the problem package format`);
  if (!read) return inherited;
  for (const k of unknownKeys(read.raw, TEST_GROUP_KEYS)) ctx.diag.warn(file, `unknown key "${k}" ignored`);
  if (read.data.grading === 'custom') ctx.diag.error(file, 'custom grading (grading: custom) is not supported by judged', 'remove the key to grade with the default (first rejection decides)', { field: 'grading' });
  if (read.data.static_validation_score !== undefined) ctx.diag.error(file, 'static validation (static_validation_score) is not supported by judged', 'remove the key', { field: 'static_validation_score' });
  out.ownConfigs.set(name, { file, yaml: read.data, lineOf: read.lineOf });
  // Both formats: the group's keys override the inherited ones one by one (problemtools' TestCaseGroup).
  return { yaml: inheritGroupConfig(inherited.yaml, read.data), origin: { ...inherited.origin, ...Object.fromEntries(Object.keys(read.data).map((k) => [k, file])) } };
}

interface GroupListing {
  names: Set<string>;
  symlinks: Set<string>;
  dirs: Set<string>;
  dirInside: boolean;
}

function loadCase(
  ctx: TestDataContext,
  groupDir: string,
  listing: GroupListing,
  group: string,
  base: string,
  kind: 'sample' | 'secret',
  config: GroupConfig,
): TestCase | undefined {
  const inputPath = path.join(groupDir, `${base}.in`);
  const answerPath = path.join(groupDir, `${base}.ans`);
  const has = (ext: string) => listing.names.has(`${base}${ext}`);
  if (!has('.ans')) {
    ctx.diag.error(inputPath, `test case ${group}/${base} has no answer file`, `add ${base}.ans next to ${base}.in (it may be empty for custom validators)`);
    return undefined;
  }
  for (const f of [inputPath, answerPath]) {
    const inside = listing.symlinks.has(path.basename(f)) ? insidePackage(ctx.dir, f) : listing.dirInside;
    if (!inside) {
      ctx.diag.error(f, 'symbolic link to a file outside the package', 'copy the file into the package instead of linking to it');
      return undefined;
    }
  }
  let args = config.yaml.args ?? [];
  let outputValidatorArgs: string[];
  let flagsFile = config.origin[ctx.format === 'legacy' ? 'output_validator_flags' : 'output_validator_args'] ?? ctx.problemYaml.file;
  let fullFeedback = kind === 'sample' ? true : (config.yaml.full_feedback ?? false);
  let hint: string | undefined;
  let description: string | undefined;

  let inputValidatorArgs = toInputValidatorArgs(config.yaml);
  if (ctx.format === 'legacy') {
    const ovf = config.yaml.output_validator_flags;
    outputValidatorArgs = [...ctx.validatorFlags, ...splitFlags(typeof ovf === 'string' ? ovf : ovf?.flags)];
    if (!ovf) flagsFile = ctx.problemYaml.file;
    if (has('.hint')) hint = readOptional(path.join(groupDir, `${base}.hint`));
    if (has('.desc')) description = readOptional(path.join(groupDir, `${base}.desc`));
  } else {
    outputValidatorArgs = config.yaml.output_validator_args ?? [];
    const caseYaml = path.join(groupDir, `${base}.yaml`);
    if (has('.yaml')) {
      const read = readYaml(caseYaml, testCaseSchema, ctx.diag, (f) => `check ${f || 'the file'} against the test case configuration table`);
      if (read) {
        for (const k of unknownKeys(read.raw, TEST_CASE_KEYS)) ctx.diag.warn(caseYaml, `unknown key "${k}" ignored`);
        if (read.data.args) args = read.data.args;
        if (read.data.input_validator_args !== undefined) inputValidatorArgs = toInputValidatorArgs(read.data);
        if (read.data.output_validator_args) {
          outputValidatorArgs = read.data.output_validator_args;
          flagsFile = caseYaml;
        }
        if (read.data.full_feedback !== undefined) fullFeedback = read.data.full_feedback;
        hint = read.data.hint;
        description = read.data.description;
      }
    }
  }

  const sub = (list: string[]): string[] => list.map((a) => substituteConstants(a, ctx.constants));
  args = sub(args);
  outputValidatorArgs = sub(outputValidatorArgs);
  inputValidatorArgs = { all: sub(inputValidatorArgs.all), ...(inputValidatorArgs.byName ? { byName: Object.fromEntries(Object.entries(inputValidatorArgs.byName).map(([k, v]) => [k, sub(v)])) } : {}) };

  let compare: CompareFlags = DEFAULT_COMPARE;
  if (ctx.defaultValidation) {
    const parsed = parseCompareFlags(outputValidatorArgs);
    if ('error' in parsed) {
      const fromProblemYaml = flagsFile === ctx.problemYaml.file;
      ctx.diag.error(flagsFile, parsed.error, 'fix the default output validator flags (e.g. "float_tolerance 1e-6")', {
        field: fromProblemYaml ? 'validator_flags' : ctx.format === 'legacy' ? 'output_validator_flags' : 'output_validator_args',
        line: fromProblemYaml ? ctx.problemYaml.line : undefined,
      });
      return undefined;
    }
    compare = parsed.flags;
  }
  const interaction = path.join(groupDir, `${base}.interaction`);
  const filesDir = path.join(groupDir, `${base}.files`);
  return {
    filesDir: listing.dirs.has(`${base}.files`) ? filesDir : undefined,
    name: `${group}/${base}`,
    kind,
    group,
    ordinal: 0,
    inputPath,
    answerPath,
    interactionPath: has('.interaction') ? interaction : undefined,
    outputValidatorArgs,
    args,
    inputValidatorArgs,
    compare,
    fullFeedback,
    hint,
    description,
  };
}

/** Legacy input_validator_flags (a string, or {name, flags}) and 2025-09 input_validator_args (a list, or name -> list). */
export function toInputValidatorArgs(y: Pick<TestGroupYaml, 'input_validator_flags' | 'input_validator_args'>): InputValidatorArgs {
  const a = y.input_validator_args;
  if (Array.isArray(a)) return { all: a };
  if (a) return { all: [], byName: a };
  const f = y.input_validator_flags;
  if (typeof f === 'string') return { all: splitFlags(f) };
  if (f?.name) return { all: [], byName: { [f.name]: splitFlags(f.flags) } };
  return { all: splitFlags(f?.flags) };
}

function readOptional(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
