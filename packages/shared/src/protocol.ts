/**
 * The judged wire protocol, version 1: the single source of truth for the daemon and every client.
 *
 * Theory of operation
 * - Frames are JSON text messages over a WebSocket at /ws, each at most MAX_FRAME_BYTES.
 * - Client -> server: requests `{id, type, ...}`. Every request is answered exactly once, by
 *   `{type:'ok', id, for: <request type>, result}` or `{type:'error', id, code, message, field?}`.
 *   Requests on one connection may be pipelined; answers carry the request's id.
 * - Server -> client: `{type:'event', seq, atMs, event}`. Every change in the contest is one entry in
 *   one event log with a global, increasing sequence number. Each connection sees only the events its
 *   role may see, so a client sees gaps in `seq`: that is normal. A client that reconnects sends
 *   `subscribe {sinceSeq: last seq it saw}` and gets either the events it missed (replay) or, when it
 *   is too far behind, a fresh snapshot of everything it may see.
 * - The first request on a connection is `hello` (protocol version check). Without login a connection
 *   has the role `public`: clock, scoreboard (frozen view) and subscribe. `login` or `resume` upgrades it.
 * - Units are in field names: ...Ms (milliseconds), ...AtMs (Unix epoch milliseconds), contestTimeMs
 *   (milliseconds since contest start), ...KiB, ...Bytes, ...Min (minutes).
 * - Team-facing types never carry another team's data or hidden test data; the Jury* types do.
 *
 * parseClientFrame / parseServerFrame never throw: they return a discriminated result with a machine
 * code and a message naming the field.
 */
import { z } from 'zod';
import { VerdictSchema } from './verdict.ts';
import { FileNameSchema, IdSchema, ProblemInfoSchema, ProblemSummarySchema, ColourSchema } from './problem.ts';

export const PROTOCOL_VERSION = 1;

/** Port judged listens on (HTTP and WebSocket) and judge connects to when none is given. */
export const DEFAULT_PORT = 7700;

/** Largest WebSocket message either side sends or accepts (2 MiB: a maximal source, JSON-escaped). */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** Largest submission, all files together, in UTF-8 bytes (256 KiB). */
export const MAX_SOURCE_BYTES = 256 * 1024;
export const MAX_SOURCE_FILES = 16;
export const MAX_CLARIFICATION_CHARS = 4000;
/** Sample test output shown back to a team is cut at this many characters. */
export const MAX_SAMPLE_EXCERPT_CHARS = 8000;
/** The default penalty per rejected run, ICPC rules. */
export const DEFAULT_PENALTY_TIME_MIN = 20;

export const LIMITS = {
  maxFrameBytes: MAX_FRAME_BYTES,
  maxSourceBytes: MAX_SOURCE_BYTES,
  maxSourceFiles: MAX_SOURCE_FILES,
  maxClarificationChars: MAX_CLARIFICATION_CHARS,
} as const;

// ---------------------------------------------------------------------------------------------------
// Building blocks

export { IdSchema, FileNameSchema, ColourSchema, ProblemInfoSchema, ProblemSummarySchema };
export type { ProblemInfo, ProblemSummary, Sample, Attachment } from './problem.ts';
export { VerdictSchema };

const EpochMsSchema = z.int().nonnegative();
const DurationMsSchema = z.int().nonnegative();
const SeqSchema = z.int().positive();

/** Request ids are chosen by the client: a non-negative integer or a short string. */
export const RequestIdSchema = z.union([z.int().nonnegative(), z.string().min(1).max(64)]);
export type RequestId = z.infer<typeof RequestIdSchema>;

