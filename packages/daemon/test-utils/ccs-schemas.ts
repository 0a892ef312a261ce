/**
 * Our own zod rendering of the CCS Contest API 2023-06 object rules (written from reading the spec's
 * contest_api.md and json-schema/, not copied): every object is strict, as the spec's schemas are in
 * their strict mode, so a property the spec does not define fails the check. Used by the conformance
 * tests over every endpoint and every event-feed line.
 */
import { z } from 'zod';

const abstime = z.string().regex(/^[12][0-9]{3}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\.[0-9]{3})?([+-][0-1][0-9](:[0-5][0-9])?|Z)$/);
const reltime = z.string().regex(/^-?([1-9][0-9]*)?[0-9]:[0-5][0-9]:[0-5][0-9](\.[0-9]{3})?$/);
const posreltime = z.string().regex(/^([1-9][0-9]*)?[0-9]:[0-5][0-9]:[0-5][0-9](\.[0-9]{3})?$/);
const id = z.string().regex(/^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,34}[A-Za-z0-9_-]|)$/);
const ids = z.array(id).refine((a) => new Set(a).size === a.length, 'ids must be unique');
const JUDGEMENT_TYPE_IDS = ['AC', 'RE', 'WA', 'TLE', 'RTE', 'CE', 'APE', 'OLE', 'PE', 'EO', 'IO', 'NO', 'WTL', 'ILE', 'TCO', 'TWA', 'TPE', 'TEO', 'TIO', 'TNO', 'MLE', 'SV', 'IF', 'RCO', 'RWA', 'RPE', 'REO', 'RIO', 'RNO', 'CTL', 'JE', 'SE', 'CS'] as const;
const judgementTypeId = z.enum(JUDGEMENT_TYPE_IDS);
const millis = z.number().nonnegative().refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6, 'must be a multiple of 0.001');
const fileRef = z.strictObject({
  href: z.string(),
  filename: z.string().optional(),
  hash: z.string().optional(),
  mime: z.string(),
  width: z.int().min(1).optional(),
  height: z.int().min(1).optional(),
});
const imageRef = fileRef.extend({ mime: z.enum(['image/png', 'image/jpeg', 'image/svg+xml']), width: z.int().min(1), height: z.int().min(1) });
const location = z.strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });
const command = z.strictObject({ command: z.string(), args: z.string().optional(), version: z.string().optional(), version_command: z.string().optional() });
const ENDPOINT_TYPES = ['contest', 'judgement-types', 'languages', 'problems', 'groups', 'organizations', 'persons', 'accounts', 'teams', 'state', 'submissions', 'judgements', 'runs', 'clarifications', 'awards', 'commentary', 'scoreboard', 'event-feed'] as const;
const CAPABILITIES = ['contest_start', 'contest_thaw', 'team_submit', 'team_clar', 'proxy_submit', 'proxy_clar', 'admin_submit', 'admin_clar'] as const;

export const ApiInfo = z.strictObject({
  version: z.literal('2023-06'),
  version_url: z.string(),
  provider: z.strictObject({ name: z.string(), version: z.string().optional(), logo: z.array(imageRef).nullable().optional() }).optional(),
});

export const Access = z.strictObject({
  capabilities: z.array(z.enum(CAPABILITIES)),
  endpoints: z.array(z.strictObject({ type: z.enum(ENDPOINT_TYPES), properties: z.array(z.string().regex(/^([a-z][a-z0-9_]*)(\.[a-z][a-z0-9_]*)*$/)).min(1) })),
});

