/**
 * Reads an ICPC CCS contest package directory: the files that exist of contest.yaml,
 * problemset.yaml, organizations.json, teams.json and accounts.yaml. Every file is checked with zod
 * and across files (a team's organization, an account's team, duplicates); all problems are collected
 * and returned together, each naming the file, line where known, field and what to do. Nothing is
 * returned half-read: either the whole configuration or the errors.
 *
 * Both spellings in use are accepted: the CCS 2023-06 underscores (start_time, penalty_time,
 * scoreboard_freeze_duration) and the older hyphens DOMjudge still writes (start-time, penalty-time,
 * scoreboard-freeze-duration / -length). problemset.yaml is read with the problem loader's schema.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PENALTY_TIME_MIN, IdSchema } from '@judged/shared/protocol';
import { printable } from '@judged/shared/printable';
import { Diagnostics, formatConfigFileError, type ConfigFileError } from '../config-files/diagnostics.ts';
import { colourToRgb } from '../problems/public.ts';
import { problemsetSchema } from '../problems/schemas.ts';
import { readJson, readYaml } from '../config-files/read.ts';
import type { ContestTimes } from '../store/settings.ts';
import { readPackageImages, type PackageImage } from './package-images.ts';


export type { ContestTimes };

export interface ConfigTeam {
  id: string;
  name: string;
  organizationId: string | null;
  hidden: boolean;
  /** groups.json ids the team belongs to (teams.json group_ids). */
  groupIds: string[];
  /** Where the team sits: teams.json location.description (DOMjudge's room), for printouts and balloons. */
  location: string | null;
}

/** A groups.json entry (e.g. a site or a division), with its teams. */
export interface ConfigGroup {
  id: string;
  name: string;
  teamIds: string[];
}

/** contest.yaml `medals: {gold, silver, bronze}`: how many teams get each medal. */
export interface MedalCounts {
  gold: number;
  silver: number;
  bronze: number;
}

export interface ConfigOrganization {
  id: string;
  name: string;
  formalName: string | null;
  country: string | null;
}

/** A persons.json entry (CCS 2023-06 person), with its photos from persons/<id>/photo*.png|jpg. */
export interface ConfigPerson {
  id: string;
  icpcId: string | null;
  teamIds: string[];
  name: string;
  title: string | null;
  email: string | null;
  sex: 'male' | 'female' | null;
  role: 'contestant' | 'coach' | 'staff' | 'other';
  photos: PackageImage[];
}

export interface ConfigAccount {
  username: string;
  password: string;
  role: 'team' | 'judge' | 'admin' | 'balloon';
  teamId: string | null;
  displayName: string | null;
}

export interface ConfigProblem {
  /** Package directory name (the problem id). */
  shortName: string;
  label: string;
  colour: string | null;
}

export interface ContestConfig {
  /** 'demo' or the absolute contest directory. */
  source: string;
  contest: ContestTimes;
  /** From problemset.yaml; null when the directory has none (the problem loader's labels apply). */
  problemset: ConfigProblem[] | null;
  organizations: ConfigOrganization[];
  teams: ConfigTeam[];
  accounts: ConfigAccount[];
  groups: ConfigGroup[];
  /** persons.json; empty without it. Like groups, read at every start, not stored in the data dir. */
  persons: ConfigPerson[];
  /** organizations/<id>/logo*.png|jpg, by organization id (organizations without any are absent). */
  logos: Record<string, PackageImage[]>;
  /** Null when contest.yaml gives no medal counts (no medal awards then). */
  medals: MedalCounts | null;
  /** sha256 over the files read, to notice later that the directory changed. */
  digest: string;
  warnings: string[];
}

export type ConfigLoad = { ok: true; config: ContestConfig } | { ok: false; errors: ConfigFileError[]; warnings: string[] };

