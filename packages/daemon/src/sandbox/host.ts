/**
 * What this host offers the sandbox, for `judged doctor`. The facts come from the supervisor's own
 * `probe` mode (the same code that later creates the namespaces and cgroups), so the doctor and the
 * sandbox cannot disagree. Without a built supervisor, only root and the binary itself are reported.
 */
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { DEFAULT_SUPERVISOR } from './index.ts';
import { cgroupHome } from './cgroup-home.ts';

export interface HostCheck {
  /** Stable id: root, supervisor, cgroup.version, cgroup.cpu, cgroup.memory, cgroup.swap, cgroup.pids,
   * cgroup.cpuset, cgroup.peak, ns.pid, ns.mount, ns.network, ns.ipc, ns.uts, no_new_privs, seccomp. */
  name: string;
  ok: boolean;
  /** What was found, or what is wrong and what to do. */
  detail: string;
  /** The sandbox refuses to run without it (the others degrade accounting or pinning). */
  required: boolean;
}

export interface ProbeOptions {
  supervisorPath?: string;
  cgroupRoot?: string;
}

const REQUIRED_CGROUP = new Set(['version', 'cpu', 'memory', 'pids']);

const NS_FIX =
  'run judged as root on the host; inside a container it needs --privileged (CAP_SYS_ADMIN and a seccomp ' +
  'profile that allows clone/unshare with namespace flags)';

export async function probeHost(opts: ProbeOptions = {}): Promise<HostCheck[]> {
  const checks: HostCheck[] = [];
  const uid = process.getuid?.() ?? -1;
  checks.push({
    name: 'root',
    ok: uid === 0,
    detail: uid === 0 ? 'running as root' : `running as uid ${uid}: start judged as root`,
    required: true,
  });
  const binary = opts.supervisorPath ?? DEFAULT_SUPERVISOR;
  const built = existsSync(binary);
  checks.push({
    name: 'supervisor',
    ok: built,
    detail: built ? binary : `${binary} missing: run \`make -C packages/daemon/native\``,
    required: true,
  });
  if (!built) return checks;
  // The probe looks where the runs will live: the delegated cgroup or the mount (cgroup-home.ts).
  let cgroupRoot = opts.cgroupRoot;
  if (cgroupRoot === undefined) {
    try {
      const home = cgroupHome(binary);
      cgroupRoot = home.root;
      checks.push({ name: 'cgroup.home', ok: true, detail: `runs' cgroups under ${home.detail}`, required: false });
    } catch (err) {
      checks.push({ name: 'cgroup.home', ok: false, detail: `cannot place the runs' cgroups: ${(err as Error).message}`, required: true });
      return checks;
    }
  }
  const args = ['probe', ...(cgroupRoot ? ['--cgroup-root', cgroupRoot] : [])];
  const r = await execa(binary, args, { reject: false, timeout: 10_000 });
  let probe: {
    namespaces?: Record<string, string>;
    noNewPrivs?: boolean;
    seccomp?: string;
    cgroups?: Record<string, { ok: boolean; detail: string }>;
  };
  try {
    probe = JSON.parse(r.stdout) as typeof probe;
  } catch {
    checks.push({ name: 'probe', ok: false, detail: `supervisor probe failed: ${r.stderr || r.stdout || r.message}`, required: true });
    return checks;
  }
  for (const [name, c] of Object.entries(probe.cgroups ?? {}))
    checks.push({ name: `cgroup.${name}`, ok: c.ok, detail: c.detail, required: REQUIRED_CGROUP.has(name) });
  for (const [name, err] of Object.entries(probe.namespaces ?? {}))
    checks.push({
      name: `ns.${name}`,
      ok: err === '',
      detail: err === '' ? `${name} namespace created` : `cannot create a ${name} namespace: ${err}; ${NS_FIX}`,
      required: true,
    });
  checks.push({
    name: 'no_new_privs',
    ok: probe.noNewPrivs === true,
    detail: probe.noNewPrivs ? 'PR_SET_NO_NEW_PRIVS works' : 'PR_SET_NO_NEW_PRIVS failed (kernel older than 3.5?)',
    required: true,
  });
  checks.push({
    name: 'seccomp',
    ok: probe.seccomp === '',
    detail:
      probe.seccomp === ''
        ? 'system-call filter loads and refuses a user namespace'
        : `system-call filter: ${probe.seccomp ?? 'not reported by this supervisor'} (needs a kernel with CONFIG_SECCOMP_FILTER; rebuild with libseccomp-dev)`,
    required: true,
  });
  return checks;
}
