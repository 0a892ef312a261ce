/**
 * Our protocol objects rendered as ICPC CCS Contest API (2023-06) objects: snake_case properties,
 * absolute times as TIME strings, durations as RELTIME strings ("h:mm:ss.uuu"), and in the 2023-06
 * version penalty and scoreboard times as integer minutes.
 */
import type {
  Clarification,
  ContestClock,
  JuryJudging,
  JurySubmission,
  JuryTestRun,
  ProblemSummary,
  ScoreboardSnapshot,
  TeamInfo,
  User,
} from '@judged/shared/protocol';
import { VERDICTS, VERDICT_INFO } from '@judged/shared/verdict';
import type { ApiGroup, ApiImage, ApiLanguage, ApiOrganization, ApiPerson, ApiProblemFile } from './deps.ts';

export const CCS_API_VERSION = '2023-06';

/** TIME: ISO 8601 with milliseconds and an explicit offset (UTC). */
export function ccsTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** RELTIME: (-)h:mm:ss.uuu */
export function ccsRelTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const u = rest - s * 1000;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(u).padStart(3, '0')}`;
}

function contestTime(clock: ContestClock, atMs: number): string | null {
  return ccsRelTime(clock.startAtMs === null ? 0 : atMs - clock.startAtMs);
}

export function ccsContest(clock: ContestClock) {
  // The duration is known before a start is scheduled (no freezeAtMs yet); older clocks lack it.
  const freezeDurationMs =
    clock.freezeDurationMs !== undefined ? clock.freezeDurationMs
    : clock.freezeAtMs !== null && clock.endAtMs !== null ? clock.endAtMs - clock.freezeAtMs : null;
  return {
    id: clock.contestId,
    name: clock.name,
    formal_name: clock.name,
    start_time: ccsTime(clock.startAtMs),
    duration: ccsRelTime(clock.durationMs),
    scoreboard_freeze_duration: ccsRelTime(freezeDurationMs),
    // Penalty time only means something on a pass-fail board (2023-06: present iff pass-fail).
    ...(clock.scoreboardType === 'score' ? { scoreboard_type: 'score' } : { scoreboard_type: 'pass-fail', penalty_time: clock.penaltyTimeMin }),
  };
}

export function ccsState(clock: ContestClock) {
  const started = clock.state !== 'before' ? clock.startAtMs : null;
  const ended = clock.state === 'over' ? clock.endAtMs : null;
  const freezeBegun = clock.freezeAtMs !== null && started !== null && clock.serverTimeMs >= clock.freezeAtMs;
  const frozen = freezeBegun ? clock.freezeAtMs : null;
  const thawed = freezeBegun && !clock.scoreboardFrozen ? (clock.unfrozenAtMs ?? clock.endAtMs) : null;
  const finalized = clock.finalized ? (clock.finalizedAtMs ?? clock.endAtMs) : null;
  return {
    started: ccsTime(started),
    frozen: ccsTime(frozen),
    ended: ccsTime(ended),
    thawed: ccsTime(thawed),
    finalized: ccsTime(finalized),
    end_of_updates: ccsTime(finalized),
  };
}

export function ccsJudgementTypes() {
  return VERDICTS.map((v) => ({ id: v, name: VERDICT_INFO[v].name, penalty: VERDICT_INFO[v].penalty, solved: VERDICT_INFO[v].solved }));
}

/** JVM languages run a named main class; the API asks for it on their submissions. */
function needsEntryPoint(languageId: string): boolean {
  return /^(java|kotlin)/i.test(languageId);
}

export function ccsLanguage(l: ApiLanguage) {
  const out: Record<string, unknown> = { id: l.id, name: l.name, entry_point_required: false, extensions: l.extensions };
  if (l.compiler) out.compiler = l.compiler;
  if (l.runner) out.runner = l.runner;
  return out as { id: string } & Record<string, unknown>;
}

/** A FILE reference, relative to the API root (/api/) as the spec's are. */
export interface FileRef {
  href: string;
  filename: string;
  mime: string;
  hash?: string;
  width?: number;
  height?: number;
}

function hrefOf(...parts: string[]): string {
  return parts.map(encodeURIComponent).join('/');
}

/** Images as FILE references under `base` (…/logo, …/photo), each at base/<filename>. */
function imageRefs(images: readonly ApiImage[], base: string): FileRef[] {
  return images.map((i) => ({ href: `${base}/${encodeURIComponent(i.filename)}`, filename: i.filename, mime: i.mime, hash: i.md5, width: i.width, height: i.height }));
}

export function problemFileHref(contestId: string, problemId: string, kind: 'statement' | 'attachments', filename: string): string {
  return hrefOf('contests', contestId, 'problems', problemId, kind, filename);
}

function problemFileRefs(contestId: string, problemId: string, kind: 'statement' | 'attachments', files: readonly ApiProblemFile[]): FileRef[] {
  return files.map((f) => ({ href: problemFileHref(contestId, problemId, kind, f.filename), filename: f.filename, mime: f.mime }));
}

/**
 * `maxScore`: score contests only, the problem's full marks as the board counts them (null: unbounded).
 * `files`: the package's PDF statements and attachments (attachments is the property later drafts
 * of the spec name; 2023-06 lets servers add properties).
 */
export function ccsProblem(p: ProblemSummary, ordinal: number, maxScore?: number | null, files?: { contestId: string; statement: readonly ApiProblemFile[]; attachments: readonly ApiProblemFile[] }) {
  const out: Record<string, unknown> = {
    id: p.id,
    label: p.label,
    name: p.name,
    ordinal,
    time_limit: p.timeLimitMs / 1000,
  };
  if (p.colour) out.rgb = p.colour;
  // The daemon always knows the count; a summary without it has at least its samples.
  out.test_data_count = p.testCount ?? p.sampleCount;
  // 2023-06: required on score contests; an unbounded problem has no expected maximum to give.
  if (maxScore !== undefined && maxScore !== null) out.max_score = maxScore;
  if (files && files.statement.length > 0) out.statement = problemFileRefs(files.contestId, p.id, 'statement', files.statement);
  if (files && files.attachments.length > 0) out.attachments = problemFileRefs(files.contestId, p.id, 'attachments', files.attachments);
  return out;
}

/** Organization ids derived from a name, for an organization the store does not know by name. */
export function organizationId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 32)
    .replace(/-+$/, '');
  return `org-${slug || 'x'}`;
}

/** 2023-06 ID: [A-Za-z0-9_.-], at most 36, not starting with "-" or "." nor ending with ".". */
export const CCS_ID = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,34}[A-Za-z0-9_-]|)$/;

/**
 * Teams carry their organization's name; the API names it by the contest package's own id (as the
 * spec asks ids to be kept), falling back to one derived from the name.
 */
export class Organizations {
  private readonly byName = new Map<string, ApiOrganization>();

  constructor(orgs: readonly ApiOrganization[]) {
    for (const o of orgs) if (CCS_ID.test(o.id) && !this.byName.has(o.name)) this.byName.set(o.name, o);
  }

  idOf(name: string): string {
    return this.byName.get(name)?.id ?? organizationId(name);
  }

  /** The organizations of these teams, each once, with its logos. */
  render(teams: readonly TeamInfo[], contestId: string) {
    const seen = new Map<string, Record<string, unknown> & { id: string }>();
    for (const t of teams) {
      if (!t.organization) continue;
      const id = this.idOf(t.organization);
      if (seen.has(id)) continue;
      const o = this.byName.get(t.organization);
      const out: Record<string, unknown> & { id: string } = { id, name: t.organization, formal_name: o?.formalName ?? t.organization };
      // 2023-06: ISO 3166-1 alpha-3; anything else the package says is not a country code.
      if (o?.country && /^[A-Z]{3}$/.test(o.country)) out.country = o.country;
      if (o && o.logos.length > 0) out.logo = imageRefs(o.logos, logoBase(contestId, id));
      seen.set(id, out);
    }
    return [...seen.values()];
  }

  /** The logo `filename` of organization `id`, if it has one. */
  logo(id: string, filename: string): ApiImage | undefined {
    for (const o of this.byName.values()) if (o.id === id) return o.logos.find((l) => l.filename === filename);
    return undefined;
  }
}

export function logoBase(contestId: string, organizationId: string): string {
  return hrefOf('contests', contestId, 'organizations', organizationId, 'logo');
}

export function photoBase(contestId: string, personId: string): string {
  return hrefOf('contests', contestId, 'persons', personId, 'photo');
}

export function ccsTeam(t: TeamInfo, groupIds: readonly string[], orgs: Organizations) {
  return {
    id: t.id,
    label: t.id,
    name: t.name,
    display_name: t.name,
    organization_id: t.organization ? orgs.idOf(t.organization) : null,
    group_ids: [...groupIds],
    hidden: !t.enabled || t.hidden === true,
  };
}

/** A person with the teams this reader may see; email and sex only with `personal` (the jury). */
export function ccsPerson(p: ApiPerson, teamIds: readonly string[], personal: boolean, contestId: string) {
  const out: Record<string, unknown> & { id: string } = { id: p.id, icpc_id: p.icpcId, team_ids: [...teamIds], name: p.name, title: p.title, role: p.role };
  if (personal) {
    out.email = p.email;
    out.sex = p.sex;
  }
  if (p.photos.length > 0) out.photo = imageRefs(p.photos, photoBase(contestId, p.id));
  return out;
}

export function ccsGroup(g: ApiGroup) {
  return { id: g.id, name: g.name };
}

/** Accounts never carry their password (only its hash is stored anyway). */
export function ccsAccount(a: Pick<User, 'username' | 'role' | 'teamId'>) {
  const out: Record<string, unknown> = { id: a.username, username: a.username, type: a.role === 'public' ? null : a.role };
  if (a.teamId !== null) out.team_id = a.teamId;
  return out as { id: string } & Record<string, unknown>;
}

/** JVM languages name a main class: the one the judge found in the compiled classes (null until judged). */
function entryPoint(s: JurySubmission): string | null | undefined {
  if (!needsEntryPoint(s.language)) return undefined;
  return s.entryPoint ?? null;
}

/** Where a submission's files are, relative to the API root (/api/), as FILE references are. */
export function submissionFilesHref(contestId: string, submissionId: string): string {
  return `contests/${encodeURIComponent(contestId)}/submissions/${encodeURIComponent(submissionId)}/files`;
}

/** A submission's id in the API: the one a client gave it (PUT), else judged's own. */
export function apiSubmissionId(s: Pick<JurySubmission, 'id' | 'clientId'>): string {
  return s.clientId ?? s.id;
}

export function ccsSubmission(s: JurySubmission, contestId: string) {
  const out: Record<string, unknown> = {
    id: apiSubmissionId(s),
    language_id: s.language,
    problem_id: s.problemId,
    team_id: s.teamId,
    time: ccsTime(s.submittedAtMs),
    contest_time: ccsRelTime(s.contestTimeMs),
    files: [{ href: submissionFilesHref(contestId, apiSubmissionId(s)), filename: 'files.zip', mime: 'application/zip' }],
  };
  const ep = entryPoint(s);
  if (ep !== undefined) out.entry_point = ep;
  return out as { id: string } & Record<string, unknown>;
}

/**
 * `points`: score contests only, what the judgement scores (see judgementPoints). `submissionId`: the
 * judged submission's id in the API (apiSubmissionId).
 */
export function ccsJudgement(j: JuryJudging, clock: ContestClock, points?: number, submissionId = j.submissionId) {
  return {
    id: j.id,
    submission_id: submissionId,
    judgement_type_id: j.endedAtMs === null ? null : j.verdict,
    start_time: ccsTime(j.startedAtMs),
    start_contest_time: contestTime(clock, j.startedAtMs),
    end_time: ccsTime(j.endedAtMs),
    end_contest_time: j.endedAtMs === null ? null : contestTime(clock, j.endedAtMs),
    max_run_time: j.maxTimeMs === null ? null : j.maxTimeMs / 1000,
    // 2023-06: every judgement of a score contest has a score, pass-fail problems' too.
    ...(points !== undefined ? { score: points } : {}),
  };
}

export function ccsRunId(judgingId: string, index: number): string {
  return `${judgingId}-${index}`;
}

/** A run, stamped with its own end (`fallbackAtMs`, the judging's end, for runs recorded without one). */
export function ccsRun(judgingId: string, r: JuryTestRun, clock: ContestClock, fallbackAtMs: number) {
  const at = r.endedAtMs ?? fallbackAtMs;
  return {
    id: ccsRunId(judgingId, r.index),
    judgement_id: judgingId,
    ordinal: r.index,
    judgement_type_id: r.verdict,
    time: ccsTime(at),
    contest_time: contestTime(clock, at),
    run_time: r.timeMs / 1000,
  };
}

export function ccsRuns(j: JuryJudging, clock: ContestClock) {
  return j.runs.map((r) => ccsRun(j.id, r, clock, j.endedAtMs ?? j.startedAtMs));
}

export function ccsClarification(c: Clarification) {
  return {
    id: c.id,
    from_team_id: c.fromTeamId,
    to_team_id: c.toTeamId,
    reply_to_id: c.replyToId,
    problem_id: c.problemId,
    text: c.text,
    time: ccsTime(c.createdAtMs),
    contest_time: ccsRelTime(c.contestTimeMs),
  };
}

export function ccsScoreboard(board: ScoreboardSnapshot, clock: ContestClock) {
  const score = board.type === 'score';
  return {
    time: ccsTime(clock.serverTimeMs),
    contest_time: contestTime(clock, clock.serverTimeMs),
    state: ccsState(clock),
    rows: board.rows.map((r) => ({
      rank: r.rank,
      team_id: r.teamId,
      // 2023-06: pass-fail rows have num_solved and total_time, score rows the score instead; time is
      // the minute of the last improvement (last first-AC), null while there is none.
      score: score
        ? { score: r.score ?? 0, time: (r.score ?? 0) > 0 ? r.lastAcMin : null }
        : { num_solved: r.solved, total_time: r.penaltyMin, time: r.solved > 0 ? r.lastAcMin : null },
      problems: r.cells.map((c) => {
        const p: Record<string, unknown> = { problem_id: c.problemId, num_judged: c.attempts, num_pending: c.pending };
        // Either solved (pass-fail) or score, with the time iff solved or scored.
        if (score) p.score = c.score ?? 0;
        else p.solved = c.solved;
        if ((score ? (c.score ?? 0) > 0 : c.solved) && c.timeMin !== null) p.time = c.timeMin;
        return p;
      }),
    })),
  };
}

/**
 * Every property each endpoint may carry, as the access endpoint declares them (a property that is
 * absent on some object is null there). Kept beside the renderers above, which must not emit others:
 * the conformance test checks every object against this list.
 */
export const CCS_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  contest: ['id', 'name', 'formal_name', 'start_time', 'duration', 'scoreboard_freeze_duration', 'scoreboard_type', 'penalty_time'],
  'judgement-types': ['id', 'name', 'penalty', 'solved'],
  languages: ['id', 'name', 'entry_point_required', 'extensions', 'compiler', 'runner'],
  problems: ['id', 'label', 'name', 'ordinal', 'rgb', 'time_limit', 'test_data_count', 'max_score', 'statement', 'attachments'],
  groups: ['id', 'name'],
  organizations: ['id', 'name', 'formal_name', 'country', 'logo'],
  teams: ['id', 'label', 'name', 'display_name', 'organization_id', 'group_ids', 'hidden'],
  persons: ['id', 'icpc_id', 'team_ids', 'name', 'title', 'email', 'sex', 'role', 'photo'],
  accounts: ['id', 'username', 'type', 'team_id'],
  state: ['started', 'frozen', 'ended', 'thawed', 'finalized', 'end_of_updates'],
  submissions: ['id', 'language_id', 'problem_id', 'team_id', 'time', 'contest_time', 'entry_point', 'files'],
  judgements: ['id', 'submission_id', 'judgement_type_id', 'score', 'start_time', 'start_contest_time', 'end_time', 'end_contest_time', 'max_run_time'],
  runs: ['id', 'judgement_id', 'ordinal', 'judgement_type_id', 'time', 'contest_time', 'run_time'],
  clarifications: ['id', 'from_team_id', 'to_team_id', 'reply_to_id', 'problem_id', 'text', 'time', 'contest_time'],
  awards: ['id', 'citation', 'team_ids'],
  scoreboard: ['time', 'contest_time', 'state', 'rows'],
  'event-feed': ['type', 'id', 'data', 'token'],
};