/** CCS RELTIME: (-)h:mm:ss(.uuu). Returns ms, or null when malformed. */
export function parseReltime(s: string): number | null {
  const m = /^(-)?(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?$/.exec(s.trim());
  if (!m) return null;
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000 + (m[5] ? Number(m[5].padEnd(3, '0')) : 0);
  return m[1] ? -ms : ms;
}

const reltime = (what: string) =>
  z.string({ error: `${what} must be a time like "5:00:00" (h:mm:ss), quoted if your YAML tool turns it into a number` }).transform((s, ctx) => {
    const ms = parseReltime(s);
    if (ms === null || ms < 0) {
      ctx.addIssue({ code: 'custom', message: `${what} "${s}" is not a duration h:mm:ss` });
      return z.NEVER;
    }
    return ms;
  });

const absTime = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `start time "${String(v)}" is not an ISO 8601 date and time like 2026-11-26T09:00:00+01:00` });
    return z.NEVER;
  }
  return ms;
});

const penalty = z.union([z.int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseReltime(v);
  if (ms === null || ms < 0 || ms % 60_000 !== 0) {
    ctx.addIssue({ code: 'custom', message: `penalty time "${v}" must be whole minutes (20) or a duration h:mm:ss in whole minutes` });
    return z.NEVER;
  }
  return ms / 60_000;
});

const SCORE_MODES = ['best-submission', 'subtask-sum'] as const;

const contestYamlSchema = z
  .object({
    id: IdSchema.optional(),
    'short-name': z.string().optional(),
    short_name: z.string().optional(),
    name: printable(z.string({ error: 'name is missing: the contest name everybody sees' }).trim().min(1, 'name must not be empty')),
    formal_name: printable(z.string()).optional(),
    start_time: absTime.nullable().optional(),
    'start-time': absTime.nullable().optional(),
    duration: reltime('duration'),
    scoreboard_freeze_duration: reltime('scoreboard_freeze_duration').nullable().optional(),
    'scoreboard-freeze-duration': reltime('scoreboard-freeze-duration').nullable().optional(),
    'scoreboard-freeze-length': reltime('scoreboard-freeze-length').nullable().optional(),
    penalty_time: penalty.optional(),
    'penalty-time': penalty.optional(),
    medals: z.strictObject({ gold: z.int().nonnegative(), silver: z.int().nonnegative(), bronze: z.int().nonnegative() }).optional(),
    // CCS 2023-06: pass-fail (ICPC) or score. The score_* keys are judged's own (other tools ignore them).
    scoreboard_type: z.enum(['pass-fail', 'score'], { error: 'scoreboard_type must be pass-fail or score' }).optional(),
    score_mode: z.enum(SCORE_MODES, { error: 'score_mode must be best-submission or subtask-sum' }).optional(),
    score_modes: z.record(z.string(), z.enum(SCORE_MODES, { error: 'a score mode is best-submission or subtask-sum' })).optional(),
    score_tie_break: z.enum(['last-improvement', 'penalty'], { error: 'score_tie_break must be last-improvement or penalty' }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.duration <= 0) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'duration must be longer than 0:00:00' });
    const freeze = c.scoreboard_freeze_duration ?? c['scoreboard-freeze-duration'] ?? c['scoreboard-freeze-length'];
    if (freeze !== null && freeze !== undefined && freeze > c.duration) {
      ctx.addIssue({ code: 'custom', path: ['scoreboard_freeze_duration'], message: 'the scoreboard freeze is longer than the contest' });
    }
  });

const organizationsSchema = z.array(
  z.object({
    id: z.union([IdSchema, z.int().nonnegative().transform(String)], { error: 'id is missing or not a valid id (letters, digits, "_", ".", "-")' }),
    icpc_id: z.union([z.string(), z.number()]).nullable().optional(),
    name: printable(z.string({ error: 'name is missing (a string)' }).trim().min(1, 'name must not be empty')),
    formal_name: printable(z.string()).nullable().optional(),
    country: printable(z.string()).nullable().optional(),
  }),
);

const groupsSchema = z.array(
  z.object({
    id: z.union([IdSchema, z.int().nonnegative().transform(String)], { error: 'id is missing or not a valid id (letters, digits, "_", ".", "-")' }),
    icpc_id: z.union([z.string(), z.number()]).nullable().optional(),
    name: z.string({ error: 'name is missing (a string)' }).trim().min(1, 'name must not be empty'),
    type: z.string().nullable().optional(),
  }),
);

