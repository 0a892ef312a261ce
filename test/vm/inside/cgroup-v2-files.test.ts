/**
 * On a real cgroup v2 host (the test/vm guest, or an organizer's machine), the limits and accounting
 * really go through the v2 files: read them from the run's own cgroup while a run is live. Skips on a
 * cgroup v1 host, where the sandbox suites cover v1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandbox, type OpenedSandbox } from '../../../packages/daemon/src/sandbox/index.ts';
import { testSlot } from '../../../packages/daemon/test-utils/slots.ts';
import { scaleTimes } from '../../../packages/daemon/test-utils/time-scale.ts';

const ROOT = '/sys/fs/cgroup';
const PARENT = 'judged-v2files';
const SLOT = testSlot('vmCgroupFiles');
const isV2Root = process.getuid?.() === 0 && fs.existsSync(path.join(ROOT, 'cgroup.controllers'));

const read = (dir: string, file: string): string => fs.readFileSync(path.join(dir, file), 'utf8').trim();

describe.skipIf(!isV2Root)('cgroup v2: the run cgroup files in use', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-v2files-'));
  const slotDir = path.join(ROOT, PARENT, `slot${SLOT}`);
  let sb: OpenedSandbox;

  beforeAll(async () => {
    sb = await openSandbox({ slot: SLOT, cpus: [1], cgroupParent: PARENT });
  });
  afterAll(async () => {
    await sb?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    expect(fs.existsSync(slotDir), 'the slot cgroup must be gone after close').toBe(false);
  });

  const run = (argv: string[], over: { memoryKiB?: number; processes?: number } = {}) => {
    const workDir = fs.mkdtempSync(path.join(tmp, 'w'));
    return sb.run({
      argv,
      workDir,
      stdoutPath: path.join(tmp, `${path.basename(workDir)}.out`),
      limits: scaleTimes({ cpuTimeMs: 2000, wallTimeMs: 8000, memoryKiB: 64 * 1024, processes: 8, outputKiB: 64, ...over }),
    });
  };

  it('writes memory.max, memory.swap.max=0, pids.max and the slot cpuset; counts cpu.stat and memory.peak', async () => {
    const running = run(['/bin/sh', '-c', 'sleep 2'], { memoryKiB: 48 * 1024, processes: 5 });
    // The run's own cgroup: the one of this slot with a process in it.
    let runDir: string | undefined;
    for (let i = 0; i < 300 && !runDir; i++) {
      runDir = fs
        .readdirSync(slotDir)
        .filter((d) => /^r\d+$/.test(d))
        .map((d) => path.join(slotDir, d))
        .find((d) => read(d, 'cgroup.procs') !== '' && read(d, 'memory.max') === String(48 * 1024 * 1024));
      if (!runDir) await new Promise((r) => setTimeout(r, 20));
    }
    expect(runDir, 'no run cgroup with the limits written appeared').toBeDefined();
    expect(read(runDir!, 'memory.swap.max')).toBe('0');
    expect(read(runDir!, 'pids.max')).toBe('6'); // the limit + the run's own init
    expect(read(runDir!, 'cpu.stat')).toMatch(/^usage_usec \d+/);
    expect(read(slotDir, 'cpuset.cpus')).toBe('1');
    expect(read(slotDir, 'cgroup.subtree_control')).toMatch(/cpuset.*memory.*pids/);
    const r = await running;
    expect(r.exitCode).toBe(0);
    // memory.peak present: the peak is the kernel's, not sampled (no "approximated" note).
    expect(r.notes ?? []).toEqual([]);
    expect(sb.info.notes).toBe('');
  });

  it('reads an OOM kill from memory.events and a pids.max hit from pids.events', async () => {
    const oom = await run(['/usr/bin/python3', '-c', 'x = bytearray(200 * 2**20)'], { memoryKiB: 32 * 1024 });
    expect(oom.limitHit).toBe('memory');
    expect(oom.memoryKiB).toBeGreaterThan(24 * 1024);
    expect(oom.memoryKiB).toBeLessThanOrEqual(32 * 1024);
    const forks = await run(['/bin/sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait'], { processes: 4 });
    expect(forks.limitHit).toBe('processes');
  });
});
