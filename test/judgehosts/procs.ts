/** Processes of the judgehost suite and bench: judged (daemon or judgehost) in a lab machine or here, and Redis. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath, repoRoot } from '../daemon/spawn-daemon.ts';
import type { Lab } from './lab.ts';

export interface Proc {
  proc: ChildProcess;
  output(): string;
  alive(): boolean;
  kill9(): Promise<void>;
  /** SIGTERM (SIGINT for a judgehost: the drain) and wait; SIGKILL after graceMs. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

/** Every process started here, killed when the test process exits so none outlives a timed-out run. */
export const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function track(proc: ChildProcess): Proc {
  started.add(proc);
  let out = '';
  proc.stdout?.on('data', (d) => (out += String(d)));
  proc.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const alive = (): boolean => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    output: () => out,
    alive,
    async kill9() {
      if (alive()) proc.kill('SIGKILL');
      await exited;
    },
    async stop(signal = 'SIGTERM', graceMs = 20_000) {
      if (alive()) proc.kill(signal);
      const t = setTimeout(() => alive() && proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

const judgedEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, JUDGED_LOG_LEVEL: 'info', ...env, PWD: repoRoot });

export function judgedIn(lab: Lab, machine: string, args: string[], env: Record<string, string>): Proc {
  return track(lab.spawnIn(machine, process.execPath, ['--import', 'tsx', cliPath, ...args], judgedEnv(env)));
}

/** judged (daemon or judgehost) in this host's namespace, as the bench runs it. */
export function judgedHere(args: string[], env: Record<string, string>): Proc {
  return track(spawn(process.execPath, ['--import', 'tsx', cliPath, ...args], { env: judgedEnv(env), cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** redis-server in the host namespace on the lab's bridge address only, with a password, nothing saved. */
export function redisOn(host: string, port: number, password: string): Proc {
  return redis(['--bind', host, '--port', String(port), '--requirepass', password]);
}

/** redis-server on a private unix socket only (mode 700), nothing saved. */
export function redisOnSocket(socket: string): Proc {
  return redis(['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700']);
}

function redis(listen: string[]): Proc {
  return track(spawn('redis-server', [...listen, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot }));
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, why: () => string = () => ''): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A metric's value from /metrics text, or null. */
export function metric(text: string, name: string, labels = ''): number | null {
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `) || (labels === '' && l.startsWith(`${name}{`)));
  return line ? Number(line.split(' ').at(-1)) : null;
}
