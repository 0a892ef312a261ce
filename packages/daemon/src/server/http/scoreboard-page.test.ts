/**
 * The projector page in headless Chromium against the real HTTP handler and a small WebSocket server
 * that answers with the shared protocol (every frame the page sends is checked with parseClientFrame).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFrame, okFrameOf, parseClientFrame, type ClientFrame } from '@judged/shared/protocol';
import { makeFakeContest, type FakeContest } from '../../../test-utils/fake-contest.ts';
import { createHttpHandler } from './handler.ts';

const CHROMIUM = '/usr/bin/chromium';

let fake: FakeContest;
let server: http.Server;
let wss: WebSocketServer;
let base: string;
let browser: Browser | undefined;
const received: ClientFrame[] = [];
const badFrames: string[] = [];
let seq = 10;
/** While set, replies to 'scoreboard' requests wait here: shows what the page does from events alone. */
let heldScoreboardReplies: (() => void)[] | null = null;

beforeAll(async () => {
  fake = makeFakeContest();
  const handler = createHttpHandler(fake.deps);
  server = http.createServer((req, res) => {
    void handler(req, res).then((ok) => {
      if (!ok) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/ws') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (existsSync(CHROMIUM)) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }
});

afterAll(async () => {
  await browser?.close();
  for (const c of wss.clients) c.terminate();
  wss.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** A public connection as the daemon would serve it: hello, subscribe (snapshot), scoreboard, clock. */
function serve(ws: WebSocket): void {
  ws.on('message', (data) => {
    const parsed = parseClientFrame(String(data));
    if (!parsed.ok) {
      badFrames.push(`${parsed.code}: ${parsed.message}`);
      return;
    }
    const f = parsed.frame;
    received.push(f);
    const clock = fake.deps.clock();
    switch (f.type) {
      case 'hello':
        ws.send(JSON.stringify(okFrameOf(f.id, 'hello', { protocolVersion: 1, server: 'test', serverTimeMs: Date.now(), limits: { maxFrameBytes: 1, maxSourceBytes: 1, maxSourceFiles: 1, maxClarificationChars: 1 } })));
        break;
      case 'subscribe':
        ws.send(
          JSON.stringify(
            okFrameOf(f.id, 'subscribe', {
              mode: 'snapshot',
              headSeq: seq,
              snapshot: { clock, scoreboard: fake.deps.scoreboard('public'), problems: [], clarifications: [] },
            }),
          ),
        );
        break;
      case 'scoreboard': {
        const reply = () => ws.send(JSON.stringify(okFrameOf(f.id, 'scoreboard', { scoreboard: fake.deps.scoreboard('public') })));
        if (heldScoreboardReplies) heldScoreboardReplies.push(reply);
        else reply();
        break;
      }
      case 'clock':
        ws.send(JSON.stringify(okFrameOf(f.id, 'clock', { clock })));
        break;
      default:
        break;
    }
  });
}

function broadcast(event: Parameters<typeof eventFrame>[2]): void {
  const frame = JSON.stringify(eventFrame(++seq, Date.now(), event));
  for (const c of wss.clients) c.send(frame);
}

describe('projector scoreboard page', () => {
  it.skipIf(!existsSync(CHROMIUM))('shows the frozen board live, updates on events, and resumes after a reconnect', async () => {
    // The contest clock runs in real time for the page's countdown.
    const now = Date.now();
    Object.assign(fake.clock, { startAtMs: now - 270 * 60_000, endAtMs: now + 30 * 60_000, freezeAtMs: now - 30 * 60_000, serverTimeMs: now });
    const page = await browser!.newPage({ viewport: { width: 1280, height: 720 } });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/`);

    await page.waitForSelector('tr[data-team-id="t2"]');
    expect(await page.locator('#contest-name').textContent()).toBe('LAN Contest 2026');
    expect(await page.locator('#state').textContent()).toBe('frozen');
    expect(await page.locator('#banner').isVisible()).toBe(true);
    expect(await page.locator('#clock').textContent()).toMatch(/^0:(29|30):\d\d$/);
    // Team names are text, never markup.
    expect(await page.locator('tr[data-team-id="t2"] .team-name').textContent()).toBe('Bravo <script>alert(1)</script>');
    expect(await page.locator('tbody tr').count()).toBe(2);
    const t1 = page.locator('tr[data-team-id="t1"]');
    expect(await t1.locator('td.rank').textContent()).toBe('1');
    expect(await t1.locator('[data-problem-id="hello"] .box').getAttribute('class')).toBe('box first');
    expect(await t1.locator('[data-problem-id="sum"] .box').getAttribute('class')).toBe('box pending');
    // t2's AC after the freeze is hidden: pending, not solved.
    const t2hello = page.locator('tr[data-team-id="t2"] [data-problem-id="hello"] .box');
    expect(await t2hello.getAttribute('class')).toBe('box pending');
    expect(await t2hello.textContent()).toBe('?2 tries');
    await page.screenshot({ path: '/tmp/judged-scoreboard-frozen.png' });

    // Unfreeze: the daemon sends a clock event and scoreboard rows; the page fetches the new board.
    fake.clock.scoreboardFrozen = false;
    broadcast({ kind: 'clock', clock: fake.deps.clock() });
    broadcast({ kind: 'scoreboard', view: 'public', frozen: false, rows: [] });
    // Strings, so this file needs no DOM typings: they run in the page.
    await page.waitForFunction(`document.querySelector('tr[data-team-id="t2"] [data-problem-id="hello"] .box')?.className === 'box solved'`);
    expect(await page.locator('#banner').isVisible()).toBe(false);
    expect(await page.locator('#state').textContent()).toBe('running');
    expect(await page.locator('tr[data-team-id="t2"] td.solved').textContent()).toBe('1');
    expect(await page.locator('tr[data-team-id="t2"] td.penalty').textContent()).toBe('270');
    await page.screenshot({ path: '/tmp/judged-scoreboard-live.png' });

    // Drop the connection: the page reconnects and resumes from the last seq it saw.
    const lastSeq = seq;
    for (const c of wss.clients) c.terminate();
    await expect
      .poll(() => received.filter((f) => f.type === 'subscribe').length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    const subs = received.filter((f): f is Extract<ClientFrame, { type: 'subscribe' }> => f.type === 'subscribe');
    expect(subs[0]!.sinceSeq).toBeNull();
    expect(subs[subs.length - 1]!.sinceSeq).toBe(lastSeq);
    await page.waitForFunction(`document.getElementById('status')?.textContent === 'live'`);

    // An admin disables t1 (the leader): the event names it in removedTeamIds. With the board refetch
    // held back, the page must drop the row and move t2 up from the event alone.
    expect(await page.locator('tr[data-team-id="t1"] td.rank').textContent()).toBe('1');
    expect(await page.locator('tr[data-team-id="t2"] td.rank').textContent()).toBe('2');
    const t1team = fake.teams.find((t) => t.id === 't1')!;
    heldScoreboardReplies = [];
    try {
      t1team.enabled = false;
      broadcast({ kind: 'scoreboard', view: 'public', frozen: false, rows: [], removedTeamIds: ['t1'] });
      await page.waitForSelector('tr[data-team-id="t1"]', { state: 'detached', timeout: 10_000 });
      expect(await page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('tr[data-team-id="t2"] td.rank').textContent()).toBe('1');
      // The event also asked for the whole board; the daemon's (without t1) replaces the local one.
      await expect.poll(() => heldScoreboardReplies!.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    } finally {
      const held = heldScoreboardReplies ?? [];
      heldScoreboardReplies = null;
      for (const reply of held) reply();
      // Put t1 back (an admin re-enables it), also for the next test.
      t1team.enabled = true;
    }
    broadcast({ kind: 'scoreboard', view: 'public', frozen: false, rows: [] });
    await page.waitForSelector('tr[data-team-id="t1"]');
    expect(await page.locator('tr[data-team-id="t2"] td.rank').textContent()).toBe('2');

    expect(badFrames).toEqual([]);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it.skipIf(!existsSync(CHROMIUM))('scrolls a board taller than the screen, in type readable across a room, and notices the freeze arriving', async () => {
    const big = makeFakeContest({ extraTeams: 60 });
    fake.teams.push(...big.teams.filter((t) => t.id.startsWith('x')));
    const saved = { ...fake.clock };
    const now = Date.now();
    Object.assign(fake.clock, { state: 'running', serverTimeMs: now, freezeAtMs: now + 5000, scoreboardFrozen: false, unfrozenAtMs: null });
    try {
      const page = await browser!.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.goto(`${base}/scoreboard`);
      await page.waitForSelector('tr[data-team-id="x59"]');
      expect(await page.locator('tbody tr').count()).toBe(62);
      // Before the freeze time (guarded, so a slow machine cannot make this flaky): no banner yet.
      if (Date.now() < now + 4000) expect(await page.locator('#banner').isVisible()).toBe(false);
      const px = (sel: string) => page.evaluate<number>(`parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(sel)})).fontSize)`);
      expect(await px('.team-name')).toBeGreaterThanOrEqual(28);
      expect(await px('#clock')).toBeGreaterThanOrEqual(40);
      const scrollTop = () => page.evaluate<number>(`document.getElementById('viewport').scrollTop`);
      const first = await scrollTop();
      await expect.poll(scrollTop, { timeout: 10_000 }).toBeGreaterThan(first + 20);
      // No event arrives at the freeze time: the page's own clock shows the freeze.
      await page.waitForSelector('#banner', { state: 'visible', timeout: 10_000 });
      expect(await page.locator('#state').textContent()).toBe('frozen');
      await page.close();
    } finally {
      fake.teams.splice(3);
      Object.assign(fake.clock, saved);
    }
  });

  it.skipIf(!existsSync(CHROMIUM))('a score board: a partly scored cell in its own colour, apart from pending and full marks', async () => {
    const saved = fake;
    fake = makeFakeContest({ score: true });
    try {
      const page = await browser!.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(`${base}/scoreboard`);
      // Team 2's 40 on sum (subtasks 40 + 0), judged before the freeze: partial.
      const partial = page.locator('tr[data-team-id="t2"] [data-problem-id="sum"] .box');
      await partial.waitFor();
      expect(await partial.getAttribute('class')).toBe('box partial');
      expect(await partial.locator('.t').textContent()).toBe('40');
      const bg = (sel: string) => page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(sel)})).backgroundColor`);
      const partialBg = await bg('tr[data-team-id="t2"] [data-problem-id="sum"] .box');
      // Pending (t2's hello after the freeze) and full marks (t1's hello) look different.
      expect(await page.locator('tr[data-team-id="t2"] [data-problem-id="hello"] .box').getAttribute('class')).toBe('box pending');
      expect(partialBg).toBe('rgb(11, 122, 117)');
      expect(partialBg).not.toBe(await bg('tr[data-team-id="t2"] [data-problem-id="hello"] .box'));
      expect(partialBg).not.toBe(await bg('tr[data-team-id="t1"] [data-problem-id="hello"] .box'));
      await page.screenshot({ path: '/tmp/judged-scoreboard-score.png' });
      await page.close();
    } finally {
      fake = saved;
    }
  });
});
