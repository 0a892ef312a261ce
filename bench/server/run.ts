/**
 * Server benchmark: 500 WebSocket clients on loopback (100 teams + 400 public scoreboard watchers by
 * default), then 300 submissions in one burst (3 per team). Prints
 *   - submission-to-verdict latency (submit sent -> the team's verdict event), which with few workers
 *     is mostly queue wait;
 *   - verdict-to-every-client scoreboard latency: for each scoreboard event, from its commit (atMs)
 *     to its arrival at each client, and to its arrival at the last of the clients;
 *   - the daemon's memory (RSS now and peak).
 * Aim: a verdict reaches all 500 clients within 100 ms at p99.
 *
 *   pnpm exec tsx bench/server/run.ts [--clients 500] [--teams 100] [--submissions 300] [--workers N] [--procs 4] [--hostile] [--client-nice 0] [--daemon-cpu-prof DIR] [--json]
 *
 * Everything is on 127.0.0.1 and bounded: a fixed number of clients and submissions, and a deadline
 * (--timeout seconds, default 600) after which it stops and reports what it has. The measured clients
 * run in --procs child processes (clients-process.ts), apart from the daemon and from this one (which
 * keeps the admin and the hostile clients); their event loops still share the host's CPUs. They connect
 * from 127.x.y.z source addresses, 5 teams or 20 watchers to an address, like machines in a lab: the daemon's budgets
 * are per address (server/budgets.ts), and one address may not hold hundreds of anonymous sockets.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROTOCOL_VERSION } from '../../packages/shared/src/protocol.ts';
import { ProtocolError, TestClient, WebSocket } from '../../test/daemon/client.ts';
import { parseCredentials, repoRoot, startDaemonProcess } from '../../test/daemon/spawn-daemon.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    teams: { type: 'string', default: '100' },
    submissions: { type: 'string', default: '300' },
    workers: { type: 'string' },
    procs: { type: 'string', default: '4' },
    timeout: { type: 'string', default: '600' },
    json: { type: 'boolean', default: false },
    /** Ten hostile clients beside the measured ones: 4 idle-socket floods, 4 non-readers, a flooding team on 2 connections. */
    hostile: { type: 'boolean', default: false },
    /**
     * Run the client processes at this nice value (0-19): on a small host they share the daemon's
     * cores, which a contest's clients (other machines) do not; niced, they take the CPU only when the
     * daemon leaves it. The latency is still measured from the write to the client's receipt.
     */
    'client-nice': { type: 'string', default: '0' },
    /** Write a V8 CPU profile of the daemon into this directory (read it with Chrome DevTools or speedscope). */
    'daemon-cpu-prof': { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const TEAMS = Math.min(Number(values.teams), CLIENTS);
const SUBMISSIONS = Number(values.submissions);
const deadline = Date.now() + Number(values.timeout) * 1000;
if (![CLIENTS, TEAMS, SUBMISSIONS].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--clients, --teams, --submissions must be positive integers');

const say = (msg: string): void => {
  if (!values.json) process.stderr.write(`${msg}\n`);
};

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function stats(xs: number[]): { n: number; median: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN };
}

/** CPU time (user + system) of a process so far, ms: the daemon's own threads, not its children (the sandboxes). */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function rssKiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: get('VmRSS'), peak: get('VmHWM') };
}

const hostileClients: Array<{ terminate(): unknown }> = [];

/**
 * Ten hostile clients, each from its own address: 4 open 100 sockets each and never say hello; 4 log in
 * and request the scoreboard 15 times a second without reading; one team submits every 100 ms from 2
 * connections. Returns a stop() that reports what the daemon did to them.
 */
