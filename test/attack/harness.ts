/**
 * Shared machinery of the attack suite: compiles the attackers on the host, runs them through a real
 * sandbox slot, and checks afterwards that the host is intact (no process of the sandbox's uids, no
 * leftover cgroup, no file named after the attack's token outside the work dir, secrets unchanged).
 *
 * As root the suite never skips: if the sandbox cannot open, every test fails with the reason.
 * Without root it skips with a message saying so.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { openSandbox, type OpenedSandbox } from '../../packages/daemon/src/sandbox/index.ts';
import { scaleTimes } from '../../packages/daemon/test-utils/time-scale.ts';
import type {
  BindMount,
  InteractiveResult,
  RunRequest,
  RunResult,
  SandboxLimits,
} from '../../packages/daemon/src/sandbox/types.ts';

const execFileP = promisify(execFile);

export const isRoot = process.getuid?.() === 0;
export const skipReason = isRoot ? '' : 'attack suite needs root (run as root, as CI does)';

export const PROGRAMS = path.join(import.meta.dirname, 'programs');

/**
 * Small limits so each attack ends quickly; tests override what they probe. The wall limit is far
 * above the CPU limit: on two cores shared with the rest of a test run, one second of CPU has taken
 * three seconds of wall time, and a CPU-bound attack must still end by its CPU limit. Both are
 * scaled by JUDGED_TIME_SCALE when a run is made (test-utils/time-scale.ts: the TCG guest passes 10).
 */
export const LIMITS: SandboxLimits = {
  cpuTimeMs: 1000,
  wallTimeMs: 10_000,
  memoryKiB: 128 * 1024,
  processes: 64,
  outputKiB: 1024,
};

/** A fresh name used in every path an attacker creates, so the host can be searched for it. */
export function newToken(): string {
  return `judged-attack-${randomBytes(6).toString('hex')}`;
}

/** Compiles each attacker once per test file, on first use. */
export class Compiler {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-attack-bin-'));
  private readonly done = new Map<string, Promise<string>>();

  binary(source: string): Promise<string> {
    let p = this.done.get(source);
    if (!p) {
      p = this.compile(source);
      this.done.set(source, p);
    }
    return p;
  }

