/** The `result` of an ok frame, per request type. */
import { z } from 'zod';
import { FileNameSchema, IdSchema, ProblemInfoSchema, ProblemSummarySchema } from '../problem.ts';
import { PROTOCOL_VERSION } from './limits.ts';
import { EpochMsSchema } from './units.ts';
import { BalloonSchema, JudgehostSchema, ClarificationSchema, PrintJobSchema, ContestClockSchema, JuryJudgingSchema, JuryQueueItemSchema, JurySubmissionSchema, LanguageSchema, RejudgingItemSchema, RejudgingSchema, ScoreboardSchema, SessionSchema, SourceFileSchema, TeamInfoSchema, TeamSubmissionSchema, TeamVerdictSchema, UserSchema } from './entities.ts';
import { SnapshotSchema } from './events.ts';
import type { RequestType } from './requests.ts';

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
  problemFile: z.object({ name: FileNameSchema, mediaType: z.string(), contentBase64: z.string() }),
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
  rejudgings: z.object({ rejudgings: z.array(RejudgingSchema) }),
  rejudging: z.object({ rejudging: RejudgingSchema, items: z.array(RejudgingItemSchema) }),
  decideRejudging: z.object({ rejudging: RejudgingSchema }),
  answer: z.object({ clarification: ClarificationSchema }),
  announce: z.object({ clarification: ClarificationSchema }),
  /** The jury's list: every team with the login names of its accounts. */
  teams: z.object({ teams: z.array(TeamInfoSchema.extend({ logins: z.array(z.string()).optional() })) }),
  setContestTimes: z.object({ clock: ContestClockSchema }),
  contestControl: z.object({ clock: ContestClockSchema }),
  addTeam: z.object({ team: TeamInfoSchema }),
  importTeams: z.object({
    teams: z.array(TeamInfoSchema),
    accounts: z.int().nonnegative(),
    /**
     * The logins made for imported teams that came without one (username: the team id), with their
     * passwords: shown this once, stored only as hashes. Absent from older servers.
     */
    logins: z.array(z.object({ teamId: IdSchema, username: z.string(), password: z.string() })).optional(),
    /** Non-empty: nothing was imported. Each names the file, line and field where known. */
    errors: z.array(z.object({ file: z.string(), line: z.int().positive().optional(), field: z.string().optional(), message: z.string(), hint: z.string() })),
  }),
  editTeam: z.object({ team: TeamInfoSchema }),
  setTeamEnabled: z.object({ team: TeamInfoSchema }),
  setAccount: z.object({ account: UserSchema.extend({ enabled: z.boolean() }) }),
  judgehosts: z.object({
    queue: z.object({ backend: z.enum(['embedded', 'redis']), up: z.boolean(), problem: z.string().nullable() }),
    judgehosts: z.array(JudgehostSchema),
  }),
  setJudgehostEnabled: z.object({ judgehosts: z.array(JudgehostSchema) }),
  /** The team's own printout only: where it went, its pages, and the pages the team has left. */
  print: z.object({
    jobId: IdSchema,
    pages: z.int().positive(),
    state: z.enum(['queued', 'printed', 'failed']),
    pagesLeft: z.int().nonnegative(),
  }),
  printJobs: z.object({ jobs: z.array(PrintJobSchema), printer: z.string().nullable() }),
  printJob: z.object({ job: PrintJobSchema, text: z.string() }),
  printAction: z.object({ job: PrintJobSchema }),
  /**
   * `heldBack`: the freeze holds back balloons of runs the frozen board hides (it is on and the daemon
   * runs without --balloons-during-freeze). `hiddenByFreeze`: how many it holds back from this list,
   * told the jury only (null for runners: a count would tell the room that someone solved something
   * during the freeze; DOMjudge shows its runners only that the scoreboard is frozen).
   */
  balloons: z.object({ balloons: z.array(BalloonSchema), heldBack: z.boolean(), hiddenByFreeze: z.int().nonnegative().nullable() }),
  setBalloonDone: z.object({ balloon: BalloonSchema }),
  removeJudgehost: z.object({ judgehosts: z.array(JudgehostSchema) }),
} satisfies Record<RequestType, z.ZodType>;

export type ResultOf<T extends RequestType> = z.infer<(typeof RESULT_SCHEMAS)[T]>;
