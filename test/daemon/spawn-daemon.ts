/**
 * Starts a real `judged` process for end-to-end tests: a temp --data dir, the example problems, a free
 * loopback port. One node process (tsx as an --import hook), so kill -9 really kills the daemon and
 * leaves no orphan behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(repoRoot, 'packages/daemon/src/cli.ts');

export interface DaemonOptions {
  problems?: string;
  contest?: string;
  /** Reuse a data dir (restart after a crash); a fresh temp dir otherwise. */
  data?: string;
  port?: number;
  workers?: number;
  /**
   * First sandbox slot (JUDGED_SLOT_BASE). Slots are per host: give each daemon a test starts its own
   * range, away from the sandbox tests' slots (40-59) and the attack suite's.
   */
  slotBase?: number;
  env?: Record<string, string>;
  /** More judged options, e.g. ['--printer', 'lab1']. */
  args?: string[];
  /** Options for node itself, before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

export interface RunningDaemon {
  proc: ChildProcess;
  port: number;
  data: string;
  url: string;
  wsUrl: string;
  /** Everything the daemon wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait for exit. */
  kill9(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'judged-e2e-'));
}

/** Every daemon this process started and not yet seen exit: killed when this process exits, so a test that times out leaves none behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export async function startDaemonProcess(opts: DaemonOptions = {}): Promise<RunningDaemon> {
  const port = opts.port ?? (await freePort());
  const data = opts.data ?? tempDataDir();
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', cliPath, '--problems', opts.problems ?? path.join(repoRoot, 'problems')];
  if (opts.contest) args.push('--contest', opts.contest);
  args.push('--data', data, '--host', '127.0.0.1', '--port', String(port));
  if (opts.workers) args.push('--workers', String(opts.workers));
  if (opts.args) args.push(...opts.args);
  const proc = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, JUDGED_LOG_LEVEL: 'info', ...(opts.slotBase !== undefined ? { JUDGED_SLOT_BASE: String(opts.slotBase) } : {}), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  let out = '';
  proc.stdout!.on('data', (d) => (out += String(d)));
  proc.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let ready = false;
  while (!ready) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`judged exited before it was ready (code ${proc.exitCode}):\n${out}`);
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`judged was not ready within the timeout:\n${out}`);
    }
    try {
      ready = (await fetch(`${url}/healthz`)).status === 200;
    } catch {
      // not listening yet
    }
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }

  return {
    proc,
    port,
    data,
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

export interface Credential {
  role: string;
  username: string;
  password: string;
}

/** The logins the daemon printed at its first start (the banner's "  <role>  <username>  <password>" lines). */
export function parseCredentials(output: string): Map<string, Credential> {
  const out = new Map<string, Credential>();
  for (const line of output.split('\n')) {
    const m = /^ {2}(team|judge|admin|balloon) +(\S+) +(\S+)$/.exec(line);
    if (m) out.set(m[2]!, { role: m[1]!, username: m[2]!, password: m[3]! });
  }
  return out;
}

/** Polls until cond() is true or the time is up. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
