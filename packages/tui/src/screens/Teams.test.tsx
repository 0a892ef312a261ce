import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import type { TeamInfo } from '@judged/shared/protocol';
import { App } from '../app.tsx';
import { RequestError } from '../client.ts';
import { JUDGE_USER, teamState } from '../../test-utils/fixtures.ts';
import { KEY, eventually, fakeApi, frameContaining, frameFits, renderAt, tick, type Rendered } from '../../test-utils/testing.tsx';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

async function mountTeams(cols: number, rows: number, user = JUDGE_USER, cwd?: string) {
  let teams: (TeamInfo & { logins: string[] })[] = Array.from({ length: 300 }, (_, i) => ({ id: `team${i + 1}`, name: `Team ${i + 1}`, organization: i % 2 ? 'Uni B' : null, enabled: true, logins: i === 1 ? ['alice'] : i === 2 ? [] : [`team${i + 1}`] }));
  const api = fakeApi({
    jurySubmissions: () => ({ submissions: [] }),
    teams: () => ({ teams }),
    addTeam: (f) => {
      if (teams.some((t) => t.id === f.teamId)) throw new RequestError('conflict', `team id "${String(f.teamId)}" is taken`, 'teamId');
      const team = { id: String(f.teamId), name: String(f.name), organization: (f.organization as string | null) ?? null, enabled: true, logins: [String(f.username)] };
      teams = [...teams, team];
      return { team };
    },
    setTeamEnabled: (f) => {
      teams = teams.map((t) => (t.id === f.teamId ? { ...t, enabled: Boolean(f.enabled) } : t));
      return { team: teams.find((t) => t.id === f.teamId)! };
    },
    importTeams: (f) => {
      const files = f.files as { name: string; text: string }[];
      if (files.some((x) => x.text.includes('jury'))) {
        return { teams: [], accounts: 0, errors: [{ file: 'accounts.tsv', line: 2, field: '0.type', message: 'type "jury" is not supported: use team, judge or admin', hint: 'check 0.type' }] };
      }
      if (!files.some((x) => x.name.startsWith('accounts'))) {
        // No accounts file: the server makes the logins and says their passwords once.
        const made = [{ id: 'later', name: 'Later Team', organization: null, enabled: true, logins: ['later'] }, { id: 'last', name: 'Last Team', organization: null, enabled: true, logins: ['last'] }];
        teams = [...teams, ...made];
        return { teams: made, accounts: 2, logins: made.map((t, i) => ({ teamId: t.id, username: t.id, password: `Pw${i}xyzabcdefg` })), errors: [] };
      }
      const team = { id: 'late', name: 'Late Team', organization: null, enabled: true, logins: ['late'] };
      teams = [...teams, team];
      return { teams: [team], accounts: 1, errors: [] };
    },
    editTeam: (f) => {
      const bad = ((f.groupIds as string[] | undefined) ?? []).findIndex((g) => !['site-a', 'site-b'].includes(g));
      if (bad >= 0) throw new RequestError('bad_request', `group "${(f.groupIds as string[])[bad]}" is not a group of this contest (its groups: site-a, site-b)`, 'groupIds');
      if (f.name !== undefined && String(f.name).trim() === '') throw new RequestError('bad_request', "field 'name': team name must not be empty", 'name');
      const { type: _t, teamId, ...change } = f as Record<string, unknown>;
      teams = teams.map((t) => (t.id === teamId ? { ...t, ...change } : t));
      return { team: teams.find((t) => t.id === teamId)! };
    },
    setAccount: (f) => ({ account: { username: f.username, role: 'team', teamId: f.username, displayName: '', enabled: true } }),
  });
  const store = teamState({ teams: 300, user });
  const r = renderAt(<App store={store} api={api} {...(cwd ? { cwd } : {})} />, cols, rows);
  mounted.push(r);
  await tick(30);
  await r.press('9');
  await frameContaining(r, 'Team 1 ');
  return { r, api, store };
}

