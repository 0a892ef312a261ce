/**
 * Where the runs' cgroups go on cgroup v2. systemd's rule (its "Control Group APIs and Delegation"
 * document): a unit with Delegate=yes owns the subtree below its cgroup and may build it as it likes;
 * nothing else in the hierarchy is its to write, and systemd marks such a cgroup with the xattr
 * trusted.delegate=1 (>= 251). So when judged runs in a delegated cgroup, the runs live inside it:
 * judged first moves every process of its own cgroup into a leaf <unit>/daemon, because the kernel's
 * "no internal processes" rule lets a cgroup hand controllers to children only while it has no
 * processes itself; the supervisors then build <unit>/judged/slot<N>/r<id>. Anywhere else (no
 * systemd, a unit without Delegate=yes, cgroup v1 or hybrid) they go to <mount>/judged, the
 * root-owned default isolate and DOMjudge's judgehost use too.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface CgroupHome {
  /** The directory the supervisor builds <parent>/slot<N> under (its --cgroup-root). */
  root: string;
  where: 'delegated' | 'mount';
  /** What was found, for `judged doctor`. */
  detail: string;
}

/** The leaf judged's own processes move into inside a delegated cgroup. */
export const DAEMON_LEAF = 'daemon';

const cache = new Map<string, CgroupHome>();

/**
 * The home for this process (computed once; the move into the leaf happens on the first call).
 * `supervisor` is the judged-sandbox binary, which reads the delegation xattr (Node cannot).
 */
export function cgroupHome(supervisor: string, mount = '/sys/fs/cgroup'): CgroupHome {
  let home = cache.get(mount);
  if (!home) {
    home = findHome(supervisor, mount);
    cache.set(mount, home);
  }
  return home;
}

function findHome(supervisor: string, mount: string): CgroupHome {
  const atMount = (detail: string): CgroupHome => ({ root: mount, where: 'mount', detail });
  if (!fs.existsSync(path.join(mount, 'cgroup.controllers'))) return atMount(`${mount} (not the cgroup v2 unified hierarchy)`);
  const self = ownCgroup();
  if (self === null || self === '/') return atMount(`${mount} (judged runs in the root cgroup)`);
  let unit = path.join(mount, self);
  // Moved already (an earlier process of this service, or the daemon restarting in place).
  if (path.basename(unit) === DAEMON_LEAF && isDelegated(supervisor, path.dirname(unit))) unit = path.dirname(unit);
  else if (!isDelegated(supervisor, unit))
    return atMount(`${mount} (judged's cgroup ${self} is not delegated: with systemd, Delegate=yes in the unit keeps the runs inside it)`);
  moveProcessesToLeaf(unit);
  return { root: unit, where: 'delegated', detail: `${unit} (delegated by systemd; judged itself moved to ${DAEMON_LEAF}/)` };
}

/** This process's cgroup v2 path ("0::<path>" in /proc/self/cgroup), or null without one. */
function ownCgroup(): string | null {
  const line = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3).trim() : null;
}

function isDelegated(supervisor: string, dir: string): boolean {
  return spawnSync(supervisor, ['delegated', dir], { stdio: 'ignore' }).status === 0;
}

/** Every process of `unit` into unit/daemon, until none is left (one may fork while we move). */
function moveProcessesToLeaf(unit: string): void {
  const leaf = path.join(unit, DAEMON_LEAF);
  fs.mkdirSync(leaf, { recursive: true });
  for (let round = 0; round < 10; round++) {
    const pids = fs.readFileSync(path.join(unit, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        fs.writeFileSync(path.join(leaf, 'cgroup.procs'), pid);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // gone meanwhile
      }
    }
  }
  throw new Error(`cannot empty ${unit}: processes keep appearing in it (judged needs it empty to create the runs' cgroups below it)`);
}
