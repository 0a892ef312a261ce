import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { StoredEvent } from '../store/index.ts';
import { FanOut, type Subscriber } from './fanout.ts';
import { canWriteFramed, TextFrame, writeFramed } from './ws-frame.ts';

// ws's own framer (not in its type definitions), to check ours byte for byte against it.
const Sender = (wsModule as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } }).Sender;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server socket (ws, server side) and a real client reading it. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket; got: Buffer[]; binary: boolean[] }> {
  const http1 = http.createServer();
  const wss = new WebSocketServer({ server: http1 });
  await new Promise<void>((r) => http1.listen(0, '127.0.0.1', r));
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${(http1.address() as AddressInfo).port}`);
  const got: Buffer[] = [];
  const binary: boolean[] = [];
  client.on('message', (d, isBinary) => {
    binary.push(isBinary);
    got.push(d as Buffer);
  });
  await new Promise((r) => client.once('open', r));
  const server = await serverSide;
  cleanups.push(async () => {
    client.terminate();
    wss.close();
    await new Promise((r) => http1.close(r));
  });
  return { server, client, got, binary };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

const sizes = [0, 1, 125, 126, 65535, 65536, 200_000];

describe('TextFrame', () => {
  it.each(sizes)('frames a %i-byte payload exactly as ws does', (n) => {
    const payload = Buffer.alloc(n, 'x');
    const theirs = Buffer.concat(Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));
    expect(new TextFrame(payload).wire.equals(theirs)).toBe(true);
  });

  it('builds its wire bytes once', () => {
    const f = new TextFrame(Buffer.from('{"a":1}'));
    expect(f.wire).toBe(f.wire);
  });
});

describe('writeFramed', () => {
  it('delivers every size to a real client, in order with ws.send between them', async () => {
    const { server, got, binary } = await pair();
    expect(canWriteFramed(server)).toBe(true);
    const payloads = sizes.filter((n) => n > 0).map((n, i) => Buffer.from(JSON.stringify({ i, pad: 'y'.repeat(n) })));
    for (const [i, p] of payloads.entries()) {
      if (i % 2) server.send(p, { binary: false });
      else writeFramed(server, new TextFrame(p));
    }
    await until(() => got.length === payloads.length);
    expect(got.map((g) => g.toString())).toEqual(payloads.map((p) => p.toString()));
    expect(binary.every((b) => !b)).toBe(true);
  });

  it('counts what it wrote in bufferedAmount, so the high-water rules see it', async () => {
    const { server, client } = await pair();
    client.pause();
    const big = new TextFrame(Buffer.alloc(1024 * 1024, 'z'));
    for (let i = 0; i < 16; i++) writeFramed(server, big);
    // The kernel's socket buffers take a few MiB at most; the rest waits in the socket's queue.
    expect(server.bufferedAmount).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('goes through ws.send while ws is busy with a message of its own, keeping the order', async () => {
    const { server, got } = await pair();
    // A Blob makes ws read it asynchronously: its sender is not idle until then.
    server.send(new Blob(['first']), { binary: false });
    expect(canWriteFramed(server)).toBe(false);
    writeFramed(server, new TextFrame(Buffer.from('second')));
    await until(() => got.length === 2);
    expect(got.map(String)).toEqual(['first', 'second']);
  });

  it('does nothing on the socket of a closing connection', async () => {
    const { server } = await pair();
    server.close(1000, 'bye');
    expect(canWriteFramed(server)).toBe(false);
  });
});

describe('the fan-out over real sockets with shared frames', () => {
  it('gives a reading client every event in order while a client that does not read is dropped at the bound', async () => {
    const reader = await pair();
    const stalled = await pair();
    stalled.client.pause();
    const fanout = new FanOut((e) => e.seq, 512 * 1024);
    const dropped: string[] = [];
    const bufferedAtDrop: number[] = [];
    const subOf = (name: string, ws: WebSocket): Subscriber => ({
      viewer: { role: 'public', teamId: null },
      deliveredSeq: 0,
      sendFrame: (f) => writeFramed(ws, f),
      bufferedBytes: () => ws.bufferedAmount,
      dropSlow: () => {
        dropped.push(name);
        bufferedAtDrop.push(ws.bufferedAmount);
      },
    });
    fanout.add(subOf('reader', reader.server));
    fanout.add(subOf('stalled', stalled.server));
    const event = { kind: 'clock', pad: 'p'.repeat(64 * 1024) } as unknown as StoredEvent['event'];
    const numbers = { pubNo: null, juryNo: null, balloonNo: null, sharedNo: null, ownNo: null, teamSeq: null };
    for (let seq = 1; seq <= 200; seq++) {
      fanout.publish({ seq, atMs: 1, event, audience: { roles: ['public'], teamId: null }, numbers });
      // Let the reading client drain between events, as a live contest's pace does.
      await until(() => reader.server.bufferedAmount === 0);
    }
    await until(() => reader.got.length === 200).catch((e: unknown) => {
      throw new Error(`reader got ${reader.got.length}, buffered ${reader.server.bufferedAmount}, dropped ${dropped}: ${String(e)}`);
    });
    expect(reader.got.map((g) => (JSON.parse(String(g)) as { seq: number }).seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // The stalled one was cut off once its socket held more than the bound, not buffered without end.
    expect(dropped).toEqual(['stalled']);
    expect(bufferedAtDrop[0]).toBeGreaterThan(512 * 1024);
    expect(bufferedAtDrop[0]).toBeLessThan(512 * 1024 + 70 * 1024);
    expect(fanout.size).toBe(1);
    expect(fanout.stats.dropped).toBe(1);
  });
});
