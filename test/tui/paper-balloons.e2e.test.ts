/**
 * End to end, the room's paper and balloons: a real `judged --printer lab1` whose `lp` is a fake on
 * PATH that keeps what it was sent, and the real `judge` in tmux. A team prints its source from the
 * Print screen (lp gets it with the header: team, place, time, page numbers), a binary file is
 * refused by `judge print`; the team's accepted submission makes a balloon that the balloon runner
 * sees with the team's place and marks delivered; the jury sees both from the Contest screen.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningDaemon } from '../daemon/spawn-daemon.ts';
import { parseCredentials, repoRoot } from '../daemon/spawn-daemon.ts';
import { Tmux } from './tmux.ts';
import { CLI, TSX, haveTmux, openClient, openRoom, type Login } from './room.ts';
import { openStore } from '../../packages/daemon/src/store/index.ts';

let daemon: RunningDaemon;
let tmux: Tmux;
let work: string;
let bin: string;
let spool: string;
let problems: string;
let team: Login;
let judge: Login;
let runner: Login;

function shot(title: string, screen: string): void {
  process.stdout.write(`----- ${title} -----\n${screen.replace(/\s+$/gm, '')}\n`);
}

function cli(user: Login, ...args: string[]) {
  return spawnSync(TSX, [CLI, ...args, '--json'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, JUDGE_SERVER: `127.0.0.1:${daemon.port}`, JUDGE_USER: user.username, JUDGE_PASSWORD: user.password, JUDGE_CONFIG_DIR: path.join(work, `cfg-cli-${user.username}`) },
    timeout: 240_000,
  });
}

const printed = () => fs.readdirSync(spool).filter((f) => f.endsWith('.text')).map((f) => fs.readFileSync(path.join(spool, f), 'utf8'));

describe.skipIf(!haveTmux)('printing and balloons in the TUI against a real judged, in tmux', () => {
  beforeAll(async () => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-lp-bin-'));
    spool = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-lp-spool-'));
    fs.writeFileSync(path.join(bin, 'lp'), `#!/bin/sh\nn=$(ls "${spool}" | wc -l)\nprintf '%s\\n' "$@" > "${spool}/$n.args"\ncat > "${spool}/$n.text"\n`, { mode: 0o755 });
    // Problem A alone: the daemon checks its packages' data at start, and one is all this needs.
    problems = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-paper-p-'));
    fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problems, 'hello'), { recursive: true });
    ({ daemon, team, judge, work } = await openRoom('tuiPaperBalloons', 'judge-paper-', 240_000, { problems, args: ['--printer', 'lab1'], env: { PATH: `${bin}:${process.env.PATH}` } }));
    runner = parseCredentials(daemon.output()).get('runner')!;
    expect(runner).toBeTruthy();
    tmux = new Tmux();
  }, 300_000);

  afterAll(async () => {
    tmux?.kill();
    await daemon?.stop();
    for (const d of [work, bin, spool, problems]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test('a team prints from the Print screen; lp gets the header and page numbers; a binary file is refused', async () => {
    openClient(tmux, 'team', { work, port: daemon.port }, team);
    await tmux.waitFor('team', /● online/, 60_000);
    tmux.send('team', ['7']);
    await tmux.waitFor('team', /Print a file/);
    tmux.send('team', ['Enter']);
    tmux.send('team', ['hel'], { literal: true });
    tmux.send('team', ['Tab']);
    await tmux.waitFor('team', /hello\.py/);
    tmux.send('team', ['Enter']);
    let s = await tmux.waitFor('team', /Print hello\.py \(\d+ lines\)\?/);
    shot('team: print asks first, 80x24', s);
    tmux.send('team', ['y']);
    s = await tmux.waitFor('team', /Printout 1 \(hello\.py, 1 page\) sent to the printer/, 30_000);
    shot('team: printed, 80x24', s);
    const [text] = printed();
    expect(text).toMatch(/^team1 \| Demo Team 1 \| Table 1 \| hello\.py \| \d{4}-\d\d-\d\d \d\d:\d\d UTC +page 1\/1\n-{90}\n/);
    expect(text).toContain(fs.readFileSync(path.join(work, 'hello.py'), 'utf8').trimEnd());
    expect(fs.readFileSync(path.join(spool, '0.args'), 'utf8').split('\n').slice(0, 4)).toEqual(['-d', 'lab1', '-t', 'team1 hello.py']);

    fs.copyFileSync(process.execPath, path.join(work, 'a.out'));
    const r = cli(team, 'print', 'a.out');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/a\.out is \d+ bytes; a printout may be at most 102400 bytes|looks binary/);
    fs.writeFileSync(path.join(work, 'small.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const b = cli(team, 'print', 'small.bin');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/small\.bin looks binary/);
    expect(printed()).toHaveLength(1);
    tmux.send('team', ['q']);
    await tmux.waitFor('team', /\[exit 0\]/);
  }, 300_000);

  test('an AC makes a balloon the runner sees with place and first solve, marks delivered; the jury sees paper and balloons', async () => {
    // The runner is on its screen before the AC: the balloon comes live (an event; nothing polls).
    openClient(tmux, 'runner', { work, port: daemon.port }, runner);
    await tmux.waitFor('runner', /No balloons to deliver/, 60_000);
    const submitted = JSON.parse(cli(team, 'submit', 'A', 'hello.py', '--wait', '--timeout', '200').stdout) as { submission: { verdict: string } };
    expect(submitted.submission.verdict).toBe('AC');
    // Well under the 5 s the screen used to poll at.
    let s = await tmux.waitFor('runner', /A +Demo Team 1 +Table 1 +\d\d:\d\d +\*first/, 2_500);
    shot('runner: a balloon to bring, 80x24', s);
    expect(s).not.toMatch(/Scoreboard|Submissions|Problems/);
    tmux.send('runner', ['Enter']);
    s = await tmux.waitFor('runner', /A for Demo Team 1 \(Table 1\): delivered/);
    shot('runner: delivered, 80x24', s);
    await tmux.waitFor('runner', /0 to deliver, 1 delivered/);
    const store = openStore(daemon.data);
    expect(store.balloons.list().map((x) => [x.teamId, x.done, x.doneBy])).toEqual([['team1', true, 'runner']]);
    store.close();

    openClient(tmux, 'jury', { work, port: daemon.port }, judge, 160, 50);
    await tmux.waitFor('jury', /● online/, 60_000);
    tmux.send('jury', ['7']);
    await tmux.waitFor('jury', /p +the Print queue/);
    tmux.send('jury', ['p']);
    s = await tmux.waitFor('jury', /1 +\d\d:\d\d +Demo Team 1 +Table 1 +hello\.py +1 +printed +no/);
    shot('jury: print queue, 160x50', s);
    tmux.send('jury', ['Enter']);
    shot('jury: the printout as printed, 160x50', await tmux.waitFor('jury', /page 1\/1/));
    tmux.send('jury', ['Escape']);
    tmux.send('jury', ['d']);
    await tmux.waitFor('jury', /Printout 1 \(Demo Team 1, hello\.py\) marked delivered/);
    tmux.send('jury', ['Escape']);
    await tmux.waitFor('jury', /b +Balloons/);
    tmux.send('jury', ['b']);
    await tmux.waitFor('jury', /0 to deliver, 1 delivered/);
    tmux.send('jury', ['a']);
    s = await tmux.waitFor('jury', /A +Demo Team 1 +Table 1 .*\*first done runner/);
    shot('jury: balloons with the delivered one, 160x50', s);
    tmux.send('jury', ['q']);
    tmux.send('runner', ['q']);
    await tmux.waitFor('jury', /\[exit 0\]/);
    await tmux.waitFor('runner', /\[exit 0\]/);
  }, 400_000);
});
