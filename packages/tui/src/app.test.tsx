import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App } from './app.tsx';
import { cellText } from './screens/Scoreboard.tsx';
import type { Api } from './context.ts';
import { JUDGE_USER, T0, teamState } from '../test-utils/fixtures.ts';
import { KEY, eventually, fakeApi, frameContaining, frameFits, renderAt, tick, type Rendered } from '../test-utils/testing.tsx';
import type { ClientState } from './state.ts';

const SIZES: [number, number][] = [
  [80, 24],
  [100, 30],
  [160, 50],
];

const host = (name: string, over: Record<string, unknown> = {}) => ({ name, alive: true, state: 'alive', seenAgoMs: 1000, disabled: false, draining: false, doctor: 'ok', workers: 3, busy: 1, current: ['12/14#1'], done: 40, errors: 0, seenAtMs: T0, ...over });
const JUDGEHOSTS = { queue: { backend: 'redis', up: true, problem: null }, judgehosts: [host('judge-a'), host('judge-b', { alive: false, state: 'gone', seenAgoMs: 90_000, busy: 0, current: [] }), host('judge-c', { doctor: 'cgroups missing' })] };

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

async function mount(store: ClientState, api: Api = fakeApi(), cols = 80, rows = 24, extra: Partial<React.ComponentProps<typeof App>> = {}) {
  const r = renderAt(<App store={store} api={api} {...extra} />, cols, rows);
  mounted.push(r);
  await tick(30);
  return r;
}

function expectFits(r: Rendered, cols: number, rows: number) {
  const f = frameFits(r.frame(), cols, rows);
  expect(f.ok, `${f.why}\n${r.frame()}`).toBe(true);
  // The live region stays shorter than the terminal, so Ink never clears to redraw.
  expect(r.frame().split('\n').length).toBeLessThan(rows);
}

describe('every screen fits the terminal', () => {
  for (const [cols, rows] of SIZES) {
    test(`team screens at ${cols}x${rows}`, async () => {
      const r = await mount(teamState({ teams: 300, submissions: 200 }), fakeApi(), cols, rows);
      for (const k of ['1', '2', '3', '4', '5', '6']) {
        await r.press(k);
        expectFits(r, cols, rows);
      }
      // overlays and detail views too
      await r.press('4', KEY.enter);
      expectFits(r, cols, rows);
      await r.press(KEY.escape, '?');
      expectFits(r, cols, rows);
      expect(r.frame()).toContain('Everywhere');
    });
    test(`jury screens at ${cols}x${rows}`, async () => {
      const store = teamState({ teams: 300, user: JUDGE_USER });
      const api = fakeApi({ jurySubmissions: () => ({ submissions: [] }), rejudgings: () => ({ rejudgings: [] }), teams: () => ({ teams: [] }), judgehosts: () => JUDGEHOSTS });
      const r = await mount(store, api, cols, rows);
      for (const k of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']) {
        await r.press(k);
        expectFits(r, cols, rows);
      }
    });
  }
});

