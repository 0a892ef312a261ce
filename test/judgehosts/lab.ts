/**
 * A private network for the judgehost suite and bench: a bridge in the host's namespace with an
 * address on a private /24, and one network namespace per machine (daemon, judgehosts) joined to the
 * bridge by a veth pair. Everything is named with one prefix, so destroy() removes exactly what this
 * run made and leftovers() can prove it. Processes enter a namespace with nsenter --net only (ip
 * netns exec would remount /sys and hide the cgroup tree the sandbox needs).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface Machine {
  name: string;
  netns: string;
  ip: string;
}

export interface Lab {
  prefix: string;
  /** The host's address on the bridge (Redis listens here). */
  hostIp: string;
  machines: Map<string, Machine>;
  /** Starts cmd inside the machine's network namespace; the child is the command itself (kill -9 kills it). */
  spawnIn(machine: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess;
  destroy(): void;
  /** Namespaces and links with this lab's prefix still present (empty after destroy). */
  leftovers(): string[];
}

function ip(...args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

export function toolsMissing(): string[] {
  return ['ip', 'nsenter', 'redis-server'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
}

/** subnet: the third octet of 10.254.X.0/24 (refused when the host already routes it). */
export function createLab(prefix: string, subnet: number, names: string[]): Lab {
  if (!/^[a-z0-9]{2,8}$/.test(prefix)) throw new Error('lab prefix: 2..8 lowercase letters or digits (interface names are short)');
  const net = `10.254.${subnet}`;
  if (ip('-4', 'route').includes(`${net}.`)) throw new Error(`${net}.0/24 is already routed on this host: pick another subnet`);
  const bridge = `${prefix}br`;
  const lab: Lab = {
    prefix,
    hostIp: `${net}.1`,
    machines: new Map(),
    spawnIn(machine, cmd, args, env) {
      const m = lab.machines.get(machine);
      if (!m) throw new Error(`no machine ${machine}`);
      return spawn('nsenter', [`--net=/run/netns/${m.netns}`, '--', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    },
    destroy() {
      for (const m of lab.machines.values()) {
        spawnSync('ip', ['link', 'del', `${prefix}${m.name}`]);
        spawnSync('ip', ['netns', 'del', m.netns]);
      }
      spawnSync('ip', ['link', 'del', bridge]);
    },
    leftovers() {
      const netns = ip('netns', 'list').split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`${prefix}-`));
      const links = ip('-o', 'link').split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(prefix));
      return [...netns.map((n) => `netns ${n}`), ...links.map((l) => `link ${l}`)];
    },
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${lab.hostIp}/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    names.forEach((name, i) => {
      const m: Machine = { name, netns: `${prefix}-${name}`, ip: `${net}.${10 + i}` };
      lab.machines.set(name, m);
      const host = `${prefix}${name}`;
      if (host.length > 15) throw new Error(`interface name ${host} is too long`);
      ip('netns', 'add', m.netns);
      ip('link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', m.netns);
      ip('link', 'set', host, 'master', bridge);
      ip('link', 'set', host, 'up');
      ip('-n', m.netns, 'addr', 'add', `${m.ip}/24`, 'dev', 'eth0');
      ip('-n', m.netns, 'link', 'set', 'eth0', 'up');
      ip('-n', m.netns, 'link', 'set', 'lo', 'up');
    });
  } catch (err) {
    lab.destroy();
    throw err;
  }
  return lab;
}
