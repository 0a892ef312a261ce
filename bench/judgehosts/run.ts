/**
 * Judgehost benchmark: judging through BullMQ on Redis against the embedded queue, on this machine.
 *
 *   latency     one submission at a time (submit sent -> the team's verdict event), first with the
 *               daemon's own embedded worker (the baseline: no Redis), then with one judgehost over
 *               Redis; "added" is the difference of the medians (and of the p95s)
 *   throughput  bursts of submissions with 1, 2 and 4 judgehosts (--workers 1 each): judgings per
 *               minute from the first submit to the last verdict, against k x the 1-judgehost figure
 *
 * The workload is wall-bound (test-utils/nap-problem.ts: every test's program sleeps 200 ms), so a
 * 2-core machine can show judgehosts scaling; the judgehosts are local processes (no netns: the
 * network is loopback and a unix socket either way). Redis is Debian's redis-server on a private unix
 * socket (scripts/test-tools.sh installs it). Run as root with the sandbox built:
 *
 *   pnpm bench:judgehosts [--rounds 3] [--per-host 5] [--latency 10] [--tests 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { TestClient } from '../../test/daemon/client.ts';
import { freePort, parseCredentials } from '../../test/daemon/spawn-daemon.ts';
import { judgedHere, metric, redisOnSocket, started, until, type Proc } from '../../test/judgehosts/procs.ts';
import { napSource, writeNapProblem } from '../../packages/daemon/test-utils/nap-problem.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'per-host': { type: 'string', default: '5' },
    latency: { type: 'string', default: '10' },
    tests: { type: 'string', default: '3' },
  },
});
const ROUNDS = Number(values.rounds);
const PER_HOST = Number(values['per-host']);
const LATENCY_RUNS = Number(values.latency);
const BENCH_TEAMS = 16; // logins from one address stay within its burst of 20
const NAP_MS = 200;
const HOSTS = [1, 2, 4];
// The daemon (its data check, and the baseline's one worker) on benchJudgehosts; the judgehosts on
// the next two and then on bench/judging's first two (benches never run at once).
const DAEMON_SLOT = testSlot('benchJudgehosts');
const HOST_SLOTS = [DAEMON_SLOT + 1, DAEMON_SLOT + 2, testSlot('benchJudging'), testSlot('benchJudging') + 1];

if (process.getuid?.() !== 0) throw new Error('run as root (the sandbox needs it)');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-bench-judgehosts-'));
writeNapProblem(path.join(work, 'problems'), Number(values.tests));
const env = (slot: number): Record<string, string> => ({ JUDGED_SLOT_BASE: String(slot), JUDGED_NO_PIN: '1', JUDGED_LOG_LEVEL: 'warn' });
const load = (): string => execFileSync('uptime', { encoding: 'utf8' }).trim();

const at = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]): number => at(xs, 0.5);
const ms = (x: number): string => `${x.toFixed(0)} ms`;

interface Daemon {
  proc: Proc;
  port: number;
  teams: TestClient[];
}

async function startDaemon(name: string, extra: string[]): Promise<Daemon> {
  const port = await freePort();
  const proc = judgedHere(['--problems', path.join(work, 'problems'), '--data', path.join(work, name), '--host', '127.0.0.1', '--port', String(port), ...extra], env(DAEMON_SLOT));
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, 120_000, `the ${name} daemon`, () => proc.output());
  const creds = parseCredentials(proc.output());
  // Enough teams that the per-team submission budget (20 a minute) never paces the bench.
  const url = `ws://127.0.0.1:${port}/ws`;
  const admin = await TestClient.login(url, 'admin', creds.get('admin')!.password, { validate: false });
  for (let i = 1; i <= BENCH_TEAMS; i++) await admin.request('addTeam', { teamId: `bench${i}`, name: `Bench ${i}`, organization: null, username: `bench${i}`, password: `bench-password-${i}` });
  admin.terminate();
  const teams = await Promise.all(Array.from({ length: BENCH_TEAMS }, (_, i) => TestClient.login(url, `bench${i + 1}`, `bench-password-${i + 1}`, { validate: false })));
  for (const t of teams) await t.request('subscribe', { sinceSeq: null });
  return { proc, port, teams };
}

async function stopDaemon(d: Daemon): Promise<void> {
  for (const t of d.teams) t.terminate();
  await d.proc.stop('SIGTERM');
}

let serial = 0;
/** Submits one nap program as `team`; resolves with submit -> verdict in ms (must be AC). */
async function judgeOne(team: TestClient): Promise<number> {
  const t0 = performance.now();
  const { submission } = await team.request('submit', { problemId: 'nap', language: 'python3', files: [{ name: 'nap.py', source: `${napSource(NAP_MS)}# ${serial++}\n` }] });
  const f = await team.waitEvent((e) => e.kind === 'verdict' && e.verdict.submissionId === submission.id, { timeoutMs: 120_000 });
  const took = performance.now() - t0;
  if (f.event.kind !== 'verdict' || f.event.verdict.verdict !== 'AC') throw new Error(`submission ${submission.id}: ${JSON.stringify(f.event)}`);
  return took;
}

