/**
 * Attacks on the sandbox's limits: processes, threads, memory, stack, CPU, wall clock, output.
 * Each test asserts the outcome the sandbox reports and that the host is intact afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackLab, isRoot, LIMITS, report, skipReason } from './harness.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

// Slots differ between attack files: vitest runs files in parallel.
const lab = new AttackLab(testSlot('attackResources'));
const MiB = 1024;

describe.skipIf(!isRoot)('attack: resource limits', () => {
  beforeAll(() => lab.open());
  afterAll(async () => {
    expect(await lab.close(), "the slot's cgroups and stray files of its uids after close()").toEqual([]);
  });

  // A fork refused by the pids limit has already allocated a kernel stack and task struct, charged to
  // the run; their frees are deferred, so on a loaded host the refused forks can reach the memory
  // limit before the CPU limit. Either way the bomb is held and ended (seen once in CI, load unknown).
  const BOMB_ENDS = ['processes', 'time', 'wall', 'memory'];

  it('fork bomb (C) is held by the process limit and ended by the CPU, wall or memory limit', async () => {
    const { result } = await lab.run('fork_bomb.c');
    expect(BOMB_ENDS, JSON.stringify(result)).toContain(result.limitHit);
    expect(result.exitCode).not.toBe(0);
    await lab.expectHostIntact();
  });

  it('fork bomb (Python) is held and ended the same way', async () => {
    const { result } = await lab.run('fork_bomb.py');
    expect(BOMB_ENDS, JSON.stringify(result)).toContain(result.limitHit);
    await lab.expectHostIntact();
  });

  it('forking until fork() fails gets fewer processes than the limit, and the children die with the run', async () => {
    const { result, stdout } = await lab.run('fork_count.c', { limits: { processes: 32 } });
    const forked = Number(report(stdout).get('forked'));
    expect(forked, stdout).toBeGreaterThan(0);
    expect(forked).toBeLessThan(32);
    expect(result.exitCode).toBe(0);
    await lab.expectHostIntact();
  });

  it('thread bomb (C, pthreads) counts threads against the process limit', async () => {
    const { stdout } = await lab.run('thread_bomb.c', { limits: { processes: 32 } });
    const threads = Number(report(stdout).get('threads'));
    expect(threads, stdout).toBeGreaterThan(0);
    expect(threads).toBeLessThan(32);
    await lab.expectHostIntact();
  });

  it('thread bomb (C++, std::thread) counts threads against the process limit', async () => {
    const { stdout } = await lab.run('thread_bomb.cpp', { limits: { processes: 32 } });
    const threads = Number(report(stdout).get('threads'));
    expect(threads, stdout).toBeGreaterThan(0);
    expect(threads).toBeLessThan(32);
    await lab.expectHostIntact();
  });

  for (const source of ['memory_malloc.c', 'memory_mmap.c', 'memory_vector.cpp', 'memory_bomb.py']) {
    it(`memory bomb ${source} ends as a memory limit hit with the peak near the limit`, async () => {
      const limit = 96 * MiB;
      const { result } = await lab.run(source, { limits: { memoryKiB: limit, cpuTimeMs: 3000 } });
      expect(result.limitHit).toBe('memory');
      expect(result.exitCode).not.toBe(0);
      expect(result.memoryKiB).toBeGreaterThan(limit * 0.75);
      expect(result.memoryKiB).toBeLessThanOrEqual(limit * 1.05);
      await lab.expectHostIntact();
    });
  }

  for (const source of ['stack_overflow.c', 'stack_overflow.cpp']) {
    it(`unbounded recursion ${source} dies of SIGSEGV or the memory limit`, async () => {
      const { result } = await lab.run(source, { limits: { cpuTimeMs: 3000 } });
      expect(result.exitCode).toBeNull();
      expect(result.signal === 11 || result.limitHit === 'memory', JSON.stringify(result)).toBe(true);
      await lab.expectHostIntact();
    });
  }

  it('deep but finite recursion (48 MiB of stack) succeeds: the stack limit defaults to the memory limit', async () => {
    const { result, stdout } = await lab.run('stack_deep.c', { args: ['48'] });
    expect(result, stdout).toMatchObject({ exitCode: 0, limitHit: null });
    expect(stdout).toContain('depth ok');
    await lab.expectHostIntact();
  });

  it('an infinite loop ends as a CPU time limit hit after about the limit', async () => {
    const { result } = await lab.run('infinite_loop.c');
    expect(result.limitHit).toBe('time');
    expect(result.cpuTimeMs).toBeGreaterThanOrEqual(LIMITS.cpuTimeMs * 0.95);
    expect(result.exitCode).toBeNull();
    await lab.expectHostIntact();
  });

  it('CPU burnt by four threads at once is summed: a CPU time limit hit in less wall time than CPU time', async () => {
    const { result } = await lab.run('cpu_threads.c');
    expect(result.limitHit).toBe('time');
    expect(result.cpuTimeMs).toBeGreaterThanOrEqual(LIMITS.cpuTimeMs * 0.95);
    await lab.expectHostIntact();
  });

  it('memory taken by several child processes is summed over the run: a memory limit hit', async () => {
    const { result } = await lab.run('memory_children.c', { limits: { memoryKiB: 128 * MiB } });
    expect(result.limitHit).toBe('memory');
    expect(result.exitCode).toBe(1); // the parent saw a child killed
    await lab.expectHostIntact();
  });

  it('CPU spent in many short-lived children is summed: a CPU time limit hit', async () => {
    const { result } = await lab.run('fork_churn.c');
    expect(result.limitHit).toBe('time');
    expect(result.cpuTimeMs).toBeGreaterThanOrEqual(LIMITS.cpuTimeMs * 0.95);
    await lab.expectHostIntact();
  });

  it('a program that stops itself (SIGSTOP) ends at the wall limit instead of hanging the slot', async () => {
    const { result } = await lab.run('self_stop.c', { limits: { wallTimeMs: 1000 } });
    expect(result.limitHit).toBe('wall');
    expect(result.exitCode).toBeNull();
    await lab.expectHostIntact();
  });

  it('sleeping for ever ends as a wall-clock limit hit, using almost no CPU', async () => {
    const { result } = await lab.run('sleep_forever.c', { limits: { wallTimeMs: 1500 } });
    expect(result.limitHit).toBe('wall');
    expect(result.wallTimeMs).toBeGreaterThanOrEqual(1500);
    expect(result.cpuTimeMs).toBeLessThan(500);
    await lab.expectHostIntact();
  });

  it('flooding stdout ends as an output limit hit and the captured stdout is capped', async () => {
    const outputKiB = 256;
    const { result, stdoutPath } = await lab.run('flood_stdout.c', { limits: { outputKiB } });
    expect(result.limitHit).toBe('output');
    expect(result.outputBytes).toBeGreaterThanOrEqual(outputKiB * 1024);
    expect(fs.statSync(stdoutPath).size).toBeLessThanOrEqual(outputKiB * 1024);
    await lab.expectHostIntact();
  });

  it('flooding stderr is capped like any file', async () => {
    const outputKiB = 256;
    const outDir = fs.mkdtempSync(path.join(lab.root, 'stderr-'));
    const stderrPath = path.join(outDir, 'stderr');
    const { result } = await lab.run('flood_stderr.c', { limits: { outputKiB }, stderrPath });
    expect(fs.statSync(stderrPath).size).toBeLessThanOrEqual(outputKiB * 1024 + 1);
    expect(result.signal === 25 || result.limitHit === 'output', JSON.stringify(result)).toBe(true);
    await lab.expectHostIntact();
  });

  it('filling /tmp stops at its size (a tmpfs counted as the run\'s memory), nothing reaches the host', async () => {
    const { result, stdout } = await lab.run('fill_dir.c', { args: ['/tmp'] });
    const bytes = Number([...stdout.matchAll(/^bytes: (\d+)$/gm)].at(-1)?.[1]);
    expect(bytes, stdout).toBeGreaterThan(0);
    // Bounded by the tmpfs size or the memory limit, whichever comes first.
    expect(bytes).toBeLessThanOrEqual(LIMITS.memoryKiB * 1024);
    expect(result.limitHit === null ? report(stdout).get('stopped') : result.limitHit, stdout).toMatch(/ENOSPC|memory/);
    await lab.expectHostIntact();
  });

  // A WEAKNESS, not a bug of the contract (docs/attack.md): the work dir is a bind of a host
  // directory with no quota, so only the CPU/wall limit bounds what a run writes there. This test
  // pins the current behaviour: the run is ended by a limit and the judge can remove what it wrote.
  it('filling /box with 64 KiB files stops at its size (the run\'s own tmpfs), nothing reaches the work dir', async () => {
    const { result, stdout, workDir } = await lab.run('fill_dir.c', { args: ['/box'] });
    expect(result, stdout.slice(-300)).toMatchObject({ exitCode: 0, limitHit: null });
    expect(stdout).toMatch(/stopped: (ENOSPC|short write)/);
    expect(result.notes?.join(' ')).toMatch(/\/box is full/);
    // Half the 128 MiB memory limit by default.
    const got = Number([...stdout.matchAll(/^bytes: (\d+)$/gm)].at(-1)?.[1] ?? NaN);
    expect(got).toBeLessThanOrEqual(64 * 2 ** 20);
    expect(fs.readdirSync(workDir).filter((f) => f.startsWith('fill-'))).toEqual([]);
    await lab.expectHostIntact();
  });

  it('flooding a file in the work dir is stopped at the output limit (RLIMIT_FSIZE)', async () => {
    const outputKiB = 256;
    const { result, workDir } = await lab.run('flood_file.c', { limits: { outputKiB }, copyOut: ['flood.txt'] });
    const size = fs.statSync(path.join(workDir, 'flood.txt')).size;
    // The supervisor sets RLIMIT_FSIZE to the cap + 1 byte, so "more than the cap" is visible.
    expect(size).toBeLessThanOrEqual(outputKiB * 1024 + 1);
    expect(result.signal === 25 || result.limitHit === 'output', JSON.stringify(result)).toBe(true);
    await lab.expectHostIntact();
  });
});

if (!isRoot) {
  describe('attack: resource limits', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
