/**
 * The things the protocol talks about: roles, users and sessions, the contest clock, languages,
 * teams, submissions and verdicts (team view and jury view), clarifications, the scoreboard.
 * Team-facing types never carry another team's data or hidden test data; the Jury* types do.
 */
import { z } from 'zod';
import { VerdictSchema } from '../verdict.ts';
import { ColourSchema, FileNameSchema, IdSchema } from '../problem.ts';
import { DurationMsSchema, EpochMsSchema } from './units.ts';

export const ROLES = ['team', 'judge', 'admin', 'public'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const SourceFileSchema = z.object({
  name: FileNameSchema,
  source: z.string(),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

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
  /** Scoring problems, once judged: the score (null: none, e.g. a legacy rejection or JE) and its maximum (null: unbounded). */
  score: z.number().nullable().optional(),
  maxScore: z.number().nullable().optional(),
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

/** One subtask (test data group) of a scoring problem's judging. */
export const GroupScoreSchema = z.object({
  /** Path under data/, e.g. 'secret/group1'. */
  name: z.string(),
  score: z.number(),
  /** null: unbounded. */
  maxScore: z.number().nullable(),
  /** Every test of the group accepted. */
  accepted: z.boolean(),
  /** Not judged: a group it requires (require_pass) did not pass. */
  skipped: z.boolean().optional(),
  /** The group's tests in judging order: 1-based index among all tests, and verdict (null: not run). */
  tests: z.array(z.object({ index: z.int().positive(), verdict: VerdictSchema.nullable() })),
});
export type GroupScore = z.infer<typeof GroupScoreSchema>;

/** A scoring problem's judging: the score and each subtask's. */
export const JudgingScoreSchema = z.object({
  score: z.number().nullable(),
  maxScore: z.number().nullable(),
  groups: z.array(GroupScoreSchema),
});
export type JudgingScore = z.infer<typeof JudgingScoreSchema>;

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
  /** Scoring problems: points per subtask, with each test's verdict (never its data). */
  score: JudgingScoreSchema.optional(),
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
  /** Scoring problems: the test's score, when its group scores tests. */
  score: z.number().nullable().optional(),
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
  /** Scoring problems: the score, its subtasks, and the first rejected test's verdict (null: none). */
  score: JudgingScoreSchema.extend({ firstRejection: VerdictSchema.nullable() }).optional(),
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
  /**
   * Score boards (scoreboard type `score`): the problem's points (best submission, or the best of each
   * subtask summed), and each subtask's points in the problem's subtask order. Absent on ICPC boards.
   * On a score board `solved` means full marks, `timeMin` is the minute of the cell's last improvement
   * and `attempts` counts every judged run that counts (not CE, not JE).
   */
  score: z.number().optional(),
  subtaskScores: z.array(z.number()).optional(),
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
  /**
   * Score boards: the total of the cells' scores (ranked first, more is better; then penaltyMin, then
   * lastAcMin, the minute of the team's last score improvement). Absent on ICPC boards.
   */
  score: z.number().optional(),
  /** One cell per problem, in the contest's problem order. */
  cells: z.array(ScoreCellSchema),
});
export type ScoreboardRow = z.infer<typeof ScoreboardRowSchema>;

export const ScoreboardProblemSchema = z.object({
  id: IdSchema,
  label: z.string(),
  name: z.string(),
  colour: ColourSchema.nullable(),
  /** Score boards: the problem's full marks (null: unbounded) and its subtasks (test data groups). */
  maxScore: z.number().nullable().optional(),
  subtasks: z.array(z.object({ name: z.string(), maxScore: z.number().nullable() })).optional(),
});
export type ScoreboardProblem = z.infer<typeof ScoreboardProblemSchema>;

export const ScoreboardSchema = z.object({
  /** 'public' hides runs submitted after the freeze (shown as pending); 'jury' is live. */
  view: z.enum(['public', 'jury']),
  frozen: z.boolean(),
  /** contest.yaml scoreboard_type (CCS naming): 'pass-fail' (ICPC, the default) or 'score'. */
  type: z.enum(['pass-fail', 'score']).optional(),
  problems: z.array(ScoreboardProblemSchema),
  rows: z.array(ScoreboardRowSchema),
});
export type ScoreboardSnapshot = z.infer<typeof ScoreboardSchema>;

export const RejudgeScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('submission'), submissionId: IdSchema }),
  z.object({ kind: z.literal('problem'), problemId: IdSchema }),
  z.object({ kind: z.literal('all') }),
]);
export type RejudgeScope = z.infer<typeof RejudgeScopeSchema>;
