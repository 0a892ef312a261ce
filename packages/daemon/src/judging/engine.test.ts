/**
 * The judging pipeline with the real sandbox: one tiny program per verdict, custom validators and
 * interactive problems. Skipped where the sandbox cannot run (not root, supervisor not built).
 * Slots 150..157 under the cgroup parent judged-test-judging are this file's (the first two free).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLanguages } from '../languages/index.ts';
import type { Language } from '../languages/types.ts';
import { loadProblemPackage } from '../problems/index.ts';
import type { ProblemPackage } from '../problems/types.ts';
import { DEFAULT_SUPERVISOR, openSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { JudgeEngine, type JudgeProgress, type JudgeResult } from './engine.ts';
import { testSlot } from '../../test-utils/slots.ts';

const canSandbox = process.getuid?.() === 0 && fs.existsSync(DEFAULT_SUPERVISOR);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-engine-test-'));
const langs = loadLanguages();
const lang = (id: string): Language => langs.find((l) => l.id === id)!;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A 2025-09 package: `data` maps 'sample/1' -> [input, answer]. */
function makePackage(name: string, yaml: string, data: Record<string, [string, string]>, extra: Record<string, string> = {}): ProblemPackage {
  const dir = path.join(root, name);
  write(path.join(dir, 'problem.yaml'), `problem_format_version: 2025-09\nname: ${name}\nuuid: 00000000-0000-4000-8000-000000000000\n${yaml}`);
  write(path.join(dir, 'statement', 'problem.en.md'), `# ${name}\n`);
  for (const [k, [input, answer]] of Object.entries(data)) {
    write(path.join(dir, 'data', `${k}.in`), input);
    write(path.join(dir, 'data', `${k}.ans`), answer);
  }
  for (const [f, text] of Object.entries(extra)) write(path.join(dir, f), text);
  const load = loadProblemPackage(dir, { label: 'A', ordinal: 0, baseDir: root });
  if (!load.problem) throw new Error(`test package ${name} does not load: ${JSON.stringify(load.errors)}`);
  return load.problem;
}

const SUM_C = '#include <stdio.h>\nint main(void){long long a,b;if(scanf("%lld %lld",&a,&b)!=2)return 1;printf("%lld\\n",a+b);return 0;}\n';

let engine: JudgeEngine;
let sb: Sandbox;
let sb2: Sandbox;
let sum: ProblemPackage;

async function judge(p: ProblemPackage, langId: string, files: Record<string, string>, more: { runAll?: boolean; progress?: JudgeProgress[]; two?: boolean } = {}): Promise<JudgeResult> {
  return engine.judge({
    problem: p,
    language: lang(langId),
    files: Object.entries(files).map(([name, content]) => ({ name, content })),
    sandboxes: more.two ? [sb, sb2] : [sb],
    runAll: more.runAll,
    onProgress: more.progress ? (e) => more.progress!.push(e) : undefined,
  });
}

beforeAll(async () => {
  if (!canSandbox) return;
  const opened: Sandbox[] = [];
  for (let slot = testSlot('judgingEngine'); slot < testSlot('judgingEngine') + 8 && opened.length < 2; slot++) {
    try {
      opened.push(await openSandbox({ slot, cgroupParent: 'judged-test-judging' }));
    } catch (err) {
      if (!/in use/.test((err as Error).message)) throw err;
    }
  }
  [sb, sb2] = opened as [Sandbox, Sandbox];
  engine = new JudgeEngine({ languages: langs, workRoot: path.join(root, 'work') });
  sum = makePackage('sum', 'limits:\n  time_limit: 1\n  memory: 64\n  output: 1\n', {
    'sample/1': ['1 2\n', '3\n'],
    'secret/b': ['10 20\n', '30\n'],
    'secret/a': ['5 5\n', '10\n'],
    'secret/c': ['-1 1\n', '0\n'],
  });
}, 60_000);