describe('tab bar', () => {
  // Ids and seqs above the fixture's, so each one is new and unread.
  const announce = (store: ClientState, i: number) =>
    store.applyEvent({ type: 'event', seq: 500 + i, atMs: T0, event: { kind: 'clarification', clarification: {
      id: `tabs${i}`, kind: 'announcement', fromTeamId: null, toTeamId: null, problemId: null, replyToId: null, quotedQuestion: null,
      text: `note ${i}`, createdAtMs: T0 + 999_000, contestTimeMs: 999_000, answered: false } } });
  const tabLine = (r: Rendered) => r.frame().split('\n')[1]!;
  // Each tab shows its number and either its full title or its short label, whole: a cut name would
  // be followed by neither a space, the badge nor the end of the line.
  const whole = (line: string, n: number, names: string[]) =>
    names.some((t) => new RegExp(`(^| )${n} ${t}(\\(\\d+\\))?( |$)`).test(line));
  const TEAM = [['Problems', 'Probs'], ['Statement', 'Stmt'], ['Submit'], ['Submissions', 'Subs'], ['Scoreboard', 'Board'], ['Clarifications', 'Clars']];
  const JURY = [['Queue'], ['Submissions', 'Subs'], ['Scoreboard', 'Board'], ['Clarifications', 'Clars'], ['Problems', 'Probs'], ['Statement', 'Stmt'], ['Contest'], ['Rejudgings', 'Rejud'], ['Teams'], ['Judgehosts', 'Hosts']];

  test('at 80 columns every tab label is whole and the unread badge shows, on every screen', async () => {
    const store = teamState();
    const r = await mount(store, fakeApi(), 80, 24);
    await r.press('5');
    for (let i = 1; i <= 12; i++) announce(store, i);
    await frameContaining(r, '(12)');
    for (const k of ['1', '2', '3', '4', '5']) {
      await r.press(k);
      const line = tabLine(r);
      expect(line.length, line).toBeLessThanOrEqual(80);
      TEAM.forEach((names, i) => expect(whole(line, i + 1, names), `tab ${i + 1} in ${JSON.stringify(line)}`).toBe(true));
      expect(line).toMatch(/6 Cla\w*\(12\)( |$)/);
      // The active tab keeps its full title.
      expect(line).toContain(`${k} ${TEAM[Number(k) - 1]![0]}`);
    }
  });

  test('jury tabs fit at 80 columns too', async () => {
    const store = teamState({ user: JUDGE_USER });
    const api = fakeApi({ jurySubmissions: () => ({ submissions: [] }), rejudgings: () => ({ rejudgings: [] }), teams: () => ({ teams: [] }), judgehosts: () => JUDGEHOSTS });
    const r = await mount(store, api, 80, 24);
    for (const k of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']) {
      await r.press(k);
      const line = tabLine(r);
      JURY.forEach((names, i) => expect(whole(line, (i + 1) % 10, names), `tab ${(i + 1) % 10} in ${JSON.stringify(line)}`).toBe(true));
    }
  });

  test('at 160 columns every tab has its full title', async () => {
    const store = teamState();
    const r = await mount(store, fakeApi(), 160, 40);
    announce(store, 1);
    await frameContaining(r, '(1)');
    const line = tabLine(r);
    TEAM.forEach(([full], i) => expect(whole(line, i + 1, [full!]), `tab ${i + 1} in ${JSON.stringify(line)}`).toBe(true));
    expect(line).toContain('6 Clarifications(1)');
  });
});

describe('keys', () => {
  test('Tab, Shift-Tab, ] and [ switch screens; the help bar is always there', async () => {
    const r = await mount(teamState());
    expect(r.frame()).toMatch(/Problem +Time +Memory/);
    await r.press(KEY.tab);
    expect(r.frame()).toContain('A. Hello World');
    await r.press(']');
    expect(r.frame()).toContain('Submit a solution');
    await r.press(KEY.backtab, '[');
    expect(r.frame()).toMatch(/Problem +Time +Memory/);
    await r.press('[');
    expect(r.frame()).toContain('Print a file');
    await r.press('[');
    expect(r.frame()).toMatch(/Kind +About/);
    expect(r.frame()).toContain('? help  q quit');
  });

  test('q and Ctrl-C quit; ? opens help and Esc closes it', async () => {
    const onQuit = vi.fn();
    const r = await mount(teamState(), fakeApi(), 80, 24, { onQuit });
    await r.press('?');
    expect(r.frame()).toContain('q / Ctrl-C');
    await r.press(KEY.escape);
    expect(r.frame()).not.toContain('q / Ctrl-C');
    await r.press('q');
    expect(onQuit).toHaveBeenCalledTimes(1);
    const onQuit2 = vi.fn();
    const r2 = await mount(teamState(), fakeApi(), 80, 24, { onQuit: onQuit2 });
    await r2.press(KEY.ctrlC);
    expect(onQuit2).toHaveBeenCalledTimes(1);
  });

  test('/ filters a list and typed q does not quit while filtering', async () => {
    const onQuit = vi.fn();
    const r = await mount(teamState(), fakeApi(), 80, 24, { onQuit });
    await r.press('/', 'g', 'r', 'a', 'q');
    expect(onQuit).not.toHaveBeenCalled();
    await r.press(KEY.backspace, KEY.enter);
    expect(r.frame()).toContain('Graph Walk');
    expect(r.frame()).not.toContain('Hello World');
    expect(r.frame()).toContain('rows 1-1 of 1');
    await r.press(KEY.escape);
    expect(r.frame()).toContain('Hello World');
  });

  test('below 80x24 says so, resizes live, and still quits on q', async () => {
    const onQuit = vi.fn();
    const r = await mount(teamState(), fakeApi(), 80, 24, { onQuit });
    await r.resize(60, 20);
    expect(r.frame()).toContain('Window too small: 60x20');
    expectFits(r, 60, 20);
    await r.resize(120, 40);
    expect(r.frame()).toContain('Hello World');
    expectFits(r, 120, 40);
    await r.resize(79, 24);
    await r.press('q');
    expect(onQuit).toHaveBeenCalled();
  });
});

