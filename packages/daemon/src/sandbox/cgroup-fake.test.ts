/**
 * The cgroup layer against fake trees: directories laid out like cgroupfs, driven step by step through
 * the supervisor's `cgtest` mode. This is how the v2 code is tested on a host that cannot give
 * controllers to cgroup v2 (and v1 the same way, for symmetry).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SUPERVISOR } from './index.ts';

const built = existsSync(DEFAULT_SUPERVISOR);

class CgTest {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;

  constructor(root: string, extra: string[] = []) {
    this.child = spawn(DEFAULT_SUPERVISOR, ['--slot', '50', '--cgroup-root', root, '--cgroup-parent', 'jt', ...extra, 'cgtest']);
    this.child.stdin.on('error', () => {}); // a refused start closes its stdin early
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async next(): Promise<Record<string, unknown>> {
    const r = await this.lines.next();
    if (r.done) throw new Error('cgtest ended');
    return JSON.parse(r.value) as Record<string, unknown>;
  }

  async cmd(line: string): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${line}\n`);
    return this.next();
  }

  async quit(): Promise<number | null> {
    this.child.stdin.end('quit\n');
    return new Promise((resolve) => this.child.on('close', resolve));
  }
}

const read = (p: string) => readFileSync(p, 'utf8');

describe.skipIf(!built)('cgroup layer on fake trees', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function fakeV2(withPeak: boolean): string {
    root = mkdtempSync(path.join(os.tmpdir(), 'judged-fake-cg2-'));
    writeFileSync(path.join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
    writeFileSync(path.join(root, 'cgroup.subtree_control'), '');
    const slot = path.join(root, 'jt', 'slot50');
    mkdirSync(slot, { recursive: true });
    // What a >= 5.19 kernel with swap accounting shows in every non-root cgroup.
    if (withPeak) for (const f of ['memory.peak', 'memory.swap.max', 'cgroup.kill']) writeFileSync(path.join(slot, f), '0\n');
    // A stale run cgroup of a crashed supervisor: must be cleaned at start.
    mkdirSync(path.join(slot, 'r7'));
    writeFileSync(path.join(slot, 'r7', 'cgroup.procs'), '');
    return root;
  }

  it('v2: enables controllers down the path, writes limits, reads stats, removes everything', async () => {
    fakeV2(true);
    const t = new CgTest(root, ['--cpus', '1']);
    expect(await t.next()).toMatchObject({ ok: true, version: 2, notes: '' });
    expect(existsSync(path.join(root, 'jt', 'slot50', 'r7'))).toBe(false);
    for (const d of ['', 'jt', 'jt/slot50'])
      expect(read(path.join(root, d, 'cgroup.subtree_control'))).toBe('+memory +pids +cpuset');
    expect(read(path.join(root, 'jt/slot50/cpuset.cpus'))).toBe('1');

    const prep = await t.cmd('prepare 65536 8');
    const run = path.join(root, 'jt', 'slot50', 'r1');
    expect(prep).toEqual({ ok: true, dirs: [run] });
    expect(read(path.join(run, 'memory.max'))).toBe(String(64 * 1024 * 1024));
    expect(read(path.join(run, 'memory.swap.max'))).toBe('0');
    expect(read(path.join(run, 'pids.max'))).toBe('8');

    writeFileSync(path.join(run, 'cpu.stat'), 'usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n');
    writeFileSync(path.join(run, 'memory.peak'), '5242880\n');
    writeFileSync(path.join(run, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n');
    writeFileSync(path.join(run, 'pids.events'), 'max 2\n');
    expect(await t.cmd('stats')).toEqual({ ok: true, cpuNs: 1234567000, memPeakBytes: 5242880, oomKills: 1, pidsMaxHits: 2, approx: 0 });
    expect(await t.cmd('remove')).toEqual({ ok: true });
    expect(existsSync(run)).toBe(false);

    // A second run gets a new cgroup: nothing of the first carries over.
    const prep2 = await t.cmd('prepare 1024 1');
    expect(prep2.dirs).toEqual([path.join(root, 'jt', 'slot50', 'r2')]);
    expect(await t.quit()).toBe(0);
    expect(existsSync(path.join(root, 'jt'))).toBe(false);
  });

  it('v2 before 5.19: no memory.peak, so the peak is sampled and flagged', async () => {
    fakeV2(false);
    const t = new CgTest(root);
    const hello = await t.next();
    expect(hello).toMatchObject({ ok: true, version: 2 });
    expect(String(hello.notes)).toContain('no memory.peak');
    expect(String(hello.notes)).toContain('excludes swap');
    const run = path.join(root, 'jt', 'slot50', 'r1');
    await t.cmd('prepare 65536 8');
    expect(existsSync(path.join(run, 'memory.swap.max'))).toBe(false);
    writeFileSync(path.join(run, 'cpu.stat'), 'usage_usec 10\n');
    writeFileSync(path.join(run, 'memory.current'), '4096\n');
    writeFileSync(path.join(run, 'memory.events'), 'oom_kill 0\n');
    writeFileSync(path.join(run, 'pids.events'), 'max 0\n');
    expect(await t.cmd('stats')).toMatchObject({ memPeakBytes: 4096, approx: 1, cpuNs: 10000 });
    expect(await t.quit()).toBe(0);
  });

  it('v2 without the memory controller is refused with what to do', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'judged-fake-cg2-'));
    writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu pids\n');
    mkdirSync(path.join(root, 'memory-not-here'));
    const t = new CgTest(root);
    const r = await t.next();
    expect(r.ok).toBe(false);
    expect(String(r.error)).toContain('no usable cgroups');
    await t.quit();
  });

  it('v1: one hierarchy per controller, memsw after the memory limit, stats from v1 files', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'judged-fake-cg1-'));
    for (const c of ['cpuacct', 'memory', 'pids']) mkdirSync(path.join(root, c));
    mkdirSync(path.join(root, 'memory', 'jt', 'slot50'), { recursive: true });
    writeFileSync(path.join(root, 'memory', 'jt', 'slot50', 'memory.memsw.limit_in_bytes'), '');
    const t = new CgTest(root);
    expect(await t.next()).toMatchObject({ ok: true, version: 1, notes: '' });
    const prep = await t.cmd('prepare 2048 4');
    const dirs = ['cpuacct', 'memory', 'pids'].map((c) => path.join(root, c, 'jt', 'slot50', 'r1'));
    expect(prep).toEqual({ ok: true, dirs });
    expect(read(path.join(dirs[1]!, 'memory.limit_in_bytes'))).toBe('2097152');
    expect(read(path.join(dirs[1]!, 'memory.memsw.limit_in_bytes'))).toBe('2097152');
    expect(read(path.join(dirs[2]!, 'pids.max'))).toBe('4');
    writeFileSync(path.join(dirs[0]!, 'cpuacct.usage'), '999\n');
    writeFileSync(path.join(dirs[1]!, 'memory.memsw.max_usage_in_bytes'), '8192\n');
    writeFileSync(path.join(dirs[1]!, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n');
    writeFileSync(path.join(dirs[2]!, 'pids.events'), 'max 0\n');
    expect(await t.cmd('stats')).toEqual({ ok: true, cpuNs: 999, memPeakBytes: 8192, oomKills: 3, pidsMaxHits: 0, approx: 0 });
    expect(await t.cmd('remove')).toEqual({ ok: true });
    for (const d of dirs) expect(existsSync(d)).toBe(false);
    expect(await t.quit()).toBe(0);
  });
});