export const ROLES = ['team', 'judge', 'admin', 'public'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** UTF-8 length without allocating a buffer (works in Node and browsers). */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * The message a too-large submission gets, or null when it fits. Clients call it before sending; the
 * server's schema applies the same rule.
 */
export function sourceSizeError(files: ReadonlyArray<{ name: string; source: string }>, maxBytes = MAX_SOURCE_BYTES): string | null {
  let total = 0;
  for (const f of files) total += utf8ByteLength(f.source);
  if (total <= maxBytes) return null;
  const what = files.length === 1 ? `source file ${files[0]!.name} is` : `the ${files.length} source files are`;
  return `${what} ${kib(total)} (${total} bytes); the limit is ${kib(maxBytes)} (${maxBytes} bytes): submit a smaller source`;
}

export const SourceFileSchema = z.object({
  name: FileNameSchema,
  source: z.string(),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

// ---------------------------------------------------------------------------------------------------
// Entities

export const UserSchema = z.object({
  username: z.string().min(1).max(64),
  role: RoleSchema,
  /** The team this account plays for; null for jury, admin and public accounts. */
  teamId: IdSchema.nullable(),
  displayName: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const SessionSchema = z.object({
  /** Opaque; send it in `resume` after a reconnect. */
  token: z.string().min(16).max(512),
  user: UserSchema,
  expiresAtMs: EpochMsSchema.nullable(),
});
export type Session = z.infer<typeof SessionSchema>;

export const CONTEST_STATES = ['before', 'running', 'frozen', 'over'] as const;
export const ContestStateSchema = z.enum(CONTEST_STATES);
export type ContestState = z.infer<typeof ContestStateSchema>;

/**
 * The contest clock. Clients correct their own clock with serverTimeMs (offset = serverTimeMs minus
 * the local time halfway through the request). `state` is as of serverTimeMs: 'before' the start,
 * 'running' with a live public scoreboard, 'frozen' while running with the freeze in force, 'over'
 * after the end. After the end, `scoreboardFrozen` says whether results are still hidden (until an
 * admin unfreezes).
 */
export const ContestClockSchema = z.object({
  contestId: IdSchema,
  name: z.string(),
  state: ContestStateSchema,
  /** null: start not scheduled yet. */
  startAtMs: EpochMsSchema.nullable(),
  durationMs: DurationMsSchema,
  endAtMs: EpochMsSchema.nullable(),
  /** When the scoreboard freezes; null when the contest has no freeze. */
  freezeAtMs: EpochMsSchema.nullable(),
  /** The public scoreboard currently hides results (freeze begun, not yet unfrozen). */
  scoreboardFrozen: z.boolean(),
  /** Results are final (after the contest, set by an admin). */
  finalized: z.boolean(),
  /** When the scoreboard was unfrozen (revealed); null/absent while frozen or never frozen. */
  unfrozenAtMs: EpochMsSchema.nullable().optional(),
  finalizedAtMs: EpochMsSchema.nullable().optional(),
  penaltyTimeMin: z.int().nonnegative(),
  serverTimeMs: EpochMsSchema,
});
export type ContestClock = z.infer<typeof ContestClockSchema>;

export const LanguageSchema = z.object({
  id: IdSchema,
  name: z.string(),
  /** File extensions without the dot, e.g. ["cpp", "cc"]. */
  extensions: z.array(z.string()),
  /** Whether more than one file may be submitted. */
  multiFile: z.boolean(),
});
export type Language = z.infer<typeof LanguageSchema>;

export const TeamInfoSchema = z.object({
  id: IdSchema,
  name: z.string(),
  organization: z.string().nullable(),
  enabled: z.boolean(),
});
export type TeamInfo = z.infer<typeof TeamInfoSchema>;

/** Judging progress of a submission. */
export const SUBMISSION_STATUSES = ['queued', 'compiling', 'running', 'judged'] as const;
export const SubmissionStatusSchema = z.enum(SUBMISSION_STATUSES);
export type SubmissionStatus = z.infer<typeof SubmissionStatusSchema>;

const SubmissionCoreShape = {
  id: IdSchema,
  problemId: IdSchema,
  language: IdSchema,
  fileNames: z.array(FileNameSchema),
  submittedAtMs: EpochMsSchema,
  contestTimeMs: z.int(),
  status: SubmissionStatusSchema,
  /** Verdict of the current (valid) judging; null until judged. */
  verdict: VerdictSchema.nullable(),
  /** Largest CPU time over the tests run; null until judged or when nothing ran (CE). */
  timeMs: z.int().nonnegative().nullable(),
  memoryKiB: z.int().nonnegative().nullable(),
  /** While running: 1-based index of the test being run; when judged: tests passed. */
  testIndex: z.int().nonnegative().nullable(),
  testCount: z.int().nonnegative().nullable(),
};

/** A team's own submission: no other team's data, no secret test details. */
export const TeamSubmissionSchema = z.object(SubmissionCoreShape);
export type TeamSubmission = z.infer<typeof TeamSubmissionSchema>;

/** Result on one sample test: the only per-test details a team sees. */
export const SampleResultSchema = z.object({
  /** 1-based position among all tests of the judging. */
  index: z.int().positive(),
  name: z.string(),
  verdict: VerdictSchema,
  timeMs: z.int().nonnegative(),
  memoryKiB: z.int().nonnegative(),
  input: z.string(),
  expected: z.string(),
  got: z.string(),
  /** `got` was cut at MAX_SAMPLE_EXCERPT_CHARS. */
  gotTruncated: z.boolean(),
});
export type SampleResult = z.infer<typeof SampleResultSchema>;

/** The verdict as the team who submitted sees it. */
export const TeamVerdictSchema = z.object({
  submissionId: IdSchema,
  judgingId: IdSchema,
  verdict: VerdictSchema,
  timeMs: z.int().nonnegative().nullable(),
  memoryKiB: z.int().nonnegative().nullable(),
  testsPassed: z.int().nonnegative(),
  testCount: z.int().nonnegative(),
  /** Compiler messages (cut), for CE and warnings; null when there is nothing to show. */
  compileOutput: z.string().nullable(),
  samples: z.array(SampleResultSchema),
});
export type TeamVerdict = z.infer<typeof TeamVerdictSchema>;

export const JurySubmissionSchema = z.object({
  ...SubmissionCoreShape,
  teamId: IdSchema,
  teamName: z.string(),
  /** The submission's current judging (the valid one); null while none exists. */
  judgingId: IdSchema.nullable(),
});
export type JurySubmission = z.infer<typeof JurySubmissionSchema>;

/** One test run inside a judging, with everything the jury needs. */
export const JuryTestRunSchema = z.object({
  index: z.int().positive(),
  testName: z.string(),
  sample: z.boolean(),
  verdict: VerdictSchema,
  timeMs: z.int().nonnegative(),
  wallTimeMs: z.int().nonnegative(),
  memoryKiB: z.int().nonnegative(),
  exitCode: z.int().nullable(),
  signal: z.string().nullable(),
  /** Validator's or sandbox's explanation (e.g. "line 3: expected 42, got 41"). */
  judgeMessage: z.string().nullable(),
  stdoutExcerpt: z.string().nullable(),
  stderrExcerpt: z.string().nullable(),
});
export type JuryTestRun = z.infer<typeof JuryTestRunSchema>;

export const JuryJudgingSchema = z.object({
  id: IdSchema,
  submissionId: IdSchema,
  /** Only the valid judging counts; a rejudge adds a new one and keeps the old, invalidated. */
  valid: z.boolean(),
  rejudgingId: IdSchema.nullable(),
  startedAtMs: EpochMsSchema,
  endedAtMs: EpochMsSchema.nullable(),
  verdict: VerdictSchema.nullable(),
  maxTimeMs: z.int().nonnegative().nullable(),
  maxMemoryKiB: z.int().nonnegative().nullable(),
  compileOutput: z.string().nullable(),
  /** Why the judge itself failed (JE: sandbox, validator, lost worker); jury only, never sent to teams. */
  judgeError: z.string().nullable().optional(),
  /** Which judging worker ran it. */
  worker: z.string().nullable(),
  runs: z.array(JuryTestRunSchema),
});
export type JuryJudging = z.infer<typeof JuryJudgingSchema>;

export const JuryQueueItemSchema = z.object({
  submissionId: IdSchema,
  judgingId: IdSchema.nullable(),
  teamId: IdSchema,
  problemId: IdSchema,
  language: IdSchema,
  submittedAtMs: EpochMsSchema,
  status: z.enum(['queued', 'compiling', 'running']),
  worker: z.string().nullable(),
  testIndex: z.int().nonnegative().nullable(),
  testCount: z.int().nonnegative().nullable(),
  rejudgingId: IdSchema.nullable(),
});
export type JuryQueueItem = z.infer<typeof JuryQueueItemSchema>;

export const CLARIFICATION_KINDS = ['question', 'answer', 'announcement'] as const;

/**
 * A question from a team, an answer from the jury, or an announcement. A team sees its own questions,
 * answers addressed to it or to all, and announcements; `fromTeamId` is then its own id or null.
 */
export const ClarificationSchema = z.object({
  id: IdSchema,
  kind: z.enum(CLARIFICATION_KINDS),
  /** Asking team; null for jury messages. */
  fromTeamId: IdSchema.nullable(),
  /** Recipient team; null means everybody (and for questions, the jury). */
  toTeamId: IdSchema.nullable(),
  problemId: IdSchema.nullable(),
  /** The question this answers. */
  replyToId: IdSchema.nullable(),
  /** For answers: the question's text, so teams who did not ask can read it. */
  quotedQuestion: z.string().nullable(),
  text: z.string(),
  createdAtMs: EpochMsSchema,
  contestTimeMs: z.int(),
  /** For questions: has the jury answered it yet. */
  answered: z.boolean(),
});
export type Clarification = z.infer<typeof ClarificationSchema>;

// ---------------------------------------------------------------------------------------------------
// Scoreboard (the scoring.ts module computes these)

export const ScoreCellSchema = z.object({
  problemId: IdSchema,
  solved: z.boolean(),
  /** Judged runs that count: rejected runs with penalty before the first AC, plus that AC. */
  attempts: z.int().nonnegative(),
  /** Runs not yet judged, or hidden by the freeze, before the first AC. */
  pending: z.int().nonnegative(),
  /** Minutes from start to the first AC (floor); null when unsolved. */
  timeMin: z.int().nonnegative().nullable(),
  /** timeMin plus penalty for the earlier rejected runs; 0 when unsolved. */
  penaltyMin: z.int().nonnegative(),
  firstToSolve: z.boolean(),
});
export type ScoreCell = z.infer<typeof ScoreCellSchema>;

export const ScoreboardRowSchema = z.object({
  /** 1-based; tied teams share a rank (1, 1, 3). */
  rank: z.int().positive(),
  teamId: IdSchema,
  teamName: z.string(),
  organization: z.string().nullable(),
  solved: z.int().nonnegative(),
  penaltyMin: z.int().nonnegative(),
  /** Minutes of the latest first-AC among solved problems (tie-break: earlier is better). */
  lastAcMin: z.int().nonnegative().nullable(),
  /** One cell per problem, in the contest's problem order. */
  cells: z.array(ScoreCellSchema),
});
export type ScoreboardRow = z.infer<typeof ScoreboardRowSchema>;

export const ScoreboardProblemSchema = z.object({
  id: IdSchema,
  label: z.string(),
  name: z.string(),
  colour: ColourSchema.nullable(),
});
export type ScoreboardProblem = z.infer<typeof ScoreboardProblemSchema>;

export const ScoreboardSchema = z.object({
  /** 'public' hides runs submitted after the freeze (shown as pending); 'jury' is live. */
  view: z.enum(['public', 'jury']),
  frozen: z.boolean(),
  problems: z.array(ScoreboardProblemSchema),
  rows: z.array(ScoreboardRowSchema),
});
export type ScoreboardSnapshot = z.infer<typeof ScoreboardSchema>;
/** Same as ScoreboardSnapshot (the name clients first used); from the package root `Scoreboard` is the class in scoring.ts. */
export type Scoreboard = ScoreboardSnapshot;

// ---------------------------------------------------------------------------------------------------
// Events (server -> client, one log)

export const RejudgeScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('submission'), submissionId: IdSchema }),
  z.object({ kind: z.literal('problem'), problemId: IdSchema }),
  z.object({ kind: z.literal('all') }),
]);
export type RejudgeScope = z.infer<typeof RejudgeScopeSchema>;

export const EventSchema = z.discriminatedUnion('kind', [
  /** Contest times, state, freeze or finalization changed. Everybody. */
  z.object({ kind: z.literal('clock'), clock: ContestClockSchema }),
  /** A new submission (team: its own). */
  z.object({ kind: z.literal('submission'), submission: TeamSubmissionSchema }),
  /** Progress: queued, compiling, running test k of n (team: own submissions; jury: all). */
  z.object({
    kind: z.literal('progress'),
    submissionId: IdSchema,
    judgingId: IdSchema.nullable(),
    status: z.enum(['queued', 'compiling', 'running']),
    testIndex: z.int().positive().nullable(),
    testCount: z.int().nonnegative().nullable(),
  }),
  /** Final verdict of a judging of the team's own submission (also after a rejudge that changed it). */
  z.object({ kind: z.literal('verdict'), verdict: TeamVerdictSchema }),
  /** Scoreboard rows that changed; re-rank with applyRowUpdates() from scoring.ts. */
  z.object({
    kind: z.literal('scoreboard'),
    view: z.enum(['public', 'jury']),
    frozen: z.boolean(),
    rows: z.array(ScoreboardRowSchema),
    /** Teams taken off the board (disabled): drop their rows and re-rank (rankRows) before merging `rows`. */
    removedTeamIds: z.array(IdSchema).optional(),
  }),
  z.object({ kind: z.literal('clarification'), clarification: ClarificationSchema }),
  /** Jury only from here on. */
  z.object({ kind: z.literal('jurySubmission'), submission: JurySubmissionSchema }),
  /** A judging began, ended or was invalidated; per-test runs included once it ended. */
  z.object({ kind: z.literal('juryJudging'), judging: JuryJudgingSchema }),
  z.object({
    kind: z.literal('rejudging'),
    rejudgingId: IdSchema,
    scope: RejudgeScopeSchema,
    submissionCount: z.int().nonnegative(),
    byUsername: z.string(),
  }),
  z.object({ kind: z.literal('team'), team: TeamInfoSchema }),
]);
export type ContestEvent = z.infer<typeof EventSchema>;
export type EventKind = ContestEvent['kind'];

/** Which roles may see an event kind at all (the server further filters team events to the owner). */
export const EVENT_AUDIENCE: Readonly<Record<EventKind, readonly Role[]>> = {
  clock: ['team', 'judge', 'admin', 'public'],
  submission: ['team'],
  progress: ['team', 'judge', 'admin'],
  verdict: ['team'],
  scoreboard: ['team', 'judge', 'admin', 'public'],
  clarification: ['team', 'judge', 'admin'],
  jurySubmission: ['judge', 'admin'],
  juryJudging: ['judge', 'admin'],
  rejudging: ['judge', 'admin'],
  team: ['judge', 'admin'],
};

/** What a client may see at once after subscribing from scratch or too far behind. */
export const SnapshotSchema = z.object({
  clock: ContestClockSchema,
  scoreboard: ScoreboardSchema,
  /** Empty for public, and for teams before the contest starts. */
  problems: z.array(ProblemSummarySchema),
  /** Team: own submissions. Jury: omitted (use jurySubmissions). */
  submissions: z.array(TeamSubmissionSchema).optional(),
  /** Team: verdicts (with sample details) of its judged submissions. */
  verdicts: z.array(TeamVerdictSchema).optional(),
  clarifications: z.array(ClarificationSchema),
  /** Jury only. */
  queue: z.array(JuryQueueItemSchema).optional(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

// ---------------------------------------------------------------------------------------------------
// Requests (client -> server)

function req<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ id: RequestIdSchema, type: z.literal(type), ...shape });
}

const SubmitFilesSchema = z
  .array(SourceFileSchema)
  .min(1, 'submit at least one file')
  .max(MAX_SOURCE_FILES, `submit at most ${MAX_SOURCE_FILES} files`)
  .superRefine((files, ctx) => {
    const seen = new Set<string>();
    for (const [i, f] of files.entries()) {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `file name ${f.name} appears twice` });
      seen.add(f.name);
    }
    const err = sourceSizeError(files);
    if (err) ctx.addIssue({ code: 'custom', message: err, params: { code: 'source_too_large' } });
  });

