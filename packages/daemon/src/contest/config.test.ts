import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatConfigFileError } from '../config-files/diagnostics.ts';
import { ContestConfigError, loadContestDir, openContest, parseReltime } from './index.ts';
import { problem } from '../../test-utils/store-fixtures.ts';
import { jpegHeaderOf, pngOf } from '../../test-utils/images.ts';
import { imageSize, MAX_IMAGE_BYTES } from './package-images.ts';

const dirs: string[] = [];
function contestDir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-contest-'));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const CONTEST_YAML = `id: nwerc-practice
name: NWERC Practice
start_time: 2026-11-26T09:00:00+01:00
duration: 5:00:00
scoreboard_freeze_duration: 1:00:00
penalty_time: 20
`;
const ORGS = JSON.stringify([
  { id: 'uni1', icpc_id: '101', name: 'Uni One', formal_name: 'University One', country: 'NLD' },
  { id: 'uni2', name: 'Uni Two' },
]);
const TEAMS = JSON.stringify([
  { id: 't1', name: 'Segfault', organization_id: 'uni1', group_ids: ['students'] },
  { id: 't2', name: 'Off by one', display_name: 'Off-by-one', organization_id: 'uni2' },
  { id: 't3', name: 'Observers', hidden: true },
]);
const ACCOUNTS = `- username: team1
  password: pass-one
  type: team
  team_id: t1
- username: team2
  password: pass-two
  type: team
  team_id: t2
- username: boss
  password: boss-pass
  type: admin
- username: jury1
  password: jury-pass
  type: judge
`;
const PROBLEMSET = `problems:
  - letter: X
    short-name: sum
    color: red
  - letter: Y
    short-name: hello
    rgb: '#00ff00'
