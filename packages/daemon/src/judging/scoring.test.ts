/**
 * Scoring problems through the real sandbox: the example IOI-style problem (problems/stretch, three
 * subtasks, a partial-score validator) with each of its submissions, judged on one slot and on two
 * (parallel dispatch and require_pass skips must not change a score), and a legacy package whose
 * validator writes score.txt, with the spec's judge errors. Skipped without root or the supervisor.
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
import { JudgeEngine, type JudgeResult } from './engine.ts';
import { testSlot } from '../../test-utils/slots.ts';
import { writePackage } from '../../test-utils/problem-packages.ts';

const canSandbox = process.getuid?.() === 0 && fs.existsSync(DEFAULT_SUPERVISOR);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-scoring-test-'));
const langs = loadLanguages();
const python = langs.find((l) => l.id === 'python3')!;
const stretchDir = path.resolve(import.meta.dirname, '../../../../problems/stretch');

let engine: JudgeEngine;
const sandboxes: Sandbox[] = [];
let stretch: ProblemPackage;

function load(dir: string): ProblemPackage {
  const r = loadProblemPackage(dir, { label: 'A', ordinal: 0, baseDir: path.dirname(dir) });
  if (!r.problem) throw new Error(JSON.stringify(r.errors));
  return r.problem;
}

async function judge(p: ProblemPackage, file: string, source: string, slots = 1): Promise<JudgeResult> {
  return engine.judge({ problem: p, language: python, files: [{ name: file, content: source }], sandboxes: sandboxes.slice(0, slots) });
}

beforeAll(async () => {
  if (!canSandbox) return;
  for (let slot = testSlot('judgingScoring'); slot <= testSlot('daemonScoring') && sandboxes.length < 2; slot++) {
    try {
      sandboxes.push(await openSandbox({ slot, cgroupParent: 'judged-test-scoring' }));
    } catch (err) {
      if (!/in use/.test((err as Error).message)) throw err;
    }
  }
  engine = new JudgeEngine({ languages: langs, workRoot: path.join(root, 'work') });
  stretch = load(stretchDir);
}, 120_000);

afterAll(async () => {
  engine?.close();
  await Promise.allSettled(sandboxes.map((s) => s.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!canSandbox)('scoring problems in the sandbox', () => {
  const sub = (id: string) => fs.readFileSync(path.join(stretchDir, 'submissions', id), 'utf8');
  // Hand-computed from the package's test_group.yaml (see problems/stretch/problem.yaml).
  const table: [string, number, number[], string | null][] = [
    ['accepted/kadane.py', 100, [20, 30, 50], null],
    ['time_limit_exceeded/brute.py', 50, [20, 30, 0], 'TLE'],
    ['wrong_answer/empty_ok.py', 57.5, [20, 0, 37.5], 'WA'],
    ['wrong_answer/sum_only.py', 15, [0, 15, 0], 'WA'],
  ];
  for (const [id, total, groups, firstRejection] of table) {
    it(`problems/stretch ${id}: ${total} points (${groups.join(' + ')})`, async () => {
      const r = await judge(stretch, path.basename(id), sub(id), id.startsWith('wrong') ? 2 : 1);
      expect(r.verdict).toBe('AC');
      expect(r.score).toMatchObject({ score: total, maxScore: 100, firstRejection });
      expect(r.score!.groups.map((g) => g.score)).toEqual(groups);
    });
  }

  it('require_pass: a failed sample skips subtasks 1 and 3 (their tests are not run), on one slot and on two', async () => {
    for (const slots of [1, 2]) {
      const r = await judge(stretch, 'sum_only.py', sub('wrong_answer/sum_only.py'), slots);
      expect(r.score!.groups.map((g) => [g.name, g.skipped ?? false])).toEqual([
        ['secret/01-tiny', true],
        ['secret/02-medium', false],
        ['secret/03-large', true],
      ]);
      const ran = new Set(r.tests.map((t) => t.name));
      // Only what was dispatched before the sample's WA was known may have run; never after it on one slot.
      if (slots === 1) expect([...ran].filter((n) => n.startsWith('secret/01') || n.startsWith('secret/03'))).toEqual([]);
      expect(r.tests.filter((t) => t.name.startsWith('secret/02')).map((t) => t.score)).toEqual([15, 15, 15]);
    }
  });

  describe('legacy: validation custom score', () => {
    let legacy: ProblemPackage;
    beforeAll(() => {
      // The validator scores by the number the program prints: score.txt = that number; a negative
      // number is rejected, "JE" makes it write score.txt and reject (a judge error by the rules).
      const dir = writePackage(root, 'legacyscore', {
        'problem.yaml': 'name: Legacy Score\ntype: scoring\nvalidation: custom score\nlimits:\n  time_limit: 1\n',
        'data/testdata.yaml': 'grader_flags: ignore_sample\non_reject: continue\n',
        'data/sample/1.in': '1\n',
        'data/sample/1.ans': '\n',
        // problemtools refuses ignore_sample inherited below data/: sample sets its own flags (its
        // result is ignored at the root all the same).
        'data/sample/testdata.yaml': 'grader_flags: first_error\n',
        'data/secret/testdata.yaml': 'grader_flags: always_accept\non_reject: continue\nrange: 0 30\n',
        'data/secret/g1/testdata.yaml': 'grader_flags: min\n',
        'data/secret/g1/a.in': '1\n',
        'data/secret/g1/a.ans': '\n',
        'data/secret/g1/b.in': '2\n',
        'data/secret/g1/b.ans': '\n',
        'data/secret/g2/a.in': '3\n',
        'data/secret/g2/a.ans': '\n',
        'output_validators/v/v.py': [
          'import sys, os',
          'out = sys.stdin.read().strip()',
          'fb = sys.argv[3]',
          'if out == "JE":',
          '    open(os.path.join(fb, "score.txt"), "w").write("1")',
          '    sys.exit(43)',
          'x = float(out)',
          'if x < 0: sys.exit(43)',
          'open(os.path.join(fb, "score.txt"), "w").write(out)',
          'sys.exit(42)',
          '',
        ].join('\n'),
      });
      legacy = load(dir);
    });

    it('scores from score.txt through the default grader', async () => {
      // Prints 10 x the input: g1 min(10, 20) = 10, g2 30; secret sums: 40 (above range 0..30, which
      // problemtools only warns about).
      const r = await judge(legacy, 'x.py', 'print(int(input()) * 10)\n');
      expect([r.verdict, r.score?.score]).toEqual(['AC', 40]);
      expect(r.score!.groups.map((g) => [g.name, g.verdict, g.score])).toEqual([
        ['sample', 'AC', 10],
        ['secret', 'AC', 40],
        ['secret/g1', 'AC', 10],
        ['secret/g2', 'AC', 30],
      ]);
      const neg = await judge(legacy, 'x.py', 'n = int(input())\nprint(-1 if n == 2 else n)\n');
      expect([neg.verdict, neg.score?.score, neg.score?.groups.find((g) => g.name === 'secret/g1')?.verdict]).toEqual(['AC', 3, 'WA']);
    });

    it('score.txt on a rejected case is a judge error', async () => {
      const r = await judge(legacy, 'x.py', 'n = int(input())\nprint("JE" if n == 3 else n)\n');
      expect(r.verdict).toBe('JE');
      expect(r.message).toMatch(/secret\/g2\/a: the validator wrote score.txt on a rejected case/);
    });
  });
});
