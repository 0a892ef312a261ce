/**
 * Multi-pass judging: the pass rules on their own (decideAfterPass), then real packages in the
 * sandbox: the feedback directory kept across passes, nextpass.in as the next input, a program that
 * is right in pass 1 only, too many passes and nextpass.in with a rejection (JE), interactive
 * multi-pass, and validators written as shell scripts. Slot: testSlot('judgingMultiPass').
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
import { JudgeEngine } from './engine.ts';
import { decideAfterPass } from './multi-pass.ts';

describe('decideAfterPass', () => {
  const ac = { verdict: 'AC' as const, reason: '', validator: 'accepted' as const };
  it('goes on only after an accepting pass that wrote nextpass.in, within validation_passes', () => {
    expect(decideAfterPass(ac, true, 1, 2)).toEqual({ next: true });
    expect(decideAfterPass(ac, false, 1, 2)).toEqual({ next: false, verdict: 'AC', reason: '' });
    expect(decideAfterPass(ac, true, 2, 2)).toMatchObject({ next: false, verdict: 'JE', reason: expect.stringMatching(/validation_passes is 2/) });
  });
  it('nextpass.in with any exit but 42 is a judge error; a rejection or a failed run ends the case', () => {
    expect(decideAfterPass({ verdict: 'WA', reason: 'x', validator: 'rejected' }, true, 1, 3)).toMatchObject({ verdict: 'JE', reason: expect.stringMatching(/did not exit 42/) });
    expect(decideAfterPass({ verdict: 'JE', reason: 'exit 1', validator: 'failed' }, true, 1, 3)).toMatchObject({ verdict: 'JE' });
    expect(decideAfterPass({ verdict: 'WA', reason: 'wrong', validator: 'rejected' }, false, 2, 3)).toEqual({ next: false, verdict: 'WA', reason: 'pass 2: wrong' });
    expect(decideAfterPass({ verdict: 'TLE', reason: 'slow', validator: 'not-run' }, false, 1, 3)).toEqual({ next: false, verdict: 'TLE', reason: 'pass 1: slow' });
  });
});

const canSandbox = process.getuid?.() === 0 && fs.existsSync(DEFAULT_SUPERVISOR);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-multipass-test-'));
const langs = loadLanguages();

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Counts passes: input "k", the program must print k+1; the validator asks for `want` passes in all. */
function countingPackage(name: string, type: string, validator: Record<string, string>, passes = 3): ProblemPackage {
  const dir = path.join(root, name);
  write(path.join(dir, 'problem.yaml'), `problem_format_version: 2025-09\nname: ${name}\ntype: ${type}\nlimits:\n  time_limit: 1\n  memory: 64\n  validation_passes: ${passes}\n`);
  write(path.join(dir, 'data/secret/1.in'), '1\n');
  write(path.join(dir, 'data/secret/1.ans'), '3\n');
  for (const [f, text] of Object.entries(validator)) write(path.join(dir, 'output_validator', f), text);
  const load = loadProblemPackage(dir, { label: 'A', ordinal: 0, baseDir: root });
  if (!load.problem) throw new Error(JSON.stringify(load.errors));
  return load.problem;
}

// Batch: reads k from the input file, checks the team printed k+1, appends to a log kept in the
// feedback dir, and asks for the next pass until the answer file's number of passes ran.
const BATCH_VALIDATOR = `
in=$1; ans=$2; fb=$3
k=$(cat "$in"); want=$(cat "$ans"); got=$(cat)
echo "pass $k" >> "\${fb}log.txt"
[ "$got" = "$((k + 1))" ] || { echo "pass $k: expected $((k + 1)), got $got" >> "\${fb}judgemessage.txt"; echo "wrong in pass $k" > "\${fb}teammessage.txt"; exit 43; }
passes=$(wc -l < "\${fb}log.txt")
[ "$passes" -eq "$k" ] || { echo "feedback dir lost: $passes lines after pass $k" >> "\${fb}judgemessage.txt"; exit 1; }
if [ "$k" -lt "$want" ]; then echo "$((k + 1))" > "\${fb}nextpass.in"; fi
exit 42
`;

