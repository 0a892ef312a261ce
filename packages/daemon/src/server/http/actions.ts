/**
 * What a Contest API client may change, as the spec's capabilities allow each role:
 *   team_submit / admin_submit   POST submissions (files as one base64 zip); admin_submit also PUT
 *                                with the client's own id (a shadow or proxy CCS numbering its own)
 *   team_clar / admin_clar       POST clarifications (a judge or admin: announcements and replies)
 *   contest_start                PATCH the contest's start_time (not within 30 s of it)
 *   contest_thaw                 PATCH scoreboard_thaw_time (judged thaws at once: a time not in the future)
 * Bodies are checked here (a property that must not be given is refused, naming it); the rules of
 * the contest (running, team enabled, problem known, budgets) are the daemon's, through ApiActions.
 */
import { z } from 'zod';
import { MIN_START_LEAD_MS, startLeadError, type ContestClock, type User } from '@judged/shared/protocol';
import { isJury } from '@judged/shared/visibility';
import type { ApiActions } from './deps.ts';
import { CCS_ID, ccsClarification, ccsContest, ccsSubmission } from './ccs.ts';
import { unzipSubmission, ZipError } from './submission-zip.ts';

export class ActionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const idString = z.string().min(1).max(64);
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a TIME (ISO 8601)');

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const field = i.path.join('.') || '(body)';
    throw new ActionError(400, `${what}: ${field}: ${i.code === 'unrecognized_keys' ? `may not be given: ${(i as { keys: string[] }).keys.join(', ')}` : i.message}`);
  }
  return r.data;
}

function refuseGiven(body: Record<string, unknown>, keys: readonly string[], who: string): void {
  for (const k of keys) if (body[k] !== undefined && body[k] !== null) throw new ActionError(400, `${k} may not be given by ${who}: the server sets it`);
}

const SubmissionBody = z.strictObject({
  id: z.unknown().optional(),
  problem_id: idString,
  language_id: idString,
  team_id: idString.nullable().optional(),
  time: time.nullable().optional(),
  contest_time: z.unknown().optional(),
  entry_point: z.string().nullable().optional(),
  files: z.array(z.strictObject({ data: z.base64(), mime: z.literal('application/zip').optional(), filename: z.string().optional(), href: z.string().optional() })).length(1, 'give exactly one zip archive'),
  reaction: z.unknown().optional(),
});

export async function postSubmission(actions: ApiActions, user: User, contestId: string, body: unknown) {
  const b = parse(SubmissionBody, body, 'submission');
  let teamId: string;
  let atMs: number | undefined;
  if (user.role === 'team' && user.teamId) {
    refuseGiven(b, ['id', 'time', 'contest_time'], 'a team');
    if (b.team_id && b.team_id !== user.teamId) throw new ActionError(403, `team_id ${b.team_id} is not your team (${user.teamId})`);
    teamId = user.teamId;
  } else if (user.role === 'admin') {
    refuseGiven(b, ['id', 'contest_time'], 'POST (ids are assigned by judged)');
    if (!b.team_id) throw new ActionError(400, 'team_id is required when an admin submits for a team');
    if (!b.time) throw new ActionError(400, 'time is required when an admin submits (admin_submit)');
    teamId = b.team_id;
    atMs = Date.parse(b.time);
  } else {
    throw new ActionError(403, 'submitting needs a team account (team_submit) or an admin (admin_submit)');
  }
  const s = await actions.submit(teamId, { problemId: b.problem_id, language: b.language_id, files: filesOf(b) }, atMs);
  return ccsSubmission(s, contestId);
}

function filesOf(b: z.infer<typeof SubmissionBody>) {
  let files;
  try {
    files = unzipSubmission(Buffer.from(b.files[0]!.data, 'base64'));
  } catch (err) {
    if (err instanceof ZipError) throw new ActionError(400, err.message);
    throw err;
  }
  if (files.length === 0) throw new ActionError(400, 'the zip holds no files');
  return files;
}

