/**
 * End to end, the LAN room from the jury's terminal: a real `judged` and the real `judge` client in
 * tmux. A team's accepted submission is rejudged from the jury's Submissions screen; the rejudging
 * waits for review on the Rejudgings screen (old verdict beside new) while the team's view stays as
 * it was, and counts only once the jury applies it. The admin adds a late team on the Teams screen and
 * that team logs in with the password the screen showed once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningDaemon } from '../daemon/spawn-daemon.ts';
import { Tmux } from './tmux.ts';
import { CLI, TSX, haveTmux, openClient, openRoom, type Login } from './room.ts';
import { openStore } from '../../packages/daemon/src/store/index.ts';

let daemon: RunningDaemon;
let tmux: Tmux;
let work: string;
let team: Login;
let judge: Login;
let admin: Login;

function shot(title: string, screen: string): void {
  process.stdout.write(`----- ${title} -----\n${screen.replace(/\s+$/gm, '')}\n`);
}

/** A scripted `judge` subcommand as a team (team1 unless told), its JSON output parsed. */
function teamCli(...args: string[]): unknown {
  return cliAs(team, ...args);
}

function cliAs(user: Login, ...args: string[]): unknown {
  const r = spawnSync(TSX, [CLI, ...args, '--json'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, JUDGE_SERVER: `127.0.0.1:${daemon.port}`, JUDGE_USER: user.username, JUDGE_PASSWORD: user.password, JUDGE_CONFIG_DIR: path.join(work, `cfg-cli-${user.username}`) },
    timeout: 240_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.skipIf(!haveTmux)('the LAN room in the jury TUI against a real judged, in tmux', () => {
  beforeAll(async () => {
    ({ daemon, team, judge, admin, work } = await openRoom('tuiLanRoom', 'judge-lanroom-', 120_000));
    tmux = new Tmux();
  }, 180_000);

  afterAll(async () => {
    tmux?.kill();
    await daemon?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('a rejudge is reviewed (old beside new), changes nothing for the team until applied, then counts', async () => {
    const submitted = teamCli('submit', 'A', 'hello.py', '--wait', '--timeout', '200') as { submission: { id: string; verdict: string } };
    expect(submitted.submission.verdict).toBe('AC');
    const id = submitted.submission.id;

    openClient(tmux, 'jury', { work, port: daemon.port }, judge);
    await tmux.waitFor('jury', /● online/, 60_000);
    tmux.send('jury', ['2']);
    await tmux.waitFor('jury', new RegExp(`${id} +Demo Team 1`), 30_000);
    tmux.send('jury', ['R']);
    let s = await tmux.waitFor('jury', new RegExp(`Rejudge submission ${id}\\? Nothing changes until you apply it`));
    shot('jury: rejudge asks first, 80x24', s);
    tmux.send('jury', ['y']);
    await tmux.waitFor('jury', /Rejudging \d+: 1 submission\(s\) queued; nothing changes until you apply it/);

    tmux.send('jury', ['8']);
    s = await tmux.waitFor('jury', /pending +1\/1 +0 +submission/, 240_000);
    shot('jury: rejudgings, the new judging ended, 80x24', s);
    const rejudgingId = /› (\d+) +pending/.exec(s)![1]!;

    // Before the jury decides, the team's submission is judged by the old judging and nothing moved.
    const store = openStore(daemon.data);
    const validJudging = () => store.submissions.jurySubmission(id)!.judgingId;
    const before = validJudging();
    expect(store.submissions.judgingsOf(id).find((j) => j.id === before)?.rejudgingId).toBeNull();
    const teamView = teamCli('status', id) as { submission: { verdict: string } };
    expect(teamView.submission.verdict).toBe('AC');

    tmux.send('jury', ['Enter']);
    s = await tmux.waitFor('jury', new RegExp(`${id} +Demo Team 1 +A +AC .*→ +AC`));
    shot('jury: old beside new, 80x24', s);
    tmux.send('jury', ['a']);
    await tmux.waitFor('jury', new RegExp(`Apply rejudging ${rejudgingId}\\?`));
    tmux.send('jury', ['y']);
    s = await tmux.waitFor('jury', new RegExp(`Rejudging ${rejudgingId} applied: 0 verdict\\(s\\) changed`));
    shot('jury: applied, 80x24', s);
    tmux.send('jury', ['Escape']);
    await tmux.waitFor('jury', /applied +1\/1/);

    // Applied: the new judging is the valid one.
    const after = validJudging();
    expect(after).not.toBe(before);
    expect(store.submissions.judgingsOf(id).find((j) => j.id === after)?.rejudgingId).toBe(rejudgingId);
    store.close();

    tmux.resize('jury', 160, 50);
    tmux.send('jury', ['Enter']);
    shot('jury: rejudging, 160x50', await tmux.waitFor('jury', /Rejudging \d+ · submission .* applied/));
    tmux.send('jury', ['q']);
    await tmux.waitFor('jury', /\[exit 0\]/);
  }, 600_000);

  test('the admin adds a late team in the TUI; it logs in with the password shown once', async () => {
    openClient(tmux, 'admin', { work, port: daemon.port }, admin);
    await tmux.waitFor('admin', /● online/, 60_000);
    tmux.send('admin', ['9']);
    await tmux.waitFor('admin', /Demo Team 1/, 30_000);
    tmux.send('admin', ['a']);
    await tmux.waitFor('admin', /Add a team and its login/);
    for (const text of ['late1', 'Late Arrivals', 'Uni Z', 'late1']) {
      tmux.send('admin', [text], { literal: true });
      tmux.send('admin', ['Tab']);
    }
    tmux.send('admin', ['Enter']);
    const s = await tmux.waitFor('admin', /Added Late Arrivals \(late1\)\. Login late1, password (\S+)/, 30_000);
    shot('admin: team added, 80x24', s);
    const password = /password (\S+)/.exec(s.replace(/\s+/g, ' '))![1]!;
    await tmux.waitFor('admin', /late1 +Late Arrivals +Uni Z +enabled/);
    const problems = cliAs({ username: 'late1', password }, 'problems') as unknown[];
    expect(problems.length).toBeGreaterThan(0);
    tmux.send('admin', ['q']);
    await tmux.waitFor('admin', /\[exit 0\]/);
  }, 300_000);
});