`;

function good(extra: Record<string, string> = {}): Record<string, string> {
  return { 'contest.yaml': CONTEST_YAML, 'organizations.json': ORGS, 'teams.json': TEAMS, 'accounts.yaml': ACCOUNTS, ...extra };
}

function errorsOf(files: Record<string, string>): string[] {
  const r = loadContestDir(contestDir(files));
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map(formatConfigFileError);
}

describe('contest package files', () => {
  it('reads a complete package', () => {
    const r = loadContestDir(contestDir(good({ 'problemset.yaml': PROBLEMSET })));
    if (!r.ok) throw new Error(r.errors.map(formatConfigFileError).join('\n'));
    const c = r.config;
    expect(c.contest).toEqual({
      contestId: 'nwerc-practice',
      name: 'NWERC Practice',
      startAtMs: Date.parse('2026-11-26T08:00:00Z'),
      durationMs: 5 * 3600_000,
      freezeDurationMs: 3600_000,
      penaltyTimeMin: 20,
    });
    expect(c.teams).toEqual([
      { id: 't1', name: 'Segfault', organizationId: 'uni1', hidden: false, groupIds: [], location: null },
      { id: 't2', name: 'Off-by-one', organizationId: 'uni2', hidden: false, groupIds: [], location: null },
      { id: 't3', name: 'Observers', organizationId: null, hidden: true, groupIds: [], location: null },
    ]);
    expect(c.groups).toEqual([]);
    expect(c.medals).toBeNull();
    expect(c.accounts.map((a) => [a.username, a.role, a.teamId])).toEqual([
      ['team1', 'team', 't1'],
      ['team2', 'team', 't2'],
      ['boss', 'admin', null],
      ['jury1', 'judge', null],
    ]);
    expect(c.problemset).toEqual([
      { shortName: 'sum', label: 'X', colour: '#ff0000' },
      { shortName: 'hello', label: 'Y', colour: '#00ff00' },
    ]);
  });

  it('reads groups.json with the teams of each group, and medal counts from contest.yaml', () => {
    const r = loadContestDir(
      contestDir(good({ 'groups.json': JSON.stringify([{ id: 'students', name: 'Students' }, { id: 'pros', name: 'Professionals' }]), 'contest.yaml': `${CONTEST_YAML}medals:\n  gold: 1\n  silver: 2\n  bronze: 3\n` })),
    );
    if (!r.ok) throw new Error(r.errors.map(formatConfigFileError).join('\n'));
    expect(r.config.groups).toEqual([
      { id: 'students', name: 'Students', teamIds: ['t1'] },
      { id: 'pros', name: 'Professionals', teamIds: [] },
    ]);
    expect(r.config.teams[0]!.groupIds).toEqual(['students']);
    expect(r.config.medals).toEqual({ gold: 1, silver: 2, bronze: 3 });
    const errs = errorsOf(good({ 'groups.json': JSON.stringify([{ id: 'pros', name: 'Professionals' }]) }));
    expect(errs).toEqual([expect.stringMatching(/teams\.json: 0\.group_ids\.0: group "students" is not in groups\.json/)]);
  });

  it('accepts the older hyphenated keys DOMjudge writes, and an unscheduled start', () => {
    const r = loadContestDir(
      contestDir({ 'contest.yaml': 'name: Old style\nshort-name: old\nstart-time: null\nduration: "2:30:00"\nscoreboard-freeze-length: "0:30:00"\npenalty-time: 10\n' }),
    );
    expect(r.ok && r.config.contest).toEqual({ contestId: 'old', name: 'Old style', startAtMs: null, durationMs: 9000_000, freezeDurationMs: 1800_000, penaltyTimeMin: 10 });
  });

  it('parses CCS relative times', () => {
    expect(parseReltime('5:00:00')).toBe(18_000_000);
    expect(parseReltime('0:00:01.5')).toBe(1500);
    expect(parseReltime('-0:10:00')).toBe(-600_000);
    expect(parseReltime('5h')).toBeNull();
    expect(parseReltime('1:60:00')).toBeNull();
  });

  it('needs contest.yaml', () => {
    expect(errorsOf({ 'teams.json': JSON.stringify([{ id: 't1', name: 'A' }]) })).toEqual([expect.stringMatching(/contest\.yaml: missing — .*name and duration/)]);
  });

  it('reports a bad duration with file, line and field', () => {
    const errs = errorsOf(good({ 'contest.yaml': 'name: X\nstart_time: 2026-11-26T09:00:00Z\nduration: five hours\n' }));
    expect(errs).toEqual([expect.stringMatching(/contest\.yaml:3: duration: duration "five hours" is not a duration h:mm:ss/)]);
  });

  it('reports a freeze longer than the contest', () => {
    const errs = errorsOf(good({ 'contest.yaml': 'name: X\nduration: 1:00:00\nscoreboard_freeze_duration: 2:00:00\n' }));
    expect(errs).toEqual([expect.stringMatching(/scoreboard_freeze_duration: the scoreboard freeze is longer than the contest/)]);
  });

  it('reports a start time that is not a date', () => {
    expect(errorsOf(good({ 'contest.yaml': 'name: X\nstart_time: tomorrow\nduration: 1:00:00\n' }))).toEqual([
      expect.stringMatching(/contest\.yaml:2: start_time: start time "tomorrow" is not an ISO 8601/),
    ]);
  });

  it('reports YAML syntax errors with the line', () => {
    expect(errorsOf(good({ 'contest.yaml': 'name: X\nduration: [1:00:00\n' }))[0]).toMatch(/contest\.yaml:\d+: YAML syntax error/);
  });

  it('reports invalid JSON in teams.json', () => {
    expect(errorsOf(good({ 'teams.json': '[{"id": "t1", "name": "A",}]' }))).toEqual([expect.stringMatching(/teams\.json:1: not valid JSON/)]);
  });

  it('reports a team field that fails validation, naming the index and field', () => {
    const errs = errorsOf(good({ 'teams.json': JSON.stringify([{ id: 't1', name: '' }, { id: 'bad id!', name: 'B' }]) }));
    expect(errs).toEqual([expect.stringMatching(/teams\.json:1: 0\.name: name must not be empty/), expect.stringMatching(/teams\.json:1: 1\.id: .*letters, digits/)]);
  });

  it('refuses names with control characters, naming file, line, field and character', () => {
    const errs = errorsOf(
      good({
        'teams.json': JSON.stringify([{ id: 't1', name: 'Seg\u001b]52;c;aGk=\u0007fault' }, { id: 't2', name: 'B', display_name: 'B\u202e' }]),
        'organizations.json': JSON.stringify([{ id: 'uni1', name: 'Uni\u009b2J' }, { id: 'uni2', name: 'Uni Two' }]),
        'contest.yaml': CONTEST_YAML.replace('name: NWERC Practice', 'name: "NWERC\\x07 Practice"'),
        'accounts.yaml': ACCOUNTS.replace('username: boss', 'username: "bo\\x1bss"'),
      }),
    );
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/contest\.yaml:2: name: contains U\+0007 \(a control character\) at position 6; a name may hold printable characters only/),
        expect.stringMatching(/organizations\.json:1: 0\.name: contains U\+009B \(a control character\) at position 4/),
        expect.stringMatching(/teams\.json:1: 0\.name: contains U\+001B \(a control character\) at position 4/),
        expect.stringMatching(/teams\.json:1: 1\.display_name: contains U\+202E \(a bidi control\) at position 2/),
        expect.stringMatching(/accounts\.yaml:9: 2\.username: contains U\+001B \(a control character\) at position 3/),
      ]),
    );
  });

  it('names missing fields plainly', () => {
    expect(errorsOf(good({ 'contest.yaml': 'duration: 1:00:00\n' }))).toEqual([expect.stringMatching(/contest\.yaml:1: name: name is missing: the contest name everybody sees/)]);
    expect(errorsOf(good({ 'teams.json': JSON.stringify([{ id: 't1', name: 'A' }, { id: 't2' }]) }))).toEqual([expect.stringMatching(/teams\.json:1: 1\.name: name is missing/)]);
    expect(errorsOf(good({ 'accounts.yaml': '- {username: a, type: admin}\n' }))).toEqual([expect.stringMatching(/accounts\.yaml:1: 0\.password: password is missing/)]);
  });

  it('reports an unknown organization and duplicate team ids', () => {
    const errs = errorsOf(good({ 'teams.json': JSON.stringify([{ id: 't1', name: 'A', organization_id: 'nowhere' }, { id: 't1', name: 'B' }]) }));
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/teams\.json: 0\.organization_id: organization_id "nowhere" is not in organizations\.json/),
        expect.stringMatching(/teams\.json: 1\.id: team id "t1" appears twice/),
      ]),
    );
  });

  it('reports accounts of unknown teams, unsupported types, missing team_id and duplicates', () => {
    const errs = errorsOf(
      good({
        'accounts.yaml': `- {username: a, password: p, type: team, team_id: t9}