async function startHostile(wsUrl: string, admin: TestClient) {
  await admin.request('addTeam', { teamId: 'flood', name: 'Flood', organization: null, username: 'flood', password: 'flood-password' });
  let idleOpened = 0;
  const idleClosed = new Map<number, number>();
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < 100; i++) {
      const ws = new WebSocket(wsUrl, { localAddress: `127.0.9.${k + 1}` });
      ws.on('error', () => {});
      ws.on('open', () => idleOpened++);
      ws.on('close', (code) => idleClosed.set(code, (idleClosed.get(code) ?? 0) + 1));
      hostileClients.push(ws);
    }
  }
  const readers = await Promise.all([0, 1, 2, 3].map((k) => TestClient.login(wsUrl, 'flood', 'flood-password', { validate: false, localAddress: `127.0.9.${10 + k}` })));
  const flooders = await Promise.all([0, 1].map((k) => TestClient.login(wsUrl, 'flood', 'flood-password', { validate: false, localAddress: `127.0.9.${20 + k}` })));
  hostileClients.push(...readers, ...flooders);
  for (const r of readers) r.ws.pause();
  let id = 1_000_000;
  let accepted = 0;
  let refused = 0;
  const timer = setInterval(() => {
    for (const r of readers) if (r.open) for (let i = 0; i < 2; i++) r.sendRaw(JSON.stringify({ id: id++, type: 'scoreboard' }));
    for (const f of flooders) {
      if (!f.open) continue;
      f.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source }] }).then(
        () => accepted++,
        () => refused++,
      );
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return {
        idleSocketsOpened: idleOpened,
        idleSocketsClosedByCode: Object.fromEntries(idleClosed),
        nonReadersCutOff: readers.filter((r) => !r.open).length,
        floodSubmissionsAccepted: accepted,
        floodSubmissionsRefused: refused,
      };
    },
  };
}

const source = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), 'utf8');
const PROCS = Math.max(1, Math.min(Number(values.procs), CLIENTS));

