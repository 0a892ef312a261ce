/**
 * The things the protocol talks about: roles, users and sessions, the contest clock, languages,
 * teams, submissions and verdicts (team view and jury view), clarifications, the scoreboard.
 * Team-facing types never carry another team's data or hidden test data; the Jury* types do.
 */
import { z } from 'zod';
import { VerdictSchema } from '../verdict.ts';
import { ColourSchema, FileNameSchema, IdSchema } from '../problem.ts';
import { DurationMsSchema, EpochMsSchema } from './units.ts';
import { MAX_SAMPLE_EXCERPT_CHARS, MAX_TEAM_MESSAGE_CHARS } from './limits.ts';

/** 'balloon': a runner who brings balloons (accounts.yaml type balloon); sees the balloon list and nothing else. */
export const ROLES = ['team', 'judge', 'admin', 'balloon', 'public'] as const;
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
  /** How long before the end the freeze begins; known before a start is scheduled. null: no freeze. */
  freezeDurationMs: DurationMsSchema.nullable().optional(),
  /** The public scoreboard currently hides results (freeze begun, not yet unfrozen). */
  scoreboardFrozen: z.boolean(),
  /** Results are final (after the contest, set by an admin). */
  finalized: z.boolean(),
  /** When the scoreboard was unfrozen (revealed); null/absent while frozen or never frozen. */
  unfrozenAtMs: EpochMsSchema.nullable().optional(),
  finalizedAtMs: EpochMsSchema.nullable().optional(),
  penaltyTimeMin: z.int().nonnegative(),
  /** contest.yaml scoreboard_type (CCS naming); absent: 'pass-fail' (ICPC). */
  scoreboardType: z.enum(['pass-fail', 'score']).optional(),
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
  /**
   * The judge's own commands (argv templates), so `judge test` compiles and runs as the judge does.
   * Placeholders: {files} (the sources, as separate arguments), {main} (the main source), {mainclass}
   * (Java), {progdir} (the program's directory), {binary} ({progdir}/a.out), {memlimit_mb},
   * {stack_kib}. compile is null for a language without a compile step.
   */
  compile: z.array(z.string().max(4096)).max(256).nullable(),
  run: z.array(z.string().max(4096)).min(1).max(256),
});
export type Language = z.infer<typeof LanguageSchema>;

/** What {stack_kib} stands for: the stack a run gets for a problem's memory limit in MiB. */
export function runStackKiB(memoryMiB: number): number {
  return Math.min(Math.floor(memoryMiB * 1024 * 0.8), 256 * 1024);
}

export const TeamInfoSchema = z.object({
  id: IdSchema,
  name: z.string(),
  organization: z.string().nullable(),
  enabled: z.boolean(),
  /** Where the team sits (teams.json location.description); absent in older logs. */
  location: z.string().nullable().optional(),
  /** The groups (groups.json ids, e.g. a site or a division) the team belongs to; absent in older logs. */
  groupIds: z.array(IdSchema).optional(),
  /**
   * teams.json `hidden: true` (observers, the jury's own test team): not on the scoreboard and known
   * to the jury only, everywhere (visibility.ts canSeeTeam). Absent in older logs: not hidden.
   */
  hidden: z.boolean().optional(),
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

/** A validator's message for the team (feedback/teammessage.txt), cut at MAX_TEAM_MESSAGE_CHARS. */
const TeamMessageSchema = z.string().max(MAX_TEAM_MESSAGE_CHARS).nullable();

/**
 * One test the team sees in full: a sample, or a secret test whose data has `full_feedback`
 * (visibility.ts teamSeesTestInFull decides). The only per-test details a team gets.
 */
export const TeamTestResultSchema = z.object({
  /** 1-based position among all tests of the judging. */
  index: z.int().positive(),
  name: z.string(),
  /** A sample test (else a secret test with full feedback). */
  sample: z.boolean(),
  verdict: VerdictSchema,
  timeMs: z.int().nonnegative(),
  memoryKiB: z.int().nonnegative(),
  input: z.string(),
  expected: z.string(),
  got: z.string(),
  /** `got` was cut at MAX_SAMPLE_EXCERPT_CHARS. */
  gotTruncated: z.boolean(),
  /** The end of the program's stderr on a failed test ('' when none). */
  stderr: z.string().max(MAX_SAMPLE_EXCERPT_CHARS),
  teamMessage: TeamMessageSchema,
});
export type TeamTestResult = z.infer<typeof TeamTestResultSchema>;

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
  /**
   * The output validator's message for the team on the test that decided the verdict (the first
   * failed test; with AC the first test that has one), whether or not that test is shown in full.
   */
  teamMessage: TeamMessageSchema,
  /** The tests shown in full: the samples, and secret tests with full feedback. */
  tests: z.array(TeamTestResultSchema),
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
  /** What that judging ran (Java: the main class found in the compiled classes); absent or null when none. */
  entryPoint: z.string().nullable().optional(),
  /** The id a Contest API client gave it (PUT by a proxy or shadow CCS) when that is not a number: its id in that API. */
  clientId: IdSchema.optional(),
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
  /** The validator's message for the team (teammessage.txt); the jury sees it too. */
  teamMessage: TeamMessageSchema.optional(),
  stdoutExcerpt: z.string().nullable(),
  stderrExcerpt: z.string().nullable(),
  /** Scoring problems: the test's score, when its group scores tests. */
  score: z.number().nullable().optional(),
  /** When the run ended (null in data dirs older than per-test results). */
  endedAtMs: EpochMsSchema.nullable().optional(),
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

/** A judging machine as the jury sees it (only with the daemon's Redis queue; the daemon's own workers count as one). */
export const JudgehostSchema = z.object({
  name: z.string().max(63),
  /** Its status is fresh (written within the last few seconds). */
  alive: z.boolean(),
  /**
   * alive: a fresh status; stale: none for a few seconds (busy machine, cable, just killed: its jobs
   * go elsewhere when their locks run out); gone: none for a minute (the jury may remove it).
   */
  state: z.enum(['alive', 'stale', 'gone']),
  /** How long ago its last status was written, by the daemon's clock when it read it. */
  seenAgoMs: z.int().nonnegative(),
  /** The jury disabled it: it takes no new work. */
  disabled: z.boolean(),
  /** Stopping after its running judgings (Ctrl-C on the judgehost). */
  draining: z.boolean(),
  /** Its sandbox check at start: 'ok' or what failed. */
  doctor: z.string().max(500),
  workers: z.int().nonnegative(),
  busy: z.int().nonnegative(),
  /** "submission/judging#attempt" being judged. */
  current: z.array(z.string().max(100)),
  done: z.int().nonnegative(),
  errors: z.int().nonnegative(),
  seenAtMs: z.int().nonnegative(),
});
export type Judgehost = z.infer<typeof JudgehostSchema>;

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
  z.object({ kind: z.literal('team'), teamId: IdSchema }),
  z.object({ kind: z.literal('all') }),
]);
export type RejudgeScope = z.infer<typeof RejudgeScopeSchema>;