  private async compile(source: string): Promise<string> {
    const src = path.join(PROGRAMS, source);
    const out = path.join(this.dir, source.replace(/\.(c|cpp)$/, '') + (source.endsWith('.cpp') ? '_cpp' : ''));
    const cpp = source.endsWith('.cpp');
    const args = cpp
      ? ['-O1', '-std=c++17', '-o', out, src, '-lpthread']
      : ['-O1', '-D_GNU_SOURCE', '-o', out, src, '-lpthread'];
    await execFileP(cpp ? 'g++' : 'gcc', args);
    return out;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Secret files of "the judge", planted world-readable so only isolation protects them. */
export interface Secrets {
  /** Every secret path and the sha256 of its content. */
  files: Map<string, string>;
  /** The random content each secret holds (an attacker printing it is caught). */
  content: string;
  problemAnswer: string;
  database: string;
  otherWorkDir: string;
  otherRunFile: string;
  cleanup(): void;
}

export function plantSecrets(root: string): Secrets {
  const content = `secret-${randomBytes(12).toString('hex')}`;
  const files = new Map<string, string>();
  const put = (p: string): string => {
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    fs.writeFileSync(p, `${content}\n`, { mode: 0o644 });
    fs.chmodSync(p, 0o644);
    files.set(p, sha256File(p));
    return p;
  };
  const problemAnswer = put(path.join(root, 'problems', 'hello', 'data', 'secret', '1.ans'));
  const database = put(path.join(root, 'data', 'judged.sqlite'));
  const otherWorkDir = path.join(root, 'slots', 'other-run');
  const otherRunFile = put(path.join(otherWorkDir, 'solution.c'));
  // Directories on the way must be traversable by anyone, or permissions rather than isolation
  // would be what protects the files.
  for (let d = path.dirname(problemAnswer); d.startsWith(root); d = path.dirname(d)) fs.chmodSync(d, 0o755);
  fs.chmodSync(path.dirname(database), 0o755);
  fs.chmodSync(path.join(root, 'slots'), 0o755);
  fs.chmodSync(otherWorkDir, 0o755);
  fs.chmodSync(root, 0o755);
  const varTmp = put(path.join('/var/tmp', `judged-attack-secret-${randomBytes(4).toString('hex')}`, 'judge.key'));
  fs.chmodSync(path.dirname(varTmp), 0o755);
  return {
    files,
    content,
    problemAnswer,
    database,
    otherWorkDir,
    otherRunFile,
    cleanup: () => fs.rmSync(path.dirname(varTmp), { recursive: true, force: true }),
  };
}

export function sha256File(p: string): string {
  return createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

/** uids of every process on the host, pid -> real uid (from /proc/<pid>/status). */
export function hostProcesses(): Map<number, { uid: number; cmd: string }> {
  const out = new Map<number, { uid: number; cmd: string }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const cmd = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
      out.set(Number(name), { uid, cmd });
    } catch {
      // gone while we looked
    }
  }
  return out;
}

/** Lines of /proc/key-users ("<uid>: <usage> <keys>/...") for the given uids: kernel keys they hold. */
export function keyUsers(uids: Set<number>): string[] {
  return readIfFile('/proc/key-users')
    .split('\n')
    .filter((l) => uids.has(Number(l.split(':')[0])));
}

/** Every directory below the given cgroup directories (recursive), as a sorted list. */
export function cgroupTree(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = path.join(d, e.name);
      out.push(p);
      walk(p);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/** Host directories an attacker might write into; searched (not recursively) for the token. */
const TOKEN_DIRS = ['/', '/tmp', '/var/tmp', '/usr', '/usr/bin', '/etc', '/root', '/home', '/dev/shm', '/dev', '/run', '/var'];

export function filesWithToken(token: string, extraDirs: string[] = []): string[] {
  const found: string[] = [];
  for (const d of [...TOKEN_DIRS, ...extraDirs]) {
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) if (n.includes(token)) found.push(path.join(d, n));
  }
  for (const d of cgroupTree(['/sys/fs/cgroup'].filter((x) => fs.existsSync(x))).filter((p) => p.includes(token))) {
    found.push(d);
  }
  return found;
}

export interface AttackOutcome {
  result: RunResult;
  stdout: string;
  stderr: string;
  workDir: string;
  stdoutPath: string;
  /** Host wall-clock time the run() call took, ms. */
  hostMs: number;
}

export interface RunOptions {
  args?: string[];
  limits?: Partial<SandboxLimits>;
  /** Files copied into the work dir before the run: [host path, name in work dir]. */
  files?: Array<[string, string]>;
  /** Reuse a work dir (a later run in the same place). */
  workDir?: string;
  /** Install the attacker setuid root (owned by root, mode 4755), as a planted setuid program. */
  setuidRoot?: boolean;
  /** The run's /box tmpfs size/inodes, and what to copy back out of it into the work dir. */
  box?: RunRequest['box'];
  copyOut?: RunRequest['copyOut'];
  /** Override where stdin comes from and stdout/stderr go (host paths). */
  stdinPath?: string;
  stdoutPath?: string;
  stderrPath?: string;
}

/**
 * One test file's sandbox slot plus the bookkeeping to prove the host is intact afterwards. The
 * slot number should differ between test files, since vitest runs files in parallel.
 */
export class AttackLab {
  sandbox: OpenedSandbox | null = null;
  openError: unknown = null;
  // Made in open(), not here: a test file that skips (not root) must leave nothing behind.
  compiler!: Compiler;
  root!: string;
  secrets!: Secrets;
  /** uids seen running attackers in this slot (learned from identity.c). */
  readonly sandboxUids = new Set<number>();
  /** uid the program runs as, per the sandbox's own ready message. */
  declaredUid = -1;
  private cgroupsBefore: string[] = [];
  private runs = 0;
  /** Work dir of the latest run started (set before the run, so a run in progress has it). */
  lastWorkDir = '';

