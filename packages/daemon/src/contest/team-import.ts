/**
 * Teams and accounts imported while the contest runs, from the files an organizer already has: the
 * CCS teams.json and accounts.yaml (or accounts.json), or DOMjudge's teams.tsv and accounts.tsv.
 * Every file goes through readPeople, the reader the start uses, so an import refuses what a start
 * would refuse with the same messages. A TSV is rewritten as a JSON/YAML list with one row per line,
 * so the line of an error is the line of the TSV.
 *
 * DOMjudge's shapes and rules, as its webapp/src/Service/ImportExportService.php reads them
 * (importTsv, importTeamsTsv, importAccountsTsv; read at DOMjudge commit a023fd3e, 2026-04):
 *   header:       "<kind>\t1" or "File_Version\t1", any case; teams.tsv also version 2
 *   teams.tsv:    team id, ICPC id, category id (the group), name, institution name, institution
 *                 short name, country code, institution external id (an "INST-" or "INST-U-" prefix
 *                 dropped); a team id "null" with a numeric ICPC id takes the ICPC id
 *   accounts.tsv: type, full name, username, password (fewer than four values: refused); types team,
 *                 judge (DOMjudge's jury, also accepted), admin, balloon; staff and analyst lines are
 *                 skipped, as DOMjudge skips them
 * A team account belongs to the team whose id is the number in its username: DOMjudge matches
 * /^[^0-9]*0*([0-9]+)[^0-9]*$/ (one run of digits, leading zeros dropped: team007 and team-7 are
 * team 7, team000 is team 0) and refuses a username without exactly one run of digits (domjudgeTeamId).
 */
import { Diagnostics, type ConfigFileError } from '../config-files/diagnostics.ts';
import { readPeople, type ConfigAccount, type ConfigOrganization, type ConfigTeam } from './config.ts';

export const IMPORT_FILE_NAMES = ['teams.json', 'accounts.yaml', 'accounts.json', 'teams.tsv', 'accounts.tsv'] as const;
export type ImportFileName = (typeof IMPORT_FILE_NAMES)[number];

export interface ImportedPeople {
  organizations: ConfigOrganization[];
  teams: ConfigTeam[];
  accounts: ConfigAccount[];
}

export type ImportRead = { ok: true; people: ImportedPeople } | { ok: false; errors: ConfigFileError[] };

/** One TSV line split into cells, or null for a blank line. */
function cells(line: string): string[] | null {
  return line.trim() === '' ? null : line.split('\t').map((c) => c.trim());
}

/**
 * The team id DOMjudge gives a team account: the one run of digits in the username without its
 * leading zeros (team007 -> 7, team-12b -> 12, 007 -> 7, team000 -> 0); null when the username has
 * no digits or more than one run of them (DOMjudge: "Cannot parse team id").
 */
export function domjudgeTeamId(username: string): string | null {
  const m = /^[^0-9]*0*([0-9]+)[^0-9]*$/.exec(username);
  return m ? m[1]! : null;
}

/** Checks the header as DOMjudge does; the rows follow with their TSV line numbers (1-based). */
function tsvRows(file: string, text: string, kind: string, diag: Diagnostics): { line: number; cells: string[] }[] | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const versions = kind === 'teams' ? '[12]' : '1';
  if (!new RegExp(`^(File_Version|${kind})\t${versions}$`, 'i').test((lines[0] ?? '').trimEnd())) {
    diag.error(file, `the first line must be "${kind}<TAB>1" or "File_Version<TAB>1" (DOMjudge's ${kind}.tsv, version 1${kind === 'teams' ? ' or 2' : ''})`, `export the file from DOMjudge again or add the line`, { line: 1 });
    return undefined;
  }
  const rows: { line: number; cells: string[] }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const c = cells(lines[i]!);
    if (c) rows.push({ line: i + 1, cells: c });
  }
  return rows;
}

/**
 * A TSV as a JSON list laid out so that the object of TSV line L is on line L (line 1 is the header's
 * place). Returns the text and which list index came from which line.
 */
function asLinedJson(rows: { line: number; cells: string[] }[], toObject: (c: string[]) => Record<string, unknown>): string {
  const out: string[] = ['['];
  let at = 1;
  rows.forEach((r, i) => {
    while (at < r.line - 1) {
      out.push('');
      at++;
    }
    out.push(JSON.stringify(toObject(r.cells)) + (i < rows.length - 1 ? ',' : ''));
    at++;
  });
  out.push(']');
  return out.join('\n');
}

const blankToUndefined = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);

/**
 * Reads the uploaded files against what the store already has (organizations, team ids). Files not
 * named in IMPORT_FILE_NAMES are refused; a .tsv and its CCS counterpart together are refused too.
 */