/**
 * A rejudging's life, as DOMjudge's: 'pending' while its new judgings run and wait for the jury's
 * review (they change nothing anyone else sees), then 'applied' (the new verdicts count) or
 * 'cancelled' (the old ones stay). A rejudging made with autoApply is 'applied' from the start: each
 * new judging counts as soon as it ends.
 */
export const REJUDGING_STATES = ['pending', 'applied', 'cancelled'] as const;
export type RejudgingState = (typeof REJUDGING_STATES)[number];

export const RejudgingSchema = z.object({
  id: IdSchema,
  scope: RejudgeScopeSchema,
  /** Only submissions whose verdict was one of these were taken; null: all in scope. */
  verdicts: z.array(VerdictSchema).nullable(),
  reason: z.string().nullable(),
  byUsername: z.string(),
  state: z.enum(REJUDGING_STATES),
  createdAtMs: EpochMsSchema,
  /** When and by whom it was applied or cancelled (null while pending, and for autoApply). */
  decidedAtMs: EpochMsSchema.nullable(),
  decidedBy: z.string().nullable(),
  submissionCount: z.int().nonnegative(),
  /** New judgings that ended (or were cancelled). */
  doneCount: z.int().nonnegative(),
  /** Ended judgings whose verdict differs from the old one (a JE, which never replaces a verdict, not counted). */
  changedCount: z.int().nonnegative(),
});
export type Rejudging = z.infer<typeof RejudgingSchema>;

/** One submission of a rejudging: the verdict it had when the rejudging began beside the new one. */
export const RejudgingItemSchema = z.object({
  submissionId: IdSchema,
  teamId: IdSchema,
  teamName: z.string(),
  problemId: IdSchema,
  oldJudgingId: IdSchema.nullable(),
  oldVerdict: VerdictSchema.nullable(),
  oldTimeMs: z.int().nonnegative().nullable(),
  newJudgingId: IdSchema,
  newStatus: z.enum(['queued', 'compiling', 'running', 'done', 'cancelled']),
  newVerdict: VerdictSchema.nullable(),
  newTimeMs: z.int().nonnegative().nullable(),
});
export type RejudgingItem = z.infer<typeof RejudgingItemSchema>;

// ---------------------------------------------------------------------------------------------------
// The LAN room: printouts and balloons

export const PRINT_STATES = ['queued', 'printed', 'failed'] as const;

/**
 * A team's printout as the jury sees it. `queued`: waiting for the jury (no printer configured);
 * `printed`: handed to CUPS (`lp`); `failed`: lp refused it (`error` says why), so it waits for the
 * jury like a queued one. `done`: the jury (or a runner) delivered it.
 */
export const PrintJobSchema = z.object({
  id: IdSchema,
  teamId: IdSchema,
  teamName: z.string(),
  /** Where the team sits (teams.json location.description), null when not given. */
  location: z.string().nullable(),
  fileName: FileNameSchema,
  pages: z.int().positive(),
  bytes: z.int().nonnegative(),
  state: z.enum(PRINT_STATES),
  error: z.string().nullable(),
  done: z.boolean(),
  createdAtMs: EpochMsSchema,
  printedAtMs: EpochMsSchema.nullable(),
  /** How many times it was sent to the printer (reprints included). */
  printCount: z.int().nonnegative(),
});
export type PrintJob = z.infer<typeof PrintJobSchema>;

/**
 * A balloon: the first accepted submission of a team on a problem. `firstToSolve`: the first team to
 * solve the problem. `frozen`: accepted after the freeze began while the scoreboard is frozen (held
 * back from runners unless the daemon runs with --balloons-during-freeze; the jury may ask for them).
 */
export const BalloonSchema = z.object({
  teamId: IdSchema,
  teamName: z.string(),
  location: z.string().nullable(),
  problemId: IdSchema,
  label: z.string(),
  problemName: z.string(),
  colour: ColourSchema.nullable(),
  submissionId: IdSchema,
  submittedAtMs: EpochMsSchema,
  contestTimeMs: z.int(),
  firstToSolve: z.boolean(),
  frozen: z.boolean(),
  done: z.boolean(),
  doneBy: z.string().nullable(),
  doneAtMs: EpochMsSchema.nullable(),
});
export type Balloon = z.infer<typeof BalloonSchema>;
