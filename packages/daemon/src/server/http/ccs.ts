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
import type { ApiGroup, ApiLanguage } from './deps.ts';

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
  const freezeDurationMs = clock.freezeAtMs !== null && clock.endAtMs !== null ? clock.endAtMs - clock.freezeAtMs : null;
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

/** `maxScore`: score contests only, the problem's full marks as the board counts them (null: unbounded). */
export function ccsProblem(p: ProblemSummary, ordinal: number, maxScore?: number | null) {
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
  return out;
}

/** Organization ids are derived from the organization's name, so teams.json needs no separate table. */
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

export function ccsOrganizations(teams: readonly TeamInfo[]) {
  const seen = new Map<string, { id: string; name: string; formal_name: string }>();
  for (const t of teams) {
    if (!t.organization) continue;
    const id = organizationId(t.organization);
    if (!seen.has(id)) seen.set(id, { id, name: t.organization, formal_name: t.organization });
  }
  return [...seen.values()];
}

export function ccsTeam(t: TeamInfo, groupIds: readonly string[]) {
  return {
    id: t.id,
    label: t.id,
    name: t.name,
    display_name: t.name,
    organization_id: t.organization ? organizationId(t.organization) : null,
    group_ids: [...groupIds],
    hidden: !t.enabled,
  };
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

export function ccsSubmission(s: JurySubmission, contestId: string) {
  const out: Record<string, unknown> = {
    id: s.id,
    language_id: s.language,
    problem_id: s.problemId,
    team_id: s.teamId,
    time: ccsTime(s.submittedAtMs),
    contest_time: ccsRelTime(s.contestTimeMs),
    files: [{ href: submissionFilesHref(contestId, s.id), filename: 'files.zip', mime: 'application/zip' }],
  };
  const ep = entryPoint(s);
  if (ep !== undefined) out.entry_point = ep;
  return out as { id: string } & Record<string, unknown>;
}

/** `points`: score contests only, what the judgement scores (see judgementPoints). */
export function ccsJudgement(j: JuryJudging, clock: ContestClock, points?: number) {
  return {
    id: j.id,
    submission_id: j.submissionId,
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
  problems: ['id', 'label', 'name', 'ordinal', 'rgb', 'time_limit', 'test_data_count', 'max_score'],
  groups: ['id', 'name'],
  organizations: ['id', 'name', 'formal_name'],
  teams: ['id', 'label', 'name', 'display_name', 'organization_id', 'group_ids', 'hidden'],
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