async function latency(d: Daemon): Promise<number[]> {
  await judgeOne(d.teams[0]!); // warm: the judgehost fetches and unpacks the package once
  const out: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) out.push(await judgeOne(d.teams[i % d.teams.length]!));
  return out;
}

/** n submissions at once, spread over the teams; judgings per minute from the first submit to the last verdict. */
async function burst(d: Daemon, n: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => judgeOne(d.teams[i % d.teams.length]!)));
  return (n * 60_000) / (performance.now() - t0);
}

function summary(label: string, xs: number[]): string {
  return `${label.padEnd(34)} median ${ms(median(xs))}, p95 ${ms(at(xs, 0.95))} (n=${xs.length})`;
}

const report: string[] = [];
const say = (line: string): void => {
  report.push(line);
  console.log(line);
};

try {
  say(`host: ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, Node ${process.version}, redis ${execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2]}`);
  say(`workload: nap, ${Number(values.tests) + 1} tests of ${NAP_MS} ms sleep each (python3); uptime at start: ${load()}`);

  // Baseline: the embedded queue, the daemon's own single worker, no Redis.
  const local = await startDaemon('local', ['--workers', '1']);
  const base = await latency(local);
  await stopDaemon(local);

  const socket = path.join(work, 'redis.sock');
  const redis = redisOnSocket(socket);
  await until(() => fs.existsSync(socket), 10_000, 'redis-server', () => redis.output());
  const queue = `unix://${socket}`;
  const d = await startDaemon('queue', ['--workers', '0', '--queue', queue]);
  const metrics = async (): Promise<string> => (await fetch(`http://127.0.0.1:${d.port}/metrics`)).text();
  const hosts: Proc[] = [];
  const addJudgehost = async (): Promise<void> => {
    const i = hosts.length;
    const name = `bench${i + 1}`;
    hosts.push(judgedHere(['judgehost', '--queue', queue, '--server', `http://127.0.0.1:${d.port}`, '--name', name, '--secret', path.join(work, 'queue', 'judgehost-secret'), '--workers', '1', '--data', path.join(work, name)], env(HOST_SLOTS[i]!)));
    await until(async () => metric(await metrics(), 'judged_judgehost_up', `judgehost="${name}"`) === 1, 120_000, `judgehost ${name}`, () => hosts[i]!.output());
  };
  await addJudgehost();
  const remote = await latency(d);

  say('');
  say('added latency per judging (one at a time, submit -> verdict):');
  say(summary('  embedded queue, 1 local worker', base));
  say(summary('  BullMQ on Redis, 1 judgehost', remote));
  say(`  added: median ${ms(median(remote) - median(base))} (goal < 20 ms), p95 ${ms(at(remote, 0.95) - at(base, 0.95))}; ratio of medians ${(median(remote) / median(base)).toFixed(3)}`);

  const tput = new Map<number, number[]>();
  for (const k of HOSTS) {
    while (hosts.length < k) await addJudgehost();
    const rounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await burst(d, k * PER_HOST));
    tput.set(k, rounds);
  }
  say('');
  say(`throughput (${PER_HOST} submissions per judgehost per burst, ${ROUNDS} bursts, judgehosts with --workers 1):`);
  const one = median(tput.get(1)!);
  for (const k of HOSTS) {
    const xs = tput.get(k)!;
    say(`  ${k} judgehost${k > 1 ? 's' : ' '}: median ${median(xs).toFixed(1)} judgings/min (bursts ${xs.map((x) => x.toFixed(1)).join(', ')}), ${(median(xs) / (k * one)).toFixed(2)}x linear${k === 4 ? ' (goal >= 0.9x)' : ''}`);
  }
  const refused = metric(await metrics(), 'judged_queue_results_total', 'outcome="refused"');
  const ignored = metric(await metrics(), 'judged_queue_results_total', 'outcome="ignored"');
  say(`results refused ${refused}, ignored ${ignored} (both should be 0); uptime at end: ${load()}`);

  for (const h of hosts) await h.stop('SIGINT');
  await stopDaemon(d);
  await redis.stop('SIGTERM');
} finally {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
}