describe('Teams screen', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: add a team (a refusal shown at its field), disable one, reset a password shown once`, async () => {
      const { r, api } = await mountTeams(cols, rows);
      expect(frameFits(r.frame(), cols, rows).ok, r.frame()).toBe(true);
      await r.press('a');
      let f = await frameContaining(r, 'Add a team and its login');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      await r.press(...'team2'.split(''), KEY.tab, ...'Late Team'.split(''), KEY.tab, KEY.tab, ...'late'.split(''), KEY.tab, KEY.enter);
      f = await frameContaining(r, 'is taken');
      expect(f).toMatch(/› Team id +team2\s*\n\s+team id "team2" is taken/);
      // The refused field has the focus: mend it, then Enter through the rest to add.
      await r.press(KEY.backspace, '9', '9', '9', KEY.enter, KEY.enter, KEY.enter, KEY.enter, KEY.enter);
      f = await frameContaining(r, 'Added Late Team (team999)');
      const added = api.calls.filter((c) => c.type === 'addTeam').at(-1)!;
      expect(added).toMatchObject({ teamId: 'team999', name: 'Late Team', organization: null, username: 'late' });
      expect(String(added.password)).toMatch(/^[A-Za-z2-9]{12}$/);
      expect(f).toContain(`password ${String(added.password)}`);

      await r.press('d');
      expect(r.frame()).toContain('Disable team Team 1? It drops off the board');
      await r.press('y');
      await frameContaining(r, 'Team 1 is disabled.');
      expect(api.calls.find((c) => c.type === 'setTeamEnabled')).toMatchObject({ teamId: 'team1', enabled: false });

      await r.press('p');
      expect(r.frame()).toContain('Give login team1 a new password? Its sessions end.');
      await r.press('y');
      await eventually(() => api.calls.some((c) => c.type === 'setAccount'));
      const reset = api.calls.find((c) => c.type === 'setAccount')!;
      f = await frameContaining(r, 'New password for login team1');
      expect(f).toContain(String(reset.password));
    });
  }

  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: import from files, a refusal shown inline with its line and field, then imported`, async () => {
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-import-'));
      try {
        fs.writeFileSync(path.join(cwd, 'teams.tsv'), 'teams\t1\nlate\t\t\tLate Team\n');
        fs.writeFileSync(path.join(cwd, 'accounts.tsv'), 'accounts\t1\njury\tX\tx\tpw\n');
        const { r, api } = await mountTeams(cols, rows, JUDGE_USER, cwd);
        await r.press('i');
        await frameContaining(r, 'Import teams and logins');
        await r.press(...'teams.tsv accounts.tsv missing.tsv'.split(''), KEY.enter);
        let f = await frameContaining(r, 'missing.tsv: no such file');
        expect(api.calls.some((c) => c.type === 'importTeams')).toBe(false);
        for (let i = 0; i < ' missing.tsv'.length; i++) await r.press(KEY.backspace);
        await r.press(KEY.enter);
        f = await frameContaining(r, 'accounts.tsv:2 0.type: type "jury" is not supported');
        expect(f).toContain('Nothing was imported: 1 problem');
        expect(frameFits(f, cols, rows).ok, f).toBe(true);
        fs.writeFileSync(path.join(cwd, 'accounts.tsv'), 'accounts\t1\nteam\tLate Team\tlate\tlong-password\n');
        await r.press(KEY.enter);
        f = await frameContaining(r, 'Imported 1 team and 1 login: Late Team.');
        expect(frameFits(f, cols, rows).ok, f).toBe(true);
        expect(api.calls.filter((c) => c.type === 'importTeams').at(-1)).toMatchObject({ files: [{ name: 'teams.tsv' }, { name: 'accounts.tsv' }] });

        // Teams without logins: the server's generated passwords are shown once and saved (0600, accounts.tsv shape).
        fs.writeFileSync(path.join(cwd, 'teams.tsv'), 'teams\t1\nlater\t\t\tLater Team\nlast\t\t\tLast Team\n');
        await r.press('i');
        await frameContaining(r, 'Import teams and logins');
        await r.press(...'teams.tsv'.split(''), KEY.enter);
        f = await frameContaining(r, 'New logins for 2 imported teams: shown once');
        expect(frameFits(f, cols, rows).ok, f).toBe(true);
        expect(f).toMatch(/later Later Team +later +Pw0xyzabcdefg/);
        expect(f).toMatch(/last Last Team +last +Pw1xyzabcdefg/);
        const saved = fs.readdirSync(cwd).filter((n) => n.startsWith('judged-logins-'));
        expect(saved).toHaveLength(1);
        expect(fs.statSync(path.join(cwd, saved[0]!)).mode & 0o777).toBe(0o600);
        expect(fs.readFileSync(path.join(cwd, saved[0]!), 'utf8')).toBe('accounts\t1\nteam\tLater Team\tlater\tPw0xyzabcdefg\nteam\tLast Team\tlast\tPw1xyzabcdefg\n');
        await r.press(KEY.enter);
        f = await frameContaining(r, 'Imported 2 teams and 2 logins');
      } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
      }
    });
  }

  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: e edits a team (only what changed is sent; a refused group shown under Groups), Esc cancels`, async () => {
      const { r, api } = await mountTeams(cols, rows);
      await r.press('e');
      let f = await frameContaining(r, 'Edit team team1');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      expect(f).toMatch(/› Name +Team 1/);
      // Esc: nothing sent, the list is back.
      await r.press(KEY.escape);
      await frameContaining(r, 'a add  e edit');
      expect(api.calls.some((c) => c.type === 'editTeam')).toBe(false);

      await r.press('e');
      await frameContaining(r, 'Edit team team1');
      await r.press(...' Lovelace'.split(''), KEY.tab, KEY.tab, ...'Room 2'.split(''), KEY.tab, ...'site-a site-z'.split(''), KEY.enter);
      f = await frameContaining(r, 'group "site-z" is not a group');
      expect(f).toMatch(/› Groups +site-a site-z\s*\n\s+group "site-z" is not a group of this contest/);
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      await r.press(KEY.backspace, 'b', KEY.enter);
      f = await frameContaining(r, 'Saved Team 1 Lovelace (team1).');
      expect(api.calls.filter((c) => c.type === 'editTeam').at(-1)).toEqual({ type: 'editTeam', teamId: 'team1', name: 'Team 1 Lovelace', location: 'Room 2', groupIds: ['site-a', 'site-b'] });
      if (cols >= 120) expect(f).toMatch(/Team 1 Lovelace +Room 2/);

      // A refused name: the message sits under Name, the focus goes there.
      await r.press('e');
      await frameContaining(r, 'Edit team team1');
      for (let i = 0; i < 'Team 1 Lovelace'.length; i++) await r.press(KEY.backspace);
      await r.press(KEY.tab, KEY.tab, KEY.tab, KEY.enter);
      f = await frameContaining(r, 'team name must not be empty');
      expect(f).toMatch(/› Name\s*\n\s+field 'name': team name must not be empty/);
    });
  }

  test('another admin\'s edit (a team event) reloads the list', async () => {
    const { r, api, store } = await mountTeams(160, 50);
    const before = api.calls.filter((c) => c.type === 'teams').length;
    await api.request<'editTeam'>({ type: 'editTeam', teamId: 'team2', name: 'Renamed Elsewhere' });
    store.applyEvent({ type: 'event', seq: 9000, atMs: 0, event: { kind: 'team', team: { id: 'team2', name: 'Renamed Elsewhere', organization: 'Uni B', enabled: true }, before: null } });
    await frameContaining(r, 'Renamed Elsewhere');
    expect(api.calls.filter((c) => c.type === 'teams').length).toBe(before + 1);
  });

  test('p resets the login the server names for the team, and says when a team has none', async () => {
    const { r, api } = await mountTeams(80, 24);
    await r.press('j');
    await r.press('p');
    expect(r.frame()).toContain('Give login alice a new password?');
    await r.press('y');
    await eventually(() => api.calls.some((c) => c.type === 'setAccount'));
    expect(api.calls.find((c) => c.type === 'setAccount')).toMatchObject({ username: 'alice' });
    await r.press('j');
    await r.press('p');
    await frameContaining(r, 'Team 3 has no login');
  });

  test('a judge (not admin) is told the changes need an admin, and nothing is sent', async () => {
    const { r, api } = await mountTeams(80, 24, { ...JUDGE_USER, role: 'judge' });
    await r.press('a');
    expect(await frameContaining(r, 'Only an admin')).toContain('Only an admin account can change teams and logins.');
    expect(api.calls.filter((c) => c.type !== 'teams' && c.type !== 'jurySubmissions')).toEqual([]);
  });
});
