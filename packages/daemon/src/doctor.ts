/**
 * `judged doctor`: tells whether this host can judge, and what to do where it cannot.
 *
 * Three kinds of checks, in order: the host (root, cgroups, namespaces, the native supervisor, from
 * the sandbox's own probe so doctor and the sandbox never disagree), one real sandboxed run of
 * /bin/true (the final word: a host that passes every probe but cannot run is reported as broken),
 * and every configured language's compiler or runtime with its version. The exit code is 0 when the
 * sandbox can run, 1 otherwise; a missing language only disables that language.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLanguages, loadLanguages, type LanguageStatus } from './languages/index.ts';
import { probeHost, type HostCheck } from './sandbox/host.ts';
import { openSandbox } from './sandbox/index.ts';

export type CheckGroup = 'host' | 'sandbox' | 'language';

export interface Check {
  /** Stable id for scripts, e.g. "root", "cgroup.memory", "language.cpp". */
  id: string;
  group: CheckGroup;
  /** What was checked, in a few words. */
  title: string;
  ok: boolean;
  /** What was found: a version, a path, or the error. */
  detail: string;
  /** What to do when not ok. */
  fix?: string;
  /** Whether the sandbox cannot run without it (decides the exit code). */
  required: boolean;
}

export interface DoctorReport {
  /** The sandbox can run: every required check passed. */
  ok: boolean;
  host: { hostname: string; kernel: string; cpus: number; memoryMiB: number };
  checks: Check[];
}

export interface DoctorOptions {
  json?: boolean;
  /** Sandbox slot of the test run (default DOCTOR_SLOT; tests take theirs from the slot table). */
  slot?: number;
  /** Where the report goes (tests pass their own). */
  write?: (text: string) => void;
  /** languages.yaml to check instead of the built-in languages (`judged doctor --languages`). */
  languages?: string;
}

export async function runDoctor(opts: DoctorOptions): Promise<number> {
  const write = opts.write ?? ((t: string) => process.stdout.write(t));
  const report = await collectReport(opts.slot, opts.languages);
  write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return report.ok ? 0 : 1;
}

export async function collectReport(slot = DOCTOR_SLOT, languagesFile?: string): Promise<DoctorReport> {
  const checks: Check[] = await hostChecks();
  const run = await sandboxRunCheck(checks, slot);
  checks.push(run.check);
  if (run.uid !== undefined) checks.push(uidRangeCheck(run.uid - slot));
  checks.push(...(await languageChecks(languagesFile)));
  return {
    ok: checks.every((c) => c.ok || !c.required),
    host: {
      hostname: os.hostname(),
      kernel: os.release(),
      cpus: os.cpus().length,
      memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    },
    checks,
  };
}

/* ---------- host (from the sandbox's own probe) ---------- */

const HOST_TITLES: Record<string, string> = {
  root: 'running as root',
  supervisor: 'sandbox supervisor built',
  probe: 'sandbox supervisor probe',
  'cgroup.version': 'cgroup version',
  'cgroup.cpu': 'cgroup CPU accounting',
  'cgroup.memory': 'cgroup memory controller',
  'cgroup.swap': 'memory limit covers swap',
  'cgroup.pids': 'cgroup pids controller',
  'cgroup.cpuset': 'cgroup cpuset (CPU pinning)',
  'cgroup.peak': 'cgroup memory peak',
  'cgroup.home': "where the runs' cgroups live",
  'ns.pid': 'pid namespace',
  'ns.mount': 'mount namespace',
  'ns.network': 'network namespace',
  'ns.ipc': 'ipc namespace',
  'ns.uts': 'uts namespace',
  no_new_privs: 'no_new_privs',
};