const ClarTextSchema = z
  .string()
  .trim()
  .min(1, 'text must not be empty')
  .max(MAX_CLARIFICATION_CHARS, `text must be at most ${MAX_CLARIFICATION_CHARS} characters`);

export const HelloRequestSchema = req('hello', {
  protocolVersion: z.int().positive(),
  /** e.g. "judge-tui/0.1.0", for logs. */
  client: z.string().max(100).optional(),
});
export const LoginRequestSchema = req('login', {
  username: z.string().min(1, 'username must not be empty').max(64),
  password: z.string().min(1, 'password must not be empty').max(256),
});
export const ResumeRequestSchema = req('resume', { token: z.string().min(16).max(512) });
export const LogoutRequestSchema = req('logout', {});
export const SubscribeRequestSchema = req('subscribe', {
  /** The last seq this client saw; null for a fresh start (snapshot). */
  sinceSeq: z.int().nonnegative().nullable(),
});
export const ClockRequestSchema = req('clock', {});
export const ProblemsRequestSchema = req('problems', {});
export const StatementRequestSchema = req('statement', { problemId: IdSchema });
export const AttachmentRequestSchema = req('attachment', { problemId: IdSchema, name: FileNameSchema });
export const LanguagesRequestSchema = req('languages', {});
export const SubmitRequestSchema = req('submit', {
  problemId: IdSchema,
  language: IdSchema,
  files: SubmitFilesSchema,
});
export const SubmissionsRequestSchema = req('submissions', {});
export const ScoreboardRequestSchema = req('scoreboard', {});
export const ClarificationsRequestSchema = req('clarifications', {});
export const AskRequestSchema = req('ask', { problemId: IdSchema.nullable(), text: ClarTextSchema });
// Jury (judge and admin)
export const QueueRequestSchema = req('queue', {});
export const JurySubmissionsRequestSchema = req('jurySubmissions', {
  teamId: IdSchema.optional(),
  problemId: IdSchema.optional(),
  verdict: VerdictSchema.optional(),
  /** Newest first; page with beforeId. */
  limit: z.int().positive().max(1000).default(200),
  beforeId: IdSchema.optional(),
});
export const JurySubmissionRequestSchema = req('jurySubmission', { submissionId: IdSchema });
export const RejudgeRequestSchema = req('rejudge', {
  scope: RejudgeScopeSchema,
  /** Only rejudge submissions whose current verdict is one of these; all when omitted. */
  verdicts: z.array(VerdictSchema).optional(),
  reason: z.string().max(500).optional(),
});
export const AnswerRequestSchema = req('answer', {
  clarificationId: IdSchema,
  text: ClarTextSchema,
  /** 'team': only the asking team sees the answer; 'all': every team (with the question quoted). */
  to: z.enum(['team', 'all']),
});
export const AnnounceRequestSchema = req('announce', { problemId: IdSchema.nullable(), text: ClarTextSchema });
export const TeamsRequestSchema = req('teams', {});
// Admin
export const SetContestTimesRequestSchema = req('setContestTimes', {
  /** null unschedules the start (only before the contest started). */
  startAtMs: EpochMsSchema.nullable(),
  durationMs: z.int().positive(),
  /** Freeze this long before the end; null for no freeze. */
  freezeDurationMs: z.int().nonnegative().nullable(),
}).refine((r) => r.freezeDurationMs === null || r.freezeDurationMs <= r.durationMs, {
  path: ['freezeDurationMs'],
  message: 'freezeDurationMs must not exceed durationMs',
});
export const ContestControlRequestSchema = req('contestControl', {
  /** startNow: start at once; freezeNow: freeze the scoreboard now; unfreeze: reveal; finalize: results final. */
  action: z.enum(['startNow', 'freezeNow', 'unfreeze', 'finalize']),
});
export const AddTeamRequestSchema = req('addTeam', {
  teamId: IdSchema,
  name: z.string().trim().min(1, 'team name must not be empty').max(200),
  organization: z.string().max(200).nullable(),
  username: z.string().min(1).max(64),
  password: z.string().min(8, 'password must be at least 8 characters').max(256),
});
export const SetTeamEnabledRequestSchema = req('setTeamEnabled', { teamId: IdSchema, enabled: z.boolean() });

