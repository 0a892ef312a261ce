import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from './log.ts';
import { startTransport, type Transport } from './transport.ts';

let t: Transport | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(ready = true, extra: Partial<Parameters<typeof startTransport>[0]> = {}): Promise<string> {
  t = await startTransport({
    ...extra,
    host: '127.0.0.1',
    port: 0,
    maxFrameBytes: 1024,
    log: silentLogger,
    isReady: () => ready,
    onConnection: (ws) => ws.on('message', (data) => ws.send(`echo:${String(data)}`)),
  });
  return `127.0.0.1:${t.address().port}`;
}

describe('transport', () => {
  it('answers /healthz 200 when ready and 503 before', async () => {
    const addr = await start(false);
    expect((await fetch(`http://${addr}/healthz`)).status).toBe(503);
    await t!.close();
    const addr2 = await start(true);
    const res = await fetch(`http://${addr2}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('routes other paths to the mounted handler, else 404', async () => {
    const addr = await start();
    expect((await fetch(`http://${addr}/scoreboard`)).status).toBe(404);
    t!.mountHttp((req, res) => {
      if (req.url !== '/scoreboard') return false;
      res.end('board');
      return true;
    });
    expect(await (await fetch(`http://${addr}/scoreboard`)).text()).toBe('board');
    expect((await fetch(`http://${addr}/nope`)).status).toBe(404);
  });

  it('accepts WebSocket on /ws only', async () => {
    const addr = await start();
    const ws = new WebSocket(`ws://${addr}/ws`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hi'));
      ws.on('message', (d) => resolve(String(d)));
      ws.on('error', reject);
    });
    expect(reply).toBe('echo:hi');
    ws.close();
    const bad = new WebSocket(`ws://${addr}/other`);
    await expect(
      new Promise((resolve, reject) => {
        bad.on('open', resolve);
        bad.on('error', reject);
      }),
    ).rejects.toThrow(/404/);
  });

  it('closes with 1009 and a reason naming the limit on an oversized frame', async () => {
    const addr = await start();
    const ws = new WebSocket(`ws://${addr}/ws`);
    await new Promise((r) => ws.on('open', r));
    ws.send('x'.repeat(5000));
    const [code, reason] = await new Promise<[number, string]>((resolve) =>
      ws.on('close', (c, r) => resolve([c, String(r)])),
    );
    expect(code).toBe(1009);
    expect(reason).toBe('frame too large: the limit is 1024 bytes');
  });

  it('refuses connections over the limit with 503', async () => {
    const addr = await start(true, { maxConnections: 1 });
    const first = new WebSocket(`ws://${addr}/ws`);
    await new Promise((r) => first.on('open', r));
    const second = new WebSocket(`ws://${addr}/ws`);
    await expect(new Promise((resolve, reject) => (second.on('open', resolve), second.on('error', reject)))).rejects.toThrow(/503/);
    first.close();
  });

  it('cuts off a peer that stops answering pings', async () => {
    const addr = await start(true, { pingIntervalMs: 50 });
    // autoPong off: this client behaves like a vanished peer.
    const ws = new WebSocket(`ws://${addr}/ws`, { autoPong: false });
    await new Promise((r) => ws.on('open', r));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1006);
  });
});

describe('transport over TLS', () => {
  it('serves HTTPS and wss with the given certificate, and no plain HTTP on that port', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-tls-'));
    try {
      // A throwaway self-signed certificate for 127.0.0.1.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
      const addr = await start(true, { tls: { cert, key: fs.readFileSync(path.join(dir, 'key.pem')) } });
      const body = await new Promise<string>((resolve, reject) => {
        https.get(`https://${addr}/healthz`, { ca: cert }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        }).on('error', reject);
      });
      expect(body).toBe('200 ok\n');
      const ws = new WebSocket(`wss://${addr}/ws`, { ca: cert });
      await new Promise<void>((resolve, reject) => {
        ws.on('open', () => ws.send('hi'));
        ws.on('message', (m) => {
          expect(String(m)).toBe('echo:hi');
          ws.close();
          resolve();
        });
        ws.on('error', reject);
      });
      // A client that does not trust the certificate is refused by its own TLS check.
      await expect(fetch(`https://${addr}/healthz`)).rejects.toThrow();
      await expect(fetch(`http://${addr}/healthz`)).rejects.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