export function readImport(
  files: readonly { name: string; text: string }[],
  known: { organizations: ConfigOrganization[]; teamIds: string[]; groups?: readonly { id: string; name: string }[] },
): ImportRead {
  const diag = new Diagnostics('', process.cwd());
  const byName = new Map<string, string>();
  for (const f of files) {
    if (!(IMPORT_FILE_NAMES as readonly string[]).includes(f.name)) diag.error(f.name, 'not a file judged imports', `name it one of ${IMPORT_FILE_NAMES.join(', ')}`);
    else if (byName.has(f.name)) diag.error(f.name, 'given twice', 'send each file once');
    else byName.set(f.name, f.text);
  }
  if (byName.has('teams.tsv') && byName.has('teams.json')) diag.error('teams.tsv', 'given with teams.json', 'import one of the two');
  if ([byName.has('accounts.tsv'), byName.has('accounts.yaml'), byName.has('accounts.json')].filter(Boolean).length > 1) diag.error('accounts.tsv', 'more than one accounts file', 'import one accounts file');
  if (diag.errors.length > 0) return { ok: false, errors: diag.errors };

  const organizations = [...known.organizations];
  // Where each CCS name's text comes from (the TSV it was rewritten from names itself in errors).
  const text = new Map<string, { label: string; text: string }>();
  const teamsTsv = byName.get('teams.tsv');
  /** teams.tsv's line of each row (list index): the JSON reader names a row's field, not its line. */
  let teamLines: number[] = [];
  if (teamsTsv !== undefined) {
    const rows = tsvRows('teams.tsv', teamsTsv, 'teams', diag);
    if (rows) {
      teamLines = rows.map((r) => r.line);
      for (const r of rows) {
        r.cells[7] = r.cells[7]?.replace(/^INST-(U-)?/, '') ?? '';
        if (r.cells[0] === 'null' && /^[0-9]+$/.test(r.cells[1] ?? '')) r.cells[0] = String(Number(r.cells[1]));
        const orgId = blankToUndefined(r.cells[7]) ?? blankToUndefined(r.cells[5]) ?? blankToUndefined(r.cells[4]);
        if (orgId && !organizations.some((o) => o.id === orgId)) {
          organizations.push({ id: orgId, name: r.cells[4] || r.cells[5] || orgId, formalName: blankToUndefined(r.cells[4]) ?? null, country: blankToUndefined(r.cells[6]) ?? null });
        }
      }
      text.set('teams.json', {
        label: 'teams.tsv',
        text: asLinedJson(rows, (c) => ({
          id: c[0],
          name: c[3],
          organization_id: blankToUndefined(c[7]) ?? blankToUndefined(c[5]) ?? blankToUndefined(c[4]) ?? null,
          // The category id is DOMjudge's group (a site, a division, "Participants").
          ...(blankToUndefined(c[2]) ? { group_ids: [c[2]] } : {}),
        })),
      });
    }
  } else if (byName.has('teams.json')) text.set('teams.json', { label: 'teams.json', text: byName.get('teams.json')! });

  const accountsTsv = byName.get('accounts.tsv');
  if (accountsTsv !== undefined) {
    const all = tsvRows('accounts.tsv', accountsTsv, 'accounts', diag);
    if (all) {
      const rows: typeof all = [];
      for (const r of all) {
        if (r.cells.length < 4) {
          diag.error('accounts.tsv', `not enough values: ${r.cells.length} of 4`, 'give type, full name, username and password, tab-separated', { line: r.line });
          continue;
        }
        // DOMjudge has no mapping for these yet and skips them; so does judged.
        if (r.cells[0] === 'staff' || r.cells[0] === 'analyst') continue;
        if (r.cells[0] === 'jury') r.cells[0] = 'judge';
        if (r.cells[0] === 'team' && domjudgeTeamId(r.cells[2]!) === null) {
          diag.error('accounts.tsv', `cannot read a team id from username "${r.cells[2]}": DOMjudge takes the one number in it (team007 is team 7)`, 'name the account after its team number, e.g. team007', { line: r.line, field: 'username' });
          continue;
        }
        rows.push(r);
      }
      text.set('accounts.yaml', {
        label: 'accounts.tsv',
        text: asLinedJson(rows, (c) => ({ type: c[0], name: blankToUndefined(c[1]) ?? null, username: c[2], password: c[3], ...(c[0] === 'team' ? { team_id: domjudgeTeamId(c[2]!) } : {}) })),
      });
    }
  } else {
    const name = byName.has('accounts.yaml') ? 'accounts.yaml' : byName.has('accounts.json') ? 'accounts.json' : null;
    // YAML reads JSON too: accounts.json goes through the same reader.
    if (name) text.set('accounts.yaml', { label: name, text: byName.get(name)! });
  }
  if (diag.errors.length > 0) return { ok: false, errors: diag.errors };

  const people = readPeople(
    { file: (n) => text.get(n)?.label ?? n, has: (n) => text.has(n), text: (n) => text.get(n)?.text },
    diag,
    { organizations, orgsUsable: true, groups: (known.groups ?? []).map((g) => ({ id: g.id, name: g.name, teamIds: [] })), groupsUsable: true, knownTeamIds: known.teamIds, groupsStored: true },
  );
  for (const e of diag.errors) {
    const row = e.file === 'teams.tsv' && e.line === undefined ? /^(\d+)\./.exec(e.field ?? '') : null;
    if (row && teamLines[Number(row[1])] !== undefined) e.line = teamLines[Number(row[1])];
  }
  for (const t of people.teams) {
    if (known.teamIds.includes(t.id)) diag.error(text.get('teams.json')!.label, `team id "${t.id}" is already in the contest`, 'give the new team another id, or edit the existing team in the Teams screen');
  }
  if (diag.errors.length > 0) return { ok: false, errors: diag.errors };
  const added = organizations.filter((o) => !known.organizations.some((k) => k.id === o.id) && people.teams.some((t) => t.organizationId === o.id));
  return { ok: true, people: { organizations: added, teams: people.teams, accounts: people.accounts } };
}
