/**
 * Attacks on /box, the run's working directory: a size- and inode-limited tmpfs of the run's own
 * (docs/sandbox.md, "/box"). Filling it, keeping memory in shared mappings of its files, and trees
 * made to stall or break clean-up. Each test checks the host afterwards, including the disk and
 * inode use of the file system holding the work root.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackLab, isRoot, report, skipReason } from './harness.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';
import { TIME_SCALE } from '../../packages/daemon/test-utils/time-scale.ts';

const lab = new AttackLab(testSlot('attackBox'));

function usage(dir: string): { freeKiB: number; freeInodes: number } {
  const s = fs.statfsSync(dir);
  return { freeKiB: (s.bavail * s.bsize) / 1024, freeInodes: s.ffree };
}

describe.skipIf(!isRoot)('attack: /box', () => {
  beforeAll(() => lab.open());
  afterAll(async () => {
    expect(await lab.close(), "the slot's cgroups and stray files of its uids after close()").toEqual([]);
  });

  it('filling /box with files and bytes ends in ENOSPC at its limits; the work root\'s disk and inodes do not move', async () => {
    const before = usage(lab.root);
    const box = { sizeKiB: 192 * 1024, inodes: 16384 };
    // outputKiB caps every file (RLIMIT_FSIZE): above the box here, so /box's own size is what stops
    // it; the memory limit is above the box too (its pages are the run's memory).
    const { result, stdout, workDir } = await lab.run('box_fill.c', { box, limits: { outputKiB: 1024 * 1024, memoryKiB: 512 * 1024 } });
    const after = usage(lab.root);
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    const [files, filesErr] = (report(stdout).get('files') ?? '').split(' ');
    const [bytes, bytesErr] = (report(stdout).get('bytes') ?? '').split(' ');
    expect(filesErr, stdout).toBe('ENOSPC');
    expect(Number(files)).toBeLessThan(box.inodes);
    expect(Number(files)).toBeGreaterThan(box.inodes - 64);
    expect(bytesErr, stdout).toBe('ENOSPC');
    expect(Number(bytes)).toBeLessThanOrEqual(box.sizeKiB * 1024);
    expect(Number(bytes)).toBeGreaterThan((box.sizeKiB - 2048) * 1024);
    expect(result.notes?.join(' '), 'the jury sees why').toMatch(/\/box is full/);
    // The host side: the work dir holds only the attacker, and the file system holding the work root
    // lost less than half of what the run wrote (other processes of a shared machine write too: up
    // to 22 MiB in this second during a full test run).
    expect(fs.readdirSync(workDir)).toEqual(['box_fill']);
    expect(before.freeKiB - after.freeKiB, 'KiB of host disk used by the run').toBeLessThan(box.sizeKiB / 2);
    expect(before.freeInodes - after.freeInodes, 'host inodes used by the run').toBeLessThan(box.inodes / 2);
    await lab.expectHostIntact();
  });

  for (const [what, box] of [
    ['a /box smaller than the table (SIGBUS/ENOSPC)', undefined],
    ['a /box larger than the memory limit (the memory limit)', { sizeKiB: 512 * 1024 }],
  ] as const) {
    it(`a 256 MiB table in a shared mapping of a /box file under a 64 MiB limit does not pass: ${what}`, async () => {
      const { result, stdout } = await lab.run('box_mmap.c', {
        args: ['256'],
        limits: { memoryKiB: 64 * 1024, cpuTimeMs: 5000, outputKiB: 1024 * 1024 },
        ...(box ? { box } : {}),
      });
      expect(stdout, JSON.stringify(result)).not.toContain('ok');
      expect(result.exitCode === 0 && result.limitHit === null, JSON.stringify(result)).toBe(false);
      if (box) expect(result.limitHit, JSON.stringify(result)).toBe('memory');
      expect(result.memoryKiB).toBeLessThanOrEqual(64 * 1024 + 1024);
      await lab.expectHostIntact();
    });
  }

  it('a run that makes 200,000 files and a tree deeper than PATH_MAX still answers 42, cleans up without stalling the event loop (< 50 ms) and leaves nothing', async () => {
    const { result, stdout, stderr, workDir } = await lab.run('box_tree.py', {
      args: ['200000', '1500'],
      limits: { cpuTimeMs: 30_000, wallTimeMs: 90_000, memoryKiB: 1024 * 1024 },
      box: { sizeKiB: 512 * 1024, inodes: 250_000 },
    });
    // The clean-up window: from the answer, through one more run of the slot (which needs the
    // previous run's clean-up out of the way), plus a little. (While the tree is being made, the
    // event loop has nothing to do; delays then are the machine's load, not the judge's work.)
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const next = await lab.run('identity.c');
    await new Promise((r) => setTimeout(r, 200));
    lag.disable();
    expect(result, stderr).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    expect(stdout.trim()).toBe('42');
    expect(stderr).toMatch(/made 200000 files, 1500 levels/);
    expect(next.result.exitCode).toBe(0);
    // The bound scales with the emulated CPU (TCG guest: 10x, 500 ms): a clean-up on the event loop
    // (rmSync of 200,000 files) stalls it for seconds even on a host, so the attack still shows.
    expect(lag.max / 1e6, 'worst event-loop delay while the run was cleaned up, ms').toBeLessThan(50 * TIME_SCALE);
    expect(fs.readdirSync(workDir)).toEqual(['box_tree.py']);
    await lab.expectHostIntact();
  });
});

// Only without root: as root nothing may skip (the cgroup v2 guest run checks that).
if (!isRoot) {
  describe('attack: /box', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