async function hostChecks(): Promise<Check[]> {
  let probed: HostCheck[];
  try {
    probed = await probeHost();
  } catch (err) {
    return [
      {
        id: 'probe',
        group: 'host',
        title: HOST_TITLES.probe!,
        ok: false,
        detail: errorText(err),
        fix: 'rebuild the supervisor (make -C packages/daemon/native) and run judged doctor again',
        required: true,
      },
    ];
  }
  return probed.map((h) => {
    const check: Check = {
      id: h.name,
      group: 'host',
      title: HOST_TITLES[h.name] ?? h.name,
      ok: h.ok,
      detail: h.name === 'cgroup.version' ? withHybridNote(h.detail) : h.detail,
      required: h.required,
    };
    // The probe's detail already says what is wrong and what to do.
    if (!h.ok) check.fix = h.detail;
    return check;
  });
}

/** On a v1 host, says whether an (unused) cgroup2 hierarchy is mounted beside it: "hybrid". */
function withHybridNote(detail: string): string {
  const unified = '/sys/fs/cgroup/unified';
  if (!/v1/.test(detail) || !fs.existsSync(path.join(unified, 'cgroup.controllers'))) return detail;
  const ctrls = fs.readFileSync(path.join(unified, 'cgroup.controllers'), 'utf8').trim();
  return `${detail}; hybrid: cgroup2 at ${unified} with ${ctrls ? `controllers ${ctrls}` : 'no controllers'} (not used)`;
}

/* ---------- one real run ---------- */

/** Doctor's own slot, above any worker's, so it can run beside a live daemon. */
const DOCTOR_SLOT = 999;

/**
 * Opens a slot and runs `/bin/echo ok` in it: the only proof that everything the probe reported
 * works together (uids, mounts, cgroups, output capture).
 */