const teamsSchema = z.array(
  z.object({
    id: z.union([IdSchema, z.int().nonnegative().transform(String)]),
    icpc_id: z.union([z.string(), z.number()]).nullable().optional(),
    name: printable(z.string({ error: 'name is missing (a string)' }).trim().min(1, 'name must not be empty')),
    display_name: printable(z.string()).nullable().optional(),
    organization_id: z.union([z.string(), z.int().transform(String)]).nullable().optional(),
    group_ids: z.array(z.union([z.string(), z.number()])).optional(),
    hidden: z.boolean().optional(),
    // CCS: {x, y, rotation} on the floor map; DOMjudge adds description (the room or seat) we show.
    location: z.object({ description: printable(z.string().max(200, 'location.description must be at most 200 characters')).nullable().optional() }).nullable().optional(),
  }),
);

const personsSchema = z.array(
  z.object({
    id: z.union([IdSchema, z.int().nonnegative().transform(String)], { error: 'id is missing or not a valid id (letters, digits, "_", ".", "-")' }),
    icpc_id: z.union([z.string(), z.number().transform(String)]).nullable().optional(),
    team_ids: z.array(z.union([z.string(), z.int().transform(String)])).nullable().optional(),
    name: printable(z.string({ error: 'name is missing (a string)' }).trim().min(1, 'name must not be empty')),
    title: printable(z.string()).nullable().optional(),
    email: printable(z.string()).nullable().optional(),
    sex: z.enum(['male', 'female'], { error: 'sex is male, female or null' }).nullable().optional(),
    role: z.enum(['contestant', 'coach', 'staff', 'other'], { error: (i) => `role "${String(i.input)}" is not one of contestant, coach, staff, other` }),
  }),
);

/** CCS package image names: organizations/<id>/logo.png, logo56x56.png, logo.160x160.jpg ... */
const LOGO_NAME = /^logo[A-Za-z0-9_.-]*\.(png|jpe?g)$/i;
const PHOTO_NAME = /^photo[A-Za-z0-9_.-]*\.(png|jpe?g)$/i;

// DOMjudge's account types; balloon: a runner who sees the balloon list only.
const ACCOUNT_TYPES = ['team', 'judge', 'admin', 'balloon'] as const;
const accountsSchema = z.array(
  z
    .object({
      id: z.union([z.string(), z.number()]).optional(),
      username: z
        .union([z.string(), z.number().transform(String)], { error: 'username is missing' })
        .pipe(printable(z.string().min(1, 'username must not be empty').max(64, 'username must be at most 64 characters'))),
      password: z.union([z.string(), z.number().transform(String)], { error: 'password is missing' }).pipe(z.string().min(1, 'password must not be empty')),
      type: z.enum(ACCOUNT_TYPES, { error: (i) => `type "${String(i.input)}" is not supported: use team, judge, admin or balloon` }),
      team_id: z.union([z.string(), z.int().transform(String)]).nullable().optional(),
      name: printable(z.string()).nullable().optional(),
      ip: z.string().nullable().optional(),
    })
    .superRefine((a, ctx) => {
      if (a.type === 'team' && !a.team_id) ctx.addIssue({ code: 'custom', path: ['team_id'], message: 'a team account needs team_id (the id of its team in teams.json)' });
      if (a.type !== 'team' && a.team_id) ctx.addIssue({ code: 'custom', path: ['team_id'], message: `a ${a.type} account must not have a team_id` });
    }),
);

export const CONTEST_FILES = ['contest.yaml', 'problemset.yaml', 'organizations.json', 'groups.json', 'teams.json', 'persons.json', 'accounts.yaml'] as const;

