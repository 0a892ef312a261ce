/**
 * Hostile clients against a real `judged` process, from loopback only (other 127.0.0.x source
 * addresses stand for other machines): idle sockets, password guessing across connections and over
 * HTTP Basic, a team flooding submissions and clarifications from several connections, clients that
 * request 1 MB downloads and never read the answers, sessions ended elsewhere, malformed request
 * targets. Every loop is bounded in count and time.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../packages/shared/src/protocol.ts';
import { ProtocolError, TestClient, WebSocket, refusal } from './client.ts';
import { parseCredentials, repoRoot, startDaemonProcess, until, type Credential, type RunningDaemon } from './spawn-daemon.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const HELLO_PY = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), 'utf8');
const ATTACHMENT_BYTES = 1_000_000;

let d: RunningDaemon;
let creds: Map<string, Credential>;
let problemsDir: string;
const open: TestClient[] = [];

function pw(name: string): string {
  const c = creds.get(name);
  if (!c) throw new Error(`the daemon printed no login for ${name}:\n${d.output()}`);
  return c.password;
}

async function login(name: string, localAddress?: string): Promise<TestClient> {
  const c = await TestClient.login(d.wsUrl, name, pw(name), localAddress ? { localAddress } : {});
  open.push(c);
  return c;
}

async function connect(localAddress?: string): Promise<TestClient> {
  const c = await TestClient.connect(d.wsUrl, 10_000, localAddress ? { localAddress } : {});
  open.push(c);
  return c;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

beforeAll(async () => {
  problemsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-abuse-'));
  fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problemsDir, 'hello'), { recursive: true });
  fs.mkdirSync(path.join(problemsDir, 'hello/attachments'), { recursive: true });
  fs.writeFileSync(path.join(problemsDir, 'hello/attachments/big.bin'), Buffer.alloc(ATTACHMENT_BYTES, 7));
  d = await startDaemonProcess({ problems: problemsDir, workers: 1, slotBase: testSlot('daemonAbuse') });
  creds = parseCredentials(d.output());
}, 60_000);

afterAll(async () => {
  for (const c of open) c.terminate();
  await d?.stop();
  fs.rmSync(problemsDir, { recursive: true, force: true });
});

describe('budgets per principal', () => {
  it('idle sockets from one address neither lock out teams nor the projector page, and are closed after 10 s', async () => {
    const idle: Array<{ ws: InstanceType<typeof WebSocket>; closed: Promise<{ code: number; reason: string }> }> = [];
    for (let i = 0; i < 300; i++) {
      const ws = new WebSocket(d.wsUrl, { localAddress: '127.0.0.9' });
      ws.on('error', () => {});
      // Refused already as a TCP socket (64 per address, counting handshakes in flight): 503 with the reason.
      const refusedEarly = new Promise<{ code: number; reason: string }>((r) =>
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (b: Buffer) => (body += String(b)));
          res.on('end', () => {
            r({ code: res.statusCode ?? 0, reason: body.trim() });
            ws.terminate(); // with this listener ws leaves the failed handshake to us
          });
        }),
      );
      const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })));
      idle.push({ ws, closed: Promise.race([refusedEarly, closed.then(async (c) => (c.code === 1006 ? Promise.race([refusedEarly, new Promise<typeof c>((r) => setTimeout(() => r(c), 2000))]) : c))]) });
    }
    await until(() => idle.filter((s) => s.ws.readyState === s.ws.OPEN).length <= 64 && idle.every((s) => s.ws.readyState !== s.ws.CONNECTING), 20_000, 'idle sockets refused');
    const early = await Promise.all(idle.filter((s) => s.ws.readyState !== s.ws.OPEN).map((s) => s.closed));
    expect(early.length).toBeGreaterThanOrEqual(236);
    for (const e of early) {
      expect([
        { code: 1013, reason: expect.stringMatching(/too many connections from .*127\.0\.0\.9 that have not said hello/) },
        { code: 503, reason: expect.stringMatching(/too many HTTP connections from .*127\.0\.0\.9 \(64\): close idle ones/) },
      ]).toContainEqual(e);
    }
    // A team and a projector page from other machines get in at once.
    const team = await login('team1', '127.0.0.10');
    expect((await team.request('problems', {})).problems.map((p) => p.id)).toEqual(['hello']);
    const projector = await connect('127.0.0.11');
    await projector.request('hello', { protocolVersion: PROTOCOL_VERSION, client: 'judged-scoreboard-page' });
    expect((await projector.request('subscribe', { sinceSeq: null })).mode).toBe('snapshot');
    expect((await fetch(`${d.url}/scoreboard`)).status).toBe(200);
    // The idle ones that were let in are closed once they had 10 s to say hello; the others stay.
    const late = await Promise.all(idle.filter((s) => s.ws.readyState === s.ws.OPEN).map((s) => s.closed));
    expect(late.length).toBeGreaterThan(0);
    for (const c of late) expect(c).toEqual({ code: 4008, reason: 'no hello within 10 s' });
    expect(team.open && projector.open).toBe(true);
  }, 40_000);

  it('counts login failures per address across connections, and per account across addresses with back-off', async () => {
    const codes: string[] = [];
    const messages: string[] = [];
    // Six connections from one address, five guesses each (at once: a new connection brings no new budget).
    await Promise.all(
      Array.from({ length: 6 }, async (_, conn) => {
        const c = await connect('127.0.0.12');
        await c.request('hello', { protocolVersion: PROTOCOL_VERSION });
        for (let i = 0; i < 5; i++) {
          const e = await refusal(c.request('login', { username: `nobody${conn}-${i}`, password: 'guess' }));
          codes.push(e.code);
          messages.push(e.frame.message);
        }
        c.terminate();
      }),
    );
    // A burst of 20, then 40 a minute: the 30 guesses take a few seconds of scrypt, so a few more get through.
    expect(codes.filter((c) => c === 'bad_credentials').length).toBeLessThanOrEqual(25);
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(5);
    expect(messages.find((m) => m.startsWith('too many'))).toMatch(/^too many login attempts from .*127\.0\.0\.12: wait \d+ s$/);

    // One account guessed from many addresses: after 5 wrong passwords in a row it waits (2 s, then 4 s...).
    for (let i = 0; i < 5; i++) {
      const c = await connect(`127.0.1.${i + 1}`);
      await c.request('hello', { protocolVersion: PROTOCOL_VERSION });
      expect((await refusal(c.request('login', { username: 'team4', password: 'wrong' }))).code).toBe('bad_credentials');
      c.terminate();
    }
    const c = await connect('127.0.1.9');
    await c.request('hello', { protocolVersion: PROTOCOL_VERSION });
    const wrong = await refusal(c.request('login', { username: 'team4', password: 'wrong' }));
    expect(wrong.code).toBe('bad_credentials');
    const locked = await refusal(c.request('login', { username: 'team4', password: pw('team4') }));
    expect(locked.code).toBe('rate_limited');
    expect(locked.frame.message).toMatch(/^too many wrong passwords for team4: wait [12] s before trying again$/);
    expect(locked.frame.retryAfterMs).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, locked.frame.retryAfterMs! + 50));
    expect((await c.request('login', { username: 'team4', password: pw('team4') })).session.user.username).toBe('team4');
  }, 60_000);

  it('takes HTTP Basic guesses from the same budget, before the check: 40 in parallel are not all checked', async () => {
    const port = d.port;
    const guess = (i: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.get(
          { host: '127.0.0.1', port, path: '/api/contests', localAddress: '127.0.0.13', headers: { authorization: `Basic ${Buffer.from(`nobody${i}:guess`).toString('base64')}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
      });
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => guess(i)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it("shares a team's submission and clarification budgets between its connections, with a clear refusal", async () => {
    const conns = [await login('team2', '127.0.0.14'), await login('team2', '127.0.0.15'), await login('team2', '127.0.0.16')];
    const results = await Promise.allSettled(
      conns.flatMap((c) => Array.from({ length: 6 }, () => c.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source: HELLO_PY }] }))),
    );
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThanOrEqual(11);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as ProtocolError;
    expect(refused.code).toBe('rate_limited');
    expect(refused.frame.message).toMatch(/^too many submissions from your team: wait \d+ s$/);
    const asks = await Promise.allSettled(conns.flatMap((c) => [1, 2, 3].map((i) => c.request('ask', { problemId: null, text: `question ${i}` }))));
    expect(asks.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(((asks.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as ProtocolError).frame.message).toMatch(/^too many clarifications from your team: wait \d+ s$/);
    // Another team is not affected.
    const other = await login('team3', '127.0.0.17');
    expect((await other.request('ask', { problemId: null, text: 'mine' })).clarification.fromTeamId).toBe('team3');
  }, 30_000);
});

describe('bounded memory per connection', () => {
  it('keeps RSS flat while 10 clients request 1 MB attachments and never read, and cuts them off', async () => {
    const names = ['admin', 'judge', 'team1', 'team2', 'team3', 'team4', 'admin', 'judge', 'admin', 'judge'];
    const hammers: TestClient[] = [];
    for (const [i, n] of names.entries()) hammers.push(await login(n, `127.0.2.${i + 1}`));
    const reader = await login('team1', '127.0.2.50');
    const a = await reader.request('attachment', { problemId: 'hello', name: 'big.bin' });
    expect(Buffer.from(a.contentBase64, 'base64').length).toBe(ATTACHMENT_BYTES);
    const base = rssBytes(d.proc.pid!);
    for (const h of hammers) h.ws.pause(); // never read again
    let peak = base;
    let id = 1_000;
    const slowest: number[] = [];
    // Hammer until the daemon has cut every one of them off (it does so 20 s after a client's buffer
    // stayed above the mark), at most 60 s.
    const end = Date.now() + 60_000;
    while (Date.now() < end && hammers.some((h) => h.ws.readyState !== h.ws.CLOSED)) {
      for (const h of hammers) if (h.ws.readyState === h.ws.OPEN) h.sendRaw(JSON.stringify({ id: id++, type: 'attachment', problemId: 'hello', name: 'big.bin' }));
      await new Promise((r) => setTimeout(r, 70)); // ~14 a second each, under the frame limit
      peak = Math.max(peak, rssBytes(d.proc.pid!));
      if (id % 30 === 0) {
        const t = performance.now();
        await reader.request('clock', {});
        slowest.push(performance.now() - t);
      }
    }
    const growthMiB = (peak - base) / 2 ** 20;
    console.log(`daemon RSS ${Math.round(base / 2 ** 20)} -> peak ${Math.round(peak / 2 ** 20)} MiB while 10 clients did not read`);
    // Without the high-water mark every answer was buffered: ~1.3 MB x 14/s x 10 clients.
    expect(growthMiB).toBeLessThan(100);
    expect(Math.max(...slowest)).toBeLessThan(2_000);
    // Those that stay above the mark are disconnected.
    expect(hammers.filter((h) => h.ws.readyState === h.ws.CLOSED)).toHaveLength(10);
    expect(d.output()).toMatch(/client not reading its answers; disconnecting/);
    expect(reader.open).toBe(true);
  }, 90_000);
});

describe('sessions end everywhere', () => {
  it('logout on one connection ends the session on the others', async () => {
    const a = await login('team3', '127.0.3.1');
    const b = await connect('127.0.3.2');
    await b.request('hello', { protocolVersion: PROTOCOL_VERSION });
    await b.resume(a.session!.token);
    await a.request('logout', {});
    expect(await b.closed).toEqual({ code: 4001, reason: 'your session ended (logged out, or a new password): log in again' });
    const c = await connect('127.0.3.3');
    expect((await refusal(c.request('resume', { token: a.session!.token }))).code).toBe('session_invalid');
    expect(a.open).toBe(true); // the one that logged out is now a public connection
  });

  it('a new password or a disabled account closes every connection of that account', async () => {
    const admin = await login('admin', '127.0.3.4');
    const t1 = [await login('team1', '127.0.3.5'), await login('team1', '127.0.3.6')];
    await admin.request('setAccount', { username: 'team1', password: 'a brand new password' });
    for (const c of t1) expect((await c.closed).code).toBe(4001);
    const again = await connect('127.0.3.7');
    await again.request('hello', { protocolVersion: PROTOCOL_VERSION });
    expect((await refusal(again.request('login', { username: 'team1', password: pw('team1') }))).code).toBe('bad_credentials');
    await again.request('login', { username: 'team1', password: 'a brand new password' });

    const judge = await login('judge', '127.0.3.8');
    await admin.request('setAccount', { username: 'judge', enabled: false });
    expect(await judge.closed).toEqual({ code: 4001, reason: 'this account was disabled by the organizers' });
    const team = await login('team3', '127.0.3.9');
    expect((await refusal(team.request('setAccount', { username: 'team1', enabled: false }))).code).toBe('forbidden');
  });
});

describe('malformed HTTP', () => {
  it('answers a request target that is not a URL with 400 and logs no stack trace', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect(d.port, '127.0.0.1', () => s.write('GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
      let buf = '';
      s.on('data', (b) => (buf += String(b)));
      s.on('end', () => resolve(buf));
      s.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(d.output()).not.toMatch(/http handler failed|Invalid URL|\n\s+at /);
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });
});

describe('plain HTTP keep-alive sockets', () => {
  /** A raw keep-alive socket from `localAddress` that asks for /healthz once and then stays idle. */
  function keepAlive(localAddress: string): Promise<{ socket: net.Socket; first: string; closed: Promise<void> }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port: d.port, host: '127.0.0.1', localAddress }, () => socket.write('GET /healthz HTTP/1.1\r\nHost: judged\r\nConnection: keep-alive\r\n\r\n'));
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      let buf = '';
      socket.on('data', (b) => {
        buf += String(b);
        if (/\r\n\r\n[\s\S]*\n$/.test(buf)) resolve({ socket, first: buf, closed });
      });
      socket.on('error', () => {});
      socket.once('close', () => resolve({ socket, first: buf, closed }));
      setTimeout(() => reject(new Error(`no answer on a socket from ${localAddress}`)), 10_000);
    });
  }

  it('caps keep-alive sockets per address, lets other addresses in, and closes idle ones', async () => {
    const sockets: net.Socket[] = [];
    try {
      // 80 from one address: 64 answered and kept open, the rest refused with a reason.
      const flood = await Promise.all(Array.from({ length: 80 }, () => keepAlive('127.0.0.30')));
      sockets.push(...flood.map((f) => f.socket));
      const ok = flood.filter((f) => f.first.startsWith('HTTP/1.1 200'));
      const refused = flood.filter((f) => f.first.startsWith('HTTP/1.1 503'));
      expect(ok).toHaveLength(64);
      expect(refused).toHaveLength(16);
      expect(refused[0]!.first).toMatch(/too many HTTP connections from .*127\.0\.0\.30 \(64\): close idle ones/);
      // Four other addresses with 60 each are not affected, and neither is a team's WebSocket.
      const others = await Promise.all(['127.0.0.31', '127.0.0.32', '127.0.0.33', '127.0.0.34'].flatMap((a) => Array.from({ length: 60 }, () => keepAlive(a))));
      sockets.push(...others.map((f) => f.socket));
      expect(others.every((f) => f.first.startsWith('HTTP/1.1 200'))).toBe(true);
      const team = await login('team2', '127.0.0.35');
      expect((await team.request('clock', {})).clock.name).toBeTruthy();
      // Idle keep-alive sockets are closed by the server after its keep-alive timeout (5 s).
      const t0 = Date.now();
      await Promise.all([...ok, ...others].map((f) => f.closed));
      expect(Date.now() - t0).toBeLessThan(9_000);
      // Then the address has its places back (also for a WebSocket).
      expect((await keepAlive('127.0.0.30')).first).toMatch(/^HTTP\/1\.1 200/);
      expect((await login('team3', '127.0.0.30')).open).toBe(true);
      expect(team.open).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
    }
  }, 40_000);
});