/** A forked client process and a request/answer over its IPC channel (one at a time). */
function clientProcess(): { proc: ChildProcess; ask<T>(m: object): Promise<T> } {
  const proc = fork(path.join(path.dirname(new URL(import.meta.url).pathname), 'clients-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    proc,
    ask<T>(m: object): Promise<T> {
      return new Promise((resolve, reject) => {
        proc.once('message', (r: { ok: string; message?: string }) => (r.ok === 'error' ? reject(new Error(r.message)) : resolve(r as T)));
        proc.send(m);
      });
    },
  };
}

const daemon = await startDaemonProcess({ workers: values.workers ? Number(values.workers) : undefined, slotBase: testSlot('benchServer'), env: { JUDGED_LOG_LEVEL: 'warn' }, readyTimeoutMs: 180_000, nodeArgs: values['daemon-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['daemon-cpu-prof']}`] : [] });
const procs: Array<ReturnType<typeof clientProcess>> = [];
try {
  const creds = parseCredentials(daemon.output());
  const admin = await TestClient.login(daemon.wsUrl, 'admin', creds.get('admin')!.password);
  hostileClients.push(admin);
  say(`daemon pid ${daemon.proc.pid} on ${daemon.url}; adding ${TEAMS} teams`);
  for (let i = 1; i <= TEAMS; i++) {
    // One admin connection may send 20 frames a second: when adding a team takes less than 50 ms it is told to wait.
    for (;;) {
      try {
        await admin.request('addTeam', { teamId: `bench${i}`, name: `Bench ${i}`, organization: null, username: `bench${i}`, password: `bench-password-${i}` });
        break;
      } catch (err) {
        if (!(err instanceof ProtocolError) || err.code !== 'rate_limited') throw err;
        await new Promise((r) => setTimeout(r, err.frame.retryAfterMs ?? 100));
      }
    }
  }
  const rssIdle = rssKiB(daemon.proc.pid!);

  say(`connecting ${TEAMS} team clients and ${CLIENTS - TEAMS} public clients from ${PROCS} processes`);
  // Few clients per address, as in a lab, so the budgets per address (logins, anonymous sockets) do
  // not refuse the bench's own connecting clients: 5 teams or 20 watchers to an address.
  const at = (base: number, i: number, per: number): string => `127.${base}.${1 + Math.floor(i / per / 250)}.${1 + (Math.floor(i / per) % 250)}`;
  const from = (i: number): string => (i < TEAMS ? at(1, i, 5) : at(2, i - TEAMS, 20));
  const plan = Array.from({ length: PROCS }, () => ({ teams: [] as Array<{ username: string; password: string; address: string }>, watchers: [] as string[] }));
  for (let i = 0; i < TEAMS; i++) plan[i % PROCS]!.teams.push({ username: `bench${i + 1}`, password: `bench-password-${i + 1}`, address: from(i) });
  for (let i = 0; i < CLIENTS - TEAMS; i++) plan[i % PROCS]!.watchers.push(from(TEAMS + i));
  for (let k = 0; k < PROCS; k++) procs.push(clientProcess());
  if (Number(values['client-nice']) !== 0) for (const p of procs) os.setPriority(p.proc.pid!, Number(values['client-nice']));
  await Promise.all(procs.map((p, k) => p.ask({ cmd: 'connect', wsUrl: daemon.wsUrl, ...plan[k]! })));
  const rssConnected = rssKiB(daemon.proc.pid!);
  const hostile = values.hostile ? await startHostile(daemon.wsUrl, admin) : null;
  const load1 = os.loadavg()[0]!;

  say(`submitting ${SUBMISSIONS} in a burst`);
  const burstStart = performance.now();
  const share = (k: number): number => (plan[k]!.teams.length === 0 ? 0 : Math.round((SUBMISSIONS * (k + 1)) / PROCS) - Math.round((SUBMISSIONS * k) / PROCS));
  await Promise.all(procs.map((p, k) => (share(k) > 0 ? p.ask({ cmd: 'submit', count: share(k), source }) : null)));
  const burstAcceptedMs = performance.now() - burstStart;
  const burstDoneEpochMs = Date.now();
  // The daemon's event-loop delay is measured from one /metrics read to the next: this read starts
  // the window of the verdicts (the connect phase and the burst stay out of it).
  await fetch(`${daemon.url}/metrics`);
  const clientsCpu = async (): Promise<number> => (await Promise.all(procs.map((p) => p.ask<{ cpuMs: number }>({ cmd: 'cpu' })))).reduce((a, r) => a + r.cpuMs, 0);
  const cpu0 = { daemon: cpuMsOf(daemon.proc.pid!), clients: await clientsCpu() };
  say(`all ${SUBMISSIONS} accepted in ${burstAcceptedMs.toFixed(0)} ms; waiting for verdicts`);
  let judged = 0;
  while (Date.now() < deadline) {
    judged = (await Promise.all(procs.map((p) => p.ask<{ judged: number }>({ cmd: 'judged' })))).reduce((a, r) => a + r.judged, 0);
    if (judged >= SUBMISSIONS) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const cpu1 = { daemon: cpuMsOf(daemon.proc.pid!), clients: await clientsCpu() };
  const timedOut = judged < SUBMISSIONS;
  const judgingMs = performance.now() - burstStart;
  const rssEnd = rssKiB(daemon.proc.pid!);

  const reports = await Promise.all(procs.map((p) => p.ask<{ arrivals: Array<[string, { atMs: number; got: number[] }]>; verdictMs: number[] }>({ cmd: 'report' })));
  const arrivals = new Map<string, { atMs: number; got: number[] }>();
  for (const r of reports) {
    for (const [key, a] of r.arrivals) {
      const m = arrivals.get(key);
      if (m) m.got.push(...a.got);
      else arrivals.set(key, { atMs: a.atMs, got: [...a.got] });
    }
  }
  const verdictLatency = reports.flatMap((r) => r.verdictMs);

  // Only scoreboard changes made by verdicts (after the burst was accepted): the burst's own
  // "pending" updates queue up behind 300 submissions and measure the burst, not a verdict.
  const perClient: number[] = [];
  const toLast: number[] = [];
  let complete = 0;
  let verdictEvents = 0;
  for (const a of arrivals.values()) {
    if (a.atMs < burstDoneEpochMs) continue;
    verdictEvents++;
    perClient.push(...a.got);
    if (a.got.length === CLIENTS) {
      complete++;
      toLast.push(Math.max(...a.got));
    }
  }
  const hostileReport = hostile?.stop() ?? null;
  const metricsText = await (await fetch(`${daemon.url}/metrics`)).text();
  const metric = (name: string, q: string): number => Number(new RegExp(`^${name}\\{quantile="${q}"\\} (\\S+)`, 'm').exec(metricsText)?.[1] ?? NaN);
  const daemonSide = {
    publishMsMedian: metric('judged_fanout_publish_ms', '0.5'),
    publishMsP99: metric('judged_fanout_publish_ms', '0.99'),
    broadcastMsMedian: metric('judged_fanout_broadcast_ms', '0.5'),
    broadcastMsP99: metric('judged_fanout_broadcast_ms', '0.99'),
    broadcastCpuMsMedian: metric('judged_fanout_broadcast_cpu_ms', '0.5'),
    broadcastCpuMsP99: metric('judged_fanout_broadcast_cpu_ms', '0.99'),
    commitLagMsMedian: metric('judged_event_commit_lag_ms', '0.5'),
    commitLagMsP99: metric('judged_event_commit_lag_ms', '0.99'),
    eventLoopDelayMsMedian: metric('judged_event_loop_delay_ms', '0.5'),
    eventLoopDelayMsP99: metric('judged_event_loop_delay_ms', '0.99'),
    eventLoopDelayMsMax: metric('judged_event_loop_delay_ms', '1'),
  };
  const report = {
    clients: CLIENTS,
    teams: TEAMS,
    clientProcesses: PROCS,
    clientNice: Number(values['client-nice']),
    submissions: SUBMISSIONS,
    judged,
    timedOut,
    hostLoad1m: { atConnect: load1, atEnd: os.loadavg()[0], cpus: os.availableParallelism() },
    burstAcceptedMs: Math.round(burstAcceptedMs),
    allJudgedMs: Math.round(judgingMs),
    submissionToVerdictMs: stats(verdictLatency),
    scoreboardEvents: arrivals.size,
    verdictScoreboardEvents: verdictEvents,
    verdictScoreboardEventsSeenByAll: complete,
    daemonSide,
    // CPU per verdict while judging (load-robust, unlike the latencies): the daemon's (its judging
    // orchestration, commit and fan-out; the sandboxes are other processes) and that of all clients.
    cpuMsPerVerdict: { daemon: (cpu1.daemon - cpu0.daemon) / Math.max(1, judged), clients: (cpu1.clients - cpu0.clients) / Math.max(1, judged) },
    commitToClientMs: stats(perClient),
    commitToLastClientMs: stats(toLast),
    daemonRssKiB: { idle: rssIdle.rss, connected: rssConnected.rss, end: rssEnd.rss, peak: rssEnd.peak },
    hostile: hostileReport,
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
  } else {
    const f = (s: { median: number; p99: number; max: number; n: number }): string => `median ${s.median.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (n=${s.n})`;
    console.log(`clients: ${report.clients} (${TEAMS} teams) in ${PROCS} processes, submissions: ${SUBMISSIONS}, judged: ${judged}${timedOut ? ' (deadline hit)' : ''}`);
    console.log(`host load (1 min): ${load1.toFixed(1)} when connected, ${report.hostLoad1m.atEnd!.toFixed(1)} at the end, ${report.hostLoad1m.cpus} CPUs`);
    console.log(`burst accepted in ${report.burstAcceptedMs} ms; all judged after ${report.allJudgedMs} ms`);
    console.log(`submission -> verdict:              ${f(report.submissionToVerdictMs)}`);
    console.log(`verdict's scoreboard event, write -> each client: ${f(report.commitToClientMs)}`);
    console.log(`verdict's scoreboard event, write -> last client: ${f(report.commitToLastClientMs)} over ${complete}/${verdictEvents} events`);
    console.log(`daemon side (recent events): fan-out of one event median ${daemonSide.publishMsMedian.toFixed(2)} ms, p99 ${daemonSide.publishMsP99.toFixed(2)} ms; of a public one (scoreboard) to all ${CLIENTS} clients median ${daemonSide.broadcastMsMedian.toFixed(2)} ms, p99 ${daemonSide.broadcastMsP99.toFixed(2)} ms`);
    console.log(`daemon side: CPU of that fan-out median ${daemonSide.broadcastCpuMsMedian.toFixed(2)} ms, p99 ${daemonSide.broadcastCpuMsP99.toFixed(2)} ms (wall / CPU median ${(daemonSide.broadcastMsMedian / daemonSide.broadcastCpuMsMedian).toFixed(2)}x: the rest is other processes on the same cores)`);
    console.log(`daemon side: write -> fan-out start median ${daemonSide.commitLagMsMedian} ms, p99 ${daemonSide.commitLagMsP99} ms; event-loop delay while judging median ${daemonSide.eventLoopDelayMsMedian} ms, p99 ${daemonSide.eventLoopDelayMsP99} ms, max ${daemonSide.eventLoopDelayMsMax} ms`);
    console.log(`CPU per verdict while judging: daemon ${report.cpuMsPerVerdict.daemon.toFixed(1)} ms, the ${CLIENTS} clients ${report.cpuMsPerVerdict.clients.toFixed(1)} ms (all processes; each verdict is one scoreboard change to every client)`);
    if (hostileReport) console.log(`hostile: ${JSON.stringify(hostileReport)}`);
    console.log(`daemon RSS: idle ${(rssIdle.rss / 1024).toFixed(0)} MiB, ${CLIENTS} connected ${(rssConnected.rss / 1024).toFixed(0)} MiB, end ${(rssEnd.rss / 1024).toFixed(0)} MiB, peak ${(rssEnd.peak / 1024).toFixed(0)} MiB`);
  }
} finally {
  for (const p of procs) p.proc.disconnect();
  for (const c of hostileClients) c.terminate();
  await daemon.stop();
  fs.rmSync(daemon.data, { recursive: true, force: true });
}