/** Reads the contest package in `dir`. */
export function loadContestDir(dir: string): ConfigLoad {
  const root = path.resolve(dir);
  const diag = new Diagnostics('', path.dirname(root));
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    diag.error(root, 'the contest directory does not exist', 'pass --contest <dir> holding contest.yaml (and teams.json, accounts.yaml ...)');
    return { ok: false, errors: diag.errors, warnings: [] };
  }
  const file = (name: string) => path.join(root, name);
  const has = (name: string) => fs.existsSync(file(name));
  const digest = createHash('sha256');
  for (const name of CONTEST_FILES) {
    if (has(name)) digest.update(`${name}\0`).update(fs.readFileSync(file(name))).update('\0');
  }

  let contest: ContestTimes | undefined;
  let medals: MedalCounts | null = null;
  if (!has('contest.yaml')) {
    diag.error(file('contest.yaml'), 'missing', 'a contest package needs contest.yaml with at least name and duration');
  } else {
    const r = readYaml(file('contest.yaml'), contestYamlSchema, diag, (f) => `check ${f || 'the file'} in contest.yaml (keys: name, start_time, duration, scoreboard_freeze_duration, penalty_time)`);
    if (r) {
      const c = r.data;
      const shortName = c.id ?? c.short_name ?? c['short-name'] ?? path.basename(root);
      const idOk = IdSchema.safeParse(shortName);
      contest = {
        contestId: idOk.success ? shortName : 'contest',
        name: c.name,
        startAtMs: c.start_time ?? c['start-time'] ?? null,
        durationMs: c.duration,
        freezeDurationMs: c.scoreboard_freeze_duration ?? c['scoreboard-freeze-duration'] ?? c['scoreboard-freeze-length'] ?? null,
        penaltyTimeMin: c.penalty_time ?? c['penalty-time'] ?? DEFAULT_PENALTY_TIME_MIN,
      };
      medals = c.medals ?? null;
      const scoreKeys = (['score_mode', 'score_modes', 'score_tie_break'] as const).filter((k) => c[k] !== undefined);
      if (c.scoreboard_type === 'score') {
        contest.scoreboard = { type: 'score', scoreMode: c.score_mode ?? 'best-submission', problemScoreModes: { ...c.score_modes }, tieBreak: c.score_tie_break ?? 'last-improvement' };
      } else if (scoreKeys.length > 0) {
        diag.warn(file('contest.yaml'), `${scoreKeys.join(', ')} only apply with \`scoreboard_type: score\`; ignored`);
      }
    }
  }

  let problemset: ConfigProblem[] | null = null;
  if (has('problemset.yaml')) {
    const r = readYaml(file('problemset.yaml'), problemsetSchema, diag, (f) => `check ${f || 'problemset.yaml'}: a list "problems:" of {letter or label, short-name, color, rgb}`);
    if (r) {
      problemset = [];
      const labels = new Set<string>();
      for (const [i, p] of r.data.problems.entries()) {
        const shortName = (p['short-name'] ?? p.short_name ?? p.id)!;
        const label = p.label ?? p.letter ?? String.fromCharCode(65 + i);
        if (labels.has(label)) {
          diag.error(file('problemset.yaml'), `label "${label}" is used twice`, 'give every problem its own letter', { line: r.lineOf(['problems', i]), field: `problems.${i}.label` });
          continue;
        }
        labels.add(label);
        const rgb = p.rgb ? (p.rgb.startsWith('#') ? p.rgb : `#${p.rgb}`) : undefined;
        problemset.push({ shortName, label, colour: colourToRgb(p.color || rgb ? { name: p.color, rgb } : undefined) });
      }
    }
  }

  /** A JSON array of objects with unique ids; undefined when the file does not parse. */
  function readIdArray<T extends { id: string }>(name: string, schema: z.ZodType<T[]>, shape: string, kind: string): T[] | undefined {
    const rows = readJson(file(name), schema, diag, () => `${name} is a JSON array of ${shape}`);
    const seen = new Set<string>();
    for (const [i, o] of (rows ?? []).entries()) {
      if (seen.has(o.id)) diag.error(file(name), `${kind} id "${o.id}" appears twice`, `give every ${kind} its own id`, { field: `${i}.id` });
      seen.add(o.id);
    }
    return rows;
  }

  // A file that failed to parse is not used to check the others (that would only repeat its error).
  let orgsUsable = true;
  const organizations: ConfigOrganization[] = [];
  if (has('organizations.json')) {
    const r = readIdArray('organizations.json', organizationsSchema, '{id, name, formal_name?, country?}', 'organization');
    orgsUsable = r !== undefined;
    for (const o of r ?? []) organizations.push({ id: o.id, name: o.name, formalName: o.formal_name ?? null, country: o.country ?? null });
  }

  const groups: ConfigGroup[] = [];
  let groupsUsable = true;
  if (has('groups.json')) {
    const r = readIdArray('groups.json', groupsSchema, '{id, name, type?}', 'group');
    groupsUsable = r !== undefined;
    for (const g of r ?? []) groups.push({ id: g.id, name: g.name, teamIds: [] });
  }

  const { teams, accounts } = readPeople({ file, has, text: () => undefined }, diag, { organizations, orgsUsable, groups, groupsUsable });

  const logos: Record<string, PackageImage[]> = {};
  for (const o of organizations) {
    const images = readPackageImages(path.join(root, 'organizations', o.id), LOGO_NAME, diag);
    if (images.length > 0) logos[o.id] = images;
  }
  const orgIds = new Set(organizations.map((o) => o.id));
  for (const d of fs.existsSync(file('organizations')) ? fs.readdirSync(file('organizations')) : []) {
    if (!orgIds.has(d) && !d.startsWith('.')) diag.warn(path.join(file('organizations'), d), `"${d}" is not an organization in organizations.json: its logos are not served`);
  }

  const persons: ConfigPerson[] = [];
  if (has('persons.json')) {
    const r = readIdArray('persons.json', personsSchema, '{id, name, role: contestant|coach|staff|other, team_ids?, title?, email?, sex?, icpc_id?}', 'person');
    const teamIds = new Set(teams.map((t) => t.id));
    for (const [i, p] of (r ?? []).entries()) {
      const ids = (p.team_ids ?? []).map(String);
      for (const [k, t] of ids.entries()) {
        if (!teamIds.has(t)) diag.error(file('persons.json'), `team "${t}" is not in teams.json`, 'add the team or fix the id', { field: `${i}.team_ids.${k}` });
      }
      if ((p.role === 'contestant' || p.role === 'coach') && ids.length === 0) {
        diag.error(file('persons.json'), `${p.role} "${p.id}" has no team_ids`, `a ${p.role} belongs to at least one team: give team_ids, or make the role staff or other`, { field: `${i}.team_ids` });
      }
      persons.push({
        id: p.id,
        icpcId: p.icpc_id ?? null,
        teamIds: [...new Set(ids)],
        name: p.name,
        title: p.title ?? null,
        email: p.email ?? null,
        sex: p.sex ?? null,
        role: p.role,
        photos: readPackageImages(path.join(root, 'persons', p.id), PHOTO_NAME, diag),
      });
    }
  }

  for (const name of fs.readdirSync(root)) {
    if (/\.(ya?ml|json)$/.test(name) && !(CONTEST_FILES as readonly string[]).includes(name) && !name.startsWith('.')) {
      diag.warn(file(name), `not a contest file judged reads (${CONTEST_FILES.join(', ')}): ignored`);
    }
  }

  if (diag.errors.length > 0 || !contest) return { ok: false, errors: diag.errors, warnings: diag.warnings };
  return {
    ok: true,
    config: { source: root, contest, problemset, organizations, teams, accounts, groups, persons, logos, medals, digest: digest.digest('hex'), warnings: diag.warnings },
  };
}