export const Contest = z
  .strictObject({
    id,
    name: z.string(),
    formal_name: z.string().optional(),
    start_time: abstime.nullable().optional(),
    countdown_pause_time: posreltime.nullable().optional(),
    duration: posreltime,
    scoreboard_freeze_duration: posreltime.nullable().optional(),
    scoreboard_thaw_time: abstime.nullable().optional(),
    scoreboard_type: z.enum(['pass-fail', 'score']),
    penalty_time: z.int().min(0).optional(),
    banner: z.array(imageRef).nullable().optional(),
    logo: z.array(imageRef).nullable().optional(),
    location: location.nullable().optional(),
  })
  .refine((c) => !(c.start_time && c.countdown_pause_time), 'start_time and countdown_pause_time may not both be set')
  .refine((c) => (c.scoreboard_type === 'pass-fail' ? c.penalty_time !== undefined : c.penalty_time === undefined), 'penalty_time iff pass-fail');

export const JudgementType = z.strictObject({ id: judgementTypeId, name: z.string(), penalty: z.boolean().optional(), solved: z.boolean() });

export const Language = z
  .strictObject({
    id,
    name: z.string(),
    entry_point_required: z.boolean(),
    entry_point_name: z.string().nullable().optional(),
    extensions: z.array(z.string()),
    compiler: command.nullable().optional(),
    runner: command.nullable().optional(),
  })
  .refine((l) => (l.entry_point_required ? l.entry_point_name !== undefined : l.entry_point_name === undefined), 'entry_point_name iff entry_point_required');

