import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandbox, type OpenedSandbox } from './index.ts';
import { canSandbox, leftoverCgroups, limits, processesOf, Scratch, TEST_CGROUP_PARENT } from '../../test-utils/sandbox-fixtures.ts';
import type { RunRequest } from './types.ts';
import { testSlot } from '../../test-utils/slots.ts';

const SLOT = testSlot('sandboxInteractive');

/** Guess-the-number interactor (Kattis style): argv input_file answer_file feedback_dir; 42 = AC, 43 = WA. */
const INTERACTOR = `
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  FILE *in = fopen(argv[1], "r"); int secret; if (fscanf(in, "%d", &secret) != 1) return 2;
  char fb[512]; snprintf(fb, sizeof fb, "%s/judgemessage.txt", argv[3]); FILE *msg = fopen(fb, "w");
  for (int q = 0; q < 20; q++) {
    int g; if (scanf("%d", &g) != 1) { fprintf(msg, "no guess\\n"); return 43; }
    if (g == secret) { printf("correct\\n"); fflush(stdout); fprintf(msg, "found in %d\\n", q + 1); return 42; }
    printf(g < secret ? "higher\\n" : "lower\\n"); fflush(stdout);
    if (argc > 4) { fprintf(msg, "strict: wrong guess\\n"); return 43; }
  }
  fprintf(msg, "too many guesses\\n"); return 43;
}`;

const SOLVER = `
#include <stdio.h>
#include <string.h>
int main(void) {
  int lo = 1, hi = 1000; char r[32];
  for (;;) { int m = (lo + hi) / 2; printf("%d\\n", m); fflush(stdout);
    if (scanf("%31s", r) != 1) return 1;
    if (!strcmp(r, "correct")) return 0; if (!strcmp(r, "higher")) lo = m + 1; else hi = m - 1; }
}`;

const NO_FLUSH = `
#include <stdio.h>
int main(void) { printf("500\\n"); char r[32]; scanf("%31s", r); return 0; }`;

const FLOOD = `
#include <stdio.h>
int main(void) { for (;;) printf("1\\n"); }`;

