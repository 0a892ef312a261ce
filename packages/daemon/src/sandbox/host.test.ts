import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeHost } from './host.ts';
import { DEFAULT_SUPERVISOR, openSandbox, SandboxError } from './index.ts';
import { canSandbox, leftoverCgroups, limits, Scratch, TEST_CGROUP_PARENT } from '../../test-utils/sandbox-fixtures.ts';
import { testSlot } from '../../test-utils/slots.ts';

const SLOT = testSlot('sandboxHost');

async function openError(p: Promise<unknown>): Promise<SandboxError> {
  const e = await p.then(
    () => {
      throw new Error('expected a SandboxError');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SandboxError);
  return e as SandboxError;
}

describe.skipIf(!canSandbox)('host probe and refusals', () => {
  const s = new Scratch();
  afterAll(() => s.cleanup());

  it('probes every namespace, cgroup controller, no_new_privs and the binary', async () => {
    const checks = await probeHost();
    const names = checks.map((c) => c.name);
    for (const n of ['root', 'supervisor', 'cgroup.version', 'cgroup.cpu', 'cgroup.memory', 'cgroup.swap',
      'cgroup.pids', 'cgroup.cpuset', 'cgroup.peak', 'ns.pid', 'ns.mount', 'ns.network', 'ns.ipc', 'ns.uts', 'no_new_privs', 'seccomp'])
      expect(names).toContain(n);
    expect(checks.filter((c) => c.required && !c.ok)).toEqual([]);
  });

  it('reports a missing supervisor binary with the command that builds it', async () => {
    const checks = await probeHost({ supervisorPath: '/nonexistent/judged-sandbox' });
    expect(checks.find((c) => c.name === 'supervisor')).toMatchObject({ ok: false });
    const e = await openError(openSandbox({ slot: SLOT, supervisorPath: '/nonexistent/judged-sandbox' }));
    expect(e.kind).toBe('startup');
    expect(e.message).toContain('make -C packages/daemon/native');
  });

  it('refuses without cgroups, naming the root it looked at', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'judged-nocg-'));
    try {
      const e = await openError(openSandbox({ slot: SLOT, cgroupRoot: empty, cgroupParent: TEST_CGROUP_PARENT }));
      expect(e.kind).toBe('startup');
      expect(e.message).toContain(`no usable cgroups under ${empty}`);
      const checks = await probeHost({ cgroupRoot: empty });
      expect(checks.find((c) => c.name === 'cgroup.version')).toMatchObject({ ok: false });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses to run as non-root (the supervisor checks too, not only the driver)', () => {
    const r = spawnSync(DEFAULT_SUPERVISOR, ['--slot', String(SLOT)], { uid: 65534, gid: 65534, encoding: 'utf8' });
    expect(r.status).toBe(2);
    const o = JSON.parse(r.stdout.trim()) as { ok: boolean; kind: string; error: string };
    expect(o).toMatchObject({ ok: false, kind: 'startup' });
    expect(o.error).toContain('not running as root');
  });

  /** Holds SLOT while `refuse` tries to take it; the holder must be untouched (a refused supervisor cleans up nothing of the slot). */
  async function whileSlotHeld(refuse: () => Promise<void>): Promise<void> {
    const sb = await openSandbox({ slot: SLOT, cgroupParent: TEST_CGROUP_PARENT });
    try {
      await refuse();
      expect(await sb.run({ ...s.req('/bin/echo'), argv: ['/bin/echo', 'ok'], binds: [] })).toMatchObject({ exitCode: 0 });
    } finally {
      await sb.close();
    }
    expect(leftoverCgroups(SLOT)).toEqual([]);
  }

  it('refuses a slot that another supervisor holds', () =>
    whileSlotHeld(async () => {
      const e = await openError(openSandbox({ slot: SLOT, cgroupParent: TEST_CGROUP_PARENT }));
      expect(e.message).toContain(`slot ${SLOT} is already in use`);
      expect((e as SandboxError).kind, 'typed, so callers skip the slot without matching text').toBe('busy');
    }));

  it('refuses a held slot to a supervisor in another network namespace (a judgehost in a container or netns)', () =>
    whileSlotHeld(async () => {
      // Abstract unix sockets are per network namespace: the slot's lock must not be only one.
      const r = spawnSync('unshare', ['--net', DEFAULT_SUPERVISOR, '--slot', String(SLOT), '--cgroup-parent', TEST_CGROUP_PARENT], { input: '', encoding: 'utf8', timeout: 30_000 });
      const first = JSON.parse(r.stdout.trim().split('\n')[0]!) as { ok: boolean; kind?: string; error?: string };
      expect(first, r.stderr).toMatchObject({ ok: false, kind: 'busy' });
      expect(first.error).toContain(`slot ${SLOT} is already in use`);
    }));

  it('falls back to the plain path when the waiting zygote was killed', async () => {
    const sb = await openSandbox({ slot: SLOT, cgroupParent: TEST_CGROUP_PARENT });
    try {
      const sup = sb.supervisorPid!;
      const children = () =>
        readFileSync(`/proc/${sup}/task/${sup}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      // Right after start the only child is the zygote, waiting for the first request.
      const zygotes = children();
      expect(zygotes).toHaveLength(1);
      execFileSync('kill', ['-KILL', zygotes[0]!]);
      await new Promise((r) => setTimeout(r, 100));
      const r = await sb.run({ ...s.req('/bin/echo'), argv: ['/bin/echo', 'ok'], binds: [] });
      expect(r).toMatchObject({ exitCode: 0, limitHit: null, outputBytes: 3 });
      // ... and the slot goes on working.
      expect((await sb.run({ ...s.req('/bin/true'), argv: ['/bin/true'], binds: [] })).exitCode).toBe(0);
    } finally {
      await sb.close();
    }
    expect(leftoverCgroups(SLOT)).toEqual([]);
  });

  it('fails the in-flight run when the supervisor dies, then restarts it', async () => {
    const sb = await openSandbox({ slot: SLOT, cgroupParent: TEST_CGROUP_PARENT });
    try {
      const first = sb.supervisorPid!;
      const run = sb.run({ ...s.req('/bin/sleep', ['5']), argv: ['/bin/sleep', '5'], binds: [], limits: limits() });
      await new Promise((r) => setTimeout(r, 300));
      execFileSync('kill', ['-KILL', String(first)]);
      const e = await openError(run);
      expect(e.kind).toBe('crash');
      const again = await sb.run({ ...s.req('/bin/true'), argv: ['/bin/true'], binds: [] });
      expect(again.exitCode).toBe(0);
      expect(sb.supervisorPid).not.toBe(first);
    } finally {
      await sb.close();
    }
    expect(leftoverCgroups(SLOT)).toEqual([]);
  });
});
