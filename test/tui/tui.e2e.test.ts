/**
 * End to end: a real `judged` and the real `judge` full-screen client in tmux. A team logs in, reads a
 * statement, tests a solution locally, submits, sees the verdict and the scoreboard move; the
 * connection drops (daemon restarted) and recovers without duplicates; the jury answers a
 * clarification in its own client and the team sees it. Screens are captured at 80x24 and 160x50
 * and printed into the test output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDaemonProcess, until, type RunningDaemon } from '../daemon/spawn-daemon.ts';
import { Tmux } from './tmux.ts';
import { CLI, TSX, haveTmux, openClient, openRoom, type Login } from './room.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';
import { openStore } from '../../packages/daemon/src/store/index.ts';

let daemon: RunningDaemon;
let tmux: Tmux;
let work: string;
let team: Login;
let judge: Login;
const shots: string[] = [];

function shot(title: string, screen: string): void {
  const text = `----- ${title} -----\n${screen.replace(/\s+$/gm, '')}`;
  shots.push(text);
  process.stdout.write(text + '\n');
}

function client(name: string, user: Login, columns = 80, rows = 24): void {
  openClient(tmux, name, { work, port: daemon.port }, user, columns, rows);
}

describe.skipIf(!haveTmux)('judge full-screen client against a real judged, in tmux', () => {
  beforeAll(async () => {
    ({ daemon, team, judge, work } = await openRoom('tuiE2e', 'judge-e2e-'));
    tmux = new Tmux();
  }, 120_000);

  afterAll(async () => {
    tmux?.kill();
    await daemon?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (shots.length) fs.writeFileSync(path.join(os.tmpdir(), 'judge-e2e-screens.txt'), shots.join('\n\n') + '\n');
  });

  test('log in, read, test locally, submit, verdict, scoreboard, reconnect, clarification', async () => {
    client('team', team);
    let s = await tmux.waitFor('team', /● online[\s\S]*Hello/, 60_000);
    shot('team: problems, 80x24', s);
    expect(s).toMatch(/Problem +Time +Memory/);

    // Statement
    tmux.send('team', ['Enter']);
    s = await tmux.waitFor('team', /A\. Hello/);
    tmux.send('team', ['PageDown']);
    s = await tmux.waitFor('team', /Sample 1 input/);
    shot('team: statement, 80x24', s);

    // Local test of the samples, as a script would run it.
    const local = spawnSync(TSX, [CLI, 'test', 'A', path.join(work, 'hello.py'), '--json'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, JUDGE_SERVER: `127.0.0.1:${daemon.port}`, JUDGE_USER: team.username, JUDGE_PASSWORD: team.password, JUDGE_CONFIG_DIR: path.join(work, 'cfg-script') },
      timeout: 120_000,
    });
    expect(local.status, local.stderr).toBe(0);
    expect(JSON.parse(local.stdout)).toMatchObject({ passed: 2, total: 2, compiled: true });

    // Submit from the Submit screen: path typed with completion, language from the extension.
    tmux.send('team', ['3']);
    await tmux.waitFor('team', /Submit a solution/);
    tmux.send('team', ['Enter']);
    tmux.send('team', ['hel'], { literal: true });
    tmux.send('team', ['Tab']);
    await tmux.waitFor('team', /File +hello\.py/);
    tmux.send('team', ['Enter']);
    await tmux.waitFor('team', /Python 3 ›  \(from the extension\)/);
    tmux.send('team', ['Enter']);
    s = await tmux.waitFor('team', /Submit hello\.py \(Python 3/);
    shot('team: submit confirmation, 80x24', s);
    tmux.send('team', ['y']);
    s = await tmux.waitFor('team', /Verdict: AC — Accepted/, 180_000);
    shot('team: verdict, 80x24', s);

    // Scoreboard: my team highlighted, problem A solved.
    tmux.send('team', ['Escape']);
    await tmux.waitFor('team', /rows 1-1 of 1/);
    tmux.send('team', ['5']);
    s = await tmux.waitFor('team', /> Demo Team 1 +1 /);
    shot('team: scoreboard, 80x24', s);

    // Dropped connection: restart the daemon on the same data and port.
    const port = daemon.port;
    const data = daemon.data;
    await daemon.stop();
    s = await tmux.waitFor('team', /offline|reconnecting/, 30_000);
    shot('team: offline', s);
    daemon = await startDaemonProcess({ workers: 1, slotBase: testSlot('tuiE2e'), data, port });
    s = await tmux.waitFor('team', /● online/, 60_000);
    tmux.send('team', ['4']);
    s = await tmux.waitFor('team', /rows 1-1 of 1/);
    expect(s.match(/python3/g)).toHaveLength(1); // the submission is not duplicated by the resync

    // Clarification: the team asks, the jury answers in its own client, the team sees the answer.
    tmux.send('team', ['6']);
    await tmux.waitFor('team', /Kind +About/);
    tmux.send('team', ['a']);
    await tmux.waitFor('team', /Ask the jury about/);
    tmux.send('team', ['Is the name ever empty?'], { literal: true });
    tmux.send('team', ['Enter']);
    await tmux.waitFor('team', /Question sent to the jury/);

    client('jury', judge);
    await tmux.waitFor('jury', /● online/, 60_000);
    tmux.send('jury', ['4']);
    s = await tmux.waitFor('jury', /question ….*Is the name ever empty\?/);
    shot('jury: clarifications, 80x24', s);
    // Select the question (it is the newest) and answer it to everybody.
    tmux.send('jury', ['r']);
    await tmux.waitFor('jury', /send to: ‹ that team only ›/);
    tmux.send('jury', ['Tab']);
    tmux.send('jury', ['No, at least one letter.'], { literal: true });
    tmux.send('jury', ['Enter']);
    await tmux.waitFor('jury', /Answer sent/);

    s = await tmux.waitFor('team', /! Answer: No, at least one letter\./, 30_000);
    shot('team: answer notice, 80x24', s);

    // Larger terminal: the same screens at 160x50.
    tmux.resize('team', 160, 50);
    for (const [key, title, re] of [
      ['1', 'problems', /Problem +Time/],
      ['2', 'statement', /A\. Hello/],
      ['4', 'submissions', /Status/],
      ['5', 'scoreboard', /Rank Team/],
      ['6', 'clarifications', /Kind +About/],
    ] as const) {
      tmux.send('team', [key]);
      shot(`team: ${title}, 160x50`, await tmux.waitFor('team', re));
    }

    // Too small, then quit: the terminal comes back clean.
    tmux.resize('team', 60, 20);
    await tmux.waitFor('team', /Window too small/);
    tmux.send('team', ['q']);
    s = await tmux.waitFor('team', /\[exit 0\]/);
    expect(s).not.toMatch(/Rank Team|Window too small/);
  }, 600_000);

  // A clarification carrying an OSC 52 clipboard write, a window title and a cursor-position report
  // request: the protocol refuses it from a team, and when such text is in the store anyway (written
  // before this check existed, a restored database) the jury's client shows it clean. The tmux server
  // accepts clipboard writes from programs (set-clipboard on, shown to work first), so a raw sequence
  // would have created a paste buffer.
  test('hostile clarification text: refused at the edge, shown clean in the jury TUI, clipboard and title untouched', async () => {
    const hostile = 'please \x1b]52;c;cm0gLXJmIH4K\x07\x1b]2;pwned\x07\x1b[6n\x1bPtmux;\x1b\x1b]52;c;cHduZWQ=\x07\x1b\\help';
    tmux.open('probe', `sleep 1; printf '\\033]52;c;cHJvYmU=\\007'`, 80, 24);
    tmux.setOption('set-clipboard', 'on');
    await until(() => tmux.buffers().includes('probe'), 10_000, 'the probe OSC 52 to create a tmux buffer');
    tmux.deleteBuffers();

    const env = { ...process.env, JUDGE_SERVER: `127.0.0.1:${daemon.port}`, JUDGE_USER: team.username, JUDGE_PASSWORD: team.password, JUDGE_CONFIG_DIR: path.join(work, 'cfg-hostile') };
    const ask = spawnSync(TSX, [CLI, 'clar', 'ask', hostile], { cwd: work, encoding: 'utf8', env, timeout: 120_000 });
    expect(ask.status, ask.stderr).toBe(2);
    expect(ask.stderr).toMatch(/field 'text': contains U\+001B \(a control character\) at position 8/);
    expect(ask.stderr).not.toContain('\x1b');

    client('jury2', judge, 100, 30);
    await tmux.waitFor('jury2', /● online/, 60_000);
    const titleBefore = tmux.titles('jury2');

    const { port, data } = daemon;
    await daemon.stop();
    await tmux.waitFor('jury2', /offline|reconnecting/, 30_000);
    const store = openStore(data);
    try {
      store.clarifications.ask(store.accounts.teams()[0]!.id, null, hostile, 60_000);
    } finally {
      store.close();
    }
    daemon = await startDaemonProcess({ workers: 1, slotBase: testSlot('tuiE2e'), data, port });
    // The question arrives in the replay after the reconnect: notice line, then the list.
    let s = await tmux.waitFor('jury2', /Question: please help/, 60_000);
    shot('jury: hostile question notice, 100x30', s);
    tmux.send('jury2', ['4']);
    s = await tmux.waitFor('jury2', /question .*please help/);
    shot('jury: hostile question in the list, 100x30', s);
    await new Promise((r) => setTimeout(r, 500)); // give a cursor report, had one been asked for, time to come back
    expect(tmux.buffers()).toBe('');
    expect(tmux.titles('jury2')).toBe(titleBefore);
    const raw = tmux.screenWithEscapes('jury2');
    expect(raw).not.toMatch(/pwned|52;c;|\x1b\]/);
    // A cursor report (ESC [ row ; col R) typed into the client would have shown up as keys.
    expect(tmux.screen('jury2')).not.toMatch(/Rejudge|\[\d+;\d+R/);
  }, 300_000);
});
