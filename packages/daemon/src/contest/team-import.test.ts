import { describe, expect, it } from 'vitest';
import { domjudgeTeamId, readImport } from './team-import.ts';

const known = { organizations: [{ id: 'uni', name: 'Uni', formalName: null, country: null }], teamIds: ['1'] };

describe('readImport (teams while the contest runs)', () => {
  it('reads DOMjudge teams.tsv and accounts.tsv, linking team001 to team 1 and making organizations', () => {
    const r = readImport(
      [
        { name: 'teams.tsv', text: 'teams\t1\n7\t\t3\tLate Team\tLate University\tLU\tNLD\tlu\n' },
        { name: 'accounts.tsv', text: 'accounts\t1\nteam\tLate Team\tteam007\tlong-password\n' },
      ],
      known,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.people.teams).toEqual([{ id: '7', name: 'Late Team', organizationId: 'lu', hidden: false, groupIds: [], location: null }]);
    expect(r.people.organizations).toEqual([{ id: 'lu', name: 'Late University', formalName: 'Late University', country: 'NLD' }]);
    expect(r.people.accounts).toEqual([{ username: 'team007', password: 'long-password', role: 'team', teamId: '7', displayName: 'Late Team' }]);
  });

  it('names the TSV line and field of every refusal, and refuses a team id already there', () => {
    const r = readImport(
      [
        { name: 'teams.tsv', text: 'teams\t1\n1\t\t\tAgain\n\n8\t\t\t\n' },
        { name: 'accounts.tsv', text: 'accounts\t1\ncoach\tX\tx\tpw\n' },
      ],
      known,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const at = r.errors.map((e) => `${e.file}:${e.line ?? '-'} ${e.field ?? ''} ${e.message}`);
    expect(at).toContainEqual(expect.stringMatching(/^teams\.tsv:4 1\.name name must not be empty/));
    expect(at).toContainEqual(expect.stringMatching(/^accounts\.tsv:2 0\.type type "coach" is not supported/));
    const again = readImport([{ name: 'teams.tsv', text: 'teams\t1\n1\t\t\tAgain\n' }], known);
    expect(!again.ok && again.errors[0]).toMatchObject({ file: 'teams.tsv', message: 'team id "1" is already in the contest' });
  });

  it('reads the CCS teams.json and accounts.yaml with the start-time reader (same messages)', () => {
    const ok = readImport(
      [
        { name: 'teams.json', text: JSON.stringify([{ id: 't9', name: 'Nine', organization_id: 'uni' }]) },
        { name: 'accounts.yaml', text: '- username: nine\n  password: long-password\n  type: team\n  team_id: t9\n' },
      ],
      known,
    );
    expect(ok.ok && ok.people.accounts[0]!.teamId).toBe('t9');
    const bad = readImport([{ name: 'accounts.yaml', text: '- username: ghost\n  password: long-password\n  type: team\n  team_id: nope\n' }], known);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ file: 'accounts.yaml', line: 4, field: '0.team_id', message: 'team_id "nope" is not in teams.json' });
  });

  // DOMjudge's rule (ImportExportService::importAccountsTsv at commit a023fd3e): the team id is
  // preg_replace('/^[^0-9]*0*([0-9]+)[^0-9]*$/', '\1', $username), refused unless it is all digits.
  it.each([
    ['team007', '7'],
    ['team7', '7'],
    ['team-012', '12'],
    ['007', '7'],
    ['team000', '0'],
    ['t12x', '12'],
    ['team', null],
    ['alice', null],
    ['team1b2', null],
    ['1-2', null],
  ])('domjudgeTeamId(%s) is %s, as DOMjudge reads accounts.tsv', (username, id) => {
    expect(domjudgeTeamId(username)).toBe(id);
  });

  it('accounts.tsv as DOMjudge reads it: the number in the username, jury for judge, staff skipped, four values needed', () => {
    const teams = { name: 'teams.tsv', text: 'teams\t1\n7\t\t\tSeven\n' };
    const ok = readImport([teams, { name: 'accounts.tsv', text: 'accounts\t1\nteam\tSeven\tteam-007\tpw-seven-1\njury\tJo\tjo\tpw-jo-12\nstaff\tSam\tsam\tpw\n' }], known);
    expect(ok.ok && ok.people.accounts.map((a) => [a.username, a.role, a.teamId])).toEqual([['team-007', 'team', '7'], ['jo', 'judge', null]]);
    // Not the username as a team id: DOMjudge always takes the number (no team "7b" for "7b").
    const bad = readImport([{ name: 'teams.tsv', text: 'teams\t1\nab\t\t\tAB\n' }, { name: 'accounts.tsv', text: 'accounts\t1\nteam\tAB\tab\tpw-ab-123\nteam\tX\tx1y2\tpw\nadmin\tA\ta\n' }], known);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => `${e.line} ${e.message}`)).toEqual([
      '2 cannot read a team id from username "ab": DOMjudge takes the one number in it (team007 is team 7)',
      '3 cannot read a team id from username "x1y2": DOMjudge takes the one number in it (team007 is team 7)',
      '4 not enough values: 3 of 4',
    ]);
    // team 8 has no team: the line of the account says so.
    const none = readImport([{ name: 'accounts.tsv', text: 'accounts\t1\nteam\tEight\tteam008\tpw-eight-1\n' }], known);
    expect(!none.ok && none.errors[0]).toMatchObject({ file: 'accounts.tsv', line: 2, message: 'team_id "8" is not in teams.json' });
  });

  it('teams.tsv as DOMjudge reads it: File_Version headers, "null" ids take the ICPC id, INST- prefixes dropped', () => {
    const r = readImport([{ name: 'teams.tsv', text: 'File_Version\t2\nnull\t4242\t\tICPC Team\tBig University\tBU\tBEL\tINST-U-bu\n' }], known);
    expect(r.ok && r.people.teams.map((t) => [t.id, t.organizationId])).toEqual([['4242', 'bu']]);
  });

  it('refuses a header that is not DOMjudge version 1 and a file it does not know', () => {
    const r = readImport([{ name: 'teams.tsv', text: 'File_Version\t3\n' }, { name: 'users.csv', text: '' }], known);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.file).sort()).toEqual(['users.csv']);
  });
});