describe('screens', () => {
  test('the statement renders markdown, math and boxed samples, and scrolls', async () => {
    const r = await mount(teamState());
    await r.press('2');
    expect(r.frame()).toContain('1 ≤ n ≤ 10^5');
    expect(r.frame()).toContain('• The first line holds n.');
    await r.press(KEY.pageDown);
    expect(r.frame()).toMatch(/┌─ Sample 1 input/);
    await r.press(KEY.right);
    expect(r.frame()).toContain('B. Sum of Two');
  });

  test('the scoreboard keeps my team in view among 300 and finds a team with /', async () => {
    const store = teamState({ teams: 300 });
    const rows = store.getSnapshot().scoreboard!.rows;
    const me = rows[150]!;
    store.update({ user: { username: me.teamId, role: 'team', teamId: me.teamId, displayName: me.teamName } });
    const r = await mount(store);
    await r.press('5');
    expect(r.frame()).toContain(`> ${me.teamName}`);
    expect(r.frame()).toMatch(/rows \d+-\d+ of 300/);
    await r.press('/', ...'Team 299 '.split(''), KEY.enter);
    expect(r.frame()).toContain('Team 299 ');
    expect(r.frame()).not.toContain(`> ${me.teamName}`);
    await r.press('m');
    expect(r.frame()).toContain(`> ${me.teamName}`);
  });

  test('scoreboard cells: solved, first to solve, rejected, pending, frozen', () => {
    const base = { problemId: 'pa', solved: false, attempts: 0, pending: 0, timeMin: null, penaltyMin: 0, firstToSolve: false };
    expect(cellText({ ...base, solved: true, attempts: 2, timeMin: 45 }, false)).toMatchObject({ text: '2/45', colour: 'green' });
    expect(cellText({ ...base, solved: true, attempts: 1, timeMin: 9, firstToSolve: true }, false)).toMatchObject({ text: '*1/9', bold: true });
    expect(cellText({ ...base, attempts: 3 }, false)).toMatchObject({ text: '-3', colour: 'red' });
    expect(cellText({ ...base, attempts: 1, pending: 2 }, false)).toMatchObject({ text: '?1+2', colour: 'yellow' });
    expect(cellText({ ...base, pending: 1 }, true)).toMatchObject({ text: '?1', colour: 'blue' });
    expect(cellText(base, false).text).toBe('.');
  });

  test('a submission goes from queued through the progress bar to a coloured verdict', async () => {
    const store = teamState();
    const r = await mount(store);
    await r.press('4');
    const sub = store.getSnapshot().submissions[1]!; // queued
    expect(r.frame()).toMatch(new RegExp(`${sub.id} .*queued`));
    store.applyEvent({ type: 'event', seq: 101, atMs: T0, event: { kind: 'progress', submissionId: sub.id, judgingId: 'j', status: 'running', testIndex: 6, testCount: 8 } });
    expect(await frameContaining(r, /\[\.+ +\] 5\/8/)).toMatch(/\[\.+ +\] 5\/8/);
    store.applyEvent({
      type: 'event', seq: 102, atMs: T0,
      event: { kind: 'verdict', verdict: { submissionId: sub.id, judgingId: 'j', verdict: 'WA', timeMs: 120, memoryKiB: 4096, testsPassed: 5, testCount: 8, compileOutput: null,
        teamMessage: 'try small n\x1b]0;pwned\x07', tests: [{ index: 1, name: '1', sample: true, verdict: 'WA', timeMs: 3, memoryKiB: 100, input: '3\n1 2 3\n', expected: '6\n', got: '7\n', gotTruncated: false, stderr: '', teamMessage: null }] } },
    });
    const wa = new RegExp(`${sub.id} .*WA +120 ms +4.0 MiB`);
    expect(await frameContaining(r, wa)).toMatch(wa);
    // A notice is shown on every screen.
    expect(r.frame()).toContain(`! Submission ${sub.id}: WA`);
    await r.press(KEY.down, KEY.enter);
    expect(r.frame()).toContain('Verdict: WA — Wrong Answer');
    // The validator's message for the team, made terminal-safe on the way in.
    expect(r.frame()).toContain('Message from the judge');
    expect(r.frame()).toContain('try small n');
    expect(r.frame()).not.toContain('\x1b]0;');
    expect(r.frame()).toContain('your output');
  });

  test('a new answer shows a notice on any screen and an unread badge until read', async () => {
    const store = teamState();
    const r = await mount(store);
    await r.press('5');
    store.applyEvent({ type: 'event', seq: 101, atMs: T0, event: { kind: 'clarification', clarification: {
      id: 'c9', kind: 'announcement', fromTeamId: null, toTeamId: null, problemId: null, replyToId: null, quotedQuestion: null,
      text: 'Problem C statement fixed', createdAtMs: T0 + 999_000, contestTimeMs: 999_000, answered: false } } });
    expect(await frameContaining(r, '! Announcement')).toContain('! Announcement: Problem C statement fixed');
    expect(r.frame()).toMatch(/6 Cla\w*\(1\)/);
    await r.press('6');
    expect(r.frame()).toContain('Problem C statement fixed');
    await eventually(() => !/\(1\)/.test(r.frame()));
    expect(r.frame()).not.toMatch(/\(1\)/);
  });

  test('submit: path completion, language from the extension, confirm, then the live view', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-submit-'));
    fs.writeFileSync(path.join(dir, 'solution.cpp'), 'int main(){}\n');
    fs.writeFileSync(path.join(dir, 'empty.py'), '');
    const store = teamState();
    const sub = { id: 's99', problemId: 'pb', language: 'cpp', fileNames: ['solution.cpp'], submittedAtMs: T0 + 9e6, contestTimeMs: 9e6, status: 'queued' as const, verdict: null, timeMs: null, memoryKiB: null, testIndex: null, testCount: null };
    const api = fakeApi({ submit: () => ({ submission: sub }) });
    const r = await mount(store, api, 80, 24, { cwd: dir });
    await r.press('3', KEY.up, KEY.right); // problem B
    expect(r.frame()).toContain('‹ B. Sum of Two ›');
    await r.press(KEY.down, KEY.enter, 's', 'o', 'l', KEY.tab);
    expect(r.frame()).toContain('solution.cpp');
    await r.press(KEY.enter);
    expect(r.frame()).toContain('‹ C++ ›  (from the extension)');
    await r.press(KEY.enter);
    expect(r.frame()).toContain('Submit solution.cpp (C++, 13 bytes) for B. Sum of Two?');
    await r.press('y');
    await frameContaining(r, 'Submission s99');
    expect(api.calls.find((c) => c.type === 'submit')).toMatchObject({ problemId: 'pb', language: 'cpp', files: [{ name: 'solution.cpp', source: 'int main(){}\n' }] });
    expect(r.frame()).toContain('Submission s99 · problem B · cpp');
    // an empty file is refused before anything is sent
    await r.press(KEY.escape, '3', KEY.enter, KEY.ctrlC);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('submit refuses an empty file with a plain reason', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-submit-'));
    fs.writeFileSync(path.join(dir, 'empty.py'), '');
    const api = fakeApi();
    const r = await mount(teamState(), api, 80, 24, { cwd: dir });
    await r.press('3', KEY.enter, ...'empty.py'.split(''), KEY.enter, KEY.enter);
    expect(r.frame()).toMatch(/cannot submit: .*empty\.py is empty/);
    expect(api.calls.some((c) => c.type === 'submit')).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('team asks a question; the jury answers one', async () => {
    const api = fakeApi({ ask: (f) => ({ clarification: { id: 'c50', kind: 'question', text: f.text } }), answer: () => ({ clarification: {} }), jurySubmissions: () => ({ submissions: [] }) });
    const r = await mount(teamState(), api);
    await r.press('6', 'a', KEY.tab, ...'Is n > 0?'.split(''), KEY.enter);
    await frameContaining(r, 'Question sent');
    expect(api.calls.find((c) => c.type === 'ask')).toMatchObject({ problemId: 'pa', text: 'Is n > 0?' });
    expect(r.frame()).toContain('Question sent to the jury.');

    const jury = teamState({ user: JUDGE_USER });
    const r2 = await mount(jury, api);
    await r2.press('4');
    await r2.press(KEY.down, 'r');
    expect(r2.frame()).toContain('send to: ‹ that team only ›');
    await r2.press(KEY.tab, ...'Yes.'.split(''), KEY.enter);
    await eventually(() => api.calls.some((c) => c.type === 'answer'));
    expect(api.calls.find((c) => c.type === 'answer')).toMatchObject({ clarificationId: 'c2', text: 'Yes.', to: 'all' });
  });

  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`jury at ${cols}x${rows}: a canned answer with one key, editable, sent to every team with Tab`, async () => {
      const api = fakeApi({ answer: () => ({ clarification: {} }), jurySubmissions: () => ({ submissions: [] }) });
      const r = await mount(teamState({ user: JUDGE_USER }), api, cols, rows);
      await r.press('4', KEY.down, 'c');
      let f = await frameContaining(r, 'Canned answer to');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      expect(f).toContain('2  Read the problem statement carefully.');
      await r.press('2');
      f = await frameContaining(r, 'send to: ‹ that team only ›');
      expect(f).toContain('> Read the problem statement carefully.');
      await r.press(KEY.tab, KEY.enter);
      await eventually(() => api.calls.some((c) => c.type === 'answer'));
      expect(api.calls.find((c) => c.type === 'answer')).toMatchObject({ clarificationId: 'c2', text: 'Read the problem statement carefully.', to: 'all' });
      // Esc leaves the picker without sending anything.
      await r.press(KEY.down, 'c', KEY.escape);
      expect(api.calls.filter((c) => c.type === 'answer')).toHaveLength(1);
    });
  }

  test('jury: R, P, T, V rejudge the submission, its problem, its team, its verdict class, each after asking', async () => {
    const store = teamState({ user: JUDGE_USER });
    const sub = { id: '41', problemId: 'pb', language: 'cpp', fileNames: ['a.cpp'], submittedAtMs: T0 + 60_000, contestTimeMs: 60_000, status: 'judged' as const,
      verdict: 'WA' as const, timeMs: 10, memoryKiB: 1000, testIndex: 1, testCount: 3, teamId: 'team7', teamName: 'Team Seven', judgingId: '50' };
    const api = fakeApi({ jurySubmissions: () => ({ submissions: [sub] }), rejudge: () => ({ rejudgingId: '9', submissionCount: 4 }) });
    const r = await mount(store, api);
    await r.press('2');
    await frameContaining(r, 'Team Seven');
    const cases = [
      ['R', 'Rejudge submission 41?', { scope: { kind: 'submission', submissionId: '41' } }],
      ['P', 'Rejudge every submission of problem B?', { scope: { kind: 'problem', problemId: 'pb' } }],
      ['T', 'Rejudge every submission of team Team Seven?', { scope: { kind: 'team', teamId: 'team7' } }],
      ['V', 'Rejudge every WA submission?', { scope: { kind: 'all' }, verdicts: ['WA'] }],
    ] as const;
    for (const [key, ask, frame] of cases) {
      await r.press(key);
      expect(r.frame()).toContain(ask);
      await r.press('y');
      await frameContaining(r, 'Rejudging 9: 4 submission(s) queued; nothing changes until you apply it');
      expect(api.calls.filter((c) => c.type === 'rejudge').at(-1)).toMatchObject(frame);
    }
    expect(api.calls.filter((c) => c.type === 'rejudge')).toHaveLength(4);
  });

  test('jury: freeze asks first and only then acts', async () => {
    const store = teamState({ user: JUDGE_USER });
    const api = fakeApi({ jurySubmissions: () => ({ submissions: [] }), contestControl: () => ({ clock: { ...store.getSnapshot().clock!, scoreboardFrozen: true } }) });
    const r = await mount(store, api);
    await r.press('7', 'f');
    expect(r.frame()).toContain('Freeze the public scoreboard now?');
    await r.press('n');
    expect(api.calls.some((c) => c.type === 'contestControl')).toBe(false);
    await r.press('f', 'y');
    await frameContaining(r, '(board frozen now)');
    expect(api.calls.find((c) => c.type === 'contestControl')).toMatchObject({ action: 'freezeNow' });
    expect(r.frame()).toContain('(board frozen now)');
  });
});