export const ClientFrameSchema = z.discriminatedUnion('type', [
  HelloRequestSchema,
  LoginRequestSchema,
  ResumeRequestSchema,
  LogoutRequestSchema,
  SubscribeRequestSchema,
  ClockRequestSchema,
  ProblemsRequestSchema,
  StatementRequestSchema,
  AttachmentRequestSchema,
  LanguagesRequestSchema,
  SubmitRequestSchema,
  SubmissionsRequestSchema,
  ScoreboardRequestSchema,
  ClarificationsRequestSchema,
  AskRequestSchema,
  QueueRequestSchema,
  JurySubmissionsRequestSchema,
  JurySubmissionRequestSchema,
  RejudgeRequestSchema,
  AnswerRequestSchema,
  AnnounceRequestSchema,
  TeamsRequestSchema,
  SetContestTimesRequestSchema,
  ContestControlRequestSchema,
  AddTeamRequestSchema,
  SetTeamEnabledRequestSchema,
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
/** What a client passes to send(): the frame without its id. */
export type ClientFrameInput = z.input<typeof ClientFrameSchema>;
export type RequestType = ClientFrame['type'];
/** A request as a caller writes it (defaults not yet filled), without the id the client assigns. */
export type RequestInput<T extends RequestType> = Omit<Extract<ClientFrameInput, { type: T }>, 'id'>;
export type RequestOf<T extends RequestType> = Extract<ClientFrame, { type: T }>;

/**
 * Who may send each request. 'any': also an anonymous (public) connection; 'team': a team account;
 * 'jury': judge or admin; 'admin': admin only. The server enforces this table.
 */
export const REQUEST_ACCESS: Readonly<Record<RequestType, 'any' | 'team' | 'jury' | 'admin' | 'loggedIn'>> = {
  hello: 'any',
  login: 'any',
  resume: 'any',
  logout: 'any',
  subscribe: 'any',
  clock: 'any',
  scoreboard: 'any',
  problems: 'loggedIn',
  statement: 'loggedIn',
  attachment: 'loggedIn',
  languages: 'loggedIn',
  clarifications: 'loggedIn',
  submit: 'team',
  submissions: 'team',
  ask: 'team',
  queue: 'jury',
  jurySubmissions: 'jury',
  jurySubmission: 'jury',
  rejudge: 'jury',
  answer: 'jury',
  announce: 'jury',
  teams: 'jury',
  setContestTimes: 'admin',
  contestControl: 'admin',
  addTeam: 'admin',
  setTeamEnabled: 'admin',
};

export function mayRequest(role: Role, type: RequestType): boolean {
  const need = REQUEST_ACCESS[type];
  switch (need) {
    case 'any':
      return true;
    case 'loggedIn':
      return role !== 'public';
    case 'team':
      return role === 'team';
    case 'jury':
      return role === 'judge' || role === 'admin';
    case 'admin':
      return role === 'admin';
  }
}

// ---------------------------------------------------------------------------------------------------
// Results (the `result` of an ok frame, per request type)

const SessionResultSchema = z.object({ session: SessionSchema });

export const RESULT_SCHEMAS = {
  hello: z.object({
    protocolVersion: z.literal(PROTOCOL_VERSION),
    server: z.string(),
    serverTimeMs: EpochMsSchema,
    limits: z.object({
      maxFrameBytes: z.int().positive(),
      maxSourceBytes: z.int().positive(),
      maxSourceFiles: z.int().positive(),
      maxClarificationChars: z.int().positive(),
    }),
  }),
  login: SessionResultSchema,
  resume: SessionResultSchema,
  logout: z.object({}),
  subscribe: z.discriminatedUnion('mode', [
    /** Missed events (seq > sinceSeq) follow as event frames, then live ones. */
    z.object({ mode: z.literal('replay'), headSeq: z.int().nonnegative() }),
    /** Too far behind (or sinceSeq null): start from this snapshot; live events with seq > headSeq follow. */
    z.object({ mode: z.literal('snapshot'), headSeq: z.int().nonnegative(), snapshot: SnapshotSchema }),
  ]),
  clock: z.object({ clock: ContestClockSchema }),
  scoreboard: z.object({ scoreboard: ScoreboardSchema }),
  problems: z.object({ problems: z.array(ProblemSummarySchema) }),
  statement: z.object({ problem: ProblemInfoSchema }),
  attachment: z.object({ name: FileNameSchema, mediaType: z.string(), contentBase64: z.string() }),
  languages: z.object({ languages: z.array(LanguageSchema) }),
  submit: z.object({ submission: TeamSubmissionSchema }),
  submissions: z.object({ submissions: z.array(TeamSubmissionSchema), verdicts: z.array(TeamVerdictSchema) }),
  clarifications: z.object({ clarifications: z.array(ClarificationSchema) }),
  ask: z.object({ clarification: ClarificationSchema }),
  queue: z.object({ queue: z.array(JuryQueueItemSchema) }),
  jurySubmissions: z.object({ submissions: z.array(JurySubmissionSchema) }),
  jurySubmission: z.object({
    submission: JurySubmissionSchema,
    files: z.array(SourceFileSchema),
    /** Every judging, newest first; exactly one is valid once judged. */
    judgings: z.array(JuryJudgingSchema),
  }),
  rejudge: z.object({ rejudgingId: IdSchema, submissionCount: z.int().nonnegative() }),
  answer: z.object({ clarification: ClarificationSchema }),
  announce: z.object({ clarification: ClarificationSchema }),
  teams: z.object({ teams: z.array(TeamInfoSchema) }),
  setContestTimes: z.object({ clock: ContestClockSchema }),
  contestControl: z.object({ clock: ContestClockSchema }),
  addTeam: z.object({ team: TeamInfoSchema }),
  setTeamEnabled: z.object({ team: TeamInfoSchema }),
} satisfies Record<RequestType, z.ZodType>;

export type ResultOf<T extends RequestType> = z.infer<(typeof RESULT_SCHEMAS)[T]>;

function okFrame<T extends RequestType>(t: T) {
  return z.object({ type: z.literal('ok'), id: RequestIdSchema, for: z.literal(t), result: RESULT_SCHEMAS[t] as (typeof RESULT_SCHEMAS)[T] });
}

export const OkFrameSchema = z.discriminatedUnion('for', [
  okFrame('hello'),
  okFrame('login'),
  okFrame('resume'),
  okFrame('logout'),
  okFrame('subscribe'),
  okFrame('clock'),
  okFrame('scoreboard'),
  okFrame('problems'),
  okFrame('statement'),
  okFrame('attachment'),
  okFrame('languages'),
  okFrame('submit'),
  okFrame('submissions'),
  okFrame('clarifications'),
  okFrame('ask'),
  okFrame('queue'),
  okFrame('jurySubmissions'),
  okFrame('jurySubmission'),
  okFrame('rejudge'),
  okFrame('answer'),
  okFrame('announce'),
  okFrame('teams'),
  okFrame('setContestTimes'),
  okFrame('contestControl'),
  okFrame('addTeam'),
  okFrame('setTeamEnabled'),
]);
export type OkFrame = z.infer<typeof OkFrameSchema>;

export const ERROR_CODES = [
  /** Not JSON, not an object, or no/unknown `type`. */
  'bad_frame',
  /** A known request with a field that fails validation (see `field`). */
  'bad_request',
  'frame_too_large',
  'source_too_large',
  'unsupported_version',
  /** The request needs a login first. */
  'unauthenticated',
  /** Logged in, but this role may not do that. */
  'forbidden',
  'bad_credentials',
  /** resume with an unknown, expired or revoked token: log in again. */
  'session_invalid',
  'account_disabled',
  'not_found',
  /** e.g. statement before the start, submit after the end. */
  'contest_not_running',
  'unknown_language',
  /** The request conflicts with the current state (answering an answered question, bad contest times). */
  'conflict',
  'rate_limited',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  /** null when the request's id could not be read. */
  id: RequestIdSchema.nullable(),
  code: ErrorCodeSchema,
  /** For people: says what was wrong and what to do. */
  message: z.string(),
  /** Dotted path of the offending field, e.g. "files.0.name". */
  field: z.string().optional(),
  /** With rate_limited: when to try again. */
  retryAfterMs: z.int().nonnegative().optional(),
});
export type ErrorFrame = z.infer<typeof ErrorFrameSchema>;

export const EventFrameSchema = z.object({
  type: z.literal('event'),
  seq: SeqSchema,
  atMs: EpochMsSchema,
  event: EventSchema,
});
export type EventFrame = z.infer<typeof EventFrameSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [OkFrameSchema, ErrorFrameSchema, EventFrameSchema]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

// ---------------------------------------------------------------------------------------------------
// Parsing (never throws)

export type ParseResult<T> =
  | { ok: true; frame: T }
  | { ok: false; code: ErrorCode; message: string; field?: string; id: RequestId | null };

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => String(p)).join('.');
}

