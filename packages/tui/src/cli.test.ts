import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeServer } from '../test-utils/fake-server.ts';
import { fakeServerOptions } from '../test-utils/fixtures.ts';
import { runStackKiB } from '@judged/shared/protocol';
import { localCommand } from './lib/localrun.ts';

const CLI = path.join(import.meta.dirname, 'cli.ts');
const TSX = path.join(import.meta.dirname, '../../../node_modules/.bin/tsx');
let server: FakeServer;
let addr: string;
let tmp: string;

function judge(args: string[], env: Record<string, string> = {}) {
  return execa(TSX, [CLI, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { JUDGE_SERVER: addr, JUDGE_USER: 'team1', JUDGE_PASSWORD: 'secret1', JUDGE_CONFIG_DIR: path.join(tmp, 'cfg'), NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    extendEnv: true,
    timeout: 60_000,
  });
}

/** Judge the next submission the fake server receives with `verdict`. */
function judgeNext(verdict: 'AC' | 'WA' | 'CE', opts: { teamMessage?: string } = {}): void {
  const before = server.submissions.length;
  const t = setInterval(() => {
    if (server.submissions.length > before) {
      clearInterval(t);
      setTimeout(() => server.judge(server.submissions[before]!.id, verdict, opts), 50);
    }
  }, 20);
}

beforeAll(async () => {
  server = new FakeServer(fakeServerOptions());
  addr = await server.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-cli-'));
  fs.writeFileSync(path.join(tmp, 'ok.py'), 'n=int(input())\nprint(sum(map(int,input().split())))\n');
  fs.writeFileSync(path.join(tmp, 'wrong.py'), 'n=int(input())\nprint(sum(map(int,input().split()))+1)\n');
  fs.writeFileSync(path.join(tmp, 'empty.py'), '');
});

afterAll(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Each test runs the CLI as a fresh process (tsx start-up included) several times: allow for a busy machine.
describe('judge scriptable subcommands', { timeout: 180_000 }, () => {
  test('problems --json prints exactly one JSON value and no colour', async () => {
    const r = await judge(['problems', '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const v = JSON.parse(r.stdout) as { label: string }[];
    expect(v.map((p) => p.label)).toEqual(['A', 'B', 'C', 'D']);
  });

  test('the first login stores a 0600 session that later runs use without a password', async () => {
    const file = path.join(tmp, 'cfg', 'session.json');
    const r0 = await judge(['problems']);
    expect(r0.exitCode).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { token: string; user: string };
    expect(stored.user).toBe('team1');
    const r = await judge(['scoreboard', '--json'], { JUDGE_PASSWORD: '' });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: unknown[] }).rows).toHaveLength(20);
  });

  test('submit --wait exits 0 on AC and 1 on WA, with the verdict as JSON', async () => {
    judgeNext('AC');
    const ok = await judge(['submit', 'A', path.join(tmp, 'ok.py'), '--wait', '--json']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const v = JSON.parse(ok.stdout) as { verdict: { verdict: string; testsPassed: number } };
    expect(v.verdict.verdict).toBe('AC');
    judgeNext('WA');
    const wa = await judge(['submit', 'a', path.join(tmp, 'wrong.py'), '--wait']);
    expect(wa.exitCode).toBe(1);
    expect(wa.stdout).toMatch(/WA Wrong Answer/);
  });

  test('status lists own submissions and shows one in detail', async () => {
    const r = await judge(['status', '--json']);
    expect(r.exitCode).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; verdict: string }[];
    expect(list.length).toBeGreaterThanOrEqual(2);
    const one = await judge(['status', list[list.length - 1]!.id]);
    expect(one.stdout).toMatch(/Status: (AC|WA)/);
  });

  test("status shows the validator's message for the team, terminal-safe, and exact with --json", async () => {
    judgeNext('WA', { teamMessage: 'read n first\n\x1b[2Jthen the list' });
    const wa = await judge(['submit', 'A', path.join(tmp, 'wrong.py'), '--wait', '--json']);
    const id = (JSON.parse(wa.stdout) as { submission: { id: string } }).submission.id;
    const one = await judge(['status', id]);
    expect(one.stdout).toMatch(/Message from the judge:\nread n first\n.*then the list/);
    expect(one.stdout).not.toContain('\x1b');
    const json = JSON.parse((await judge(['status', id, '--json'])).stdout) as { verdict: { teamMessage: string } };
    expect(json.verdict.teamMessage).toBe('read n first\n\x1b[2Jthen the list');
  });

  test('clar ask sends a question and clar list shows it', async () => {
    const ask = await judge(['clar', 'ask', '--problem', 'B', 'Is', 'the', 'input', 'sorted?']);
    expect(ask.exitCode, ask.stderr).toBe(0);
    const list = await judge(['clar', 'list', '--json']);
    const clars = JSON.parse(list.stdout) as { text: string; problemId: string }[];
    expect(clars.some((c) => c.text === 'Is the input sorted?' && c.problemId === 'pb')).toBe(true);
  });

  test('other people\'s escape sequences never reach plain output; --json keeps them exact', async () => {
    const hostile = '\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[6n\x9b2J\u202e';
    server.clarifications.push({ id: 'c77', kind: 'announcement', fromTeamId: null, toTeamId: null, problemId: null, replyToId: null, quotedQuestion: null,
      text: `Free ${hostile}balloons`, createdAtMs: Date.now(), contestTimeMs: 1000, answered: false });
    const row = server.scoreboard.rows[0]!;
    const oldName = row.teamName;
    row.teamName = `Evil${hostile} Team`;
    try {
      const controls = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/;
      const list = await judge(['clar', 'list']);
      expect(list.exitCode, list.stderr).toBe(0);
      expect(list.stdout).toContain('Free balloons');
      expect(list.stdout).not.toMatch(controls);
      const board = await judge(['scoreboard']);
      expect(board.exitCode, board.stderr).toBe(0);
      expect(board.stdout).toContain('Evil Team');
      expect(board.stdout).not.toMatch(controls);
      const json = await judge(['clar', 'list', '--json']);
      expect((JSON.parse(json.stdout) as { text: string }[]).some((c) => c.text === `Free ${hostile}balloons`)).toBe(true);
      expect(json.stdout).not.toContain('\x1b');
    } finally {
      row.teamName = oldName;
      server.clarifications.pop();
    }
  });

  test('statement renders markdown and samples for the terminal', async () => {
    const r = await judge(['statement', 'A']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('A. Hello World');
    expect(r.stdout).toContain('1 ≤ n ≤ 10^5');
    expect(r.stdout).toMatch(/┌─ Sample 1 input/);
  });

  test('errors: wrong password, unreachable server, usage, empty file — exit 2 with a plain message', async () => {
    const bad = await judge(['problems', '--json'], { JUDGE_PASSWORD: 'nope', JUDGE_CONFIG_DIR: path.join(tmp, 'cfg2') });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/login failed/);
    expect((JSON.parse(bad.stdout) as { error: { code: string } }).error.code).toBe('bad_credentials');
    const down = await judge(['problems'], { JUDGE_SERVER: '127.0.0.1:1', JUDGE_CONFIG_DIR: path.join(tmp, 'cfg3') });
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toMatch(/cannot reach the judge server/);
    const usage = await judge(['submit']);
    expect(usage.exitCode).toBe(2);
    const empty = await judge(['submit', 'A', path.join(tmp, 'empty.py')]);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toMatch(/is empty/);
  });

  test('a dead stored token is reported and forgotten', async () => {
    const dir = path.join(tmp, 'cfg-dead');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'session.json'), JSON.stringify({ server: addr, user: 'team1', token: 'dead-token-0123456789abcdef' }), { mode: 0o600 });
    const r = await judge(['problems'], { JUDGE_CONFIG_DIR: dir, JUDGE_PASSWORD: '' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/stored session is no longer valid/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')).token).toBeUndefined();
  });

  test('no subcommand without a terminal refuses the full-screen UI', async () => {
    const r = await judge([]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/needs a terminal/);
    expect(r.stdout).toBe('');
  });

  test('test runs the samples locally: pass, and a diff on mismatch', async () => {
    const ok = await judge(['test', 'A', path.join(tmp, 'ok.py')]);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/sample 1: AC/);
    expect(ok.stdout).toMatch(/all samples pass/);
    const bad = await judge(['test', 'A', path.join(tmp, 'wrong.py'), '--json']);
    expect(bad.exitCode).toBe(1);
    const v = JSON.parse(bad.stdout) as { passed: number; samples: { verdict: string; diff: string[] }[] };
    expect(v.passed).toBe(0);
    expect(v.samples[0]!.verdict).toBe('WA');
    expect(v.samples[0]!.diff).toContain('- 1  6');
    expect(v.samples[0]!.diff).toContain('+ 1  7');
  });

  test("test compiles and runs with the server's commands for the language", async () => {
    // Compiles only with the fake judge's C flags (-DONLINE_JUDGE).
    fs.writeFileSync(path.join(tmp, 'judged.c'), '#ifndef ONLINE_JUDGE\n#error not the judge flags\n#endif\n#include <stdio.h>\nint main(void){int n,s=0,x;scanf("%d",&n);while(n--&&scanf("%d",&x)==1)s+=x;printf("%d\\n",s);}\n');
    const c = await judge(['test', 'A', path.join(tmp, 'judged.c')]);
    expect(c.exitCode, c.stdout + c.stderr).toBe(0);
    // The judge's Python compile step is a syntax check: CE here as on the judge, not an RTE per sample.
    fs.writeFileSync(path.join(tmp, 'syntax.py'), 'print(1\n');
    const py = await judge(['test', 'A', path.join(tmp, 'syntax.py'), '--json']);
    expect(py.exitCode).toBe(1);
    expect(JSON.parse(py.stdout)).toMatchObject({ compiled: false, compileOutput: expect.stringMatching(/SyntaxError|was never closed/) });
    const unknown = await judge(['test', 'A', path.join(tmp, 'syntax.py'), '--lang', 'cobol']);
    expect(unknown.stderr).toMatch(/unknown language "cobol"; the server accepts: c, cpp, python3, java/);
  });

  test('test runs Java by the class holding main(), whatever the file is called, as the judge does', async () => {
    fs.writeFileSync(path.join(tmp, 'solution.java'), 'import java.util.*;\nclass Helper { static int add(int a, int b) { return a + b; } }\nclass Main { public static void main(String[] a) { Scanner in = new Scanner(System.in); int n = in.nextInt(), s = 0; while (n-- > 0) s = Helper.add(s, in.nextInt()); System.out.println(s); } }\n');
    const r = await judge(['test', 'A', path.join(tmp, 'solution.java'), '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { language: string; compiled: boolean; passed: number; total: number };
    expect(out).toMatchObject({ language: 'java', compiled: true, passed: out.total });
    expect(out.total).toBeGreaterThan(0);
    // No class with main(): refused as the judge refuses it (CE), not run as a guessed class.
    fs.writeFileSync(path.join(tmp, 'nomain.java'), 'class Solver { static int f() { return 1; } }\n');
    const none = await judge(['test', 'A', path.join(tmp, 'nomain.java'), '--json']);
    expect(none.exitCode).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ compiled: false, compileOutput: expect.stringMatching(/main/) });
  });
});

describe('localCommand', () => {
  test('fills the judge placeholders and finds a program the judge names by a path missing here', () => {
    const v = { progdir: '/tmp/w', files: ['sol.java'], main: 'sol.java', mainclass: 'Sol', memlimitMiB: 256, stackKiB: runStackKiB(256) };
    expect(localCommand(['/nonexistent/bin/javac', '-d', '.', '{files}'], v)).toEqual(['javac', '-d', '.', 'sol.java']);
    expect(localCommand(['/bin/sh', '{progdir}/{main}', '{binary}'], v)).toEqual(['/bin/sh', '/tmp/w/sol.java', '/tmp/w/a.out']);
    expect(localCommand(['java', '-Xmx{memlimit_mb}m', '--stack={stack_kib}', '{mainclass}'], v)).toEqual(['java', '-Xmx256m', '--stack=209715', 'Sol']);
  });
});
