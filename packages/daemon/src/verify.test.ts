/**
 * `judged verify`: exit codes and output on small packages made here, and once end to end on the
 * example problems in problems/ through the real CLI. Needs the sandbox (root + the supervisor
 * built); slots 160.. are this file's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUPERVISOR } from './sandbox/index.ts';
import { runVerify, type VerifyRow } from './verify.ts';
import { testSlot } from '../test-utils/slots.ts';

const canSandbox = process.getuid?.() === 0 && fs.existsSync(DEFAULT_SUPERVISOR);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-verify-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A legacy package "add" with a few submissions; `extra` adds files (relative to the package). */
function addPackage(name: string, extra: Record<string, string>, yaml = 'limits:\n  memory: 64\n'): string {
  const dir = path.join(root, name);
  write(path.join(dir, 'problem.yaml'), `name: Add\n${yaml}`);
  write(path.join(dir, 'problem_statement', 'problem.en.tex'), '\\problemname{Add}\nAdd two numbers.\n');
  write(path.join(dir, 'data', 'sample', '1.in'), '1 2\n');
  write(path.join(dir, 'data', 'sample', '1.ans'), '3\n');
  write(path.join(dir, 'data', 'secret', '1.in'), '20 22\n');
  write(path.join(dir, 'data', 'secret', '1.ans'), '42\n');
  for (const [f, t] of Object.entries(extra)) write(path.join(dir, f), t);
  return dir;
}

const ADD_PY = 'a, b = map(int, input().split())\nprint(a + b)\n';

async function verify(dirs: string[], writeTimeLimit = false): Promise<{ code: number; rows: VerifyRow[]; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runVerify(dirs, { json: true, jobs: 2, slotBase: testSlot('verifyInProcess'), writeTimeLimit, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, rows: stdout ? (JSON.parse(stdout) as VerifyRow[]) : [], stderr };
}

describe('judged verify: unusable input', () => {
  it('exits 2 for a missing directory and for a directory without packages', async () => {
    expect((await verify([path.join(root, 'nope')])).code).toBe(2);
    fs.mkdirSync(path.join(root, 'empty'), { recursive: true });
    const r = await verify([path.join(root, 'empty')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no problem package/);
    expect(r.rows).toEqual([]);
  });

  it('`--languages` reaches the CLI: a broken languages.yaml is exit 2 naming the file, line and field', async () => {
    const dir = addPackage('addlang', { 'submissions/accepted/add.py': ADD_PY });
    const yaml = path.join(root, 'languages.yaml');
    write(yaml, 'languages:\n  cpp:\n    compile: g++ -O2\n');
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', path.join(repo, 'packages/daemon/src/cli.ts'), 'verify', dir, '--json', '--languages', yaml], { cwd: repo, timeout: 60_000 }, (err, _out, errText) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr: errText }),
      );
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/languages\.yaml:3: languages\.cpp\.compile: .*give a list of arguments/);
  }, 60_000);
});