describe.skipIf(!canSandbox)('multi-pass judging in the sandbox', () => {
  let engine: JudgeEngine;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await openSandbox({ slot: testSlot('judgingMultiPass'), cgroupParent: 'judged-test-multipass' });
    engine = new JudgeEngine({ languages: langs, workRoot: path.join(root, 'work') });
  }, 60_000);
  afterAll(async () => {
    engine?.close();
    await sb?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const judge = (p: ProblemPackage, file: string, src: string) =>
    engine.judge({ problem: p, language: langs.find((l) => l.id === (file.endsWith('.py') ? 'python3' : 'c'))!, files: [{ name: file, content: src }], sandboxes: [sb] });

  const INC = 'print(int(input()) + 1)\n';
  it('runs every pass with nextpass.in as the input, keeps the feedback dir, and accepts', async () => {
    const p = countingPackage('count', 'multi-pass', { 'validate.sh': BATCH_VALIDATOR });
    expect(p.outputValidator).toMatchObject({ kind: 'sh', entry: 'validate.sh' });
    const r = await judge(p, 'inc.py', INC);
    expect(r.verdict).toBe('AC');
    expect(r.tests[0]).toMatchObject({ verdict: 'AC', passes: 3 });
  });

  it('a program right in pass 1 only is WA in pass 2, with the judge and team messages', async () => {
    const p = countingPackage('count2', 'multi-pass', { 'validate.sh': BATCH_VALIDATOR });
    const r = await judge(p, 'once.py', 'k = int(input())\nprint(2 if k == 1 else 0)\n');
    expect(r.verdict).toBe('WA');
    expect(r.tests[0]).toMatchObject({ passes: 2, message: expect.stringMatching(/^pass 2/), judgeMessage: 'pass 2: expected 3, got 0', teamMessage: 'wrong in pass 2' });
  });

  it('a crash or a time-out in a later pass is that verdict', async () => {
    const p = countingPackage('count3', 'multi-pass', { 'validate.sh': BATCH_VALIDATOR });
    expect((await judge(p, 'crash.py', 'k = int(input())\nassert k < 2\nprint(k + 1)\n')).verdict).toBe('RTE');
    const t = await judge(p, 'spin.c', '#include <stdio.h>\nint main(void){int k;scanf("%d",&k);if(k==3)for(volatile int i=0;;i++);printf("%d\\n",k+1);return 0;}\n');
    expect(t.verdict).toBe('TLE');
    expect(t.tests[0]).toMatchObject({ passes: 3 });
  });

  it('asking for more passes than validation_passes, or nextpass.in with a rejection, is JE', async () => {
    const more = countingPackage('toomany', 'multi-pass', { 'validate.sh': BATCH_VALIDATOR }, 2);
    const r = await judge(more, 'inc.py', INC);
    expect(r.verdict).toBe('JE');
    expect(r.message).toMatch(/validation_passes is 2/);
    const bad = countingPackage('badnext', 'multi-pass', { 'validate.sh': 'echo 2 > "${3}nextpass.in"\nexit 43\n' });
    const b = await judge(bad, 'inc.py', INC);
    expect(b.verdict).toBe('JE');
    expect(b.message).toMatch(/nextpass\.in but did not exit 42/);
  });

  it('interactive multi-pass: the interactor runs each pass with that pass input', async () => {
    // The interactor sends k, expects k+1 back, and asks for passes until the answer's count.
    const interactor = 'import sys\nk = int(open(sys.argv[1]).read())\nwant = int(open(sys.argv[2]).read())\nprint(k, flush=True)\ngot = sys.stdin.readline().strip()\nif got != str(k + 1):\n    sys.exit(43)\nif k < want:\n    open(sys.argv[3] + "nextpass.in", "w").write(f"{k + 1}\\n")\nsys.exit(42)\n';
    const p = countingPackage('interpass', '[interactive, multi-pass]', { 'interactor.py': interactor });
    expect(p.type).toMatchObject({ interactive: true, multiPass: true });
    const r = await judge(p, 'inc.py', INC);
    expect(r.verdict).toBe('AC');
    expect(r.tests[0]).toMatchObject({ passes: 3 });
    const w = await judge(p, 'once.py', 'k = int(input())\nprint(2 if k == 1 else 0, flush=True)\n');
    expect(w.verdict).toBe('WA');
    expect(w.tests[0]).toMatchObject({ passes: 2 });
  });
});
