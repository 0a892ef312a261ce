import { describe, expect, it } from 'vitest';
import { readImport } from './team-import.ts';

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
        { name: 'accounts.tsv', text: 'accounts\t1\njury\tX\tx\tpw\n' },
      ],
      known,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const at = r.errors.map((e) => `${e.file}:${e.line ?? '-'} ${e.field ?? ''} ${e.message}`);
    expect(at).toContainEqual(expect.stringMatching(/^teams\.tsv:4 1\.name name must not be empty/));
    expect(at).toContainEqual(expect.stringMatching(/^accounts\.tsv:2 0\.type type "jury" is not supported/));
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

  it('refuses a header that is not DOMjudge version 1 and a file it does not know', () => {
    const r = readImport([{ name: 'teams.tsv', text: 'File_Version\t2\n' }, { name: 'users.csv', text: '' }], known);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.file).sort()).toEqual(['users.csv']);
  });
});