describe.skipIf(!canSandbox)('interactive runs', () => {
  const s = new Scratch();
  let sb: OpenedSandbox;
  const bins: Record<string, string> = {};

  beforeAll(async () => {
    bins.interactor = s.compile('interactor', INTERACTOR);
    bins.solver = s.compile('solver', SOLVER);
    bins.noflush = s.compile('noflush', NO_FLUSH);
    bins.flood = s.compile('flood', FLOOD);
    sb = await openSandbox({ slot: SLOT, cgroupParent: TEST_CGROUP_PARENT });
  });

  afterAll(async () => {
    await sb?.close();
    s.cleanup();
    expect(leftoverCgroups(SLOT)).toEqual([]);
  });

  function interactor(extraArgs: string[] = []): { req: RunRequest; feedback: string } {
    const feedback = s.work();
    const secret = s.file('secret.in', '737\n');
    const req = s.req(bins.interactor!, ['/data/secret.in', '/data/secret.ans', '/feedback', ...extraArgs], {
      binds: [
        { host: bins.interactor!, inside: '/prog/interactor' },
        { host: secret, inside: '/data/secret.in' },
        { host: secret, inside: '/data/secret.ans' },
        { host: feedback, inside: '/feedback', writable: true },
      ],
      limits: limits({ wallTimeMs: 3000 }),
    });
    return { req, feedback };
  }

  it('joins program and interactor with pipes both ways', async () => {
    const it = interactor();
    const r = await sb.runInteractive({ program: s.req(bins.solver!), interactor: it.req });
    expect(r.interactor).toMatchObject({ exitCode: 42, limitHit: null });
    expect(r.program).toMatchObject({ exitCode: 0, limitHit: null });
    expect(readFileSync(path.join(it.feedback, 'judgemessage.txt'), 'utf8')).toMatch(/^found in \d+\n$/);
  });

  it('reports which side ended first when the interactor decides early', async () => {
    const it = interactor(['strict']);
    const r = await sb.runInteractive({ program: s.req(bins.flood!), interactor: it.req });
    expect(r.interactor.exitCode).toBe(43);
    expect(r.firstExited).toBe('interactor');
    // The program dies of SIGPIPE (or is stopped otherwise) once its reader is gone: never a hang.
    expect(r.program.signal).toBe(13);
  });

  it('ends a program that never flushes by the wall limit instead of hanging', async () => {
    const it = interactor();
    const program = s.req(bins.noflush!, [], { limits: limits({ wallTimeMs: 500 }) });
    const r = await sb.runInteractive({ program, interactor: { ...it.req, limits: limits({ wallTimeMs: 800 }) } });
    expect(r.program.limitHit).toBe('wall');
    expect(r.interactor.exitCode).toBe(43);
    expect(r.firstExited).toBe('program');
    expect(processesOf([sb.info.uid, sb.info.interactorUid])).toEqual([]);
  });

  it('survives both sides filling their pipes (wall limit, no deadlock of the judge)', async () => {
    const r = await sb.runInteractive({
      program: s.req(bins.flood!, [], { limits: limits({ wallTimeMs: 400 }) }),
      interactor: s.req('/bin/sh', [], {
        argv: ['/bin/sh', '-c', 'yes flood; sleep 60'],
        binds: [],
        limits: limits({ wallTimeMs: 600 }),
      }),
    });
    expect(r.program.limitHit).toBe('wall');
    expect(['wall', null]).toContain(r.interactor.limitHit);
  });

  // The side that reacts to the other's end is recorded after it (the supervisor holds each side's
  // pipe ends until its end is recorded): a program that crashes the moment the interactor's WA
  // closes its input, and an interactor that rejects the moment the program's exit closes its, are
  // told apart every time, with no margin on the clocks.
  it('orders the two ends causally, 30 times each way', async () => {
    const rejectAfterOne = s.compile('reject1', '#include <stdio.h>\nint main(void){char b[64];if(!fgets(b,sizeof b,stdin))return 43;printf("no\\n");fflush(stdout);return 43;}\n');
    const crashOnEof = s.compile('crasheof', '#include <stdio.h>\n#include <stdlib.h>\nint main(void){printf("1\\n");fflush(stdout);char b[64];while(fgets(b,sizeof b,stdin)){}abort();}\n');
    const readAll = s.compile('readall', '#include <stdio.h>\nint main(void){char b[64];while(fgets(b,sizeof b,stdin)){}return 43;}\n');
    const exitAtOnce = s.compile('exit3', '#include <stdio.h>\nint main(void){printf("1\\n");return 3;}\n');
    const side = (bin: string) => s.req(bin, [], { limits: limits({ wallTimeMs: 3000 }) });
    const seen = { interactorFirst: new Set<string>(), programFirst: new Set<string>() };
    for (let i = 0; i < 30; i++) {
      const a = await sb.runInteractive({ program: side(crashOnEof), interactor: side(rejectAfterOne) });
      seen.interactorFirst.add(`${a.firstExited} ${a.program.signal} ${a.interactor.exitCode}`);
      const b = await sb.runInteractive({ program: side(exitAtOnce), interactor: side(readAll) });
      seen.programFirst.add(`${b.firstExited} ${b.program.exitCode} ${b.interactor.exitCode}`);
    }
    expect([...seen.interactorFirst]).toEqual(['interactor 6 43']);
    expect([...seen.programFirst]).toEqual(['program 3 43']);
  }, 120_000);

  it('runs the interactor with SIGPIPE ignored, the program with it at its default', async () => {
    const out = s.work();
    const mask = "grep SigIgn /proc/self/status >&2";
    const r = await sb.runInteractive({
      program: { ...s.req('/bin/sh'), argv: ['/bin/sh', '-c', mask], binds: [], stderrPath: path.join(out, 'p') },
      interactor: { ...s.req('/bin/sh'), argv: ['/bin/sh', '-c', mask], binds: [], stderrPath: path.join(out, 'i') },
    });
    expect(r.program.exitCode).toBe(0);
    const sigpipeIgnored = (f: string) => (BigInt(`0x${readFileSync(path.join(out, f), 'utf8').split(/\s+/)[1]}`) >> 12n) & 1n;
    expect(sigpipeIgnored('i')).toBe(1n);
    expect(sigpipeIgnored('p')).toBe(0n);
  });

  it('runs the interactor under its own uid', async () => {
    const out = s.work();
    const r = await sb.runInteractive({
      program: { ...s.req('/bin/sh'), argv: ['/bin/sh', '-c', 'id -u >&2'], binds: [], stderrPath: path.join(out, 'p') },
      interactor: { ...s.req('/bin/sh'), argv: ['/bin/sh', '-c', 'id -u >&2'], binds: [], stderrPath: path.join(out, 'i') },
    });
    expect(r.program.exitCode).toBe(0);
    expect(readFileSync(path.join(out, 'p'), 'utf8').trim()).toBe(String(sb.info.uid));
    expect(readFileSync(path.join(out, 'i'), 'utf8').trim()).toBe(String(sb.info.interactorUid));
  });
});