async function sandboxRunCheck(host: Check[], slot: number): Promise<{ check: Check; uid?: number }> {
  const base = { id: 'sandbox.run', group: 'sandbox' as const, title: 'a sandboxed run (/bin/echo ok)', required: true };
  const blocking = host.filter((c) => c.required && !c.ok);
  if (blocking.length > 0) {
    return {
      check: {
        ...base,
        ok: false,
        detail: `not tried: ${blocking.map((c) => c.id).join(', ')} failed`,
        fix: 'fix the host checks above first',
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-doctor-'));
  try {
    const workDir = path.join(dir, 'box');
    fs.mkdirSync(workDir);
    const stdoutPath = path.join(dir, 'stdout');
    const sandbox = await openSandbox({ slot: slot });
    try {
      const t0 = performance.now();
      const r = await sandbox.run({
        argv: ['/bin/echo', 'ok'],
        workDir,
        stdoutPath,
        limits: { cpuTimeMs: 2000, wallTimeMs: 5000, memoryKiB: 64 * 1024, processes: 8, outputKiB: 64 },
      });
      const ms = performance.now() - t0;
      const out = fs.readFileSync(stdoutPath, 'utf8');
      const ok = r.exitCode === 0 && r.limitHit === null && out === 'ok\n';
      const check: Check = {
        ...base,
        ok,
        detail: ok
          ? `slot ${slot}: exit 0, output captured, ${ms.toFixed(1)} ms`
          : `slot ${slot}: ${JSON.stringify(r)}, stdout ${JSON.stringify(out.slice(0, 80))}`,
        ...(ok ? {} : { fix: 'the probes pass but a run does not: see docs/sandbox.md and report this output' }),
      };
      return { check, uid: sandbox.info.uid };
    } finally {
      await sandbox.close();
    }
  } catch (err) {
    return {
      check: {
        ...base,
        ok: false,
        detail: errorText(err),
        fix: /already in use/.test(errorText(err))
          ? `another judged doctor holds slot ${slot}: wait for it and run again`
          : 'see the message; the host checks above say which part of the host is missing',
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/* ---------- rendering ---------- */

export function renderReport(report: DoctorReport): string {
  const rows = report.checks.map((c) => [c.ok ? 'ok' : c.required ? 'FAIL' : 'off', c.group, c.title, c.detail]);
  const head = ['', 'kind', 'check', 'found'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  // The last column (what was found) is never cut: it carries versions and paths.
  const line = (r: string[]): string =>
    r.map((cell, i) => (i === r.length - 1 ? oneLine(cell) : clip(cell, widths[i]!).padEnd(widths[i]!))).join('  ').trimEnd();
  const out: string[] = [];
  const h = report.host;
  out.push(`judged doctor: ${h.hostname}, Linux ${h.kernel}, ${h.cpus} CPUs, ${h.memoryMiB} MiB`);
  out.push('');
  out.push(line(head));
  for (const r of rows) out.push(line(r));
  const failed = report.checks.filter((c) => !c.ok && c.fix);
  if (failed.length > 0) {
    out.push('');
    out.push('What to do:');
    for (const c of failed) out.push(`  - ${c.title}${c.required ? '' : ' (optional)'}: ${c.fix}`);
  }
  out.push('');
  out.push(
    report.ok
      ? 'The sandbox can run on this host.'
      : 'The sandbox cannot run on this host: fix the FAIL lines above, then run `judged doctor` again.',
  );
  return `${out.join('\n')}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ');
}

function clip(s: string, width: number): string {
  const one = oneLine(s);
  return one.length <= width ? one : `${one.slice(0, width - 1)}…`;
}

/* ---------- sandbox uids ---------- */

/** Slots 0..999 run as base + slot, their interactors as base + 1000 + slot (docs/sandbox.md). */
const UID_SPAN = 2000;

/**
 * Accounts of /etc/passwd whose uid falls in [from, to): a real user sharing a sandbox uid could
 * signal sandboxed programs and read what they write, and they could signal its processes.
 */
export function accountsInRange(passwd: string, from: number, to: number): string[] {
  const found: string[] = [];
  for (const line of passwd.split('\n')) {
    const [name, , uid] = line.split(':');
    const n = Number(uid);
    if (name && uid !== undefined && uid !== '' && Number.isInteger(n) && n >= from && n < to) found.push(`${name} (${n})`);
  }
  return found;
}

function uidRangeCheck(base: number): Check {
  const from = base;
  const to = base + UID_SPAN;
  let passwd = '';
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    // no passwd file: no account can collide
  }
  const clash = accountsInRange(passwd, from, to);
  return {
    id: 'sandbox.uids',
    group: 'sandbox',
    title: 'sandbox uids free of accounts',
    ok: clash.length === 0,
    detail: clash.length === 0 ? `no account in ${from}-${to - 1}` : `accounts in the sandbox's uid range ${from}-${to - 1}: ${clash.join(', ')}`,
    ...(clash.length === 0
      ? {}
      : { fix: `move those accounts, or give the sandbox another uid base (SandboxOptions.uidBase / --uid-base)` }),
    required: true,
  };
}

/* ---------- languages ---------- */

/**
 * One check per configured language (the judging engine's own list and resolution), with the first
 * line of its version output. Never required: a host without Java can still judge C.
 */
async function languageChecks(file?: string): Promise<Check[]> {
  let statuses: LanguageStatus[];
  try {
    statuses = await checkLanguages(loadLanguages(file));
  } catch (err) {
    return [
      {
        id: 'languages',
        group: 'language',
        title: 'language configuration',
        ok: false,
        detail: errorText(err),
        fix: 'fix the languages configuration named in the message',
        required: false,
      },
    ];
  }
  return statuses.map((s) => languageCheck(s));
}

function languageCheck(s: LanguageStatus): Check {
  const l = s.language;
  const exe = (l.compile ?? l.version)[0] ?? '';
  const check: Check = {
    id: `language.${l.id}`,
    group: 'language',
    title: l.name,
    ok: s.available,
    detail: s.available ? s.detail : s.detail.split(' — ')[0]!,
    required: false,
  };
  if (!s.available) {
    // The loader's message already says what to do after " — "; keep one fix line either way.
    const fix = s.detail.split(' — ').slice(1).join(' — ');
    check.fix = fix || `install ${l.name} (${path.basename(exe)}) under /usr/bin, or remove ${l.id} in languages.yaml`;
  }
  return check;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
