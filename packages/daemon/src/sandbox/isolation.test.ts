import { execFileSync } from 'node:child_process';
import { lchownSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandbox, SandboxError, type OpenedSandbox } from './index.ts';
import { canSandbox, leftoverCgroups, limits, Scratch, TEST_CGROUP_PARENT } from '../../test-utils/sandbox-fixtures.ts';
import { testSlot } from '../../test-utils/slots.ts';
import { TIME_SCALE } from '../../test-utils/time-scale.ts';

const SLOTS = [testSlot('sandboxIsolation'), testSlot('sandboxIsolation') + 1] as const;

describe.skipIf(!canSandbox)('sandbox isolation', () => {
  const s = new Scratch();
  let a: OpenedSandbox;
  let b: OpenedSandbox;

  beforeAll(async () => {
    a = await openSandbox({ slot: SLOTS[0], cgroupParent: TEST_CGROUP_PARENT });
    b = await openSandbox({ slot: SLOTS[1], cgroupParent: TEST_CGROUP_PARENT, cpus: [0] });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    s.cleanup();
    for (const slot of SLOTS) expect(leftoverCgroups(slot)).toEqual([]);
  });

  /** Runs a shell script in the sandbox and returns its exit code and stdout. */
  async function sh(sb: OpenedSandbox, script: string, over: Parameters<Scratch['req']>[2] = {}) {
    const req = { ...s.req('/bin/sh'), argv: ['/bin/sh', '-c', script], binds: [], ...over };
    const r = await sb.run(req);
    return { r, out: readFileSync(req.stdoutPath!, 'utf8'), req };
  }

  it('runs as the slot uid with no capabilities, no_new_privs and only fds 0-2', async () => {
    const { r, out } = await sh(a, 'id -u; id -g; grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs)" /proc/self/status; ls /proc/self/fd');
    expect(r.exitCode).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe(String(a.info.uid));
    expect(lines[1]).toBe(String(a.info.uid));
    expect(out).toMatch(/CapEff:\s+0+\n/);
    expect(out).toMatch(/CapBnd:\s+0+\n/);
    expect(out).toMatch(/NoNewPrivs:\s+1/);
    // ls itself opens one fd for the directory it lists
    expect(lines.slice(-4)).toEqual(['0', '1', '2', '3']);
  });

  it('gives separate slots separate uids', () => {
    expect(a.info.uid).not.toBe(b.info.uid);
    expect(a.info.uid).toBe(60000 + SLOTS[0]);
  });

  it('has no network but a down loopback, its own hostname and a fresh /proc', async () => {
    const { out } = await sh(a, 'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " "; hostname; ls /proc | grep -E "^[0-9]+$" | wc -l');
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('lo');
    expect(lines[1]).toBe('judged');
    // sh, ls, grep, wc and the run's init: nothing from the host
    expect(Number(lines[2])).toBeLessThan(10);
  });

  it('keeps the root read-only and /box, /tmp writable', async () => {
    const { out } = await sh(
      a,
      'for d in / /usr /etc /dev /box /tmp; do if touch $d/x 2>/dev/null; then echo "$d rw"; else echo "$d ro"; fi; done',
    );
    expect(out.trim().split('\n')).toEqual(['/ ro', '/usr ro', '/etc ro', '/dev ro', '/box rw', '/tmp rw']);
  });

  it('shows no host secrets: a generated passwd, no /root, no /home', async () => {
    const { out } = await sh(a, 'cat /etc/passwd; ls /root /home 2>&1; test -e /etc/shadow && echo shadow');
    expect(out).toContain('judged:x:');
    expect(out).not.toContain('shadow');
    expect(out).toContain('No such file');
  });

  it('binds extra paths read-only by default and writable on request', async () => {
    const data = s.file('data.txt', 'secret input\n');
    const fb = s.work();
    const { r, out } = await sh(a, 'cat /data/in.txt; echo x > /data/in.txt || echo denied; echo verdict > /feedback/judgemessage.txt', {
      binds: [
        { host: data, inside: '/data/in.txt' },
        { host: fb, inside: '/feedback', writable: true },
      ],
    });
    expect(r.exitCode).toBe(0);
    expect(out).toContain('secret input');
    expect(out).toContain('denied');
    expect(readFileSync(data, 'utf8')).toBe('secret input\n');
    expect(readFileSync(path.join(fb, 'judgemessage.txt'), 'utf8')).toBe('verdict\n');
  });

  it('binds into /box and /tmp too (mount points made in the run)', async () => {
    const input = s.file('input.txt', '3 4\n');
    const { r, out } = await sh(a, 'cat /box/data/input.txt /tmp/in2.txt', {
      binds: [
        { host: input, inside: '/box/data/input.txt' },
        { host: input, inside: '/tmp/in2.txt' },
      ],
    });
    expect(r.exitCode).toBe(0);
    expect(out).toBe('3 4\n3 4\n');
  });

  it('reaches the system runtimes: /usr/bin/python3 and java', async () => {
    const py = await sh(a, '/usr/bin/python3 -c "import sys; print(sys.version_info[0])"');
    expect(py.out.trim()).toBe('3');
    const java = await sh(a, 'java -Xshare:off -XX:-UsePerfData -Xmx64m -version 2>&1', {
      limits: limits({ processes: 64, memoryKiB: 512 * 1024, cpuTimeMs: 10_000 * TIME_SCALE, wallTimeMs: 20_000 }),
    });
    expect(java.r.exitCode).toBe(0);
    expect(java.out).toMatch(/version/);
  });

  it('isolates work dirs between slots: each sees only its own /box', async () => {
    const one = await sh(a, 'echo from-a > /box/mine; ls /box', { copyOut: ['mine'] });
    const two = await sh(b, 'ls /box; cat /box/mine 2>&1 || true');
    expect(one.out).toContain('mine');
    expect(two.out).not.toContain('from-a');
    expect(readFileSync(path.join(one.req.workDir, 'mine'), 'utf8')).toBe('from-a\n');
  });

  it('sizes /tmp by the memory limit', async () => {
    const { out } = await sh(a, 'dd if=/dev/zero of=/tmp/big bs=1M count=40 2>/dev/null; echo $?', {
      limits: limits({ memoryKiB: 24 * 1024 }),
    });
    expect(out.trim()).not.toBe('0');
  });

  it('pins a slot to its cpus', async () => {
    const { out } = await sh(b, 'grep Cpus_allowed_list /proc/self/status');
    expect(out).toMatch(/Cpus_allowed_list:\s+0\n/);
  });

  it('a run cannot plant links or fifos in its work dir: /box is its own tmpfs, copy-out takes regular files only', async () => {
    const victim = s.file('victim3.txt', 'intact\n');
    const { r, req } = await sh(
      a,
      `ln -s ${victim} /box/link.txt; mkfifo /box/fifo; mkdir /box/d; ln -s / /box/d/up; echo x > /box/plain`,
      { copyOut: 'all' },
    );
    expect(r.exitCode).toBe(0);
    expect(readdirSync(req.workDir).sort()).toEqual(['d', 'plain']);
    expect(readdirSync(path.join(req.workDir, 'd'))).toEqual([]);
    expect(readFileSync(victim, 'utf8')).toBe('intact\n');
  });

  it('refuses stdio paths through a directory link, a fifo, or a link to a secret that a run\'s uid made', async () => {
    const victim = s.file('victim2.txt', 'intact\n');
    // Planted on the host as the slot's uid would (runs cannot reach the work dir any more; the
    // supervisor still refuses what an unprivileged user could have left in a path it is given).
    const w = s.work();
    symlinkSync(path.dirname(victim), path.join(w, 'outdir'));
    symlinkSync(victim, path.join(w, 'in.txt'));
    for (const l of ['outdir', 'in.txt']) lchownSync(path.join(w, l), a.info.uid, a.info.uid);
    execFileSync('mkfifo', [path.join(w, 'fifo')]);
    const echo = { ...s.req('/bin/echo'), argv: ['/bin/echo', 'overwritten'], binds: [] };
    for (const over of [
      { stdoutPath: path.join(w, 'outdir', path.basename(victim)) },
      { stdoutPath: path.join(w, 'fifo') },
      { stderrPath: path.join(w, 'outdir', path.basename(victim)) },
      { stdinPath: path.join(w, 'in.txt') },
      { stdinPath: path.join(w, 'fifo') },
    ]) {
      const err = await a.run({ ...echo, ...over }).catch((e: unknown) => e);
      expect(err, JSON.stringify(over)).toBeInstanceOf(SandboxError);
      expect((err as Error).message).toMatch(/refused/);
    }
    expect(readFileSync(victim, 'utf8')).toBe('intact\n');
    // Root-owned links (the daemon's own) are followed.
    symlinkSync(victim, path.join(s.dir, 'root-link.txt'));
    const ok = await a.run({ ...s.req('/bin/cat'), argv: ['/bin/cat'], binds: [], stdinPath: path.join(s.dir, 'root-link.txt') });
    expect(ok.outputBytes).toBe(7);
  });

  it('does not follow a symlink planted where stdout goes', async () => {
    const victim = s.file('victim.txt', 'intact\n');
    const planted = path.join(s.work(), 'out.txt');
    symlinkSync(victim, planted);
    lchownSync(planted, a.info.uid, a.info.uid);
    const err = await a
      .run({ ...s.req('/bin/echo'), argv: ['/bin/echo', 'overwritten'], binds: [], stdoutPath: planted })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(readFileSync(victim, 'utf8')).toBe('intact\n');
  });
});
