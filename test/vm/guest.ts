/**
 * Runs one shell command as root inside a real Linux kernel booted under QEMU, on cgroup v2 (the
 * unified hierarchy our cgroup v1 CI host cannot give us), and returns its exit status and output.
 *
 * The guest is the host itself, seen read-only: prepare.sh fetches Debian's kernel and builds a busybox
 * initramfs whose init (init.sh) mounts the host's root and this checkout over 9p, each under a tmpfs
 * overlay (the guest writes to its own RAM, never to the host), mounts cgroup2, a tmpfs /tmp and
 * lo, and hands over to run.sh, which this module writes per run into a third share ("job").
 * The guest talks back on serial ports: ttyS0 the kernel console, ttyS1 the command's stdout
 * followed by a sentinel line with a per-run nonce and the exit code, ttyS2 its stderr.
 *
 * KVM is used when a quick probe boots with it (nested KVM may hang after the boot loader); else
 * TCG, about ten times slower, which is why the command gets JUDGED_TIME_SCALE (see timeScale()).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CHECKOUT = path.resolve(HERE, '../..');
const CACHE = process.env.JUDGED_VM_CACHE ?? path.join(CHECKOUT, '.cache/vm');

export type Accel = 'kvm' | 'tcg';

export interface GuestOptions {
  /** A /bin/sh command line, run in the checkout as root. */
  command: string;
  /** Added to the command's environment (PATH and HOME come from the host). */
  env?: Record<string, string>;
  /** Boot + run, after which QEMU is killed (default 20 min). */
  timeoutMs?: number;
  memoryMiB?: number;
  cpus?: number;
  /** Default: $JUDGED_VM_ACCEL, else the cached probe result, else a probe. */
  accel?: Accel;
  /** Called with the command's stdout as it arrives. */
  onStdout?: (chunk: string) => void;
}

export interface GuestResult {
  /** null when the guest never reported one (timeout, panic, init failure: see `failure`). */
  exitCode: number | null;
  failure?: string;
  stdout: string;
  stderr: string;
  /** The guest kernel's console (boot messages, OOM kills, panics). */
  console: string;
  /**
   * The kernel's lines about processes killed by a fault (segfault, general protection, invalid
   * opcode) while the command ran, with the faulting instruction's bytes: the evidence when a guest
   * command dies of a signal. Programs the tests crash on purpose show up here too.
   */
  faults: string[];
  accel: Accel;
  wallMs: number;
  /** Set when the first boot's command failed the emulator's way under TCG (emulatorFault) and this is the second boot's result. */
  retriedAfter?: string;
}

/**
 * Slow-down factor the guest's timing assertions scale their limits by: TCG emulates the CPU
 * (~10x slower than the host's), KVM runs it natively.
 */
export function timeScale(accel: Accel): number {
  return accel === 'kvm' ? 1 : 10;
}

/**
 * The emulated CPU under TCG: a named model with only the features TCG has emulated for a decade
 * (x86-64-v2: SSE4.2, POPCNT; no AVX), not `max`. With QEMU 7.2 (Debian 12) `max` offers AVX, AVX2,
 * FMA, F16C and VAES, whose TCG emulation first appeared in 7.2 and kept receiving fixes after it, next
 * to PKU, MPX and 3DNow!, a mix no real CPU has; V8's JIT and glibc's string functions pick their code
 * by these CPUID bits. Under `max`, CI saw `judged doctor` (node) die of SIGSEGV once in four runs.
 * Nehalem is also a model QEMU prints no "TCG doesn't support requested feature" warning for.
 * $JUDGED_VM_CPU picks another (e.g. to compare).
 */
const TCG_CPU = process.env.JUDGED_VM_CPU || 'Nehalem';

const EXIT = '@@judged-vm-exit';
const INIT_FAILED = '@@judged-vm-failed';
const FAULTS = '@@judged-vm-faults';

/** The kernel's fault reports in dmesg: x86 show_signal_msg ("segfault at", with a "Code:" line) and do_trap. */
const FAULT_LINE = /segfault at|general protection|traps:|invalid opcode|Code: /;

/** The fault lines run.sh copied to the console after the command (see runScript). */
export function parseFaults(consoleText: string): string[] {
  const text = consoleText.replace(/\r\n/g, '\n');
  const at = text.lastIndexOf(`${FAULTS}\n`);
  if (at < 0) return [];
  return text
    .slice(at + FAULTS.length + 1)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => FAULT_LINE.test(l));
}

/** "exit 139 (killed by SIGSEGV)": a shell reports a command a signal killed as 128 + the signal number. */
export function describeExit(code: number | null): string {
  if (code === null) return 'no exit status';
  const sig = code > 128 ? Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return sig ? `exit ${code} (killed by ${sig})` : `exit ${code}`;
}

/**
 * Splits the guest's ttyS1 stream into the command's stdout and its exit code. Only a sentinel with
 * this run's nonce counts, so nothing the command prints can fake one; no sentinel means the guest
 * died before the command finished (or init failed, which says so on the same port).
 */
