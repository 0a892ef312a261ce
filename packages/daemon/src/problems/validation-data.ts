/**
 * data/invalid_input, data/invalid_output and data/valid_output: cases that are never judged but check
 * the package's own validators (`judged verify`, and the daemon before a contest starts).
 * invalid_input/<case>.in must be rejected by at least one input validator; invalid_output/<case>.out
 * must be rejected and valid_output/<case>.out accepted by the output validator, with <case>.in and
 * <case>.ans beside them. Arguments come from the directory's test_group.yaml (legacy: testdata.yaml,
 * inherited key by key from data/ down, as testdata.ts's rule) and the case's own <case>.yaml.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import { readYaml } from '../config-files/read.ts';
import { substituteConstants, type Constants } from './constants.ts';
import { testCaseSchema, testGroupSchema } from './schemas.ts';
import { DEFAULT_COMPARE, parseCompareFlags, splitFlags } from './validator-flags.ts';
import type { InputValidatorArgs, PackageFormat, ValidationCase } from './types.ts';
import { inheritGroupConfig, toInputValidatorArgs } from './testdata.ts';
import type { TestGroupYaml } from './schemas.ts';

export const VALIDATION_DIRS = ['invalid_input', 'invalid_output', 'valid_output'] as const;

export function loadValidationCases(opts: {
  dir: string;
  format: PackageFormat;
  diag: Diagnostics;
  constants: Constants;
  /** Legacy problem.yaml validator_flags, split. */
  validatorFlags: string[];
  defaultValidation: boolean;
}): ValidationCase[] {
  const out: ValidationCase[] = [];
  for (const kind of VALIDATION_DIRS) {
    const root = path.join(opts.dir, 'data', kind);
    // Legacy: data/testdata.yaml is the root every group inherits from (key by key, as testdata.ts does).
    const top = opts.format === 'legacy' ? readGroup(opts, path.join(opts.dir, 'data', 'testdata.yaml'), undefined) : undefined;
    if (fs.existsSync(root) && fs.statSync(root).isDirectory()) walk(opts, kind, root, `${kind}`, out, top);
  }
  return out;
}

type Opts = Parameters<typeof loadValidationCases>[0];

/** A group's file over the inherited keys (legacy); 2025-09 reads the directory's own file only. */
function readGroup(opts: Opts, file: string, inherited: TestGroupYaml | undefined): TestGroupYaml | undefined {
  const own = fs.existsSync(file) ? readYaml(file, testGroupSchema, opts.diag, (f) => `check ${f || 'the file'} against the test group table`)?.data : undefined;
  return own || inherited ? inheritGroupConfig(inherited, own) : undefined;
}

function walk(opts: Opts, kind: ValidationCase['kind'], dir: string, name: string, out: ValidationCase[], inherited: TestGroupYaml | undefined): void {
  const sub = (l: string[]): string[] => l.map((a) => substituteConstants(a, opts.constants));
  const group = readGroup(opts, path.join(dir, opts.format === 'legacy' ? 'testdata.yaml' : 'test_group.yaml'), opts.format === 'legacy' ? inherited : undefined);
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !/^[.-]/.test(e.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk(opts, kind, full, `${name}/${e.name}`, out, group);
      continue;
    }
    if (!e.name.endsWith('.in')) continue;
    const base = e.name.slice(0, -3);
    const caseName = `${name}/${base}`;
    let iva: InputValidatorArgs = group ? toInputValidatorArgs(group) : { all: [] };
    let ova = opts.format === 'legacy' ? [...opts.validatorFlags, ...splitFlags(flagsOf(group?.output_validator_flags))] : (group?.output_validator_args ?? []);
    const caseYaml = path.join(dir, `${base}.yaml`);
    if (fs.existsSync(caseYaml)) {
      const c = readYaml(caseYaml, testCaseSchema, opts.diag, (f) => `check ${f || 'the file'} against the test case configuration table`)?.data;
      if (c?.input_validator_args !== undefined) iva = toInputValidatorArgs(c);
      if (c?.output_validator_args) ova = c.output_validator_args;
    }
    iva = { all: sub(iva.all), ...(iva.byName ? { byName: Object.fromEntries(Object.entries(iva.byName).map(([k, v]) => [k, sub(v)])) } : {}) };
    ova = sub(ova);
    const vc: ValidationCase = { kind, name: caseName, inputPath: full, inputValidatorArgs: iva, outputValidatorArgs: ova, compare: DEFAULT_COMPARE };
    if (kind !== 'invalid_input') {
      const ans = path.join(dir, `${base}.ans`);
      const outFile = path.join(dir, `${base}.out`);
      const missing = [ans, outFile].filter((f) => !fs.existsSync(f));
      if (missing.length > 0) {
        opts.diag.error(full, `${caseName} needs ${missing.map((f) => path.basename(f)).join(' and ')} next to ${e.name}`, `an ${kind} case is three files: ${base}.in, ${base}.ans and ${base}.out (the output to check)`);
        continue;
      }
      vc.answerPath = ans;
      vc.outputPath = outFile;
      if (opts.defaultValidation) {
        const parsed = parseCompareFlags(ova);
        if ('error' in parsed) {
          opts.diag.error(full, `${caseName}: ${parsed.error}`, 'fix the default output validator flags');
          continue;
        }
        vc.compare = parsed.flags;
      }
    }
    out.push(vc);
  }
}

function flagsOf(f: string | { flags?: string } | undefined): string | undefined {
  return typeof f === 'string' ? f : f?.flags;
}