describe.skipIf(!canSandbox)('judged verify with the sandbox', () => {
  it('exits 0 when every submission gets its expected verdict, with one JSON row each', async () => {
    const dir = addPackage('addok', {
      'submissions/accepted/add.py': ADD_PY,
      'submissions/accepted/multi/main.py': 'from helper import add\na, b = map(int, input().split())\nprint(add(a, b))\n',
      'submissions/accepted/multi/helper.py': 'def add(a, b):\n    return a + b\n',
      'submissions/wrong_answer/sub.py': 'a, b = map(int, input().split())\nprint(a - b)\n',
      // The comment wins over the folder: this one is in accepted/ but expected to crash.
      'submissions/accepted/crash.py': '# @EXPECTED_RESULTS@: RUN-ERROR\nraise SystemExit(2)\n',
      'submissions/accepted/add.kt': 'fun main() { }\n',
    });
    const r = await verify([dir], true);
    expect(r.code).toBe(0);
    const byId = Object.fromEntries(r.rows.map((x) => [x.submission, x]));
    expect(Object.keys(byId).sort()).toEqual(['accepted/add.kt', 'accepted/add.py', 'accepted/crash.py', 'accepted/multi', 'wrong_answer/sub.py']);
    expect(byId['accepted/add.py']).toMatchObject({ problem: 'addok', language: 'python3', expected: ['AC'], verdict: 'AC', ok: true, skipped: false });
    expect(byId['accepted/add.py']!.time_ms).toBeGreaterThanOrEqual(0);
    expect(byId['accepted/add.py']!.memory_kb).toBeGreaterThan(0);
    expect(byId['accepted/multi']).toMatchObject({ verdict: 'AC', ok: true });
    expect(byId['accepted/crash.py']).toMatchObject({ expected: ['RTE'], verdict: 'RTE', ok: true });
    expect(byId['wrong_answer/sub.py']).toMatchObject({ verdict: 'WA', ok: true });
    // No Kotlin here: skipped, not failed.
    expect(byId['accepted/add.kt']).toMatchObject({ skipped: true, ok: true, verdict: null });
    // No time limit in the package: derived from the accepted runs.
    expect(r.stderr).toMatch(/addok: no time limit in the package: time limit \d+ ms/);
    // Persisted for the daemon: the loader reads .timelimit next time.
    expect(Number(fs.readFileSync(path.join(dir, '.timelimit'), 'utf8'))).toBeGreaterThan(0);
  }, 120_000);

  it('exits 1 when a submission gets another verdict than expected', async () => {
    const dir = addPackage('addbad', { 'submissions/wrong_answer/right.py': ADD_PY }, 'limits:\n  memory: 64\n  time_limit: 1\n');
    const r = await verify([dir]);
    expect(r.code).toBe(1);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ expected: ['WA'], verdict: 'AC', ok: false });
  }, 120_000);

  it('`judged verify ./problems --json` passes on the example problems (CLI, end to end)', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(repo, 'packages/daemon/src/cli.ts'), 'verify', './problems', '--json'],
        { cwd: repo, env: { ...process.env, JUDGED_VERIFY_SLOT_BASE: String(testSlot('verifyCli')) }, maxBuffer: 64 << 20, timeout: 900_000 },
        (err, out, errText) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout: out, stderr: errText }),
      );
    });
    let rows: VerifyRow[];
    try {
      rows = JSON.parse(stdout) as VerifyRow[];
    } catch {
      throw new Error(`stdout is not one JSON array (exit ${code}): ${stdout.slice(0, 500)}\nstderr: ${stderr.slice(-2000)}`);
    }
    const bad = rows.filter((r) => !r.ok);
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect(code).toBe(0);
    const problems = new Set(rows.map((r) => r.problem));
    expect([...problems].sort()).toEqual(fs.readdirSync(path.join(repo, 'problems')).filter((d) => fs.existsSync(path.join(repo, 'problems', d, 'problem.yaml'))).sort());
    // Every verdict of the examples' folders was actually produced.
    const verdicts = new Set(rows.map((r) => r.verdict));
    for (const v of ['AC', 'WA', 'TLE', 'MLE', 'RTE', 'OLE', 'CE']) expect(verdicts.has(v as never), v).toBe(true);
    for (const r of rows) expect(Object.keys(r)).toEqual(expect.arrayContaining(['problem', 'submission', 'language', 'expected', 'verdict', 'time_ms', 'memory_kb', 'ok']));
    // The data checks ran: input validators on every package, and parity's invalid/valid data.
    const data = rows.filter((r) => r.check).map((r) => `${r.problem} ${r.submission} ${r.ok}`);
    for (const p of problems) expect(data).toContain(`${p} data/input true`);
    for (const c of ['invalid_input', 'invalid_output', 'valid_output']) expect(data).toContain(`parity data/${c} true`);
  }, 900_000);
});