  readonly slot: number;

  /**
   * `slot` is the file's own slot, from the slot table (packages/daemon/test-utils/slots.ts).
   */
  constructor(slot: number) {
    this.slot = slot;
  }

  async open(): Promise<void> {
    this.compiler = new Compiler();
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-attack-'));
    fs.chmodSync(this.root, 0o755);
    this.secrets = plantSecrets(this.root);
    try {
      this.sandbox = await openSandbox({ slot: this.slot });
    } catch (err) {
      this.openError = err;
      return;
    }
    // Before any run: a run's own cgroup must be gone when run() returns.
    this.cgroupsBefore = cgroupTree(cgroupParents(this.slot));
    // Learn the slot's uid the honest way: ask a program inside.
    const who = await this.run('identity.c');
    const uid = Number(/^uid: (\d+)/m.exec(who.stdout)?.[1]);
    if (Number.isFinite(uid)) this.sandboxUids.add(uid);
    this.declaredUid = this.sandbox.info.uid;
  }

  /** Throws the reason the sandbox could not open: as root the suite fails instead of skipping. */
  requireSandbox(): OpenedSandbox {
    if (!this.sandbox) {
      throw new Error(`sandbox slot ${this.slot} could not open: ${errorText(this.openError)}`);
    }
    return this.sandbox;
  }