export function parseGuestStdout(raw: string, nonce: string): { stdout: string; exitCode: number | null; failure?: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const m = new RegExp(`(^|\\n)${EXIT} ${nonce} (\\d+)\\n?$`).exec(text);
  if (m) return { stdout: text.slice(0, m.index + m[1]!.length), exitCode: Number(m[2]) };
  const init = new RegExp(`(^|\\n)${INIT_FAILED} (.*)`).exec(text);
  if (init) return { stdout: text.slice(0, init.index), exitCode: null, failure: `guest init failed: ${init[2]}` };
  return { stdout: text, exitCode: null, failure: 'the guest stopped without reporting an exit status' };
}

/** Installs what is missing and builds the initramfs (prepare.sh); returns the kernel and initrd paths. */
export function prepare(): { kernel: string; initrd: string } {
  const r = spawnSync('bash', [path.join(HERE, 'prepare.sh')], {
    encoding: 'utf8',
    env: { ...process.env, JUDGED_VM_CACHE: CACHE },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`test/vm/prepare.sh failed (exit ${r.status}): see its message above`);
  const get = (key: string): string => {
    const line = r.stdout.split('\n').find((l) => l.startsWith(`${key} `));
    if (!line) throw new Error(`test/vm/prepare.sh printed no ${key} line: ${r.stdout}`);
    return line.slice(key.length + 1);
  };
  return { kernel: get('kernel'), initrd: get('initrd') };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The guest's PID 1 after switch_root: the command, then the sentinel, then power off. */
function runScript(opts: GuestOptions, accel: Accel, nonce: string): string {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: os.homedir(),
    LANG: 'C.UTF-8',
    JUDGED_VM_GUEST: '1',
    JUDGED_TIME_SCALE: String(timeScale(accel)),
    ...opts.env,
  };
  return [
    '#!/bin/sh',
    '# Written by test/vm/guest.ts for one run.',
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `cd ${shellQuote(CHECKOUT)}`,
    // Through pipes, not straight to the serial ttys: a program that sees a terminal draws for one.
    `{ { /bin/sh -c ${shellQuote(opts.command)} </dev/null; echo $? >/run/judged-vm.rc; } 2>&1 1>&3 | cat >/dev/ttyS2; } 3>&1 | cat >/dev/ttyS1`,
    'rc=$(cat /run/judged-vm.rc)',
    // The console runs at "quiet" level: the kernel's fault reports (KERN_INFO) stay in dmesg unless copied.
    `{ echo ${FAULTS}; dmesg | grep -E '${FAULT_LINE.source}' | tail -n 60; } >/dev/ttyS0 2>&1`,
    `echo "${EXIT} ${nonce} $rc" >/dev/ttyS1`,
    'echo o >/proc/sysrq-trigger',
    'sleep 30',
    '',
  ].join('\n');
}

export async function runInGuest(opts: GuestOptions): Promise<GuestResult> {
  if (/[\s'"\\]/.test(CHECKOUT)) throw new Error(`test/vm: the checkout path '${CHECKOUT}' must not contain spaces or quotes`);
  const { kernel, initrd } = prepare();
  const accel = opts.accel ?? envAccel() ?? (await probedAccel(kernel, initrd));
  const first = await boot(opts, accel, kernel, initrd);
  const fault = accel === 'tcg' ? emulatorFault(first) : undefined;
  if (fault === undefined) return first;
  // Under TCG the guest's Node has died of SIGSEGV a few times in ~30 runs (doctor once in CI, verify
  // once in a rehearsal), with empty output and no fault line from the guest kernel, and once tsx's
  // lexer refused an installed zod file the host parses: the emulator's, not judged's (the same
  // commands pass on the host and on the next boot). One more boot, and the first failure is kept in
  // the result, so a fault that repeats still fails and both are reported.
  console.warn(`test/vm: the guest's command failed under TCG (${fault} after ${(first.wallMs / 1000).toFixed(0)} s, faults: ${first.faults.length}); booting once more`);
  const second = await boot(opts, accel, kernel, initrd);
  return { ...second, retriedAfter: `${fault} after ${(first.wallMs / 1000).toFixed(0)} s; faults: ${first.faults.join(' | ') || '(none)'}; stderr: ${first.stderr.slice(-400) || '(empty)'}` };
}

/** tsx's module lexer (es-module-lexer, WebAssembly) refusing a file: "Error: Parse error <path>:<line>:<col>". */
const LEXER_REFUSED = /^Error: Parse error (\S+):\d+:\d+$/m;

/**
 * Why a guest command's failure is the emulator's, or undefined when it may be judged's: it died of
 * a fault signal (SIGSEGV, SIGBUS, SIGILL), or the lexer refused an installed package's file
 * (node_modules is the host's, read-only and the same on every boot; only the emulated CPU differs).
 * A parse error in the project's own sources is never excused.
 */
export function emulatorFault(r: Pick<GuestResult, 'exitCode' | 'stderr'>): string | undefined {
  if (diedOfFault(r.exitCode)) return describeExit(r.exitCode);
  if (r.exitCode === 0) return undefined;
  const refused = LEXER_REFUSED.exec(r.stderr)?.[1];
  if (refused !== undefined && refused.split(path.sep).includes('node_modules')) {
    return `${describeExit(r.exitCode)}: the module lexer refused ${refused}`;
  }
  return undefined;
}

/** Whether a shell's exit code says the command died of a fault signal (SIGSEGV, SIGBUS, SIGILL). */
function diedOfFault(code: number | null): boolean {
  const c = os.constants.signals;
  return code !== null && [c.SIGSEGV, c.SIGBUS, c.SIGILL].some((n) => code === 128 + n);
}

function envAccel(): Accel | undefined {
  const a = process.env.JUDGED_VM_ACCEL;
  if (a === undefined || a === '') return undefined;
  if (a !== 'kvm' && a !== 'tcg') throw new Error(`JUDGED_VM_ACCEL must be kvm or tcg, got '${a}'`);
  return a;
}

/** KVM if a guest boots with it and runs `true` within 20 s (once per kernel; the answer is cached). */
async function probedAccel(kernel: string, initrd: string): Promise<Accel> {
  const file = path.join(CACHE, `accel-${path.basename(kernel)}`);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim() === 'kvm' ? 'kvm' : 'tcg';
  let accel: Accel = 'tcg';
  if (fs.existsSync('/dev/kvm')) {
    const r = await boot({ command: 'true', timeoutMs: 20_000 }, 'kvm', kernel, initrd);
    if (r.exitCode === 0) accel = 'kvm';
  }
  fs.writeFileSync(file, `${accel}\n`);
  return accel;
}

async function boot(opts: GuestOptions, accel: Accel, kernel: string, initrd: string): Promise<GuestResult> {
  const job = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-vm-'));
  const nonce = randomBytes(8).toString('hex');
  try {
    fs.writeFileSync(path.join(job, 'config.sh'), `CHECKOUT=${shellQuote(CHECKOUT)}\n`);
    fs.writeFileSync(path.join(job, 'run.sh'), runScript(opts, accel, nonce), { mode: 0o755 });
    const consoleLog = path.join(job, 'console.log');
    const stderrLog = path.join(job, 'stderr.log');
    const share = (dir: string, tag: string): string[] => [
      '-virtfs',
      `local,path=${dir},mount_tag=${tag},security_model=none,readonly=on,multidevs=remap`,
    ];
    const args = [
      ...(accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,thread=multi', '-cpu', TCG_CPU]),
      '-smp', String(opts.cpus ?? 2),
      '-m', String(opts.memoryMiB ?? 4096),
      '-kernel', kernel,
      '-initrd', initrd,
      // no_timer_check: on a loaded host the emulated CPU can miss the IO-APIC timer check, and the
      // kernel panics with "IO-APIC + timer doesn't work!" (seen here under TCG at load 15).
      // mitigations=off: TCG's CPU does not speculate, so Meltdown/Spectre mitigations guard nothing
      // here, and page-table isolation (an Intel model like TCG_CPU gets it) flushes TCG's soft TLB on
      // every system call: `judged doctor` took 3x as long with it.
      '-append', `console=ttyS0 quiet panic=-1 no_timer_check rdinit=/init${accel === 'tcg' ? ' mitigations=off' : ''}`,
      '-display', 'none', '-monitor', 'none', '-nic', 'none', '-no-reboot',
      '-serial', `file:${consoleLog}`,
      '-serial', 'stdio',
      '-serial', `file:${stderrLog}`,
      ...share('/', 'hostroot'),
      ...share(CHECKOUT, 'checkout'),
      ...share(job, 'job'),
    ];
    const t0 = performance.now();
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let raw = '';
    let qemuErr = '';
    qemu.stdout.setEncoding('utf8').on('data', (c: string) => {
      raw += c;
      opts.onStdout?.(c);
    });
    qemu.stderr.setEncoding('utf8').on('data', (c: string) => (qemuErr += c));
    // A test runner that gives up on us must not leave the guest running.
    const killOnExit = (): void => void qemu.kill('SIGKILL');
    process.once('exit', killOnExit);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      qemu.kill('SIGKILL');
    }, opts.timeoutMs ?? 20 * 60_000);
    const status = await new Promise<number | null>((resolve) => {
      qemu.on('error', (err) => {
        qemuErr += String(err);
        resolve(null);
      });
      qemu.on('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    process.off('exit', killOnExit);
    const wallMs = performance.now() - t0;
    const parsed = parseGuestStdout(raw, nonce);
    const result: GuestResult = {
      exitCode: parsed.exitCode,
      stdout: parsed.stdout,
      stderr: readIfThere(stderrLog).replace(/\r\n/g, '\n'),
      console: readIfThere(consoleLog),
      faults: [],
      accel,
      wallMs,
    };
    result.faults = parseFaults(result.console);
    if (parsed.exitCode === null) {
      result.failure = timedOut
        ? `timed out after ${opts.timeoutMs ?? 20 * 60_000} ms (QEMU killed)`
        : `${parsed.failure}; QEMU exit ${status}${qemuErr ? `: ${qemuErr.trim()}` : ''}`;
    }
    return result;
  } finally {
    fs.rmSync(job, { recursive: true, force: true });
  }
}

function readIfThere(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
