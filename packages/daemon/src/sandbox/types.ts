/**
 * The contract between the judging engine and the sandbox. Units are in every name (ms, KiB) so a
 * caller never has to guess. The sandbox reports what happened as data; the caller (judging) decides
 * the verdict.
 */

export interface SandboxLimits {
  /** CPU time summed over every process and thread of the run (from the cgroup). */
  cpuTimeMs: number;
  /** Wall-clock time from exec to the last process gone. */
  wallTimeMs: number;
  /** Memory (cgroup, swap included where the kernel allows). */
  memoryKiB: number;
  /** Processes + threads alive at once (pids controller). */
  processes: number;
  /** Bytes written to stdout (captured) and any single file (RLIMIT_FSIZE). */
  outputKiB: number;
  /** RLIMIT_STACK; defaults to memoryKiB when omitted. */
  stackKiB?: number;
  /** RLIMIT_NOFILE. */
  openFiles?: number;
}

export interface BindMount {
  /** Path on the host. */
  host: string;
  /** Path inside the sandbox. */
  inside: string;
  writable?: boolean;
}

/** The run's /box: a tmpfs of its own (pages charged to the run's memory limit). */
export interface BoxLimits {
  /** Size of /box; default half the memory limit, at most 256 MiB (writes beyond fail with ENOSPC). */
  sizeKiB?: number;
  /** Files + directories /box may hold; default 16384. */
  inodes?: number;
}

export interface RunRequest {
  /** argv[0] is resolved inside the sandbox (PATH search as in execvp). */
  argv: string[];
  env?: Record<string, string>;
  /**
   * Host directory whose files are copied into the run's /box (its cwd) before the program starts:
   * regular files and directories only, modes kept. The run never writes it: /box is a fresh tmpfs
   * per run, gone when the run ends; only `copyOut` brings files back.
   */
  workDir: string;
  box?: BoxLimits;
  /**
   * Copied from /box back into workDir by the supervisor once every process of the run is gone:
   * relative paths of files, or 'all' (the whole tree). Regular files only, no symlink followed,
   * at most 4096 files and outputKiB in all; a file the run did not make is simply not copied, and
   * when a cap cut the copy short `notes` say so.
   */
  copyOut?: string[] | 'all';
  /** Host paths; stdin defaults to /dev/null, stdout/stderr to discarded. */
  stdinPath?: string;
  stdoutPath?: string;
  stderrPath?: string;
  limits: SandboxLimits;
  /** Extra read-only (or writable) binds, e.g. a compiled validator or the test data file. */
  binds?: BindMount[];
}

/** Which limit ended the run, if any. */
export type LimitHit = 'time' | 'wall' | 'memory' | 'output' | 'processes' | null;

export interface RunResult {
  /** Exit code when the program exited normally, else null. */
  exitCode: number | null;
  /** Signal number that killed the program (e.g. 9, 11), else null. */
  signal: number | null;
  cpuTimeMs: number;
  wallTimeMs: number;
  /** Peak memory of the run's cgroup. */
  memoryKiB: number;
  limitHit: LimitHit;
  /** Bytes the program wrote to stdout (before truncation). */
  outputBytes: number;
  /** Non-fatal notes from the sandbox, e.g. "memory peak approximated: no memory.peak on this kernel". */
  notes?: string[];
}

/**
 * Why the sandbox failed: 'startup' (cannot isolate on this host: not root, no cgroups, namespaces
 * blocked; the message says what to do), 'request' (the caller passed an invalid RunRequest),
 * 'exec' (argv[0] could not be executed inside the sandbox), 'sandbox' (the supervisor failed during
 * a run), 'crash' (the supervisor process died or hung; it is restarted for the next run), 'busy'
 * (the slot number is held by another supervisor on this host: try another slot).
 */
export type SandboxErrorKind = 'startup' | 'request' | 'exec' | 'sandbox' | 'crash' | 'busy';

/** Thrown when the sandbox itself failed (not the program): maps to the JE verdict. */
export class SandboxError extends Error {
  override name = 'SandboxError';
  readonly kind: SandboxErrorKind;
  constructor(message: string, kind: SandboxErrorKind = 'sandbox') {
    super(message);
    this.kind = kind;
  }
}

/** Two programs joined by pipes (interactive problems): a.stdout -> b.stdin and b.stdout -> a.stdin. */
export interface InteractiveRequest {
  /** The submission; its stdinPath/stdoutPath are ignored (the pipes take their place). */
  program: RunRequest;
  /** The interactor (output validator); its stdinPath/stdoutPath are ignored likewise. */
  interactor: RunRequest;
}

export interface InteractiveResult {
  program: RunResult;
  interactor: RunResult;
  /**
   * Which side ended first: 'interactor' only when it ended clearly (50 ms) before the program, or
   * the program died of SIGPIPE (its reader was gone); a closer finish is the program's, since the
   * two end times race when one side's end makes the other end. The verdict rules use it to decide
   * whether the interactor's verdict came before the program's failure (judging/verdict.ts).
   */
  firstExited: 'program' | 'interactor';
}

export interface SandboxOptions {
  /** Slot number: each slot has its own uid/gid, cgroups and work area; parallel slots share nothing. */
  slot: number;
  /** Pin the slot's runs to these CPUs (cpuset), for stable timings. */
  cpus?: number[];
  /** The supervisor binary; defaults to packages/daemon/native/build/judged-sandbox. */
  supervisorPath?: string;
  /** Where cgroups are mounted (default /sys/fs/cgroup); v1 vs v2 is detected under it. */
  cgroupRoot?: string;
  /** Name of the parent cgroup created under the root (default "judged"). */
  cgroupParent?: string;
  /** Runs use uid/gid uidBase+slot (interactors uidBase+1000+slot); default 60000. */
  uidBase?: number;
  /**
   * How many times slower this host runs programs than the machine the limits are meant for
   * (default 1): CPU and wall limits are multiplied by it, reported times divided (time-scale.ts).
   */
  timeScale?: number;
}

/** One slot's sandbox (a long-lived supervisor). Runs on one slot are serialised. */
export interface Sandbox {
  readonly slot: number;
  run(req: RunRequest): Promise<RunResult>;
  runInteractive(req: InteractiveRequest): Promise<InteractiveResult>;
  close(): Promise<void>;
}
