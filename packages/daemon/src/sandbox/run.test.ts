import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandbox, SandboxError, type OpenedSandbox } from './index.ts';
import { canSandbox, leftoverCgroups, limits, processesOf, Scratch, TEST_CGROUP_PARENT } from '../../test-utils/sandbox-fixtures.ts';
import { testSlot } from '../../test-utils/slots.ts';
import { TIME_SCALE } from '../../test-utils/time-scale.ts';

const SLOT = testSlot('sandboxRun');

describe.skipIf(!canSandbox)('sandbox run: exit status, limits, accounting', () => {
  const s = new Scratch();
  let sb: OpenedSandbox;
  let bins: Record<string, string>;

  beforeAll(async () => {
    bins = {
      hello: s.compile('hello', '#include <stdio.h>\nint main(){puts("hello");return 0;}'),
      exit7: s.compile('exit7', 'int main(){return 7;}'),
      segv: s.compile('segv', 'int main(){volatile int *p=0; *p=1; return 0;}'),
      abort: s.compile('abrt', '#include <stdlib.h>\nint main(){abort();}'),
      busy: s.compile(
        'busy',
        `#include <time.h>
         int main(int c, char **v){ struct timespec t; double lim = 1.0;
           for(;;){ clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t); if(t.tv_sec+t.tv_nsec/1e9>=lim) return 0; } }`,
      ),
      spin: s.compile('spin', 'int main(){for(;;){} }'),
      threads: s.compile(
        'threads',
        `#include <pthread.h>
         #include <time.h>
         static void *burn(void *a){ struct timespec t; for(;;){ clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);
           if(t.tv_sec+t.tv_nsec/1e9>=0.4) return a; } }
         int main(){ pthread_t th[2]; for(int i=0;i<2;i++) pthread_create(&th[i],0,burn,0);
           for(int i=0;i<2;i++) pthread_join(th[i],0); return 0; }`,
        ['-pthread'],
      ),
      sleep: s.compile('sleeper', '#include <unistd.h>\nint main(){sleep(30);return 0;}'),
      hog: s.compile(
        'hog',
        `#include <stdlib.h>
         #include <string.h>
         int main(){ for(int i=0;i<1024;i++){ char *p=malloc(1<<20); if(!p) return 3; memset(p,1,1<<20);} return 0; }`,
      ),
      alloc20: s.compile(
        'alloc20',
        `#include <stdlib.h>
         #include <string.h>
         int main(){ volatile char *p=malloc(20<<20); for(int i=0;i<(20<<20);i+=4096) p[i]=1; return p[4096]==1?0:1; }`,
      ),
      forker: s.compile(
        'forker',
        `#include <unistd.h>
         #include <stdio.h>
         int main(){ int ok=0; for(int i=0;i<50;i++){ pid_t p=fork(); if(p==0){ sleep(5); _exit(0);} if(p>0) ok++; }
           printf("%d\\n", ok); return 0; }`,
      ),
      spew: s.compile('spew', '#include <stdio.h>\nint main(){for(;;) fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\n", stdout);}'),
      exact: s.compile(
        'exact64k',
        '#include <stdio.h>\nint main(){for(int i=0;i<65536;i++) putchar(120); return 0;}',
      ),
      echo: s.compile(
        'echoin',
        '#include <stdio.h>\nint main(){char b[256]; while(fgets(b,sizeof b,stdin)) fputs(b,stdout); return 0;}',
      ),
    };
    sb = await openSandbox({ slot: SLOT, cgroupParent: TEST_CGROUP_PARENT });
  });

  afterAll(async () => {
    await sb?.close();
    s.cleanup();
    expect(leftoverCgroups(SLOT)).toEqual([]);
  });

  it('runs hello world and captures stdout', async () => {
    const req = s.req(bins.hello!);
    const r = await sb.run(req);
    expect(r).toMatchObject({ exitCode: 0, signal: null, limitHit: null, outputBytes: 6 });
    expect(readFileSync(req.stdoutPath!, 'utf8')).toBe('hello\n');
    expect(r.memoryKiB).toBeGreaterThan(0);
  });

  it('reports exit codes and signals', async () => {
    expect(await sb.run(s.req(bins.exit7!))).toMatchObject({ exitCode: 7, signal: null, limitHit: null });
    expect(await sb.run(s.req(bins.segv!))).toMatchObject({ exitCode: null, signal: 11, limitHit: null });
    expect(await sb.run(s.req(bins.abort!))).toMatchObject({ exitCode: null, signal: 6, limitHit: null });
  });

  it('feeds stdin from a file', async () => {
    const req = s.req(bins.echo!, [], { stdinPath: s.file('in.txt', 'a\nbb\n') });
    const r = await sb.run(req);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(req.stdoutPath!, 'utf8')).toBe('a\nbb\n');
  });

  it('measures CPU time of a 1.00 s busy loop within 3%', async () => {
    const r = await sb.run(s.req(bins.busy!, [], { limits: limits({ cpuTimeMs: 3000, wallTimeMs: 6000 }) }));
    expect(r.exitCode).toBe(0);
    expect(r.cpuTimeMs).toBeGreaterThan(970);
    // The slack is the program's start and exit, which a slow (emulated) CPU makes longer.
    expect(r.cpuTimeMs).toBeLessThan(1000 + 30 * TIME_SCALE);
  });

  it('sums CPU time over threads', async () => {
    const r = await sb.run(s.req(bins.threads!, [], { limits: limits({ cpuTimeMs: 3000, wallTimeMs: 6000 }) }));
    expect(r.exitCode).toBe(0);
    expect(r.cpuTimeMs).toBeGreaterThan(790);
    expect(r.cpuTimeMs).toBeLessThan(800 + 50 * TIME_SCALE);
  });

  it('kills on the CPU limit promptly', async () => {
    const r = await sb.run(s.req(bins.spin!, [], { limits: limits({ cpuTimeMs: 300, wallTimeMs: 5000 }) }));
    expect(r).toMatchObject({ limitHit: 'time', signal: 9, exitCode: null });
    expect(r.cpuTimeMs).toBeGreaterThanOrEqual(300);
    expect(r.cpuTimeMs).toBeLessThan(450);
  });

  it('catches a sleeping program by the wall limit, not the CPU limit', async () => {
    const r = await sb.run(s.req(bins.sleep!, [], { limits: limits({ cpuTimeMs: 200 * TIME_SCALE, wallTimeMs: 400 }) }));
    expect(r.limitHit).toBe('wall');
    expect(r.cpuTimeMs).toBeLessThan(100 * TIME_SCALE);
    expect(r.wallTimeMs).toBeGreaterThanOrEqual(400);
  });

  it('detects the memory limit and reports the peak', async () => {
    const r = await sb.run(s.req(bins.hog!, [], { limits: limits({ memoryKiB: 32 * 1024 }) }));
    expect(r.limitHit).toBe('memory');
    expect(r.signal).toBe(9);
    expect(r.memoryKiB).toBeGreaterThan(30 * 1024);
    expect(r.memoryKiB).toBeLessThanOrEqual(32 * 1024);
    const ok = await sb.run(s.req(bins.alloc20!, [], { limits: limits({ memoryKiB: 64 * 1024 }) }));
    expect(ok).toMatchObject({ exitCode: 0, limitHit: null });
    expect(ok.memoryKiB).toBeGreaterThan(20 * 1024);
    expect(ok.memoryKiB).toBeLessThan(30 * 1024);
  });

  it('limits processes', async () => {
    const req = s.req(bins.forker!, [], { limits: limits({ processes: 5 }) });
    const r = await sb.run(req);
    expect(r.limitHit).toBe('processes');
    expect(Number(readFileSync(req.stdoutPath!, 'utf8'))).toBe(4);
  });

  it('caps output and cuts the file at the cap', async () => {
    const req = s.req(bins.spew!, [], { limits: limits({ outputKiB: 64 }) });
    const r = await sb.run(req);
    expect(r.limitHit).toBe('output');
    expect(r.outputBytes).toBe(64 * 1024 + 1);
    expect(readFileSync(req.stdoutPath!).length).toBe(64 * 1024);
  });

  it('accepts output of exactly the cap', async () => {
    const req = s.req(bins.exact!, [], { limits: limits({ outputKiB: 64 }) });
    const r = await sb.run(req);
    expect(r).toMatchObject({ exitCode: 0, limitHit: null, outputBytes: 65536 });
  });

  it('starts every run in a fresh cgroup (no CPU time carried over)', async () => {
    // Carried over, the spin's CPU would be 6x the threshold at any TIME_SCALE.
    await sb.run(s.req(bins.spin!, [], { limits: limits({ cpuTimeMs: 300 * TIME_SCALE }) }));
    const r = await sb.run(s.req(bins.hello!));
    expect(r.cpuTimeMs).toBeLessThan(50 * TIME_SCALE);
    expect(r.limitHit).toBeNull();
  });

  it('leaves no process behind, not even a daemonised one', async () => {
    const r = await sb.run(
      s.req('/bin/sh', ['-c', 'setsid sleep 100 & (sleep 100 &) ; exit 0'], { argv: ['/bin/sh', '-c', 'setsid sleep 100 & (sleep 100 &); exit 0'], binds: [] }),
    );
    expect(r.exitCode).toBe(0);
    expect(processesOf([sb.info.uid, sb.info.interactorUid])).toEqual([]);
  });

  it('fails with SandboxError(exec) for a missing program, and keeps working', async () => {
    const err = await sb.run({ ...s.req(bins.hello!), argv: ['/nonexistent'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxError);
    expect((err as SandboxError).kind).toBe('exec');
    expect((await sb.run(s.req(bins.hello!))).exitCode).toBe(0);
  });

  it('rejects an invalid request naming the field', async () => {
    const err = await sb.run({ ...s.req(bins.hello!), workDir: 'relative' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxError);
    expect((err as Error).message).toContain('run.workDir');
    const bindErr = await sb
      .run({ ...s.req(bins.hello!), binds: [{ host: bins.hello!, inside: '/proc/x' }] })
      .catch((e: unknown) => e);
    expect(bindErr).toBeInstanceOf(SandboxError);
    expect((bindErr as SandboxError).kind).toBe('request');
    expect((bindErr as Error).message).toContain("/proc is the sandbox's own");
    expect((await sb.run(s.req(bins.hello!))).exitCode).toBe(0);
  });
});
