/**
 * Attacks on the kernel beyond the namespaces: the system-call filter (seccomp) and kernel state a
 * run could leave for a later run of the same slot (keyrings, abstract unix sockets, SysV and POSIX
 * IPC). Each test asserts what the attacker could do and that the host is intact afterwards.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackLab, isRoot, keyUsers, newToken, report, skipReason } from './harness.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const lab = new AttackLab(testSlot('attackKernel'));

/** Lines "deny ...: X" whose X is not the expected refusal, and "allow ...: X" that did not work. */
function filterBreaches(stdout: string): string[] {
  const bad: string[] = [];
  for (const [what, outcome] of report(stdout)) {
    if (what.startsWith('deny socket')) { if (outcome !== 'EAFNOSUPPORT') bad.push(`${what}: ${outcome}`); }
    else if (what.startsWith('deny ')) { if (outcome !== 'EPERM') bad.push(`${what}: ${outcome}`); }
    else if (what.startsWith('allow ') && outcome !== 'ok') bad.push(`${what}: ${outcome}`);
  }
  return bad;
}


describe.skipIf(!isRoot)('attack: kernel', () => {
  beforeAll(() => lab.open());
  afterAll(async () => {
    expect(await lab.close(), "the slot's cgroups and stray files of its uids after close()").toEqual([]);
  });

  for (const source of ['syscalls.c', 'syscalls.cpp', 'syscalls.py']) {
    it(`${source}: namespaces, mounts, keyrings, bpf, perf, userfaultfd, io_uring, ptrace, odd socket families are refused; fork, threads, inet sockets work`, async () => {
      const { result, stdout } = await lab.run(source);
      expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
      expect(stdout).toContain('deny unshare user: ');
      expect(stdout).toContain('allow ');
      expect(filterBreaches(stdout), stdout).toEqual([]);
      expect(keyUsers(lab.allSandboxUids()), 'a keyring of the slot uid in the kernel').toEqual([]);
      await lab.expectHostIntact();
    });
  }

  it('a 32-bit system call (int 0x80, past the filter\'s rules) kills the program with SIGSYS and says why', async () => {
    const { result, stdout } = await lab.run('syscalls.c', { args: ['int80'] });
    expect(stdout).not.toContain('int80: returned');
    expect(result).toMatchObject({ exitCode: null, signal: 31 });
    expect(result.notes?.join(' ')).toMatch(/system-call filter/);
    await lab.expectHostIntact();
  });

  it('an abstract socket, SysV and POSIX IPC and keys planted in one run are invisible to the next run of the slot', async () => {
    const token = newToken();
    const plant = await lab.run('kernel_plant.c', { args: [token] });
    expect(plant.result.exitCode, plant.stdout).toBe(0);
    // The planting must have worked where the kernel lets it, or the test proves nothing.
    for (const what of ['abstract socket', 'abstract socket kept in flight', 'sysv shm', 'sysv msg', 'sysv sem', 'posix mq'])
      expect(report(plant.stdout).get(what), plant.stdout).toBe('ok');
    expect(report(plant.stdout).get('user keyring key'), plant.stdout).toBe('EPERM');
    await lab.expectHostIntact(token);
    // The slot's own network namespace (the supervisor's) holds no socket of the run either.
    const slotSockets = fs.readFileSync(`/proc/${lab.requireSandbox().supervisorPid}/net/unix`, 'utf8');
    expect(slotSockets.includes(token), 'abstract socket left in the slot\'s network namespace').toBe(false);
    const seek = await lab.run('kernel_seek.c', { args: [token] });
    expect(seek.result.exitCode, seek.stdout).toBe(0);
    expect(seek.stdout).toContain('abstract socket: ');
    expect(seek.stdout.split('\n').filter((l) => l.endsWith(': visible')), seek.stdout).toEqual([]);
    expect(keyUsers(lab.allSandboxUids()), 'a keyring of the slot uid in the kernel').toEqual([]);
    await lab.expectHostIntact(token);
  });
});

// Only without root: as root nothing may skip (the cgroup v2 guest run checks that).
if (!isRoot) {
  describe('attack: kernel', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