- {username: b, password: p, type: analyst}
- {username: c, password: p, type: team}
- {username: a, password: p, type: admin}
`,
      }),
    );
    expect(errs).toEqual([
      expect.stringMatching(/accounts\.yaml:2: 1\.type: type "analyst" is not supported: use team, judge, admin or balloon/),
      expect.stringMatching(/accounts\.yaml:3: 2\.team_id: a team account needs team_id/),
    ]);
    const errs2 = errorsOf(good({ 'accounts.yaml': '- {username: a, password: p, type: team, team_id: t9}\n- {username: a, password: p, type: admin}\n' }));
    expect(errs2).toEqual([
      expect.stringMatching(/accounts\.yaml:1: 0\.team_id: team_id "t9" is not in teams\.json/),
      expect.stringMatching(/accounts\.yaml:2: 1\.username: username "a" appears twice/),
    ]);
  });

  it('reports a problemset.yaml with a repeated label', () => {
    const errs = errorsOf(good({ 'problemset.yaml': 'problems:\n  - {letter: A, short-name: hello}\n  - {letter: A, short-name: sum}\n' }));
    expect(errs).toEqual([expect.stringMatching(/problemset\.yaml:3: problems\.1\.label: label "A" is used twice/)]);
  });

  it('collects the problems of every file at once', () => {
    const errs = errorsOf({ 'contest.yaml': 'name: X\n', 'teams.json': '{}', 'accounts.yaml': 'nope' });
    expect(errs.length).toBeGreaterThanOrEqual(3);
    expect(errs.some((e) => e.includes('contest.yaml'))).toBe(true);
    expect(errs.some((e) => e.includes('teams.json'))).toBe(true);
    expect(errs.some((e) => e.includes('accounts.yaml'))).toBe(true);
  });
});

describe('persons.json and the package images', () => {
  const put = (dir: string, rel: string, data: Buffer | string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  };

  it('reads persons with their teams, and each logo and photo with the size its header says', () => {
    const persons = [
      { id: 'ann', icpc_id: 42, team_ids: ['t1'], name: 'Ann', email: 'ann@example.test', sex: 'female', role: 'contestant' },
      { id: 'bo', name: 'Bo', title: 'Director', role: 'staff' },
    ];
    const dir = contestDir(good({ 'persons.json': JSON.stringify(persons) }));
    // A name claiming 56x56 is not believed: the header says 30x20.
    put(dir, 'organizations/uni1/logo56x56.png', pngOf(30, 20));
    put(dir, 'organizations/uni1/logo.jpg', jpegHeaderOf(640, 480));
    put(dir, 'organizations/uni1/banner.png', pngOf(5, 5));
    put(dir, 'persons/ann/photo.png', pngOf(12, 16));
    const r = loadContestDir(dir);
    if (!r.ok) throw new Error(r.errors.map(formatConfigFileError).join('\n'));
    expect(r.config.persons.map((p) => [p.id, p.icpcId, p.teamIds, p.role, p.email, p.sex, p.title])).toEqual([
      ['ann', '42', ['t1'], 'contestant', 'ann@example.test', 'female', null],
      ['bo', null, [], 'staff', null, null, 'Director'],
    ]);
    expect(r.config.persons[0]!.photos.map((p) => [p.filename, p.mime, p.width, p.height])).toEqual([['photo.png', 'image/png', 12, 16]]);
    // Only logo* files; sorted by name.
    expect(r.config.logos.uni1!.map((l) => [l.filename, l.mime, l.width, l.height])).toEqual([
      ['logo.jpg', 'image/jpeg', 640, 480],
      ['logo56x56.png', 'image/png', 30, 20],
    ]);
    expect(r.config.logos.uni2).toBeUndefined();
  });

  it('refuses persons of unknown teams and contestants without a team, naming the field', () => {
    const errs = errorsOf(good({ 'persons.json': JSON.stringify([{ id: 'a', name: 'A', role: 'contestant', team_ids: ['t9'] }, { id: 'b', name: 'B', role: 'coach' }, { id: 'c', name: 'C', role: 'judge' }]) }));
    expect(errs).toEqual([
      expect.stringMatching(/persons\.json:1: 2\.role: role "judge" is not one of contestant, coach, staff, other/),
    ]);
    const errs2 = errorsOf(good({ 'persons.json': JSON.stringify([{ id: 'a', name: 'A', role: 'contestant', team_ids: ['t9'] }, { id: 'b', name: 'B', role: 'coach' }]) }));
    expect(errs2).toEqual([
      expect.stringMatching(/persons\.json: 0\.team_ids\.0: team "t9" is not in teams\.json/),
      expect.stringMatching(/persons\.json: 1\.team_ids: coach "b" has no team_ids/),
    ]);
  });

  it('serves no image it cannot vouch for: too large, not an image, a link, or a header that lies', () => {
    const dir = contestDir(good());
    put(dir, 'organizations/uni1/logo-big.png', Buffer.concat([pngOf(10, 10), Buffer.alloc(MAX_IMAGE_BYTES)]));
    put(dir, 'organizations/uni1/logo-text.png', 'not a png at all');
    put(dir, 'organizations/uni1/logo-zero.png', (() => {
      const b = pngOf(1, 1);
      b.writeUInt32BE(0, 16);
      return b;
    })());
    fs.symlinkSync('/etc/passwd', path.join(dir, 'organizations/uni1/logo-link.png'));
    put(dir, 'organizations/uni1/logo-ok.png', pngOf(8, 8));
    put(dir, 'organizations/uni9/logo.png', pngOf(8, 8));
    const r = loadContestDir(dir);
    if (!r.ok) throw new Error('should load');
    expect(r.config.logos.uni1!.map((l) => l.filename)).toEqual(['logo-ok.png']);
    const warned = r.config.warnings.join('\n');
    expect(warned).toMatch(/logo-big\.png.*more than/);
    expect(warned).toMatch(/logo-text\.png.*not a PNG or JPEG/);
    expect(warned).toMatch(/logo-zero\.png.*not a PNG or JPEG/);
    expect(warned).toMatch(/logo-link\.png.*not a plain file/);
    expect(warned).toMatch(/organizations\/uni9: "uni9" is not an organization in organizations\.json/);
  });

  it('reads sizes from PNG and JPEG headers only', () => {
    expect(imageSize(pngOf(3, 7))).toEqual({ mime: 'image/png', width: 3, height: 7 });
    expect(imageSize(jpegHeaderOf(1024, 768))).toEqual({ mime: 'image/jpeg', width: 1024, height: 768 });
    expect(imageSize(Buffer.from('<svg width="10" height="10"/>'))).toBeNull();
    expect(imageSize(pngOf(3, 7).subarray(0, 20))).toBeNull();
    expect(imageSize(jpegHeaderOf(10, 10).subarray(0, 25))).toBeNull();
    expect(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeNull();
  });
});

describe('openContest with a contest dir', () => {
  const problems = [problem('hello', 'A'), problem('sum', 'B')];

  it('creates the contest from the files, applies problemset.yaml, and generates only the missing logins', async () => {
    const dir = contestDir(good({ 'problemset.yaml': PROBLEMSET }));
    const data = contestDir({});
    const o = openContest({ dataDir: data, contestDir: dir, problems });
    expect(o.created).toBe(true);
    // t3 has no account; an admin exists already.
    expect(o.credentials.map((c) => [c.username, c.role, c.teamId])).toEqual([['t3', 'team', 't3']]);
    expect(o.contest.clock().name).toBe('NWERC Practice');
    expect(o.contest.scoreboard('public').problems.map((p) => [p.label, p.id, p.colour])).toEqual([
      ['X', 'sum', '#ff0000'],
      ['Y', 'hello', '#00ff00'],
    ]);
    // Hidden teams are not on the scoreboard.
    expect(o.contest.scoreboard('public').rows.map((r) => r.teamId).sort()).toEqual(['t1', 't2']);
    expect((await o.contest.login('boss', 'boss-pass')).user).toEqual({ username: 'boss', role: 'admin', teamId: null, displayName: 'boss' });
    expect(o.contest.teams().find((t) => t.id === 't1')).toEqual({ id: 't1', name: 'Segfault', organization: 'Uni One', enabled: true, location: null, groupIds: [] });
    o.contest.close();
    o.store.close();
    // A restart resumes and says when the files changed since.
    fs.appendFileSync(path.join(dir, 'contest.yaml'), '# edited\n');
    const again = openContest({ dataDir: data, contestDir: dir, problems });
    expect(again.created).toBe(false);
    expect(again.credentials).toEqual([]);
    expect(again.warnings.join('\n')).toMatch(/changed since this data dir was created/);
    again.store.close();
  });

  it('refuses to start with bad files and writes nothing', () => {
    const dir = contestDir(good({ 'accounts.yaml': '- {username: x, password: y, type: team, team_id: nope}\n' }));
    const data = contestDir({});
    expect(() => openContest({ dataDir: data, contestDir: dir, problems })).toThrow(ContestConfigError);
    expect(() => openContest({ dataDir: data, contestDir: dir, problems })).toThrow(/accounts\.yaml:1: 0\.team_id: team_id "nope" is not in teams\.json/);
    expect(fs.readdirSync(data)).toEqual([]);
  });

  it('refuses a problemset.yaml naming a problem that was not loaded', () => {
    const dir = contestDir(good({ 'problemset.yaml': 'problems:\n  - {letter: A, short-name: missing}\n' }));
    expect(() => openContest({ dataDir: contestDir({}), contestDir: dir, problems })).toThrow(/problem "missing" is not among the loaded problems/);
  });
});