describe('connection', () => {
  test('offline and failed states are shown in the header and the notice line', async () => {
    const store = teamState();
    const r = await mount(store);
    store.update({ conn: { status: 'reconnecting', message: 'connection lost', attempt: 2, retryAtMs: Date.now() + 30_000 } });
    expect(await frameContaining(r, /◌ offline, retry in \d+s/)).toMatch(/◌ offline, retry in \d+s/);
    store.update({ conn: { status: 'failed', message: 'the stored session is no longer valid', attempt: 0, retryAtMs: null } });
    expect(await frameContaining(r, '✕ the stored')).toContain('✕ offline');
    expect(r.frame()).toContain('✕ the stored session is no longer valid — quit (q) and run judge again');
  });
});

describe('input bursts', () => {
  test('a path typed with Tab and Enter in one burst completes and confirms in order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-burst-'));
    fs.writeFileSync(path.join(dir, 'world.py'), 'print(1)\n');
    const r = await mount(teamState(), fakeApi(), 80, 24, { cwd: dir });
    await r.press('3', KEY.enter);
    await r.press('wor\t\r\r');
    expect(await frameContaining(r, 'Submit world.py')).toContain('Submit world.py (Python 3, 9 bytes) for A. Hello World?');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('Judgehosts screen (jury)', () => {
  test('lists each judgehost with its state and disables the selected one with d', async () => {
    const store = teamState({ user: JUDGE_USER });
    let disabled = false;
    const api = fakeApi({
      jurySubmissions: () => ({ submissions: [] }),
      judgehosts: () => JUDGEHOSTS,
      setJudgehostEnabled: (f) => {
        disabled = f.enabled === false;
        return { judgehosts: [host('judge-a', { disabled }), ...JUDGEHOSTS.judgehosts.slice(1)] };
      },
    });
    const r = await mount(store, api, 100, 30);
    await r.press('0');
    await frameContaining(r, 'judge-c');
    expect(r.frame()).toMatch(/judge-a\s+judging\s+1s\s+1\/3\s+40/);
    expect(r.frame()).toMatch(/judge-b\s+gone\s+90s/);
    expect(r.frame()).toMatch(/judge-c\s+broken.*FAIL/);
    await r.press('d');
    await frameContaining(r, 'judge-a disabled');
    expect(api.calls).toContainEqual({ type: 'setJudgehostEnabled', name: 'judge-a', enabled: false });
    expect(r.frame()).toMatch(/judge-a\s+disabled/);
  });

  test('says when the daemon judges alone (embedded queue)', async () => {
    const store = teamState({ user: JUDGE_USER });
    const api = fakeApi({ jurySubmissions: () => ({ submissions: [] }), judgehosts: () => ({ queue: { backend: 'embedded', up: true, problem: null }, judgehosts: [] }) });
    const r = await mount(store, api, 80, 24);
    await r.press('0');
    await frameContaining(r, 'Embedded queue');
  });
});
