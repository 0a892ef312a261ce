/**
 * An admin edits a team while the contest runs (the editTeam request against the real server, in
 * process, no judging): name, organization, location and groups change in the store, the jury hears
 * a 'team' event, every board (public, team, jury) shows the new name at once, and a hidden team's
 * edit reaches the jury only. What the edge refuses names the field; the groups outlive a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDaemon, type DaemonHandle } from '../../packages/daemon/src/server/start.ts';
import { silentLogger } from '../../packages/daemon/src/server/log.ts';
import { TestClient, refusal } from './client.ts';
import { repoRoot } from './spawn-daemon.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
};

/** A contest dir with two sites (groups), three teams (one hidden) and a judge and an admin. */
function contestDir(): string {
  const dir = tmp('judged-teamadmin-c-');
  fs.writeFileSync(path.join(dir, 'contest.yaml'), 'name: Team admin\nduration: 5:00:00\n');
  fs.writeFileSync(path.join(dir, 'problemset.yaml'), 'problems:\n  - letter: A\n    short-name: hello\n');
  fs.writeFileSync(path.join(dir, 'organizations.json'), JSON.stringify([{ id: 'ugent', name: 'Ghent University' }]));
  fs.writeFileSync(path.join(dir, 'groups.json'), JSON.stringify([{ id: 'site-a', name: 'Site A' }, { id: 'site-b', name: 'Site B' }]));
  fs.writeFileSync(
    path.join(dir, 'teams.json'),
    JSON.stringify([
      { id: 't1', name: 'Ada', organization_id: 'ugent', group_ids: ['site-a'], location: { description: 'Room 1' } },
      { id: 't2', name: 'Grace', group_ids: ['site-b'] },
      { id: 'ghost', name: 'Hidden Ones', hidden: true },
    ]),
  );
  fs.writeFileSync(
    path.join(dir, 'accounts.yaml'),
    ['- {username: chief, password: chief-pass, type: admin}', '- {username: jury, password: jury-pass-1, type: judge}', '- {username: t1, password: t1-pass-1, type: team, team_id: t1}'].join('\n') + '\n',
  );
  return dir;
}

async function start(contest: string, data: string) {
  const problems = tmp('judged-teamadmin-p-');
  fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problems, 'hello'), { recursive: true });
  const d: DaemonHandle = await createDaemon({ problems, data, contest, port: '0', workers: '1' }, { log: silentLogger, checkData: false, engine: null });
  const url = `ws://127.0.0.1:${d.port}/ws`;
  const clients: TestClient[] = [];
  const login = async (u: string, p: string) => {
    const c = await TestClient.login(url, u, p);
    clients.push(c);
    return c;
  };
  const anonymous = async () => {
    const c = await TestClient.connect(url);
    clients.push(c);
    await c.request('hello', { protocolVersion: 1, client: 'test' });
    return c;
  };
  const close = async () => {
    clients.forEach((c) => c.terminate());
    await d.close();
  };
  cleanup.push(close);
  return { d, login, anonymous, close };
}

const refused = async (p: Promise<unknown>) => (await refusal(p)).frame;

