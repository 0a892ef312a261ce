/**
 * The LAN room's screens: Print (team), Print queue and Balloons (jury from the Contest screen, and
 * the balloon runner's only tab), each at 80x24 and 160x50, never wider or taller than the terminal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Balloon, PrintJob, User } from '@judged/shared/protocol';
import { App } from '../app.tsx';
import { RequestError } from '../client.ts';
import { JUDGE_USER, T0, teamState } from '../../test-utils/fixtures.ts';
import { KEY, fakeApi, frameContaining, frameFits, renderAt, tick, type Rendered } from '../../test-utils/testing.tsx';

const mounted: Rendered[] = [];
const dirs: string[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const CLEAR: string[] = Array(12).fill(KEY.backspace);
const RUNNER: User = { username: 'runner', role: 'balloon', teamId: null, displayName: 'runner' };
const SIZES = [
  [80, 24],
  [160, 50],
] as const;

function balloons(n: number): Balloon[] {
  return Array.from({ length: n }, (_, i) => ({
    teamId: `team${i + 1}`, teamName: `Team ${i + 1}`, location: `Room ${1 + (i % 3)}, seat ${i + 1}`, problemId: `p${i % 5}`, label: 'ABCDE'[i % 5]!,
    problemName: `Problem ${i % 5}`, colour: ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#ff00ff'][i % 5]!, submissionId: String(100 + i),
    submittedAtMs: T0 + i * 60_000, contestTimeMs: i * 60_000, firstToSolve: i < 5, frozen: false, done: false, doneBy: null, doneAtMs: null,
  }));
}

function fits(r: Rendered, cols: number, rows: number): void {
  const f = frameFits(r.frame(), cols, rows);
  expect(f.ok, `${f.why}\n${r.frame()}`).toBe(true);
}

describe('Balloons screen', () => {
  for (const [cols, rows] of SIZES) {
    test(`${cols}x${rows}: a runner sees colour, team, place, first solve; Enter marks delivered and it leaves the list`, async () => {
      let list = balloons(40);
      const api = fakeApi({
        balloons: () => ({ balloons: list, heldBack: true, hiddenByFreeze: null }),
        setBalloonDone: (f) => {
          list = list.map((b) => (b.teamId === f.teamId && b.problemId === f.problemId ? { ...b, done: Boolean(f.done), doneBy: 'runner' } : b));
          return { balloon: list.find((b) => b.teamId === f.teamId && b.problemId === f.problemId)! };
        },
      });
      const r = renderAt(<App store={teamState({ user: RUNNER })} api={api} />, cols, rows);
      mounted.push(r);
      let f = await frameContaining(r, 'Room 1, seat 1');
      expect(f).toMatch(/Balloons/);
      expect(f).toMatch(/A +Team 1 +Room 1, seat 1 +00:00 +\*first/);
      // Runners are told the freeze holds balloons back, never how many (that would say someone solved).
      expect(f).toMatch(/40 to deliver, 0 delivered; frozen: later balloons wait/);
      expect(f).not.toMatch(/held back by/);
      // Only the balloon screen: no problems, scoreboard or submissions tabs for a runner.
      expect(f).not.toMatch(/Scoreboard|Submissions|Problems/);
      fits(r, cols, rows);
      await r.press(KEY.enter);
      f = await frameContaining(r, /A for Team 1 \(Room 1, seat 1\): delivered/);
      expect(api.calls.some((c) => c.type === 'setBalloonDone' && c.teamId === 'team1' && c.done === true)).toBe(true);
      expect(f).toMatch(/39 to deliver, 1 delivered/);
      expect(f).not.toMatch(/Team 1 +Room 1, seat 1/);
      await r.press('a');
      f = await frameContaining(r, /done runner/);
      fits(r, cols, rows);
      // The jury-only freeze key does nothing for a runner.
      await r.press('f');
      await tick(30);
      expect(api.calls.every((c) => c.type !== 'balloons' || c.includeFrozen === false)).toBe(true);
    });
  }

  test('the jury opens it from the Contest screen with b, f shows the frozen ones, Esc goes back', async () => {
    const api = fakeApi({
      balloons: (f) => ({ balloons: f.includeFrozen ? [...balloons(2), { ...balloons(3)[2]!, frozen: true }] : balloons(2), heldBack: true, hiddenByFreeze: f.includeFrozen ? 0 : 1 }),
    });
    const r = renderAt(<App store={teamState({ user: JUDGE_USER })} api={api} initialScreen="contest" />, 80, 24);
    mounted.push(r);
    await frameContaining(r, 'b  Balloons');
    await r.press('b');
    await frameContaining(r, /1 held back by the freeze/);
    await r.press('f');
    await frameContaining(r, /Team 3 .*frozen/);
    fits(r, 80, 24);
    await r.press(KEY.escape);
    await frameContaining(r, 'p  the Print queue');
  });

  test('live: balloon events change the list with no request and no poll; the freeze and a snapshot make it load again', async () => {
    const list = balloons(2);
    const api = fakeApi({ balloons: () => ({ balloons: list, heldBack: false, hiddenByFreeze: null }) });
    const store = teamState({ user: RUNNER });
    const r = renderAt(<App store={store} api={api} />, 80, 24);
    mounted.push(r);
    await frameContaining(r, 'Room 2, seat 2');
    const loads = () => api.calls.filter((c) => c.type === 'balloons').length;
    expect(loads()).toBe(1);
    let seq = 200;
    const event = (e: Parameters<typeof store.applyEvent>[0]['event']) => store.applyEvent({ type: 'event', seq: ++seq, atMs: T0, event: e });
    // A new solve, and another runner marking team 1's balloon delivered.
    const third = balloons(3)[2]!;
    event({ kind: 'balloon', balloon: third });
    let f = await frameContaining(r, 'Room 3, seat 3');
    event({ kind: 'balloon', balloon: { ...list[0]!, done: true, doneBy: 'runner2', doneAtMs: T0 } });
    f = await frameContaining(r, /2 to deliver, 1 delivered/);
    expect(f).not.toMatch(/Room 1, seat 1/);
    // A rejudge took team 2's AC away.
    event({ kind: 'balloon', balloon: list[1]!, removed: true });
    f = await frameContaining(r, /1 to deliver, 1 delivered/);
    expect(f).not.toMatch(/Room 2, seat 2/);
    await tick(100);
    expect(loads()).toBe(1);
    // The board freezes: whether balloons are held back is the server's to say, so it is asked again.
    const c = store.getSnapshot().clock!;
    event({ kind: 'clock', clock: { ...c, state: 'frozen', scoreboardFrozen: true } });
    await tick(50);
    expect(loads()).toBe(2);
    // The unfreeze needs no request: the released balloons come as events.
    event({ kind: 'clock', clock: { ...c, scoreboardFrozen: false } });
    await tick(50);
    expect(loads()).toBe(2);
    // A snapshot means events were skipped: load again.
    store.applySnapshot({ clock: c, scoreboard: store.getSnapshot().scoreboard!, problems: [], clarifications: [] }, 300);
    await tick(50);
    expect(loads()).toBe(3);
  });
});

describe('Print queue screen', () => {
  for (const [cols, rows] of SIZES) {
    test(`${cols}x${rows}: printouts with place and state; view as printed, d delivered, r reprint after y`, async () => {
      let jobs: PrintJob[] = Array.from({ length: 30 }, (_, i) => ({
        id: String(30 - i), teamId: `team${i + 1}`, teamName: `Team ${i + 1}`, location: `Table ${i + 1}`, fileName: `sol${i}.cpp`, pages: 1 + (i % 3),
        bytes: 400, state: i % 2 ? 'queued' : 'printed', error: null, done: false, createdAtMs: T0 + i * 1000, printedAtMs: null, printCount: i % 2 ? 0 : 1,
      }));
      const api = fakeApi({
        printJobs: () => ({ jobs, printer: null }),
        printJob: (f) => ({ job: jobs.find((j) => j.id === f.jobId)!, text: `team1 | Team 1 | Table 1 | sol0.cpp | 2026-11-25 09:00 UTC   page 1/1\n${'-'.repeat(90)}\nint main() {}\n` }),
        printAction: (f) => {
          if (f.action === 'reprint') throw new RequestError('conflict', 'no printer is configured (judged --printer NAME): view the printout and print it by hand');
          jobs = jobs.map((j) => (j.id === f.jobId ? { ...j, done: f.action === 'done' } : j));
          return { job: jobs.find((j) => j.id === f.jobId)! };
        },
      });
      const r = renderAt(<App store={teamState({ user: JUDGE_USER })} api={api} initialScreen="contest" />, cols, rows);
      mounted.push(r);
      await r.press('p');
      let f = await frameContaining(r, 'Table 1');
      expect(f).toMatch(/30 +\d\d:\d\d +Team 1 +Table 1 +sol0\.cpp +1 +printed +no/);
      expect(f).toMatch(/30 to deliver, 30 in all; no printer/);
      fits(r, cols, rows);
      await r.press(KEY.enter);
      f = await frameContaining(r, 'page 1/1');
      expect(f).toMatch(/int main\(\) \{\}/);
      fits(r, cols, rows);
      await r.press(KEY.escape);
      await r.press('d');
      f = await frameContaining(r, /Printout 30 \(Team 1, sol0\.cpp\) marked delivered/);
      expect(f).toMatch(/29 to deliver/);
      await r.press('r');
      await frameContaining(r, /Send printout 30 .* to the printer again\?/);
      await r.press('y');
      await frameContaining(r, /Not done: no printer is configured/);
      fits(r, cols, rows);
    });
  }
});

describe('Print screen', () => {
  for (const [cols, rows] of SIZES) {
    test(`${cols}x${rows}: a team prints a text file; a binary one is refused before sending; a spent budget is said`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-print-'));
      dirs.push(dir);
      fs.writeFileSync(path.join(dir, 'sol.cpp'), 'int main() {\n\treturn 0;\n}\n');
      fs.writeFileSync(path.join(dir, 'a.out'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
      fs.writeFileSync(path.join(dir, 'esc.txt'), 'ok\nbad \u001b]52;c;aGk=\u0007\n');
      let left = 3;
      const api = fakeApi({
        print: (f) => {
          if (left === 0) throw new RequestError('budget_spent', 'sol.cpp is 1 page; your team has 0 of its 3 pages left: print less, or ask the organizers');
          left--;
          return { jobId: String(3 - left), pages: 1, state: 'queued', pagesLeft: left, sent: f };
        },
      });
      const r = renderAt(<App store={teamState()} api={api} cwd={dir} />, cols, rows);
      mounted.push(r);
      await tick(30);
      await r.press('7');
      await frameContaining(r, 'Print a file');
      fits(r, cols, rows);
      await r.press(KEY.enter, ...'a.out'.split(''), KEY.enter);
      await frameContaining(r, /Cannot print: .*a\.out looks binary/);
      await r.press(KEY.enter, ...CLEAR, ...'esc.txt'.split(''), KEY.enter);
      await frameContaining(r, /Cannot print: .*esc\.txt line 2 holds U\+001B/);
      await r.press(KEY.enter, ...CLEAR, ...'so'.split(''), KEY.tab, KEY.enter);
      await frameContaining(r, /Print sol\.cpp \(3 lines\)\?/);
      fits(r, cols, rows);
      await r.press('y');
      await frameContaining(r, /Printout 1 \(sol\.cpp, 1 page\) queued: the organizers print it and bring it to you\. 2 pages left\./);
      const sent = api.calls.find((c) => c.type === 'print')!;
      expect(sent).toMatchObject({ fileName: 'sol.cpp', text: 'int main() {\n\treturn 0;\n}\n' });
      expect(api.calls.filter((c) => c.type === 'print')).toHaveLength(1);
      left = 0;
      await r.press(KEY.enter, ...'sol.cpp'.split(''), KEY.enter, 'y');
      await frameContaining(r, /Not printed: sol\.cpp is 1 page; your team has 0 of its 3 pages left/);
      fits(r, cols, rows);
    });
  }
});
