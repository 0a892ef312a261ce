/**
 * The package's data against its own validators, in the sandbox: input validators on every test
 * case (with input_validator_args as a list, as a per-validator map, and the case's args after
 * them), data/invalid_input that must be rejected, invalid_output / valid_output against a custom
 * and the default output validator; each failure names the file and the validator.
 * Slot: testSlot('dataValidation').
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLanguages } from '../languages/index.ts';
import { loadProblemPackage } from '../problems/index.ts';
import type { ProblemPackage } from '../problems/types.ts';
import { DEFAULT_SUPERVISOR, openSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { testSlot } from '../../test-utils/slots.ts';
import { validateProblemData } from './data-validation.ts';
import { JudgeEngine } from './engine.ts';

const canSandbox = process.getuid?.() === 0 && fs.existsSync(DEFAULT_SUPERVISOR);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-data-test-'));

function pkg(name: string, files: Record<string, string>): ProblemPackage {
  const dir = path.join(root, name);
  const all = { 'problem.yaml': `problem_format_version: 2025-09\nname: ${name}\n`, 'data/secret/1.in': '5\n', 'data/secret/1.ans': '5\n', ...files };
  for (const [f, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  const load = loadProblemPackage(dir, { label: 'A', ordinal: 0, baseDir: root });
  if (!load.problem) throw new Error(JSON.stringify(load.errors));
  return load.problem;
}

// "$1" is the largest allowed number: input_validator_args give it.
const MAX_SH = 'read -r n || exit 43\ncase $n in ""|*[!0-9]*) echo "not a number: $n" >&2; exit 43;; esac\n[ "$n" -le "$1" ] || { echo "$n > $1" >&2; exit 43; }\nexit 42\n';
const ANY_PY = 'import sys\nsys.exit(42)\n';

describe.skipIf(!canSandbox)('validateProblemData', () => {
  let engine: JudgeEngine;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await openSandbox({ slot: testSlot('dataValidation'), cgroupParent: 'judged-test-data' });
    engine = new JudgeEngine({ languages: loadLanguages(), workRoot: path.join(root, 'work') });
  }, 60_000);
  afterAll(async () => {
    engine?.close();
    await sb?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('accepts good data and reports what it checked', async () => {
    const p = pkg('good', {
      'input_validators/max.sh': MAX_SH,
      'data/secret/test_group.yaml': 'input_validator_args: ["10"]\n',
      'data/invalid_input/test_group.yaml': 'input_validator_args: ["10"]\n',
      'data/invalid_input/big.in': '11\n',
      'data/invalid_input/word.in': 'x\n',
      'data/valid_output/test_group.yaml': 'input_validator_args: ["10"]\n',
      'data/valid_output/1.in': '3\n',
      'data/valid_output/1.ans': '3\n',
      'data/valid_output/1.out': ' 3 \n',
      'data/invalid_output/test_group.yaml': 'input_validator_args: ["10"]\n',
      'data/invalid_output/1.in': '3\n',
      'data/invalid_output/1.ans': '3\n',
      'data/invalid_output/1.out': '4\n',
    });
    const r = await validateProblemData(p, engine, sb);
    expect(r.issues).toEqual([]);
    expect(r.checked).toEqual({ input: 1, invalid_input: 2, invalid_output: 1, valid_output: 1 });
  });

  it('names the file and the validator for a rejected input, an accepted invalid input, and wrong output verdicts', async () => {
    const p = pkg('bad', {
      'input_validators/max.sh': MAX_SH,
      'input_validators/any.py': ANY_PY,
      // A map: only `max` gets the argument; the case's args follow it.
      'data/secret/test_group.yaml': 'input_validator_args: {max: ["4"]}\n',
      'data/invalid_input/test_group.yaml': 'input_validator_args: {max: ["100"]}\n',
      'data/invalid_input/small.in': '7\n',
      'output_validator/check.sh': '[ "$(cat)" = "$(cat "$2")" ] && exit 42\necho "differs" > "${3}judgemessage.txt"\nexit 43\n',
      'data/valid_output/test_group.yaml': 'input_validator_args: {max: ["100"]}\n',
      'data/valid_output/1.in': '3\n',
      'data/valid_output/1.ans': '3\n',
      'data/valid_output/1.out': '03\n',
    });
    const r = await validateProblemData(p, engine, sb);
    const rel = (f: string) => path.relative(p.dir, f);
    expect(r.issues.map((i) => [i.check, rel(i.file), i.validator])).toEqual([
      ['input', 'data/secret/1.in', 'max'],
      ['invalid_input', 'data/invalid_input/small.in', 'any, max'],
      ['valid_output', 'data/valid_output/1.out', 'output validator'],
    ]);
    expect(r.issues[0]!.message).toMatch(/exited 43: 5 > 4/);
    expect(r.issues[2]!.message).toMatch(/not accepted \(WA: differs\)/);
  });

  it('an invalid_input directory without input validators is an issue, not a pass', async () => {
    const p = pkg('novalidator', { 'data/invalid_input/x.in': 'x\n' });
    const r = await validateProblemData(p, engine, sb);
    expect(r.issues).toMatchObject([{ check: 'invalid_input', message: expect.stringMatching(/no input validator/) }]);
    expect(r.notes.join()).toMatch(/no input validators/);
  });
});
