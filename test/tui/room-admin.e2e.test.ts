/**
 * End to end, the organizer's people and papers: a real `judged` and the real `judge` in tmux. The
 * admin imports a late team and its login from DOMjudge TSV files on the Teams screen (a bad file is
 * refused inline with its line first; the account's team is the number in its username, as DOMjudge
 * reads accounts.tsv), edits a team's name and location (the Contest API serves the change at once);
 * the imported team logs in, saves problem A's PDF statement and unpacks
 * its samples with `judge samples A`, which then refuses to overwrite a sample the team edited.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningDaemon } from '../daemon/spawn-daemon.ts';
import { repoRoot } from '../daemon/spawn-daemon.ts';
import { Tmux } from './tmux.ts';
import { CLI, TSX, haveTmux, openClient, openRoom, type Login } from './room.ts';

let daemon: RunningDaemon;
let tmux: Tmux;
let work: string;
let admin: Login;

function shot(title: string, screen: string): void {
  process.stdout.write(`----- ${title} -----\n${screen.replace(/\s+$/gm, '')}\n`);
}

function cli(user: Login, ...args: string[]) {
  return spawnSync(TSX, [CLI, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, JUDGE_SERVER: `127.0.0.1:${daemon.port}`, JUDGE_USER: user.username, JUDGE_PASSWORD: user.password, JUDGE_CONFIG_DIR: path.join(work, `cfg-cli-${user.username}`) },
    timeout: 120_000,
  });
}

describe.skipIf(!haveTmux)('team import, PDF statement and samples against a real judged, in tmux', () => {
  beforeAll(async () => {
    ({ daemon, admin, work } = await openRoom('tuiRoomAdmin', 'judge-roomadmin-', 120_000));
    tmux = new Tmux();
  }, 180_000);

  afterAll(async () => {
    tmux?.kill();
    await daemon?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('a team imported from TSV in the TUI logs in, saves the PDF and unpacks the samples', async () => {
    fs.writeFileSync(path.join(work, 'teams.tsv'), 'teams\t1\n7\t\t\tLate Seven\tLate University\tLU\tNLD\tlu\n');
    fs.writeFileSync(path.join(work, 'accounts.tsv'), 'accounts\t1\nteam\tLate Seven\tteam007\n');
    openClient(tmux, 'admin', { work, port: daemon.port }, admin);
    await tmux.waitFor('admin', /● online/, 60_000);
    tmux.send('admin', ['9']);
    await tmux.waitFor('admin', /Demo Team 1/, 30_000);
    tmux.send('admin', ['i']);
    await tmux.waitFor('admin', /Import teams and logins/);
    tmux.send('admin', ['teams.tsv accounts.tsv'], { literal: true });
    tmux.send('admin', ['Enter']);
    // The account line has no password: refused with its line, nothing imported.
    let s = await tmux.waitFor('admin', /accounts\.tsv:2: not enough values: 3 of 4/, 30_000);
    shot('admin: import refused, 80x24', s);
    fs.writeFileSync(path.join(work, 'accounts.tsv'), 'accounts\t1\nteam\tLate Seven\tteam007\tseven-secret-pw\n');
    tmux.send('admin', ['Enter']);
    s = await tmux.waitFor('admin', /Imported 1 team and 1 login: Late Seven\./, 30_000);
    shot('admin: imported, 80x24', s);
    await tmux.waitFor('admin', /7 +Late Seven +Late University +enabled/);

    // Edit the selected team (the imported 7, first by id): a new name and location; a group the contest lacks is refused under Groups.
    tmux.send('admin', ['e']);
    await tmux.waitFor('admin', /Edit team 7/);
    tmux.send('admin', [' (Annex)'], { literal: true });
    tmux.send('admin', ['Tab', 'Tab']);
    tmux.send('admin', ['Annex, table 3'], { literal: true });
    tmux.send('admin', ['Tab']);
    tmux.send('admin', ['site-x'], { literal: true });
    tmux.send('admin', ['Enter']);
    s = await tmux.waitFor('admin', /group "site-x" is not a group of this contest/, 30_000);
    shot('admin: edit refused at Groups, 80x24', s);
    tmux.send('admin', Array<string>(6).fill('BSpace'));
    await tmux.waitFor('admin', /› Groups\s*\n/);
    tmux.send('admin', ['Enter']);
    s = await tmux.waitFor('admin', /Saved Late Seven \(Annex\) \(7\)\./, 30_000);
    shot('admin: team edited, 80x24', s);
    const api = async (p: string) => (await fetch(`http://127.0.0.1:${daemon.port}/api/contests${p}`)).json() as Promise<unknown>;
    const [contest] = (await api('')) as { id: string }[];
    expect(await api(`/${contest!.id}/teams/7`)).toMatchObject({ id: '7', name: 'Late Seven (Annex)' });
    tmux.send('admin', ['q']);
    await tmux.waitFor('admin', /\[exit 0\]/);

    const late = { username: 'team007', password: 'seven-secret-pw' };
    const pdf = cli(late, 'statement', 'A', '--pdf');
    expect(pdf.status, pdf.stderr).toBe(0);
    expect(pdf.stdout).toContain(`Saved the statement of A to ${path.join(work, 'A.pdf')}`);
    expect(fs.readFileSync(path.join(work, 'A.pdf')).equals(fs.readFileSync(path.join(repoRoot, 'problems/hello/problem_statement/problem.en.pdf')))).toBe(true);

    const samples = cli(late, 'samples', 'A', '--json');
    expect(samples.status, samples.stderr).toBe(0);
    const sampleDir = path.join(repoRoot, 'problems/hello/data/sample');
    expect(fs.readdirSync(path.join(work, 'A')).sort()).toEqual(fs.readdirSync(sampleDir).sort());
    expect(fs.readFileSync(path.join(work, 'A', '01.in'), 'utf8')).toBe(fs.readFileSync(path.join(sampleDir, '01.in'), 'utf8'));

    fs.writeFileSync(path.join(work, 'A', '01.ans'), 'my own answer\n');
    const again = cli(late, 'samples', 'A');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/01\.ans already exists with other content/);
    expect(fs.readFileSync(path.join(work, 'A', '01.ans'), 'utf8')).toBe('my own answer\n');
  }, 300_000);
});
