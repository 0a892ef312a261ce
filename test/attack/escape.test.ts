/**
 * Attacks on the sandbox's isolation: the filesystem, the judge's files, the network, other
 * processes, privileges, cgroups, and channels between runs. Each test asserts what the attacker
 * could do (from its report) and that the host is intact afterwards.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackLab, hostProcesses, isRoot, newToken, report, sha256File, skipReason } from './harness.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const lab = new AttackLab(testSlot('attackEscape'));

/** Lines of a report whose value is exactly "ok": what the attacker managed to do. */
function successes(stdout: string, prefix: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith(prefix) && l.endsWith(': ok'));
}

describe.skipIf(!isRoot)('attack: isolation', () => {
  beforeAll(() => lab.open());
  afterAll(async () => {
    expect(await lab.close(), "the slot's cgroups and stray files of its uids after close()").toEqual([]);
  });

  it('runs as an unprivileged uid with no capability', async () => {
    const { result, stdout } = await lab.run('identity.c');
    expect(result.exitCode, stdout).toBe(0);
    const ids = /uid: (\d+) euid: (\d+) gid: (\d+) egid: (\d+)/.exec(stdout);
    expect(ids, stdout).not.toBeNull();
    for (const id of ids!.slice(1)) expect(Number(id)).not.toBe(0);
    expect(report(stdout).get('groups')?.split(' ') ?? []).not.toContain('0');
    expect(report(stdout).get('CapEff')?.trim()).toBe('0000000000000000');
    expect(report(stdout).get('CapPrm')?.trim()).toBe('0000000000000000');
    await lab.expectHostIntact();
  });

  it('cannot write outside the work dir (/, host /tmp, /usr, /etc, ...)', async () => {
    const token = newToken();
    const passwd = sha256File('/etc/passwd');
    const { result, stdout } = await lab.run('write_outside.c', { args: [token] });
    expect(result.exitCode, stdout).toBe(0);
    const report_ = report(stdout);
    for (const dir of ['/', '/usr', '/usr/bin', '/etc', '/box/..']) {
      expect(report_.get(`write ${dir}`), `write ${dir}`).not.toBe('ok');
    }
    expect(report_.get('append /etc/passwd')).not.toBe('ok');
    expect(sha256File('/etc/passwd')).toBe(passwd);
    await lab.expectHostIntact(token);
  });

  it("cannot read /etc/shadow nor the judge's files (problem data, database, another run's work dir)", async () => {
    const s = lab.secrets;
    const targets = [
      '/etc/shadow',
      s.problemAnswer,
      s.database,
      s.otherRunFile,
      path.join(lab.root, 'runs', 'run-1', 'identity'),
      '/proc/1/root/etc/shadow',
      '/proc/1/environ',
      '/proc/1/mem',
      '/proc/1/fd/0',
      `/proc/${process.pid}/root${s.problemAnswer}`,
      `/proc/${process.pid}/cwd/package.json`,
      ...[...s.files.keys()].filter((f) => f.startsWith('/var/tmp')),
    ];
    const { result, stdout } = await lab.run('read_secrets.c', { args: targets });
    expect(result.exitCode, stdout).toBe(0);
    expect(successes(stdout, 'read '), stdout).toEqual([]);
    expect(stdout).not.toContain(s.content);
    // The judge's own files must not even be visible (isolation, not only permissions).
    for (const f of [s.problemAnswer, s.database, s.otherRunFile]) {
      expect(report(stdout).get(`stat ${f}`), f).not.toBe('visible');
    }
    await lab.expectHostIntact();
  });

  it('has no network: TCP, UDP and abstract unix sockets of the host get nothing, DNS fails', async () => {
    const token = newToken();
    const received: string[] = [];
    const tcp = net.createServer((c) => {
      received.push('tcp connection');
      c.destroy();
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const udp = dgram.createSocket('udp4');
    udp.on('message', (m) => received.push(`udp ${m.toString()}`));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const unix = net.createServer((c) => {
      received.push('unix connection');
      c.destroy();
    });
    await new Promise<void>((r) => unix.listen(`\0${token}`, r));
    try {
      const tcpPort = (tcp.address() as net.AddressInfo).port;
      const udpPort = udp.address().port;
      const { result, stdout, stderr } = await lab.run('net.py', {
        args: [String(tcpPort), String(udpPort), token],
        limits: { wallTimeMs: 8000, cpuTimeMs: 3000 },
      });
      expect(result.exitCode, stdout + stderr).toBe(0);
      const r = report(stdout);
      expect(r.get('tcp'), stdout).not.toBe('ok');
      expect(r.get('unix'), stdout).not.toBe('ok');
      expect(r.get('dns'), stdout).not.toBe('ok');
      await new Promise((res) => setTimeout(res, 200));
      expect(received).toEqual([]);
    } finally {
      tcp.close();
      unix.close();
      udp.close();
    }
    await lab.expectHostIntact(token);
  });

  it('sees only fds 0, 1 and 2', async () => {
    const { result, stdout } = await lab.run('fds.c');
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    expect(report(stdout).get('proc fds')?.trim()).toBe('0 1 2');
    expect(report(stdout).get('probe fds')?.trim()).toBe('0 1 2');
    await lab.expectHostIntact();
  });

  it("cannot see the host's processes in /proc (pid namespace)", async () => {
    const { result, stdout } = await lab.run('proc_host.c', { args: [String(process.pid), String(process.ppid)] });
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    const r = report(stdout);
    expect(r.get(`host pid ${process.pid}`), stdout).not.toBe('visible');
    expect(r.get(`host pid ${process.ppid}`), stdout).not.toBe('visible');
    expect(Number(r.get('count')), stdout).toBeLessThan(5);
    await lab.expectHostIntact();
  });

  it('cannot ptrace a process outside the run', async () => {
    const { result, stdout } = await lab.run('ptrace.c', { args: [String(process.pid)] });
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    const r = report(stdout);
    expect(r.get(`attach ${process.pid}`), stdout).not.toBe('ok');
    expect(r.get('attach init'), stdout).not.toBe('ok');
    expect(r.get('attach parent'), stdout).not.toBe('ok');
    await lab.expectHostIntact();
  });

  it('kill(-1) and kill(host pid) reach no process outside the run', async () => {
    // A victim running as the slot's own uid on the host: without a pid namespace kill(-1) hits it.
    const uid = [...lab.sandboxUids][0];
    expect(uid, 'slot uid unknown: identity.c did not report it').toBeDefined();
    const victim = spawn('sleep', ['30'], { uid, gid: uid, stdio: 'ignore' });
    await new Promise((r) => victim.once('spawn', r));
    try {
      const { result, stdout } = await lab.run('kill_all.c', { args: [String(victim.pid), String(process.pid)] });
      expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
      expect(stdout).toContain('survived');
      expect(report(stdout).get(`kill ${victim.pid}`), stdout).not.toBe('ok');
      expect(report(stdout).get(`kill ${process.pid}`), stdout).not.toBe('ok');
    } finally {
      victim.kill('SIGKILL');
      await new Promise((r) => (victim.exitCode !== null || victim.signalCode !== null ? r(null) : victim.once('exit', r)));
    }
    await lab.expectHostIntact();
  });

  it('cannot reach a run going on at the same time in another slot (its files, signals, ptrace)', async () => {
    const other = new AttackLab(testSlot('attackEscape') + 1);
    await other.open();
    try {
      const otherUid = other.requireSandbox().info.uid;
      // Compiled first, so the attacks land while the victim is surely still running.
      for (const a of ['read_secrets.c', 'kill_all.c', 'ptrace.c', 'sleep_forever.c']) await lab.compiler.binary(a);
      await other.compiler.binary('sleep_forever.c');
      const victimRun = other.run('sleep_forever.c', { limits: { wallTimeMs: 4000 } });
      let victimPid: number | undefined;
      for (let i = 0; i < 100 && victimPid === undefined; i++) {
        victimPid = [...hostProcesses()].find(([, p]) => p.uid === otherUid)?.[0];
        if (victimPid === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(victimPid, 'the victim run in the other slot never showed up').toBeDefined();
      const secret = path.join(other.lastWorkDir, 'secret.txt');
      fs.writeFileSync(secret, `${lab.secrets.content}\n`, { mode: 0o644 });
      const reads = await lab.run('read_secrets.c', { args: [secret, `/proc/${victimPid}/root/box/secret.txt`] });
      expect(successes(reads.stdout, 'read '), reads.stdout).toEqual([]);
      expect(reads.stdout).not.toContain(lab.secrets.content);
      const kills = await lab.run('kill_all.c', { args: [String(victimPid)] });
      expect(report(kills.stdout).get(`kill ${victimPid}`), kills.stdout).not.toBe('ok');
      const traces = await lab.run('ptrace.c', { args: [String(victimPid)] });
      expect(report(traces.stdout).get(`attach ${victimPid}`), traces.stdout).not.toBe('ok');
      expect(hostProcesses().get(victimPid!)?.uid, 'the victim was gone before the attacks ended: test proved nothing').toBe(otherUid);
      // The victim ended by its own wall limit, not by anything the attacker sent.
      expect((await victimRun).result).toMatchObject({ limitHit: 'wall', signal: 9 });
    } finally {
      expect(await other.close(), "the other slot's leftovers").toEqual([]);
    }
    await lab.expectHostIntact();
  });

  it('a double-forked setsid daemon does not outlive the run', async () => {
    const { result, workDir } = await lab.run('daemon.c', { limits: { wallTimeMs: 2000 } });
    expect(result.exitCode === 0 || result.limitHit === 'wall', JSON.stringify(result)).toBe(true);
    await lab.expectHostIntact();
    const log = path.join(workDir, 'daemon.log');
    const size = fs.statSync(log, { throwIfNoEntry: false })?.size ?? 0;
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.statSync(log, { throwIfNoEntry: false })?.size ?? 0, 'daemon still writing after the run').toBe(size);
  });

  // The seccomp filter refuses the user namespace (and mounts); the rest pins what matters to the
  // host whatever the filter allows: the classic chroot escape climbs no higher than the run's root.
  it('a user namespace plus the chroot escape is refused and still sees only the run\'s own root', async () => {
    const { result, stdout } = await lab.run('userns_escape.c');
    expect(result.exitCode, stdout).toBe(0);
    expect(report(stdout).get('unshare user'), stdout).toBe('EPERM');
    const root = (report(stdout).get('root holds') ?? '').split(' ');
    expect(root, stdout).toContain('box');
    for (const hostOnly of ['work', 'root', 'home', 'var', 'srv', 'opt', 'boot']) expect(root).not.toContain(hostOnly);
    expect(report(stdout).get('open /etc/shadow')).not.toBe('ok');
    expect(report(stdout).get('stat /work')).not.toBe('ok');
    await lab.expectHostIntact();
  });

  it('nothing inside names the judge: stdio links, pid 1, mountinfo and the environment show no host path', async () => {
    const { result, stdout } = await lab.run('names.c', { stdinPath: lab.secrets.problemAnswer });
    expect(result.exitCode, stdout).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('mountinfo: ')).length, stdout).toBeGreaterThan(3);
    const hostNames = [lab.root, 'secret', 'problems', 'judged-sandbox', 'judged-attack', '/work', '/root', 'native/build'];
    expect(lines.filter((l) => hostNames.some((h) => l.includes(h))), 'lines naming the judge').toEqual([]);
    expect(report(stdout).get('fd0')).toBe('/');
    expect(report(stdout).get('comm1')).toBe('init');
    const env = lines.filter((l) => l.startsWith('env: ')).map((l) => l.slice(5).split('=')[0]);
    expect(env.sort()).toEqual(['HOME', 'LANG', 'PATH', 'TMPDIR']);
    await lab.expectHostIntact();
  });

  it('cannot turn host-wide knobs through /proc (sysrq, sysctls, OOM immunity)', async () => {
    const hostname = fs.readFileSync('/proc/sys/kernel/hostname', 'utf8');
    const { result, stdout } = await lab.run('proc_write.c');
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    expect(stdout).toContain('write /proc/sysrq-trigger');
    expect(successes(stdout, 'write '), stdout).toEqual([]);
    expect(fs.readFileSync('/proc/sys/kernel/hostname', 'utf8')).toBe(hostname);
    await lab.expectHostIntact();
  });

  it('cannot raise any resource limit', async () => {
    const { result, stdout } = await lab.run('rlimits.c');
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    expect(stdout).toContain('raise CPU');
    expect(successes(stdout, 'raise '), stdout).toEqual([]);
    await lab.expectHostIntact();
  });

  it('cannot write to /sys/fs/cgroup (loosen limits, leave its cgroup, make a cgroup)', async () => {
    const token = newToken();
    const { result, stdout } = await lab.run('cgroup_write.c', { args: [token] });
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    expect(successes(stdout, 'write '), stdout).toEqual([]);
    expect(successes(stdout, 'mkdir '), stdout).toEqual([]);
    await lab.expectHostIntact(token);
  });

  it('leaves nothing in /dev/shm or /tmp for a later run (files, shm objects, fifos)', async () => {
    const token = newToken();
    const first = await lab.run('shm_write.c', { args: [token] });
    expect(first.result.exitCode, first.stdout).toBe(0);
    await lab.expectHostIntact(token);
    const later = await lab.run('shm_read.c', { args: [token] });
    expect(later.result.exitCode, later.stdout).toBe(0);
    expect(later.stdout.split('\n').filter((l) => l.endsWith(': visible')), later.stdout).toEqual([]);
    await lab.expectHostIntact(token);
  });

  it('a setuid-root copy of a program in the work dir does not grant root', async () => {
    const { result, stdout } = await lab.run('print_ids.c', { setuidRoot: true });
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    expect(stdout).toMatch(/euid: \d+/);
    expect(Number(/euid: (\d+)/.exec(stdout)?.[1])).not.toBe(0);
    const idLine = stdout.trim().split('\n').at(-1);
    expect(idLine, stdout).toMatch(/^\d+$/);
    expect(idLine).not.toBe('0');
    await lab.expectHostIntact();
  });

  it('chmod u+s from inside gives no more than its own uid', async () => {
    const printIds = await lab.compiler.binary('print_ids.c');
    const { result, stdout } = await lab.run('setuid_self.c', { files: [[printIds, 'print_ids']] });
    expect(result, stdout).toMatchObject({ exitCode: 0, signal: null, limitHit: null });
    const euid = Number(/euid: (\d+)/.exec(stdout)?.[1]);
    expect(Number.isFinite(euid), stdout).toBe(true);
    expect(euid).not.toBe(0);
    expect(stdout.trim().split('\n').at(-1)).not.toBe('0');
    await lab.expectHostIntact();
  });

  it("in an interactive run the program can neither read the interactor's secret nor signal or trace it", async () => {
    const { result, interactorStderr } = await lab.interactive('spy_program.c', 'spy_interactor.c', [
      { host: lab.secrets.problemAnswer, inside: '/data/secret.ans' },
    ]);
    expect(result.interactor, interactorStderr).toMatchObject({ exitCode: 42, limitHit: null });
    expect(result.program.exitCode).toBe(0);
    expect(interactorStderr).toMatch(/^spy: /);
    expect(interactorStderr.split(' ').filter((w) => w.endsWith('=ok')), interactorStderr).toEqual([]);
    expect(interactorStderr).not.toContain(lab.secrets.content);
    await lab.expectHostIntact();
  });

  /** A work dir in which plant_links.c left its traps, aimed at `target` (a host file). */
  async function plantedWorkDir(target: string): Promise<string> {
    const first = await lab.run('plant_links.c', { args: [target] });
    expect(first.result.exitCode, first.stdout).toBe(0);
    expect(successes(first.stdout, 'symlink ')).toHaveLength(4);
    return first.workDir;
  }

  /** A host file of the judge's kind that only this test aims at, so a hit does not spill over. */
  function victimFile(): { file: string; hash: string } {
    const dir = fs.mkdtempSync(path.join(lab.root, 'victim-'));
    const file = path.join(dir, 'judged.sqlite');
    fs.writeFileSync(file, `${lab.secrets.content}\n`);
    return { file, hash: sha256File(file) };
  }

  it("a link planted as the next run's stdout/stderr file is not followed", async () => {
    const passwd = sha256File('/etc/passwd');
    const victim = victimFile();
    const workDir = await plantedWorkDir(victim.file);
    await lab
      .run('identity.c', { workDir, stdoutPath: path.join(workDir, 'out.txt'), stderrPath: path.join(workDir, 'err.txt') })
      .catch((err: unknown) => err); // refusing the run is a fine answer
    expect(sha256File(victim.file), 'host file overwritten through a planted link').toBe(victim.hash);
    expect(sha256File('/etc/passwd'), '/etc/passwd overwritten through a planted link').toBe(passwd);
    await lab.expectHostIntact();
  });

  it("a link planted as the next run's stdin file does not feed it a host file", async () => {
    const victim = victimFile();
    const workDir = await plantedWorkDir(victim.file);
    const later = await lab
      .run('cat_stdin.c', { workDir, stdinPath: path.join(workDir, 'in.txt') })
      .catch((err: unknown) => err); // refusing the run is a fine answer
    if (!(later instanceof Error)) expect((later as { stdout: string }).stdout).not.toContain(lab.secrets.content);
    await lab.expectHostIntact();
  });

  // Was a known sandbox bug (docs/attack.md, "Weaknesses found"): O_NOFOLLOW guarded only the last
  // path component. Fixed in the supervisor (open_trusted: only root-owned symlinks are followed).
  it("a directory link planted in the middle of the next run's stdout path is not followed", async () => {
    const victim = victimFile();
    const workDir = await plantedWorkDir(victim.file);
    const viaLink = path.join(workDir, 'outdir', path.basename(victim.file));
    await lab.run('identity.c', { workDir, stdoutPath: viaLink }).catch((err: unknown) => err);
    expect(sha256File(victim.file), 'host file overwritten through a directory link in the stdout path').toBe(victim.hash);
  });

  // Was a known sandbox bug (docs/attack.md): a blocking open() of a planted fifo hung the slot.
  // Fixed in the supervisor (open_trusted: non-blocking open, regular files only).
  // Last in the file: a hung slot would delay whatever came after.
  it("a fifo planted as the next run's stdout file does not hang the sandbox", async () => {
    const workDir = await plantedWorkDir(victimFile().file);
    const hang = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000).unref());
    const fifoRun = lab
      .run('identity.c', { workDir, stdoutPath: path.join(workDir, 'fifo.txt'), limits: { wallTimeMs: 2000 } })
      .then(() => 'done' as const, () => 'refused' as const);
    const outcome = await Promise.race([fifoRun, hang]);
    if (outcome === 'hung') {
      // Unblock the supervisor (a reader on the fifo) so the slot can go on and close.
      const fd = fs.openSync(path.join(workDir, 'fifo.txt'), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      await Promise.race([fifoRun, new Promise((r) => setTimeout(r, 5000))]);
      fs.closeSync(fd);
    }
    expect(outcome, 'sandbox hung opening a planted fifo as stdout').not.toBe('hung');
  }, 30_000);
});

if (!isRoot) {
  describe('attack: isolation', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
