/**
 * The fan-out's send path alone, as daemon CPU per board change: one process holds a ws server and
 * the real FanOut (packages/daemon/src/server/fanout.ts) with N subscribers, clients read in --procs
 * child processes. Each round publishes one public scoreboard-sized event to all N and measures the
 * server's CPU (process.cpuUsage, user + system: the socket writes are mostly kernel time) and wall
 * time of the fan-out. Rounds alternate between the two send paths in the same run:
 *   ws.send   - the payload through ws.send per client (ws frames it each time: the code before);
 *   framed    - the frame built once per reader class, one socket write per client (ws-frame.ts).
 * CPU per change is robust to other load on the host (what the wall time is not); the ratio is the figure.
 *
 *   pnpm exec tsx bench/server/fanout.ts [--clients 2000] [--procs 4] [--rounds 40] [--bytes 400] [--json]
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { WebSocket, WebSocketServer as WebSocketServerType } from '../../packages/daemon/node_modules/@types/ws/index.d.ts';
import type { StoredEvent } from '../../packages/daemon/src/store/index.ts';
import { FanOut, type Subscriber } from '../../packages/daemon/src/server/fanout.ts';
import { writeFramed } from '../../packages/daemon/src/server/ws-frame.ts';

// The repo root does not depend on ws; the daemon package's copy (as test/daemon/client.ts does).
const ws = createRequire(new URL('../../packages/daemon/package.json', import.meta.url))('ws') as { WebSocket: typeof WebSocket; WebSocketServer: typeof WebSocketServerType };

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '2000' },
    procs: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '40' },
    bytes: { type: 'string', default: '400' },
    json: { type: 'boolean', default: false },
    /** Internal: run as a client process. */
    child: { type: 'boolean', default: false },
  },
});

