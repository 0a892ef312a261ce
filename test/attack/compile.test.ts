/**
 * Attacks on the compile step: a submission's own files must not run at compile time (a
 * py_compile.py next to the source), and what the compiler echoes back to the team is capped and
 * free of terminal control sequences. Through the judging engine's own compileProgram and the
 * built-in languages, in a real sandbox slot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProgram, MAX_COMPILE_OUTPUT } from '../../packages/daemon/src/judging/build.ts';
import { loadLanguages } from '../../packages/daemon/src/languages/load.ts';
import type { Language } from '../../packages/daemon/src/languages/types.ts';
import { AttackLab, isRoot, PROGRAMS, skipReason } from './harness.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const lab = new AttackLab(testSlot('attackCompile'));
const LIMITS = { timeS: 30, memoryMiB: 1024 };

function language(id: string): Language {
  const l = loadLanguages().find((x) => x.id === id);
  if (!l || l.disabled) throw new Error(`language ${id} is not available here: ${l?.disabled ?? 'missing'}`);
  return l;
}

/** A program dir holding the given files (host path -> name), readable by the sandbox. */
function programDir(files: Array<[string, string]>): string {
  const dir = fs.mkdtempSync(path.join(lab.root, 'prog-'));
  fs.chmodSync(dir, 0o755);
  for (const [from, name] of files) fs.copyFileSync(from, path.join(dir, name));
  return dir;
}

/** Compiles a Python solution with the submitted py_compile.py beside it. */
async function compilePythonBeside(solution: string) {
  const src = path.join(os.tmpdir(), `judged-attack-sol-${process.pid}.py`);
  fs.writeFileSync(src, solution);
  const dir = programDir([[src, 'solution.py'], [path.join(PROGRAMS, 'py_compile.py'), 'py_compile.py']]);
  fs.rmSync(src);
  const c = await compileProgram(lab.requireSandbox(), language('python3'), dir, ['solution.py', 'py_compile.py'], LIMITS);
  return { c, dir };
}

describe.skipIf(!isRoot)('attack: compile step', () => {
  beforeAll(() => lab.open());
  afterAll(async () => {
    expect(await lab.close(), "the slot's cgroups and stray files of its uids after close()").toEqual([]);
  });

  it('a submitted py_compile.py does not run at compile time (python3 -I): the real check runs', async () => {
    const { c, dir } = await compilePythonBeside('print(1)\n');
    expect(c.output).not.toContain('PWNED');
    expect(c.ok, c.output).toBe(true);
    expect(fs.existsSync(path.join(dir, 'pwned')), 'the submission wrote a file at compile time').toBe(false);
    // The real py_compile ran: it leaves the byte code of both files.
    expect(fs.readdirSync(path.join(dir, '__pycache__')).some((f) => f.startsWith('solution.'))).toBe(true);
    await lab.expectHostIntact();
  });

  it('a syntax error is still CE with the compiler\'s message', async () => {
    const { c } = await compilePythonBeside('print(1\n');
    expect(c.ok).toBe(false);
    expect(c.output).toMatch(/SyntaxError|was never closed/);
    expect(c.output).not.toContain('PWNED');
    await lab.expectHostIntact();
  });

  it('compiler output shown to the team has no control characters and is capped', async () => {
    const dir = programDir([[path.join(PROGRAMS, 'ansi_error.c'), 'main.c']]);
    const c = await compileProgram(lab.requireSandbox(), language('c'), dir, ['main.c'], LIMITS);
    expect(c.ok).toBe(false);
    expect(c.output).toContain('owned');
    expect(c.output).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(c.output.length).toBeLessThanOrEqual(MAX_COMPILE_OUTPUT + 100);
    await lab.expectHostIntact();
  });
});

// Only without root: as root nothing may skip (the cgroup v2 guest run checks that).
if (!isRoot) {
  describe('attack: compile step', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