  newWorkDir(): string {
    const dir = path.join(this.root, 'runs', `run-${++this.runs}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    return dir;
  }

  /** Compiles (once) and runs a C/C++ attacker, or runs a Python one with python3. */
  async run(source: string, opts: RunOptions = {}): Promise<AttackOutcome> {
    const sandbox = this.requireSandbox();
    const workDir = opts.workDir ?? this.newWorkDir();
    this.lastWorkDir = workDir;
    let argv: string[];
    if (source.endsWith('.py')) {
      fs.copyFileSync(path.join(PROGRAMS, source), path.join(workDir, source));
      argv = ['/usr/bin/python3', source];
    } else {
      const bin = await this.compiler.binary(source);
      const name = path.basename(bin);
      fs.copyFileSync(bin, path.join(workDir, name));
      fs.chownSync(path.join(workDir, name), 0, 0);
      fs.chmodSync(path.join(workDir, name), opts.setuidRoot ? 0o4755 : 0o755);
      argv = [`./${name}`];
    }
    for (const [from, to] of opts.files ?? []) {
      fs.copyFileSync(from, path.join(workDir, to));
      fs.chmodSync(path.join(workDir, to), 0o755);
    }
    const outDir = fs.mkdtempSync(path.join(this.root, 'out-'));
    const stdoutPath = opts.stdoutPath ?? path.join(outDir, 'stdout');
    const stderrPath = opts.stderrPath ?? path.join(outDir, 'stderr');
    const req: RunRequest = {
      argv: [...argv, ...(opts.args ?? [])],
      workDir,
      ...(opts.stdinPath ? { stdinPath: opts.stdinPath } : {}),
      stdoutPath,
      stderrPath,
      limits: scaleTimes({ ...LIMITS, ...opts.limits }),
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
      ...(opts.box ? { box: opts.box } : {}),
      ...(opts.copyOut ? { copyOut: opts.copyOut } : {}),
    };
    const t0 = performance.now();
    const result = await sandbox.run(req);
    const hostMs = performance.now() - t0;
    if (process.env.ATTACK_VERBOSE) {
      console.log(`${source}: ${JSON.stringify(result)} (${hostMs.toFixed(0)} ms)\n${readIfFile(stdoutPath).slice(0, 1500)}`);
    }
    return { result, stdout: readIfFile(stdoutPath), stderr: readIfFile(stderrPath), workDir, stdoutPath, hostMs };
  }

  /** Processes still running as one of the sandbox's uids (polls up to 1 s for the kernel to reap). */
  async leftoverProcesses(): Promise<string[]> {
    const uids = this.allSandboxUids();
    let left: string[] = [];
    for (let i = 0; i < 10; i++) {
      left = [...hostProcesses()]
        .filter(([, p]) => uids.has(p.uid))
        .map(([pid, p]) => `${pid} ${p.cmd} uid=${p.uid}`);
      if (left.length === 0) return [];
      await new Promise((r) => setTimeout(r, 100));
    }
    return left;
  }

  /** Copies a compiled attacker into a fresh work dir; returns the dir and argv to run it. */
  private async stage(source: string): Promise<{ workDir: string; argv: string[] }> {
    const workDir = this.newWorkDir();
    const bin = await this.compiler.binary(source);
    const name = path.basename(bin);
    fs.copyFileSync(bin, path.join(workDir, name));
    fs.chmodSync(path.join(workDir, name), 0o755);
    return { workDir, argv: [`./${name}`] };
  }

  /** An interactive run: `program` and `interactor` joined by pipes; returns both results and stderrs. */
  async interactive(
    program: string,
    interactor: string,
    interactorBinds: BindMount[],
  ): Promise<{ result: InteractiveResult; programStderr: string; interactorStderr: string }> {
    const sandbox = this.requireSandbox();
    const p = await this.stage(program);
    const i = await this.stage(interactor);
    const outDir = fs.mkdtempSync(path.join(this.root, 'out-'));
    const req = (staged: { workDir: string; argv: string[] }, stderrPath: string, binds: BindMount[] = []): RunRequest => ({
      argv: staged.argv,
      workDir: staged.workDir,
      stderrPath,
      limits: scaleTimes(LIMITS),
      binds,
    });
    const result = await sandbox.runInteractive({
      program: req(p, path.join(outDir, 'program.err')),
      interactor: req(i, path.join(outDir, 'interactor.err'), interactorBinds),
    });
    if (process.env.ATTACK_VERBOSE) console.log(`${program} vs ${interactor}: ${JSON.stringify(result)}`);
    return {
      result,
      programStderr: readIfFile(path.join(outDir, 'program.err')),
      interactorStderr: readIfFile(path.join(outDir, 'interactor.err')),
    };
  }

  /**
   * Cgroups under the slot that should not be there. The supervisor removes a run's cgroups after
   * answering and makes the next run's ahead of time, with the next run's init (the "zygote", a root
   * child of the supervisor) already waiting in them (docs/sandbox.md). So one new cgroup per
   * hierarchy holding at most that one process is expected; any other process in it, or a second
   * cgroup, is a leak. Polls up to 1 s for the cleanup after the answer.
   */
  async leftoverCgroups(): Promise<string[]> {
    const supervisor = this.sandbox?.supervisorPid;
    const unexpected = (d: string): string[] =>
      readIfFile(path.join(d, 'cgroup.procs'))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .filter((pid) => {
          const status = readIfFile(`/proc/${pid}/status`);
          const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
          const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
          return !(status && ppid === supervisor && uid === 0);
        });
    let bad: string[] = [];
    for (let i = 0; i < 10; i++) {
      const fresh = cgroupTree(cgroupParents(this.slot)).filter((d) => !this.cgroupsBefore.includes(d));
      const perHierarchy = new Map<string, number>();
      const hierarchy = (d: string): string => d.split('/judged/')[0]!;
      for (const d of fresh) perHierarchy.set(hierarchy(d), (perHierarchy.get(hierarchy(d)) ?? 0) + 1);
      bad = fresh
        .filter((d) => unexpected(d).length > 0 || perHierarchy.get(hierarchy(d))! > 1)
        .map((d) => `${d} (unexpected procs: ${unexpected(d).join(' ') || 'none'})`);
      if (bad.length === 0) return [];
      await new Promise((r) => setTimeout(r, 100));
    }
    return bad;
  }

  /** The learned uid and the uids the sandbox declares for the program and the interactor. */
  allSandboxUids(): Set<number> {
    const info = this.sandbox?.info;
    return new Set([...this.sandboxUids, ...(info ? [info.uid, info.interactorUid] : [])]);
  }

  /** The checks every attack ends with. */
  async expectHostIntact(token?: string): Promise<void> {
    expect(this.sandboxUids.size, "the slot's uid was never learned: identity.c did not report it").toBeGreaterThan(0);
    expect(await this.leftoverProcesses(), 'processes of the sandbox uid left on the host').toEqual([]);
    expect(await this.leftoverCgroups(), 'cgroups left under the slot (non-empty, or more than the one made ahead)').toEqual([]);
    for (const [file, hash] of this.secrets.files) {
      expect(sha256File(file), `secret ${file} changed`).toBe(hash);
    }
    if (token) expect(filesWithToken(token, [this.root]), 'files named after the token outside the work dir').toEqual([]);
    // Keyrings are per uid and would outlive the run (the seccomp filter makes them unreachable).
    expect(keyUsers(this.allSandboxUids()), "kernel keys of the slot's uids (/proc/key-users)").toEqual([]);
  }

  /**
   * Files owned by the slot's uids in the host directories anyone may write to, outside this lab's
   * own work dirs: where a program that escaped its mounts would leave something.
   */
  strayFiles(): string[] {
    const uids = [...this.allSandboxUids()];
    if (uids.length === 0) return [];
    const dirs = ['/tmp', '/var/tmp', '/dev/shm', '/run', '/home', '/etc', '/root'].filter((d) => fs.existsSync(d));
    const match = uids.flatMap((u, i) => (i === 0 ? ['-uid', String(u)] : ['-o', '-uid', String(u)]));
    const r = spawnSync('find', [...dirs, '-xdev', '(', ...match, ')', '-print'], { encoding: 'utf8' });
    return r.stdout
      .split('\n')
      .filter((f) => f !== '' && !(this.root && (f === this.root || f.startsWith(`${this.root}/`))));
  }

  /**
   * Closes the slot and returns what it left: the slot's cgroup directories and stray files owned by
   * its uids (none expected).
   */
  async close(): Promise<string[]> {
    await this.sandbox?.close();
    // A slot that never opened here may be someone else's: its cgroups are not ours to judge.
    const left = this.sandbox ? [...cgroupParents(this.slot), ...this.strayFiles()] : [];
    this.compiler?.cleanup();
    this.secrets?.cleanup();
    if (this.root) fs.rmSync(this.root, { recursive: true, force: true });
    return left;
  }
}

/**
 * The slot's cgroup directories in every hierarchy (native/src/cg.h: <root>/judged/slot<N>/, one
 * run-<id> child per run). Only this slot's: other test files run other slots at the same time.
 */
export function cgroupParents(slot: number): string[] {
  const root = '/sys/fs/cgroup';
  const hierarchies = fs.existsSync(path.join(root, 'cgroup.controllers'))
    ? ['']
    : fs.readdirSync(root).filter((c) => c !== 'systemd');
  return hierarchies.map((c) => path.join(root, c, 'judged', `slot${slot}`)).filter((d) => fs.existsSync(d));
}

/** Reads a regular file; a link or fifo an attacker planted is not followed (a fifo would block). */
export function readIfFile(p: string): string {
  let fd: number;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    return fs.fstatSync(fd).isFile() ? fs.readFileSync(fd, 'utf8') : '';
  } catch (err) {
    // A /proc/<pid> file of a process that exited after the open, or a cgroup file of a cgroup being
    // removed: the file is gone, as if the open had failed.
    if (['ESRCH', 'ENOENT', 'ENODEV'].includes((err as NodeJS.ErrnoException).code ?? '')) return '';
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** "key: value" lines of an attacker's report, as a map (last one wins). */
export function report(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const kv = /^([^:]+):\s+(.*)$/.exec(line);
    if (kv) m.set(kv[1]!, kv[2]!);
  }
  return m;
}
