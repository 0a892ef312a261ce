/** Fixtures for the sandbox tests: temp dirs, small C programs compiled once, default limits, leftover checks. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SUPERVISOR } from '../src/sandbox/index.ts';
import type { RunRequest, SandboxLimits } from '../src/sandbox/types.ts';
import { scaleWall, TIME_SCALE } from './time-scale.ts';

/** Slots come from the one table in packages/daemon/test-utils/slots.ts. */
export const TEST_CGROUP_PARENT = 'judged-test';

export const canSandbox =
  typeof process.getuid === 'function' && process.getuid() === 0 && existsSync(DEFAULT_SUPERVISOR);

export const limits = (over: Partial<SandboxLimits> = {}): SandboxLimits =>
  scaleWall({
    cpuTimeMs: 2000 * TIME_SCALE, // a budget, not what a test measures: those set their own
    wallTimeMs: 4000,
    memoryKiB: 128 * 1024,
    processes: 16,
    outputKiB: 1024,
    ...over,
  });

export class Scratch {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'judged-sandbox-test-'));
  private n = 0;

  /** A fresh work dir for one run. */
  work(): string {
    const d = path.join(this.dir, `w${this.n++}`);
    execFileSync('mkdir', ['-p', d]);
    return d;
  }

  file(name: string, text = ''): string {
    const f = path.join(this.dir, name);
    writeFileSync(f, text);
    return f;
  }

  /** Compiles a C program into the scratch dir and returns its host path. */
  compile(name: string, source: string, extra: string[] = []): string {
    const src = this.file(`${name}.c`, source);
    const out = path.join(this.dir, name);
    execFileSync('gcc', ['-O1', '-o', out, src, ...extra]);
    return out;
  }

  /** A request running a program bound read-only at /prog/<name>. */
  req(prog: string, args: string[] = [], over: Partial<RunRequest> = {}): RunRequest {
    const inside = `/prog/${path.basename(prog)}`;
    return {
      argv: [inside, ...args],
      workDir: this.work(),
      stdoutPath: path.join(this.dir, `out${this.n}`),
      stderrPath: path.join(this.dir, `err${this.n}`),
      limits: limits(),
      binds: [{ host: prog, inside }],
      ...over,
    };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Cgroup directories of a slot still present (after close() there must be none). */
export function leftoverCgroups(slot: number): string[] {
  return ['cpuacct', 'memory', 'pids', 'cpuset', '']
    .map((ctrl) => path.join('/sys/fs/cgroup', ctrl, TEST_CGROUP_PARENT, `slot${slot}`))
    .filter((d) => existsSync(d));
}

/** Processes running as the slot's sandbox uids (there must be none between runs). */
export function processesOf(uids: number[]): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const status = readFileSync(`/proc/${e}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      if (uids.includes(uid)) pids.push(Number(e));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
