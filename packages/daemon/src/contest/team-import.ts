/**
 * Teams and accounts imported while the contest runs, from the files an organizer already has: the
 * CCS teams.json and accounts.yaml (or accounts.json), or DOMjudge's teams.tsv and accounts.tsv.
 * Every file goes through readPeople, the reader the start uses, so an import refuses what a start
 * would refuse with the same messages. A TSV is rewritten as a JSON/YAML list with one row per line,
 * so the line of an error is the line of the TSV.
 *
 * DOMjudge's shapes (version 1, first line "teams\t1" / "accounts\t1"):
 *   teams.tsv:    team id, external id, category id, name, institution name, institution short name,
 *                 country code, institution external id
 *   accounts.tsv: type (team, judge, admin), full name, username, password
 * A team account of accounts.tsv belongs to the team whose id is its username, or the username
 * without a leading "team" and zeros (DOMjudge's team001 for team 1).
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

/** Checks the "kind\t1" header; the rows follow with their TSV line numbers (1-based). */
function tsvRows(file: string, text: string, kind: string, diag: Diagnostics): { line: number; cells: string[] }[] | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const head = cells(lines[0] ?? '');
  if (!head || head[0] !== kind || head[1] !== '1') {
    diag.error(file, `the first line must be "${kind}<TAB>1" (DOMjudge's ${kind}.tsv, version 1)`, `export the file from DOMjudge again or add the line`, { line: 1 });
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
    const rows = tsvRows('accounts.tsv', accountsTsv, 'accounts', diag);
    if (rows) {
      const teamIds = new Set([...known.teamIds, ...teamIdsIn(text.get('teams.json')?.text)]);
      const teamOf = (username: string) => (teamIds.has(username) ? username : username.replace(/^team0*(?=\d)/, ''));
      text.set('accounts.yaml', {
        label: 'accounts.tsv',
        text: asLinedJson(rows, (c) => ({ type: c[0], name: blankToUndefined(c[1]) ?? null, username: c[2], password: c[3], ...(c[0] === 'team' && c[2] ? { team_id: teamOf(c[2]) } : {}) })),
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

function teamIdsIn(json: string | undefined): string[] {
  if (json === undefined) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map((t) => String((t as { id?: unknown }).id ?? '')).filter(Boolean) : [];
  } catch {
    return [];
  }
}