/** PUT {c}/submissions/{id} (admin_submit): a submission with the client's id, team_id and time required. */
export async function putSubmission(actions: ApiActions, user: User, contestId: string, pathId: string, body: unknown) {
  if (user.role !== 'admin') throw new ActionError(403, 'PUT of a submission needs an admin account (admin_submit); teams POST theirs');
  const b = parse(SubmissionBody, body, 'submission');
  if (b.id === undefined || b.id === null) throw new ActionError(400, `submission: id is required in a PUT (give "id": "${pathId}", the id in the URL)`);
  if (typeof b.id !== 'string' || b.id !== pathId) throw new ActionError(409, `submission: id ${JSON.stringify(b.id)} does not match the URL's ${pathId}`);
  if (!CCS_ID.test(pathId)) throw new ActionError(400, `submission: id ${pathId} is not an ID (letters, digits, "_", ".", "-", at most 36, not starting with "-" or "." nor ending with ".")`);
  refuseGiven(b, ['contest_time'], 'a PUT (judged computes it from time)');
  if (!b.team_id) throw new ActionError(400, 'submission: team_id is required in a PUT');
  if (!b.time) throw new ActionError(400, 'submission: time is required in a PUT (when the team submitted)');
  const s = await actions.submit(b.team_id, { problemId: b.problem_id, language: b.language_id, files: filesOf(b) }, Date.parse(b.time), pathId);
  return ccsSubmission(s, contestId);
}

const ClarificationBody = z.strictObject({
  id: z.unknown().optional(),
  from_team_id: idString.nullable().optional(),
  to_team_id: idString.nullable().optional(),
  reply_to_id: idString.nullable().optional(),
  problem_id: idString.nullable().optional(),
  text: z.string().min(1, 'text must not be empty'),
  time: z.unknown().optional(),
  contest_time: z.unknown().optional(),
});

export function postClarification(actions: ApiActions, user: User, body: unknown) {
  const b = parse(ClarificationBody, body, 'clarification');
  if (user.role === 'team' && user.teamId) {
    refuseGiven(b, ['id', 'to_team_id', 'time', 'contest_time', 'reply_to_id'], 'a team');
    if (b.from_team_id && b.from_team_id !== user.teamId) throw new ActionError(403, `from_team_id ${b.from_team_id} is not your team (${user.teamId})`);
    return ccsClarification(actions.ask(user.teamId, b.problem_id ?? null, b.text));
  }
  if (isJury(user)) {
    refuseGiven(b, ['id', 'from_team_id', 'contest_time'], 'the jury (POST; ids are assigned by judged)');
    if (b.to_team_id && !b.reply_to_id) throw new ActionError(400, 'a message to one team must reply to its question (reply_to_id); messages without one go to everybody');
    const c = actions.juryClarification({ problemId: b.problem_id ?? null, text: b.text, replyToId: b.reply_to_id ?? null, toTeamId: b.to_team_id ?? null, byUsername: user.username });
    return ccsClarification(c);
  }
  throw new ActionError(403, 'sending clarifications needs a team account (team_clar) or the jury (admin_clar)');
}

const ContestPatch = z.strictObject({
  id: idString,
  start_time: time.nullable().optional(),
  countdown_pause_time: z.string().nullable().optional(),
  scoreboard_thaw_time: time.optional(),
});

/** PATCH the contest; returns the changed contest. */
export function patchContest(actions: ApiActions, user: User, clock: ContestClock, body: unknown, nowMs: number) {
  if (user.role !== 'admin') throw new ActionError(403, 'changing the contest needs an admin account (contest_start, contest_thaw)');
  const b = parse(ContestPatch, body, 'contest');
  if (b.id !== clock.contestId) throw new ActionError(409, `id ${b.id} does not match this contest (${clock.contestId})`);
  if (b.countdown_pause_time) throw new ActionError(400, 'countdown_pause_time is not supported: set start_time to null to unschedule the start');
  if (b.start_time === undefined && b.scoreboard_thaw_time === undefined) throw new ActionError(400, 'give start_time or scoreboard_thaw_time');
  let out = clock;
  if (b.start_time !== undefined) {
    // The Contest API's own rule on top of the shared one: a start due within the lead stays as it is.
    if (clock.startAtMs !== null && nowMs >= clock.startAtMs - MIN_START_LEAD_MS) {
      throw new ActionError(403, `the contest has started or starts within ${MIN_START_LEAD_MS / 1000} s: its start can no longer be changed`);
    }
    const at = b.start_time === null ? null : Date.parse(b.start_time);
    const lead = startLeadError(at, clock.startAtMs, nowMs);
    if (lead) throw new ActionError(403, `start_time: ${lead}`);
    out = actions.setStartTime(at);
  }
  if (b.scoreboard_thaw_time !== undefined) {
    if (clock.state !== 'over') throw new ActionError(403, 'the scoreboard can be thawed only after the contest has ended');
    if (!clock.scoreboardFrozen) throw new ActionError(403, 'the scoreboard is not frozen');
    if (Date.parse(b.scoreboard_thaw_time) > nowMs) throw new ActionError(403, 'judged thaws at once, not at a future time: give a time that is not in the future');
    out = actions.thaw();
  }
  return ccsContest(out);
}
