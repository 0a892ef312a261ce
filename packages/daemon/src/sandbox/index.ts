/**
 * The sandbox driver: one long-lived supervisor per slot (native/src/supervisor.c explains why),
 * requests serialised per slot, answers parsed into RunResult. If the supervisor dies or hangs, the
 * run in flight fails with SandboxError and the next run starts a fresh supervisor.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePart, encodeRequest, parseResponse, stripWire, type WireResult } from './protocol.ts';
import { cgroupHome } from './cgroup-home.ts';
import { SupervisorProcess, type ReadyInfo } from './supervisor.ts';
import { scaleRequest, unscaleResult } from './time-scale.ts';
import {
  SandboxError,
  type InteractiveRequest,
  type InteractiveResult,
  type RunRequest,
  type RunResult,
  type Sandbox,
  type SandboxOptions,
} from './types.ts';

export * from './types.ts';

/** Where `make -C packages/daemon/native` puts the supervisor. */
export const DEFAULT_SUPERVISOR = fileURLToPath(new URL('../../native/build/judged-sandbox', import.meta.url));

/** Extra time the supervisor may take beyond a run's own wall limit before it is declared hung. */
const ANSWER_GRACE_MS = 15_000;

function supervisorArgs(opts: SandboxOptions): string[] {
  const args = ['--slot', String(opts.slot)];
  if (opts.cpus?.length) args.push('--cpus', opts.cpus.join(','));
  if (opts.cgroupRoot) args.push('--cgroup-root', opts.cgroupRoot);
  if (opts.cgroupParent) args.push('--cgroup-parent', opts.cgroupParent);
  if (opts.uidBase !== undefined) args.push('--uid-base', String(opts.uidBase));
  return args;
}

function checkOptions(opts: SandboxOptions): string {
  if (!Number.isInteger(opts.slot) || opts.slot < 0 || opts.slot > 999)
    throw new SandboxError(`SandboxOptions.slot must be an integer 0..999, got ${String(opts.slot)}`, 'request');
  for (const c of opts.cpus ?? [])
    if (!Number.isInteger(c) || c < 0) throw new SandboxError(`SandboxOptions.cpus: bad cpu number ${String(c)}`, 'request');
  if (opts.timeScale !== undefined && !(Number.isFinite(opts.timeScale) && opts.timeScale > 0))
    throw new SandboxError(`SandboxOptions.timeScale must be a positive number, got ${String(opts.timeScale)}`, 'request');
  if (opts.cgroupParent !== undefined && !/^[A-Za-z0-9_.-]+$/.test(opts.cgroupParent))
    throw new SandboxError(`SandboxOptions.cgroupParent must be a plain name, got '${opts.cgroupParent}'`, 'request');
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    throw new SandboxError(
      `the sandbox needs root (running as uid ${process.getuid()}): namespaces, cgroups and mounts need it; start judged as root`,
      'startup',
    );
  const binary = opts.supervisorPath ?? DEFAULT_SUPERVISOR;
  if (!existsSync(binary))
    throw new SandboxError(
      `the sandbox supervisor is not built (${binary} is missing): run \`make -C packages/daemon/native\` (pnpm setup does)`,
      'startup',
    );
  return binary;
}

class SlotSandbox implements Sandbox {
  readonly slot: number;
  /** time-scale.ts: limits go to the supervisor multiplied by it, times come back divided by it. */
  private readonly scale: number;
  private proc: SupervisorProcess | null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  info: ReadyInfo;

  constructor(
    private readonly opts: SandboxOptions,
    private readonly binary: string,
    started: { proc: SupervisorProcess; ready: ReadyInfo },
  ) {
    this.slot = opts.slot;
    this.scale = opts.timeScale ?? 1;
    this.proc = started.proc;
    this.info = started.ready;
  }

  /** Runs one job at a time on this slot, in call order. */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async supervisor(): Promise<SupervisorProcess> {
    if (this.closed) throw new SandboxError(`sandbox slot ${this.slot} is closed`, 'request');
    if (this.proc?.alive) return this.proc;
    // The old supervisor holds the slot lock until it is really gone.
    if (this.proc) await this.proc.exited;
    this.proc = null;
    const started = await SupervisorProcess.start({ binary: this.binary, args: supervisorArgs(this.opts) });
    this.proc = started.proc;
    this.info = started.ready;
    return this.proc;
  }

  private async send(op: 'run' | 'interactive', parts: string[][], wallMs: number, expected: number) {
    const proc = await this.supervisor();
    // A slow host is slow for the supervisor too.
    const line = await proc.request(encodeRequest(op, parts), wallMs + ANSWER_GRACE_MS * this.scale);
    return parseResponse(line, expected);
  }

  run(req: RunRequest): Promise<RunResult> {
    return this.serial(async () => {
      const scaled = scaleRequest(req, this.scale);
      const [r] = await this.send('run', [encodePart(scaled, 'run')], scaled.limits.wallTimeMs, 1);
      return unscaleResult(stripWire(r!), this.scale);
    });
  }

  runInteractive(req: InteractiveRequest): Promise<InteractiveResult> {
    return this.serial(async () => {
      const side = (r: RunRequest): RunRequest => scaleRequest({ ...r, stdinPath: undefined, stdoutPath: undefined }, this.scale);
      const program = side(req.program);
      const interactor = side(req.interactor);
      const parts = [encodePart(program, 'program'), encodePart(interactor, 'interactor')];
      const wall = Math.max(program.limits.wallTimeMs, interactor.limits.wallTimeMs);
      const [p, i] = await this.send('interactive', parts, wall, 2);
      return {
        program: unscaleResult(stripWire(p!), this.scale),
        interactor: unscaleResult(stripWire(i!), this.scale),
        firstExited: firstExited(p!, i!),
      };
    });
  }

  /** The supervisor's pid, for tests that check crash recovery. */
  get supervisorPid(): number | undefined {
    return this.proc?.pid;
  }

  close(): Promise<void> {
    return this.serial(async () => {
      this.closed = true;
      await this.proc?.close();
      this.proc = null;
    });
  }
}

/**
 * The supervisor keeps each side's pipe ends open until that side's end is recorded (native/src/
 * run.c, hold_pipes), so a side that reacts to the other's end (EOF, a write to a gone reader) is
 * always recorded after it: the end times give the causal order on any host, slow or fast. A program
 * killed by SIGPIPE had its reader gone, so the interactor had ended; kept as a rule of its own so
 * it holds on any clock.
 */
function firstExited(program: WireResult, interactor: WireResult): 'program' | 'interactor' {
  if (program.signal === SIGPIPE) return 'interactor';
  return interactor.endNs < program.endNs ? 'interactor' : 'program';
}

const SIGPIPE = 13;

export type OpenedSandbox = Sandbox & { readonly supervisorPid: number | undefined; readonly info: ReadyInfo };

/**
 * Starts the slot's supervisor. Throws SandboxError('startup') naming what is missing when this host
 * cannot isolate (not root, no cgroups, namespaces blocked, supervisor not built, slot in use).
 */
export async function openSandbox(given: SandboxOptions): Promise<OpenedSandbox> {
  const binary = checkOptions(given);
  // Without an explicit root: inside judged's own cgroup when systemd delegated it (cgroup-home.ts).
  const opts = given.cgroupRoot === undefined ? { ...given, cgroupRoot: cgroupHome(binary).root } : given;
  const started = await SupervisorProcess.start({ binary, args: supervisorArgs(opts) });
  return new SlotSandbox(opts, binary, started);
}