if (values.child) {
  const Client = ws.WebSocket;
  const clients: WebSocket[] = [];
  const got: number[] = [];
  let want = -1;
  const check = (): void => {
    if (want >= 0 && got.every((g) => g >= want)) {
      process.send!({ done: want, cpu: process.cpuUsage() });
      want = -1;
    }
  };
  process.on('message', async (m: { url?: string; n?: number; round?: number }) => {
    if (m.url) {
      for (let i = 0; i < m.n!; i++) {
        const c = new Client(m.url);
        const k = got.push(-1) - 1;
        c.on('message', (d: Buffer) => {
          got[k] = (JSON.parse(String(d)) as { seq: number }).seq;
          check();
        });
        clients.push(c);
        await new Promise((r) => c.once('open', r));
      }
      process.send!({ connected: true });
    } else if (m.round !== undefined) {
      want = m.round;
      check();
    }
  });
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

async function main(): Promise<void> {
  const N = Number(values.clients);
  const PROCS = Number(values.procs);
  const ROUNDS = Number(values.rounds);
  const server = http.createServer();
  const wss = new ws.WebSocketServer({ server, maxPayload: 1 << 20 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let mode: 'ws.send' | 'framed' = 'ws.send';
  const fanout = new FanOut((e) => e.seq);
  wss.on('connection', (sock: WebSocket) => {
    const sub: Subscriber = {
      viewer: { role: 'public', teamId: null },
      deliveredSeq: 0,
      sendFrame: (f) => (mode === 'framed' ? writeFramed(sock, f) : sock.send(f.payload, { binary: false })),
      bufferedBytes: () => sock.bufferedAmount,
      dropSlow: () => sock.terminate(),
    };
    fanout.add(sub);
  });

  const kids = Array.from({ length: PROCS }, () => fork(new URL(import.meta.url).pathname, ['--child'], { execArgv: ['--import', 'tsx'] }));
  await Promise.all(
    kids.map((k, i) => {
      const n = Math.round((N * (i + 1)) / PROCS) - Math.round((N * i) / PROCS);
      k.send({ url, n });
      return new Promise((r) => k.once('message', r));
    }),
  );
  if (fanout.size !== N) throw new Error(`${fanout.size} of ${N} subscribed`);

  // A scoreboard change of about --bytes of JSON (rows of teams), as the fan-out sends it.
  const rows = Array.from({ length: Math.max(1, Math.round(Number(values.bytes) / 110)) }, (_, i) => ({ teamId: `bench${i}`, rank: i + 1, solved: 1, penaltyMin: 20 + i, problems: [] }));
  const event = { kind: 'scoreboard', view: 'public', frozen: false, rows } as unknown as StoredEvent['event'];
  const numbers = { pubNo: null, juryNo: null, balloonNo: null, sharedNo: null, ownNo: null, teamSeq: null };

  const results: Record<string, { cpuMs: number[]; sysMs: number[]; wallMs: number[]; lastClientMs: number[]; clientCpuMs: number[] }> = {
    'ws.send': { cpuMs: [], sysMs: [], wallMs: [], lastClientMs: [], clientCpuMs: [] },
    framed: { cpuMs: [], sysMs: [], wallMs: [], lastClientMs: [], clientCpuMs: [] },
  };
  const load = os.loadavg()[0]!;
  let seq = 0;
  let prevClientCpu = 0;
  for (let r = 0; r < 2 * ROUNDS + 2; r++) {
    mode = r % 2 === 0 ? 'ws.send' : 'framed';
    seq++;
    const done = Promise.all(kids.map((k) => new Promise<{ cpu: NodeJS.CpuUsage }>((res) => k.once('message', res))));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fanout.publish({ seq, atMs: Date.now(), event, audience: { roles: ['public'], teamId: null }, numbers });
    const c = process.cpuUsage(c0);
    const wall = performance.now() - t0;
    for (const k of kids) k.send({ round: seq });
    const cpus = await done;
    const last = performance.now() - t0;
    // The clients' CPU for this change (all processes): what the bench's own readers cost beside the server.
    const clientCpu = cpus.reduce((a, m) => a + (m.cpu.user + m.cpu.system) / 1000, 0);
    const clientDelta = clientCpu - prevClientCpu;
    prevClientCpu = clientCpu;
    // The first round of each is warm-up.
    if (r >= 2) {
      results[mode]!.cpuMs.push((c.user + c.system) / 1000);
      results[mode]!.sysMs.push(c.system / 1000);
      results[mode]!.wallMs.push(wall);
      results[mode]!.lastClientMs.push(last);
      results[mode]!.clientCpuMs.push(clientDelta);
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  const sum = (k: string) => ({ cpuMsMedian: q(results[k]!.cpuMs, 0.5), cpuMsP95: q(results[k]!.cpuMs, 0.95), systemMsMedian: q(results[k]!.sysMs, 0.5), wallMsMedian: q(results[k]!.wallMs, 0.5), lastClientMsMedian: q(results[k]!.lastClientMs, 0.5), lastClientMsP95: q(results[k]!.lastClientMs, 0.95), clientsCpuMsMedian: q(results[k]!.clientCpuMs, 0.5) });
  const a = sum('ws.send');
  const b = sum('framed');
  const report = { clients: N, procs: PROCS, rounds: ROUNDS, frameBytes: JSON.stringify({ type: 'event', seq, event }).length, load1m: { start: load, end: os.loadavg()[0] }, 'ws.send': a, framed: b, cpuRatio: b.cpuMsMedian / a.cpuMsMedian };
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(`${N} clients in ${PROCS} processes, ${ROUNDS} rounds each, frame ${report.frameBytes} B, load ${load.toFixed(1)} -> ${report.load1m.end!.toFixed(1)} (${os.availableParallelism()} CPUs)`);
    for (const [k, s] of [['ws.send', a], ['framed', b]] as const) {
      console.log(`${k.padEnd(8)} server CPU per change median ${s.cpuMsMedian.toFixed(1)} ms (p95 ${s.cpuMsP95.toFixed(1)}; kernel ${s.systemMsMedian.toFixed(1)}), fan-out wall median ${s.wallMsMedian.toFixed(1)} ms; publish -> last client median ${s.lastClientMsMedian.toFixed(1)} ms (p95 ${s.lastClientMsP95.toFixed(1)}); the clients' CPU per change median ${s.clientsCpuMsMedian.toFixed(1)} ms`);
    }
    console.log(`framed / ws.send, server CPU per change (median): ${report.cpuRatio.toFixed(2)}x`);
  }
  for (const k of kids) k.disconnect();
  wss.close();
  server.close();
}