/** The first zod issue as a sentence naming the field, plus its machine code. */
function describeIssues(error: z.ZodError, what: string): { code: ErrorCode; message: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { code: 'bad_request', message: `invalid ${what}` };
  const field = fieldPath(issue.path);
  const params = (issue as { params?: { code?: unknown } }).params;
  const code: ErrorCode = params && params.code === 'source_too_large' ? 'source_too_large' : 'bad_request';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  const message = field ? `${what}: field '${field}': ${issue.message}${more}` : `${what}: ${issue.message}${more}`;
  return field ? { code, message, field } : { code, message };
}

function readId(obj: Record<string, unknown>): RequestId | null {
  const r = RequestIdSchema.safeParse(obj.id);
  return r.success ? r.data : null;
}

function parseJsonObject(text: string, maxBytes: number): { ok: true; obj: Record<string, unknown> } | { ok: false; code: ErrorCode; message: string } {
  if (typeof text !== 'string') return { ok: false, code: 'bad_frame', message: 'frame must be JSON text' };
  // Cheap upper bound first: each UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8ByteLength(text) > maxBytes)) {
    return { ok: false, code: 'frame_too_large', message: `frame is larger than the limit of ${maxBytes} bytes` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'bad_frame', message: `frame is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object with a "type" field' };
  }
  return { ok: true, obj: value as Record<string, unknown> };
}

const REQUEST_SCHEMA_BY_TYPE: ReadonlyMap<string, z.ZodType> = new Map(
  ClientFrameSchema.options.map((o) => [(o.shape.type as z.ZodLiteral<string>).value, o as z.ZodType]),
);
export const REQUEST_TYPES: readonly RequestType[] = [...REQUEST_SCHEMA_BY_TYPE.keys()] as RequestType[];

/** Validates one client->server frame. `id` is returned whenever it was readable, for the error reply. */
export function parseClientFrame(text: string, maxBytes = MAX_FRAME_BYTES): ParseResult<ClientFrame> {
  try {
    const j = parseJsonObject(text, maxBytes);
    if (!j.ok) return { ...j, id: null };
    const id = readId(j.obj);
    const type = j.obj.type;
    if (typeof type !== 'string') return { ok: false, code: 'bad_frame', message: "frame has no string field 'type'", field: 'type', id };
    const schema = REQUEST_SCHEMA_BY_TYPE.get(type);
    if (!schema) {
      return { ok: false, code: 'bad_frame', message: `unknown request type '${type.slice(0, 40)}'; expected one of: ${REQUEST_TYPES.join(', ')}`, field: 'type', id };
    }
    const r = schema.safeParse(j.obj);
    if (!r.success) return { ok: false, id, ...describeIssues(r.error, `request '${type}'`) };
    return { ok: true, frame: r.data as ClientFrame };
  } catch (err) {
    // zod and JSON.parse do not throw on data, but a pathological input (deep nesting) can overflow the stack.
    return { ok: false, code: 'bad_frame', message: `frame could not be read: ${(err as Error).message}`, id: null };
  }
}

/** Validates one server->client frame (clients call this on every message). */
export function parseServerFrame(text: string, maxBytes = MAX_FRAME_BYTES): ParseResult<ServerFrame> {
  try {
    const j = parseJsonObject(text, maxBytes);
    if (!j.ok) return { ...j, id: null };
    const id = readId(j.obj);
    const r = ServerFrameSchema.safeParse(j.obj);
    if (!r.success) return { ok: false, id, ...describeIssues(r.error, `server frame '${String(j.obj.type)}'`) };
    return { ok: true, frame: r.data };
  } catch (err) {
    return { ok: false, code: 'bad_frame', message: `frame could not be read: ${(err as Error).message}`, id: null };
  }
}

// ---------------------------------------------------------------------------------------------------
// Frame builders (so neither side hand-writes frame shapes)

export function okFrameOf<T extends RequestType>(id: RequestId, type: T, result: ResultOf<T>): Extract<OkFrame, { for: T }> {
  return { type: 'ok', id, for: type, result } as Extract<OkFrame, { for: T }>;
}

export function errorFrame(id: RequestId | null, code: ErrorCode, message: string, field?: string): ErrorFrame {
  const f: ErrorFrame = { type: 'error', id, code, message };
  if (field !== undefined) f.field = field;
  return f;
}

export function eventFrame(seq: number, atMs: number, event: ContestEvent): EventFrame {
  return { type: 'event', seq, atMs, event };
}