afterAll(async () => {
  engine?.close();
  await sb?.close();
  await sb2?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!canSandbox)('judging engine with the sandbox', () => {
  it('AC: compiles, runs samples first then secret in lexicographic order, reports progress', async () => {
    const progress: JudgeProgress[] = [];
    const r = await judge(sum, 'c', { 'sum.c': SUM_C }, { progress });
    expect(r.verdict, r.message).toBe('AC');
    expect(r.compile?.ok).toBe(true);
    expect(r.tests.map((t) => t.name)).toEqual(['sample/1', 'secret/a', 'secret/b', 'secret/c']);
    expect(r.passed).toBe(4);
    expect(r.timeMs).not.toBeNull();
    expect(r.memoryKiB).toBeGreaterThan(0);
    expect(progress.slice(0, 3).map((p) => p.phase)).toEqual(['compiling', 'compiled', 'running']);
    expect(progress.filter((p) => p.phase === 'tested')).toHaveLength(4);
    expect(progress.at(-1)).toMatchObject({ phase: 'tested', test: 4, total: 4 });
  });

  it('WA stops at the first failing test; runAll judges every test and keeps the first failure', async () => {
    // Wrong only on "5 5" (secret/a, the second test).
    const src = SUM_C.replace('printf("%lld\\n",a+b)', 'printf("%lld\\n",a==5?a:a+b)');
    const r = await judge(sum, 'c', { 'w.c': src });
    expect(r.verdict, r.message).toBe('WA');
    expect(r.failedTest).toBe(2);
    expect(r.tests).toHaveLength(2);
    expect(r.tests[1]!.message).toMatch(/expected "10", got "5"/);
    const all = await judge(sum, 'c', { 'w.c': src }, { runAll: true });
    expect(all.verdict, all.message).toBe('WA');
    expect(all.tests.map((t) => t.verdict)).toEqual(['AC', 'WA', 'AC', 'AC']);
    expect(all.passed).toBe(1);
  });

  it('runs tests on two slots in parallel with the same verdicts', async () => {
    const r = await judge(sum, 'c', { 'sum.c': SUM_C }, { two: true });
    expect(r.verdict, r.message).toBe('AC');
    expect(r.tests.map((t) => t.index)).toEqual([1, 2, 3, 4]);
    const src = SUM_C.replace('printf("%lld\\n",a+b)', 'printf("%lld\\n",a==5?a:a+b)');
    const w = await judge(sum, 'c', { 'w.c': src }, { two: true });
    expect(w.verdict, w.message).toBe('WA');
    expect(w.failedTest).toBe(2);
  });

  it('TLE by CPU time and by wall time (a program that sleeps)', async () => {
    const spin = await judge(sum, 'c', { 's.c': 'int main(void){volatile unsigned long n=0;for(;;)n++;}\n' });
    expect(spin.verdict, spin.message).toBe('TLE');
    // On a heavily loaded machine the wall limit may come first; either way the CPU limit is not the sleep's.
    if (!/wall/.test(spin.tests[0]!.message)) expect(spin.tests[0]!.cpuTimeMs).toBeGreaterThan(1000);
    const sleep = await judge(sum, 'c', { 's.c': '#include <unistd.h>\nint main(void){sleep(30);return 0;}\n' });
    expect(sleep.verdict, sleep.message).toBe('TLE');
    expect(sleep.tests[0]!.message).toMatch(/wall/);
    expect(sleep.tests[0]!.cpuTimeMs).toBeLessThan(500);
  }, 30_000);

  it('MLE, OLE and RTE (exit code, signal, Python exception)', async () => {
    const mle = await judge(sum, 'c', {
      'm.c': '#include <stdlib.h>\n#include <string.h>\nint main(void){for(;;){char*p=malloc(1<<24);if(!p)return 3;memset(p,1,1<<24);}}\n',
    });
    expect(mle.verdict, mle.message).toBe('MLE');
    const ole = await judge(sum, 'c', { 'o.c': '#include <stdio.h>\nint main(void){for(;;)puts("yes yes yes yes");}\n' });
    expect(ole.verdict, ole.message).toBe('OLE');
    const exit3 = await judge(sum, 'c', { 'e.c': 'int main(void){return 3;}\n' });
    expect(exit3.verdict, exit3.message).toBe('RTE');
    expect(exit3.tests[0]!.exitCode).toBe(3);
    const segv = await judge(sum, 'c', { 'e.c': 'int main(void){volatile int*p=0;return *p;}\n' });
    expect(segv.verdict, segv.message).toBe('RTE');
    expect(segv.tests[0]!.signal).toBe(11);
    const py = await judge(sum, 'python3', { 'x.py': 'raise ValueError("no")\n' });
    expect(py.verdict, py.message).toBe('RTE');
  }, 30_000);

  it('a submission that makes a huge and a PATH_MAX-deep tree in /box gets the same AC/WA, and nothing of it reaches the work root', async () => {
    const tree = 'import os\nos.mkdir("w")\nfor i in range(5000):\n    open(f"w/{i}", "w").close()\nfor _ in range(1500):\n    os.mkdir("d")\n    os.chdir("d")\n';
    const ac = await judge(sum, 'python3', { 't.py': `${tree}a,b=map(int,input().split())\nprint(a+b)\n` });
    expect(ac.verdict, JSON.stringify(ac.tests)).toBe('AC');
    const wa = await judge(sum, 'python3', { 't.py': `${tree}a,b=map(int,input().split())\nprint(a+b+1)\n` });
    expect(wa.verdict).toBe('WA');
    const deep: string[] = [];
    const walk = (d: string, depth: number): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.name === 'd' || e.name === 'w') deep.push(path.join(d, e.name));
        if (e.isDirectory() && depth < 8) walk(path.join(d, e.name), depth + 1);
      }
    };
    walk(path.join(root, 'work'), 0);
    expect(deep).toEqual([]);
  });

  it('CE keeps the compiler output; a Python syntax error is CE too', async () => {
    const r = await judge(sum, 'c', { 'bad.c': 'int main(void){ return undeclared_name; }\n' });
    expect(r.verdict, r.message).toBe('CE');
    expect(r.compile?.output).toMatch(/undeclared_name/);
    expect(r.tests).toHaveLength(0);
    const py = await judge(sum, 'python3', { 'bad.py': 'def f(:\n' });
    expect(py.verdict, py.message).toBe('CE');
    expect(py.compile?.output).toMatch(/SyntaxError/);
  });

  it('multi-file submissions and include/ files', async () => {
    const p = makePackage('inc', 'limits:\n  time_limit: 1\n  memory: 64\n', { 'sample/1': ['2 3\n', '5\n'], 'secret/1': ['4 4\n', '8\n'] }, { 'include/c/add.h': 'static long long add(long long a,long long b){return a+b;}\n' });
    const r = await judge(p, 'c', { 'main.c': '#include <stdio.h>\n#include "add.h"\n#include "twice.h"\nint main(void){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",add(a,b)*ONE);}\n', 'twice.h': '#define ONE 1\n' });
    expect(r.verdict, r.message).toBe('AC');
    const py = await judge(sum, 'python3', { 'main.py': 'import helper\na,b=map(int,input().split())\nprint(helper.add(a,b))\n', 'helper.py': 'def add(a,b):\n    return a+b\n' });
    expect(py.verdict, py.message).toBe('AC');
  });

  it('constants are substituted in include/ files and the output validator, never in the team\'s own source', async () => {
    // The validator accepts exactly {{scale}} times the sum; the included header defines SCALE from it.
    const validator = '#include <stdio.h>\nint main(int c, char **v){FILE *f=fopen(v[1],"r");long long a,b,g;fscanf(f,"%lld %lld",&a,&b);if(scanf("%lld",&g)!=1)return 43;return g==(a+b)*{{scale}}?42:43;}\n';
    const p = makePackage('consts', 'constants:\n  scale: 7\nlimits:\n  time_limit: 1\n  memory: 64\n', { 'sample/1': ['2 3\n', '35\n'], 'secret/1': ['4 4\n', '56\n'] }, {
      'include/c/scale.h': '#define SCALE {{scale}}\n',
      'output_validator/check.c': validator,
    });
    const main = '#include <stdio.h>\n#include "scale.h"\nint main(void){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",(a+b)*SCALE);}\n';
    const r = await judge(p, 'c', { 'main.c': main });
    expect(r.verdict, r.compile?.output ?? r.message).toBe('AC');
    // A team's source is not an example submission: its {{scale}} stays as written (a compile error here).
    const own = await judge(p, 'c', { 'main.c': '#include <stdio.h>\nint main(void){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",(a+b)*{{scale}});}\n' });
    expect(own.verdict).toBe('CE');
  });

  it('Java: the main class from the compiled classes, whatever the file is called; several mains are CE', async () => {
    const sumMain = 'public static void main(String[] a) { java.util.Scanner s = new java.util.Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); }';
    const anyName = await judge(sum, 'java', { 'solution.java': `class Main { ${sumMain} }\nclass Helper {}\n` });
    expect(anyName.verdict, anyName.compile?.output).toBe('AC');
    const two = await judge(sum, 'java', { 'a.java': `class A { ${sumMain} }\nclass B { ${sumMain} }\n` });
    expect(two.verdict).toBe('CE');
    expect(two.compile?.output).toMatch(/several classes declare public static void main\(String\[\]\): A, B/);
    const chosen = await engine.judge({ problem: sum, language: lang('java'), files: [{ name: 'a.java', content: `class A { ${sumMain} }\nclass B { public static void main(String[] x) { System.exit(3); } }\n` }], sandboxes: [sb], entrypoint: 'A' });
    expect(chosen.verdict, chosen.compile?.output).toBe('AC');
  });

  it('Java with packages over several files (main class found), Rust, JavaScript', async () => {
    const java = await judge(sum, 'java', {
      'app/Main.java': 'package app;\nimport java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(Util.add(s.nextLong(), s.nextLong())); } }\n',
      'app/Util.java': 'package app;\nclass Util { static long add(long a, long b) { return a + b; } }\n',
    });
    expect(java.verdict, java.compile?.output).toBe('AC');
    const failing = await judge(sum, 'java', { 'Boom.java': 'public class Boom { public static void main(String[] a) { throw new IllegalStateException("boom"); } }\n' });
    expect(failing.verdict, failing.message).toBe('RTE');
    expect(failing.tests[0]!.stderrExcerpt).toMatch(/IllegalStateException: boom/);
    if (!lang('rust').disabled) {
      const rust = await judge(sum, 'rust', { 'main.rs': 'use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] + v[1]); }\n' });
      expect(rust.verdict, rust.compile?.output).toBe('AC');
    }
    const js = await judge(sum, 'javascript', { 'a.js': 'const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n' });
    expect(js.verdict, js.message).toBe('AC');
  }, 60_000);

  it('a run the sandbox cannot start is JE with the reason, on one slot and on two', async () => {
    const broken = { ...lang('python3'), id: 'broken', compile: undefined, run: ['/nonexistent/interpreter', '{progdir}/{main}'] };
    for (const sandboxes of [[sb], [sb, sb2]]) {
      const r = await engine.judge({ problem: sum, language: broken, files: [{ name: 'a.py', content: 'print(1)\n' }], sandboxes });
      expect(r.verdict, r.message).toBe('JE');
      expect(r.message).toMatch(/nonexistent/);
    }
  });

  it('a disabled language is JE with the reason, not a crash', async () => {
    const r = await engine.judge({ problem: sum, language: { ...lang('c'), disabled: 'gcc not found' }, files: [{ name: 'a.c', content: SUM_C }], sandboxes: [sb] });
    expect(r.verdict, r.message).toBe('JE');
    expect(r.message).toMatch(/gcc not found/);
  });

  it('legacy on_reject: break in a, nested in continue in secret, runs what problemtools runs and gets its verdict, on one slot and on two', async () => {
    // The program echoes its input, exits 3 on "rte". secret continues, secret/a breaks:
    // a/1 WA stops a (a/2 never runs), b runs whole (b/1 RTE, b/2 AC): worst(WA, RTE) = RTE.
    const dir = path.join(root, 'legacy-tree');
    write(path.join(dir, 'problem.yaml'), 'name: Tree\nlimits:\n  time_multiplier: 2\n');
    write(path.join(dir, 'problem_statement', 'problem.en.tex'), '\\problemname{Tree}\n');
    const cases: Record<string, [string, string]> = { 'sample/1': ['ok', 'ok'], 'secret/a/1': ['wa', 'other'], 'secret/a/2': ['rte', 'rte'], 'secret/b/1': ['rte', 'rte'], 'secret/b/2': ['ok', 'ok'] };
    for (const [k, [i, a]] of Object.entries(cases)) {
      write(path.join(dir, 'data', `${k}.in`), `${i}\n`);
      write(path.join(dir, 'data', `${k}.ans`), `${a}\n`);
    }
    write(path.join(dir, 'data', 'secret', 'testdata.yaml'), 'on_reject: continue\n');
    write(path.join(dir, 'data', 'secret', 'a', 'testdata.yaml'), 'on_reject: break\n');
    const load = loadProblemPackage(dir, { label: 'T', ordinal: 0, baseDir: root });
    expect(load.errors).toEqual([]);
    const echo = 'import sys\ns = sys.stdin.read().strip()\nif s == "rte": sys.exit(3)\nprint(s)\n';
    const one = await judge(load.problem!, 'python3', { 'e.py': echo });
    expect(one.verdict, one.message).toBe('RTE');
    expect(one.tests.map((t) => t.name)).toEqual(['sample/1', 'secret/a/1', 'secret/b/1', 'secret/b/2']);
    expect(one.failedTest).toBe(4);
    const two = await judge(load.problem!, 'python3', { 'e.py': echo }, { two: true });
    expect(two.verdict, two.message).toBe('RTE');
    expect(two.failedTest).toBe(4);
  });

  describe('custom output validator', () => {
    let p: ProblemPackage;
    beforeAll(() => {
      // Accepts any output whose number is even; 7 in the input makes the validator itself fail.
      const validator = [
        'import sys',
        'inp, ans, fb = sys.argv[1], sys.argv[2], sys.argv[3]',
        'if open(inp).read().strip() == "7": sys.exit(1)',
        'team = sys.stdin.read().split()',
        'ok = len(team) == 1 and team[0].lstrip("-").isdigit() and int(team[0]) % 2 == 0',
        'open(fb + "judgemessage.txt", "w").write("even, fine" if ok else "not an even number: " + " ".join(team)[:50])',
        'sys.exit(42 if ok else 43)',
      ].join('\n');
      p = makePackage('even', 'limits:\n  time_limit: 1\n  memory: 64\n', { 'sample/1': ['1\n', '2\n'], 'secret/1': ['3\n', '4\n'] }, { 'output_validator/validate.py': `${validator}\n` });
    });

    it('AC and WA from the exit code, with judgemessage.txt kept', async () => {
      expect(p.validation).toBe('custom');
      const ac = await judge(p, 'python3', { 'a.py': 'print(2 * int(input()))\n' });
      expect(ac.verdict, ac.message).toBe('AC');
      expect(ac.tests[0]!.judgeMessage).toBe('even, fine');
      const wa = await judge(p, 'python3', { 'a.py': 'print(2 * int(input()) + 1)\n' });
      expect(wa.verdict, wa.message).toBe('WA');
      expect(wa.tests[0]!.judgeMessage).toBe('not an even number: 3');
    });

    it('a validator exiting with neither 42 nor 43 is JE', async () => {
      const q = makePackage('even7', 'limits:\n  time_limit: 1\n  memory: 64\n', { 'sample/1': ['7\n', '2\n'], 'secret/1': ['7\n', '2\n'] }, { 'output_validator/validate.py': fs.readFileSync(path.join(root, 'even', 'output_validator', 'validate.py'), 'utf8') });
      const r = await judge(q, 'python3', { 'a.py': 'print(2)\n' });
      expect(r.verdict, r.message).toBe('JE');
      expect(r.message).toMatch(/exited with 1/);
    });
  });

  describe('interactive', () => {
    let p: ProblemPackage;
    beforeAll(() => {
      // Guess a number in [1, 100] with at most 10 queries; the interactor answers < > or =.
      const interactor = [
        'import sys, signal',
        'signal.signal(signal.SIGPIPE, signal.SIG_IGN)',
        'x = int(open(sys.argv[1]).read())',
        'fb = sys.argv[3]',
        'def done(code, msg):',
        '    open(fb + "judgemessage.txt", "w").write(msg)',
        '    sys.exit(code)',
        'for q in range(10):',
        '    line = sys.stdin.readline()',
        '    if not line: done(43, "no guess")',
        '    try: g = int(line)',
        '    except ValueError: done(43, "not a number")',
        '    r = "=" if g == x else ("<" if x < g else ">")',
        '    try:',
        '        print(r, flush=True)',
        '    except BrokenPipeError: done(43, "gone")',
        '    if r == "=": done(42, "found in %d" % (q + 1))',
        'done(43, "too many guesses")',
      ].join('\n');
      p = makePackage('guessit', 'type: interactive\nlimits:\n  time_limit: 1\n  memory: 64\n', { 'sample/1': ['37\n', '37\n'], 'secret/1': ['100\n', '100\n'] }, { 'output_validator/interactor.py': `${interactor}\n` });
    });

    it('AC from a correct bisection, WA from a wrong strategy', async () => {
      const bisect = 'lo,hi=1,100\nwhile True:\n    m=(lo+hi)//2\n    print(m,flush=True)\n    r=input()\n    if r=="=": break\n    if r=="<": hi=m-1\n    else: lo=m+1\n';
      const ac = await judge(p, 'python3', { 'b.py': bisect });
      expect(ac.verdict, ac.message).toBe('AC');
      expect(ac.tests[0]!.judgeMessage).toMatch(/found in/);
      const wa = await judge(p, 'c', { 'w.c': '#include <stdio.h>\nint main(void){for(int i=1;i<=100;i++){printf("%d\\n",i);fflush(stdout);char r[8];if(scanf("%7s",r)!=1)return 0;if(r[0]==\'=\')return 0;}return 0;}\n' });
      expect(wa.verdict, wa.message).toBe('WA');
      expect(wa.tests[0]!.judgeMessage).toBe('too many guesses');
    });

    it('SIGPIPE from writing after the validator rejected is WA, not RTE', async () => {
      // Floods guesses without reading: the interactor rejects after 10 and exits; the next writes
      // hit a closed pipe.
      const r = await judge(p, 'c', { 'f.c': '#include <stdio.h>\nint main(void){for(;;){printf("1\\n");fflush(stdout);}}\n' });
      expect(r.verdict, r.message).toBe('WA');
    });

    it('a program that never flushes is TLE, and the judge does not hang', async () => {
      const r = await judge(p, 'c', { 'n.c': '#include <stdio.h>\nint main(void){printf("50\\n");char r[8];scanf("%7s",r);return 0;}\n' });
      expect(r.verdict, r.message).toBe('TLE');
    }, 30_000);

    it('an interactor that never finishes is JE once the wall limit passes, not a hung judge', async () => {
      const q = makePackage('hung', 'type: interactive\nlimits:\n  time_limit: 1\n  memory: 64\n', { 'sample/1': ['1\n', '1\n'], 'secret/1': ['1\n', '1\n'] }, {
        'output_validator/interactor.py': 'import time\nwhile True:\n    time.sleep(1)\n',
      });
      const t = Date.now();
      const r = await judge(q, 'python3', { 'ok.py': 'print(1, flush=True)\n' });
      expect(r.verdict, r.message).toBe('JE');
      expect(Date.now() - t).toBeLessThan(25_000);
    }, 40_000);

    // Judged 50 times each, the same verdict every time: against an interactor that writes a lot
    // before it reads and leaves SIGPIPE at its default (so the program's exit can kill it), and one
    // that reads first (so it sees EOF and says WA as the program's exit is still being recorded).
    describe.each([
      ['writes first', '  for (int i = 0; i < 20000; i++) { printf("question %d\\n", i); fflush(stdout); }'],
      ['reads first', ''],
    ])('a program that exits without reading, interactor %s', (name, writes) => {
      let q: ProblemPackage;
      beforeAll(() => {
        const interactor = [
          '#include <stdio.h>',
          'int main(int argc, char **argv) {',
          writes,
          '  char buf[64];',
          '  if (!fgets(buf, sizeof buf, stdin)) return 43;',
          '  return buf[0] == \'4\' && buf[1] == \'2\' ? 42 : 43;',
          '}',
        ].join('\n');
        q = makePackage(`talker-${name.replace(' ', '-')}`, 'type: interactive\nlimits:\n  time_limit: 1\n  memory: 64\n', { 'secret/1': ['1\n', '1\n'] }, { 'output_validator/interactor.c': `${interactor}\n` });
      });
      const verdicts = async (files: Record<string, string>): Promise<string[]> => {
        const seen = new Map<string, number>();
        for (let i = 0; i < 50; i++) {
          const r = await judge(q, 'python3', files);
          const key = `${r.verdict}: ${r.tests[0]?.message ?? r.message}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
        return [...seen].map(([k, n]) => `${k} (${n}x)`);
      };
      it('exits 0: WA every time, never JE from the validator\'s SIGPIPE', async () => {
        const seen = await verdicts({ 'q.py': 'pass\n' });
        expect(seen.length, seen.join('; ')).toBe(1);
        expect(seen[0]).toMatch(/^WA: /);
      }, 120_000);
      it('exits 3: RTE every time', async () => {
        const seen = await verdicts({ 'q.py': 'raise SystemExit(3)\n' });
        expect(seen.length, seen.join('; ')).toBe(1);
        expect(seen[0]).toMatch(/^RTE: exit code 3/);
      }, 120_000);
    });

    // problemtools' rule, exact: the validator rejects at once and the program crashes on the end
    // of its input a moment later. The validator ended first, so WA, every time (no margin on the
    // clocks: the supervisor orders the two ends causally).
    it('a program that crashes a moment after the validator\'s WA is WA, 50 times', async () => {
      const q = makePackage('reject-first', 'type: interactive\nlimits:\n  time_limit: 1\n  memory: 64\n', { 'secret/1': ['1\n', '1\n'] }, {
        'output_validator/interactor.c': '#include <stdio.h>\nint main(void){char b[64];if(!fgets(b,sizeof b,stdin))return 43;puts("no");return 43;}\n',
      });
      const crash = '#include <stdio.h>\n#include <stdlib.h>\nint main(void){puts("1");fflush(stdout);char b[64];while(fgets(b,sizeof b,stdin)){}abort();}\n';
      const seen = new Map<string, number>();
      for (let i = 0; i < 50; i++) {
        const r = await judge(q, 'c', { 'crash.c': crash });
        seen.set(r.verdict, (seen.get(r.verdict) ?? 0) + 1);
      }
      expect([...seen]).toEqual([['WA', 50]]);
    }, 180_000);

    it('a program that crashes is RTE', async () => {
      const r = await judge(p, 'python3', { 'c.py': 'print(50, flush=True)\nr = input()\nraise SystemExit(5)\n' });
      expect(r.verdict, r.message).toBe('RTE');
      expect(r.tests[0]!.exitCode).toBe(5);
    });
  });
});