const ProblemBase = z.strictObject({
  id,
  uuid: z.string().regex(/^[A-Fa-f0-9]{8}-([A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}$/).nullable().optional(),
  label: z.string(),
  name: z.string(),
  ordinal: z.int(),
  rgb: z.string().regex(/^#[A-Fa-f0-9]{3}([A-Fa-f0-9]{3})?$/).optional(),
  color: z.string().optional(),
  time_limit: millis.optional(),
  test_data_count: z.int().min(0),
  max_score: z.number().optional(),
  package: z.array(fileRef).nullable().optional(),
  statement: z.array(fileRef.extend({ mime: z.literal('application/pdf') })).nullable().optional(),
  // The one extension we allow: `attachments` (array of FILE) as the spec's later drafts define it;
  // 2023-06 asks clients to accept unknown properties (Extensibility), so strictness stays for the rest.
  attachments: z.array(fileRef).nullable().optional(),
});

export const Group = z.strictObject({ id, icpc_id: z.string().nullable().optional(), name: z.string(), type: z.string().nullable().optional(), location: location.nullable().optional() });

export const Organization = z.strictObject({
  id,
  icpc_id: z.string().nullable().optional(),
  name: z.string(),
  formal_name: z.string().nullable().optional(),
  country: z.string().regex(/^[A-Z]{3}$/).nullable().optional(),
  country_flag: z.array(imageRef).nullable().optional(),
  url: z.string().nullable().optional(),
  twitter_hashtag: z.string().nullable().optional(),
  twitter_account: z.string().nullable().optional(),
  location: location.nullable().optional(),
  logo: z.array(imageRef).nullable().optional(),
});

const files = z.array(fileRef).nullable().optional();
export const Team = z.strictObject({
  id,
  icpc_id: z.string().nullable().optional(),
  name: z.string(),
  label: z.string(),
  display_name: z.string().nullable().optional(),
  organization_id: id.nullable().optional(),
  group_ids: ids.nullable().optional(),
  hidden: z.boolean().nullable().optional(),
  location: z.strictObject({ x: z.number(), y: z.number(), rotation: z.number().min(0).max(360) }).optional(),
  photo: z.array(imageRef).nullable().optional(),
  video: files,
  backup: files,
  key_log: files,
  tool_data: files,
  desktop: files,
  webcam: files,
  audio: files,
});

export const Person = z
  .strictObject({
    id,
    icpc_id: z.string().nullable().optional(),
    team_ids: ids.optional(),
    name: z.string(),
    title: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    sex: z.enum(['male', 'female']).nullable().optional(),
    role: z.enum(['contestant', 'coach', 'staff', 'other']),
    photo: z.array(imageRef).nullable().optional(),
  })
  .refine((p) => !(p.role === 'contestant' || p.role === 'coach') || (p.team_ids !== undefined && p.team_ids.length > 0), 'contestants and coaches need team_ids');

export const Account = z
  .strictObject({
    id,
    username: z.string(),
    password: z.string().nullable().optional(),
    name: z.string().optional(),
    type: z.enum(['team', 'judge', 'admin', 'analyst', 'staff']).nullable(),
    ip: z.string().nullable().optional(),
    team_id: id.nullable().optional(),
    person_id: id.nullable().optional(),
  })
  .refine((a) => a.type !== 'team' || typeof a.team_id === 'string', 'team accounts need team_id');

export const State = z.strictObject({
  started: abstime.nullable(),
  frozen: abstime.nullable().optional(),
  ended: abstime.nullable(),
  thawed: abstime.nullable().optional(),
  finalized: abstime.nullable(),
  end_of_updates: abstime.nullable(),
});

export const Submission = z
  .strictObject({
    id,
    language_id: id,
    problem_id: id,
    team_id: id,
    time: abstime,
    contest_time: reltime,
    entry_point: z.string().nullable().optional(),
    files: z.array(fileRef),
    reaction: z.array(fileRef).nullable().optional(),
  })
  .refine((s) => s.language_id !== 'java' || s.entry_point !== undefined, 'java submissions need entry_point')
  .refine((s) => !['c', 'cpp'].includes(s.language_id) || s.entry_point === undefined || s.entry_point === null, 'c and cpp have no entry_point');

const JudgementBase = z
  .strictObject({
    id,
    submission_id: id,
    judgement_type_id: judgementTypeId.nullable().optional(),
    score: z.number().min(0).optional(),
    start_time: abstime,
    start_contest_time: reltime,
    end_time: abstime.nullable().optional(),
    end_contest_time: reltime.nullable().optional(),
    max_run_time: millis.nullable().optional(),
  })
  .refine((j) => (j.judgement_type_id === undefined) === (j.end_time === undefined) && (j.end_time === undefined) === (j.end_contest_time === undefined), 'judgement_type_id, end_time, end_contest_time come together');

export const Run = z.strictObject({ id, judgement_id: id, ordinal: z.int(), judgement_type_id: judgementTypeId, time: abstime, contest_time: reltime, run_time: millis.optional() });

export const Clarification = z
  .strictObject({
    id,
    from_team_id: id.nullable().optional(),
    to_team_id: id.nullable().optional(),
    reply_to_id: id.nullable().optional(),
    problem_id: id.nullable().optional(),
    text: z.string(),
    time: abstime,
    contest_time: reltime,
  })
  .refine((c) => !(c.from_team_id && c.to_team_id), 'a team cannot write to a team');

export const Award = z.strictObject({ id, citation: z.string(), team_ids: ids.nullable().optional() });

/** contest.yaml's scoreboard_type, which decides which score properties the objects carry. */
export type ScoreboardType = 'pass-fail' | 'score';

/**
 * The objects whose properties depend on the contest's scoreboard_type (2023-06 "required iff
 * contest:scoreboard_type is ..."): a problem's max_score, a judgement's score, a scoreboard row's
 * num_solved and total_time or score, and a row's problem's solved or score.
 */
export function typedSchemas(type: ScoreboardType) {
  const score = type === 'score';
  const Problem = ProblemBase.refine((p) => (p.max_score !== undefined) === score, score ? 'max_score is required on a score contest' : 'max_score only on a score contest');
  const Judgement = JudgementBase.refine((j) => (j.score !== undefined) === score, score ? 'score is required on a score contest' : 'score only on a score contest');
  const ScoreboardProblem = z
    .strictObject({
      problem_id: id,
      num_judged: z.int().min(0),
      num_pending: z.int().min(0),
      solved: z.boolean().optional(),
      score: z.number().min(0).optional(),
      time: z.int().min(0).optional(),
    })
    .refine((p) => (score ? p.score !== undefined && p.solved === undefined : p.solved !== undefined && p.score === undefined), score ? 'score, not solved' : 'solved, not score')
    .refine((p) => (p.solved === true || (p.score ?? 0) > 0 ? p.time !== undefined : p.time === undefined), 'time iff solved or score > 0');
  const RowScore = z
    .strictObject({ num_solved: z.int().min(0).optional(), total_time: z.int().min(0).optional(), score: z.number().optional(), time: z.int().min(0).nullable().optional() })
    .refine(
      (s) => (score ? s.num_solved === undefined && s.total_time === undefined && s.score !== undefined : s.num_solved !== undefined && s.total_time !== undefined && s.score === undefined),
      score ? 'score, not num_solved and total_time' : 'num_solved and total_time, not score',
    )
    .refine((s) => (s.time === null || s.time === undefined) === ((score ? s.score : s.num_solved) === 0), 'time null iff nothing scored');
  const Scoreboard = z.strictObject({
    time: abstime,
    contest_time: reltime,
    state: State,
    rows: z.array(z.strictObject({ rank: z.int().min(1), team_id: id, score: RowScore, problems: z.array(ScoreboardProblem).optional() })),
  });
  /** The object schema of each collection endpoint (and of its event type). */
  const COLLECTION_SCHEMAS = {
    'judgement-types': JudgementType,
    languages: Language,
    problems: Problem,
    groups: Group,
    organizations: Organization,
    teams: Team,
    persons: Person,
    accounts: Account,
    submissions: Submission,
    judgements: Judgement,
    runs: Run,
    clarifications: Clarification,
    awards: Award,
  } as const;
  return { Problem, Judgement, Scoreboard, COLLECTION_SCHEMAS };
}

/** The pass-fail (ICPC) contest's schemas. */
export const { Problem, Judgement, Scoreboard, COLLECTION_SCHEMAS } = typedSchemas('pass-fail');

/** One event-feed line: {type, id, data, token?}; data is the endpoint's object (or null: a deletion). */
export function checkFeedLine(line: unknown, scoreboardType: ScoreboardType = 'pass-fail'): string[] {
  const { COLLECTION_SCHEMAS } = typedSchemas(scoreboardType);
  const head = z.strictObject({ type: z.enum(ENDPOINT_TYPES), id: id.nullable(), data: z.unknown(), token: z.string().nullable().optional() }).safeParse(line);
  if (!head.success) return [z.prettifyError(head.error)];
  const { type, id: objId, data } = head.data;
  if (data === null) return objId === null && type !== 'contest' && type !== 'state' ? ['a deletion needs an id'] : [];
  let schema: z.ZodType;
  if (type === 'contest') schema = Contest;
  else if (type === 'state') schema = State;
  else if (type in COLLECTION_SCHEMAS) schema = COLLECTION_SCHEMAS[type as keyof typeof COLLECTION_SCHEMAS];
  else return [`type ${type} is not sent in the feed`];
  const errs: string[] = [];
  if (objId === null && type !== 'contest' && type !== 'state') {
    // A whole collection at once.
    const r = z.array(schema).safeParse(data);
    if (!r.success) errs.push(z.prettifyError(r.error));
    return errs;
  }
  const r = schema.safeParse(data);
  if (!r.success) errs.push(z.prettifyError(r.error));
  if ((type === 'contest' || type === 'state') && objId !== null) errs.push(`${type} events have id null`);
  if (objId !== null && (data as { id?: unknown }).id !== objId) errs.push(`id ${objId} differs from data.id`);
  return errs;
}

/** Throws, naming the failed rules and the object, unless `value` passes `schema`. */
export function assertValid(schema: z.ZodType, value: unknown, where = 'object'): void {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${where}: ${z.prettifyError(r.error)}\n${JSON.stringify(value)}`);
}

export function listOf(schema: z.ZodType): z.ZodType {
  return z.array(schema);
}