/** Where readPeople finds the files: on disk (the contest directory) or uploaded (text given). */
export interface PeopleSource {
  file(name: string): string;
  has(name: string): boolean;
  /** The contents when they are not on disk. */
  text(name: string): string | undefined;
}

/**
 * teams.json and accounts.yaml, checked against the organizations and groups known (and, for an
 * import while the contest runs, the teams already in the store): the one reader for both the start
 * and the import, so both refuse the same files with the same messages.
 */
export function readPeople(
  src: PeopleSource,
  diag: Diagnostics,
  ctx: {
    organizations: readonly ConfigOrganization[];
    orgsUsable: boolean;
    groups: ConfigGroup[];
    groupsUsable: boolean;
    knownTeamIds?: Iterable<string>;
    /** The groups are the contest's own (an import: the stored ones), known without a groups.json. */
    groupsStored?: boolean;
  },
): { teams: ConfigTeam[]; accounts: ConfigAccount[] } {
  const { file, has } = src;
  let teamsUsable = true;
  const teams: ConfigTeam[] = [];
  if (has('teams.json')) {
    const r = readJson(file('teams.json'), teamsSchema, diag, () => 'teams.json is a JSON array of {id, name, display_name?, organization_id?, hidden?, location?: {description}}', src.text('teams.json'));
    teamsUsable = r !== undefined;
    const seen = new Set<string>();
    const orgIds = new Set(ctx.organizations.map((o) => o.id));
    for (const [i, t] of (r ?? []).entries()) {
      if (seen.has(t.id)) diag.error(file('teams.json'), `team id "${t.id}" appears twice`, 'give every team its own id', { field: `${i}.id` });
      seen.add(t.id);
      const org = t.organization_id ?? null;
      if (org !== null && ctx.orgsUsable && !orgIds.has(org)) {
        diag.error(file('teams.json'), `organization_id "${org}" is not in organizations.json`, has('organizations.json') ? 'add the organization or fix the id' : 'add organizations.json, or drop organization_id', {
          field: `${i}.organization_id`,
        });
      }
      // Without groups (no groups.json at the start, none stored at an import) the ids mean nothing
      // to judged: many packages carry them anyway (DOMjudge's category ids in teams.tsv).
      const groupsKnown = has('groups.json') || (ctx.groupsStored === true && ctx.groups.length > 0);
      const groupIds = groupsKnown ? (t.group_ids ?? []).map(String) : [];
      for (const [k, gid] of groupIds.entries()) {
        const g = ctx.groups.find((x) => x.id === gid);
        if (g) g.teamIds.push(t.id);
        else if (ctx.groupsUsable) {
          diag.error(
            file('teams.json'),
            has('groups.json') ? `group "${gid}" is not in groups.json` : `group "${gid}" is not a group of this contest (its groups: ${ctx.groups.map((x) => x.id).join(', ')})`,
            has('groups.json') ? 'add the group or fix the id' : 'fix the id, or drop it',
            { field: `${i}.group_ids.${k}` },
          );
        }
      }
      teams.push({ id: t.id, name: t.display_name || t.name, organizationId: org, hidden: t.hidden ?? false, groupIds, location: t.location?.description?.trim() || null });
    }
  }

  const accounts: ConfigAccount[] = [];
  if (has('accounts.yaml')) {
    const r = readYaml(file('accounts.yaml'), accountsSchema, diag, (f) => `check ${f || 'accounts.yaml'}: a list of {username, password, type: team|judge|admin|balloon, team_id}`, src.text('accounts.yaml'));
    const seen = new Set<string>();
    const teamIds = new Set([...teams.map((t) => t.id), ...(ctx.knownTeamIds ?? [])]);
    for (const [i, a] of (r?.data ?? []).entries()) {
      const line = r?.lineOf([i]);
      if (seen.has(a.username)) diag.error(file('accounts.yaml'), `username "${a.username}" appears twice`, 'give every account its own username', { line, field: `${i}.username` });
      seen.add(a.username);
      const teamId = a.team_id ?? null;
      if (a.type === 'team' && teamId !== null && teamsUsable && !teamIds.has(teamId)) {
        diag.error(file('accounts.yaml'), `team_id "${teamId}" is not in teams.json`, has('teams.json') ? 'add the team to teams.json or fix team_id' : 'add teams.json listing the teams', {
          line: r?.lineOf([i, 'team_id']),
          field: `${i}.team_id`,
        });
      }
      accounts.push({ username: a.username, password: a.password, role: a.type, teamId: a.type === 'team' ? teamId : null, displayName: a.name ?? null });
    }
  }

  return { teams, accounts };
}

/** Thrown by openContest when the contest directory (or its problem set) is not usable. */
export class ContestConfigError extends Error {
  constructor(readonly issues: readonly ConfigFileError[]) {
    super(`the contest configuration has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues.map((i) => `  ${formatConfigFileError(i)}`).join('\n')}`);
    this.name = 'ContestConfigError';
  }
}