describe('editTeam', () => {
  it('changes name, organization, location and groups; the jury gets a team event, every board the new name', async () => {
    const { d, login, anonymous } = await start(contestDir(), tmp('judged-teamadmin-d-'));
    const admin = await login('chief', 'chief-pass');
    const jury = await login('jury', 'jury-pass-1');
    const team = await login('t1', 't1-pass-1');
    const pub = await anonymous();
    for (const c of [admin, jury, team, pub]) await c.request('subscribe', { sinceSeq: null });

    const { team: edited } = await admin.request('editTeam', { teamId: 't1', name: 'Ada Lovelace', organization: 'New Uni', location: 'Room 2, table 7', groupIds: ['site-b', 'site-a'] });
    expect(edited).toEqual({ id: 't1', name: 'Ada Lovelace', organization: 'New Uni', enabled: true, hidden: false, location: 'Room 2, table 7', groupIds: ['site-a', 'site-b'] });

    const ev = await jury.waitEvent((e) => e.kind === 'team' && e.team.id === 't1');
    expect(ev.event).toMatchObject({ kind: 'team', team: edited, before: { name: 'Ada', organization: 'Ghent University', location: 'Room 1', groupIds: ['site-a'] } });
    for (const [c, view] of [[pub, 'public'], [team, 'public'], [jury, 'jury']] as const) {
      const row = await c.waitEvent((e) => e.kind === 'scoreboard' && e.view === view && e.rows.some((r) => r.teamId === 't1' && r.teamName === 'Ada Lovelace'));
      expect(row.event.kind === 'scoreboard' && row.event.rows.map((r) => [r.teamId, r.organization])).toEqual([['t1', 'New Uni']]);
    }
    // Teams and the public never hear the jury's team event.
    expect([...team.events, ...pub.events].some((f) => f.event.kind === 'team')).toBe(false);
    // The organization was made (an existing one is found by id or name), the groups are stored.
    expect(d.store.accounts.organizations().map((o) => [o.id, o.name])).toEqual([['org-t1', 'New Uni'], ['ugent', 'Ghent University']]);
    expect(d.store.accounts.groups().map((g) => [g.id, g.teamIds])).toEqual([['site-a', ['t1']], ['site-b', ['t1', 't2']]]);
    expect((await admin.request('editTeam', { teamId: 't2', organization: 'ugent' })).team.organization).toBe('Ghent University');
    // Only the fields given change; null clears.
    expect((await admin.request('editTeam', { teamId: 't1', location: null })).team).toMatchObject({ name: 'Ada Lovelace', location: null, groupIds: ['site-a', 'site-b'] });
    expect((await jury.request('teams', {})).teams.find((t) => t.id === 't1')).toMatchObject({ name: 'Ada Lovelace', location: null, logins: ['t1'] });
  });

  it('a hidden team is edited for the jury only: no board hears of it', async () => {
    const { login, anonymous } = await start(contestDir(), tmp('judged-teamadmin-d-'));
    const admin = await login('chief', 'chief-pass');
    const jury = await login('jury', 'jury-pass-1');
    const pub = await anonymous();
    for (const c of [jury, pub]) await c.request('subscribe', { sinceSeq: null });
    await admin.request('editTeam', { teamId: 'ghost', name: 'Still Hidden' });
    await jury.waitEvent((e) => e.kind === 'team' && e.team.name === 'Still Hidden');
    // A later public change, to know the public stream has caught up to the edit.
    await admin.request('editTeam', { teamId: 't2', name: 'Grace H' });
    await pub.waitEvent((e) => e.kind === 'scoreboard' && e.rows.some((r) => r.teamName === 'Grace H'));
    const seen = JSON.stringify([...pub.events, ...jury.events.filter((f) => f.event.kind === 'scoreboard')]);
    expect(seen).not.toContain('ghost');
    expect(seen).not.toContain('Still Hidden');
  });

  it('refusals name the field: unknown team or group, control characters, nothing to change, not an admin', async () => {
    const { login } = await start(contestDir(), tmp('judged-teamadmin-d-'));
    const admin = await login('chief', 'chief-pass');
    const jury = await login('jury', 'jury-pass-1');
    expect(await refused(admin.request('editTeam', { teamId: 'nope', name: 'X' }))).toMatchObject({ code: 'not_found', field: 'teamId' });
    const g = await refused(admin.request('editTeam', { teamId: 't1', groupIds: ['site-a', 'site-z'] }));
    expect(g).toMatchObject({ code: 'bad_request', field: 'groupIds' });
    expect(g.message).toContain('group "site-z" is not a group of this contest (its groups: site-a, site-b)');
    expect(await refused(admin.request('editTeam', { teamId: 't1', name: 'Ada\x1b[2J' }))).toMatchObject({ code: 'bad_request', field: 'name' });
    expect(await refused(admin.request('editTeam', { teamId: 't1', location: 'Room\u202e1' }))).toMatchObject({ code: 'bad_request', field: 'location' });
    expect(await refused(admin.request('editTeam', { teamId: 't1', name: '   ' }))).toMatchObject({ code: 'bad_request', field: 'name' });
    expect(await refused(admin.request('editTeam', { teamId: 't1' }))).toMatchObject({ code: 'bad_request', field: 'name' });
    expect(await refused(jury.request('editTeam', { teamId: 't1', name: 'By a judge' }))).toMatchObject({ code: 'forbidden' });
    expect((await jury.request('teams', {})).teams.find((t) => t.id === 't1')).toMatchObject({ name: 'Ada', groupIds: ['site-a'] });
  });

  it('importTeams keeps location and groups; a team without a login gets one, its password given once', async () => {
    const { d, login } = await start(contestDir(), tmp('judged-teamadmin-d-'));
    const admin = await login('chief', 'chief-pass');
    const r = await admin.request('importTeams', {
      files: [
        { name: 'teams.json', text: JSON.stringify([{ id: 't3', name: 'Late', location: { description: 'Room 9' }, group_ids: ['site-b'] }, { id: 't4', name: 'Later', group_ids: ['site-a', 'site-b'] }]) },
        { name: 'accounts.yaml', text: '- {username: late, password: late-pass-1, type: team, team_id: t3}\n' },
      ],
    });
    expect(r.errors).toEqual([]);
    expect(r.teams.map((t) => [t.id, t.location, t.groupIds])).toEqual([['t3', 'Room 9', ['site-b']], ['t4', null, ['site-a', 'site-b']]]);
    expect(r.accounts).toBe(2);
    expect(r.logins).toEqual([{ teamId: 't4', username: 't4', password: expect.stringMatching(/^[a-km-zA-HJ-NP-Z2-9]{12}$/) }]);
    const t4 = await login('t4', r.logins![0]!.password);
    expect(t4.session?.user).toMatchObject({ role: 'team', teamId: 't4', displayName: 'Later' });
    expect(d.store.accounts.groups().find((g) => g.id === 'site-b')?.teamIds).toEqual(['t2', 't3', 't4']);
    // The password is stored as an scrypt hash only.
    expect(JSON.stringify(d.store.db.prepare("SELECT * FROM accounts WHERE username = 't4'").get())).not.toContain(r.logins![0]!.password);

    // DOMjudge's teams.tsv: the category id is the group; one the contest lacks is refused at its line.
    const bad = await admin.request('importTeams', { files: [{ name: 'teams.tsv', text: 'teams\t1\n9\t\tsite-a\tNine\n10\t\tsite-z\tTen\n' }] });
    expect(bad.errors).toEqual([{ file: 'teams.tsv', line: 3, field: '1.group_ids.0', message: 'group "site-z" is not a group of this contest (its groups: site-a, site-b)', hint: 'fix the id, or drop it' }]);
    expect(d.store.accounts.team('9')).toBeUndefined();
  });

  it('a new password (setAccount, hashed off the event loop) replaces the old one', async () => {
    const { d, login } = await start(contestDir(), tmp('judged-teamadmin-d-'));
    const admin = await login('chief', 'chief-pass');
    const before = d.store.db.prepare("SELECT password_hash FROM accounts WHERE username = 't1'").pluck().get();
    await admin.request('setAccount', { username: 't1', password: 'brand-new-pass' });
    const after = d.store.db.prepare("SELECT password_hash FROM accounts WHERE username = 't1'").pluck().get() as string;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect((await login('t1', 'brand-new-pass')).session?.user.teamId).toBe('t1');
    expect((await refused(login('t1', 't1-pass-1'))).code).toBe('bad_credentials');
  });

  it('groups and edits outlive a restart; the Contest API serves the stored groups', async () => {
    const contest = contestDir();
    const data = tmp('judged-teamadmin-d-');
    const first = await start(contest, data);
    await (await first.login('chief', 'chief-pass')).request('editTeam', { teamId: 't2', groupIds: ['site-a'], location: 'Annex' });
    await first.close();
    cleanup.splice(cleanup.indexOf(first.close), 1);
    const again = await start(contest, data);
    expect(again.d.store.accounts.groups().map((g) => [g.id, g.teamIds])).toEqual([['site-a', ['t1', 't2']], ['site-b', []]]);
    expect(again.d.store.accounts.team('t2')).toMatchObject({ location: 'Annex', groupIds: ['site-a'] });
    const res = await fetch(`http://127.0.0.1:${again.d.port}/api/contests`);
    const [c] = (await res.json()) as { id: string }[];
    const teams = (await (await fetch(`http://127.0.0.1:${again.d.port}/api/contests/${c!.id}/teams`)).json()) as { id: string; group_ids: string[] }[];
    expect(teams.find((t) => t.id === 't2')?.group_ids).toEqual(['site-a']);
  });
});
