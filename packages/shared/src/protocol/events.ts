/**
 * Server -> client: the one event log (every change in the contest is an event; a frame's seq is the
 * reader's own gap-free number over the events it may see, never a global count),
 * who may see each kind, and the snapshot a client starts from when it cannot replay.
 */
import { z } from 'zod';
import { IdSchema, ProblemSummarySchema } from '../problem.ts';
import { BalloonSchema, ClarificationSchema, ContestClockSchema, JuryJudgingSchema, JuryQueueItemSchema, JurySubmissionSchema, JuryTestRunSchema, PrintJobSchema, RejudgingSchema, type Role, ScoreboardRowSchema, ScoreboardSchema, TeamInfoSchema, TeamSubmissionSchema, TeamVerdictSchema } from './entities.ts';

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
    /**
     * With status queued after a lost attempt (lease expired, daemon restarted): the tests whose runs
     * that attempt had recorded, now dropped (the Contest API deletes the runs it had published).
     */
    lostRuns: z.array(z.int().positive()).optional(),
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
  /**
   * A judging began, ended or was invalidated; per-test runs included once it ended. `lostRuns`: tests
   * whose runs were recorded as they ended but that the ended judging no longer has (a judge error
   * after lost attempts keeps none).
   */
  z.object({ kind: z.literal('juryJudging'), judging: JuryJudgingSchema, lostRuns: z.array(z.int().positive()).optional() }),
  /** One test of a judging ended (before the judging does: its runs then follow in juryJudging). */
  z.object({ kind: z.literal('juryRun'), judgingId: IdSchema, submissionId: IdSchema, rejudgingId: IdSchema.nullable(), run: JuryTestRunSchema }),
  /** A rejudging was created, one of its judgings ended, or it was applied or cancelled. */
  z.object({ kind: z.literal('rejudging'), rejudging: RejudgingSchema }),
  /** A team was added or changed; `before` is the team before the change (null: new; absent in older logs). */
  z.object({ kind: z.literal('team'), team: TeamInfoSchema, before: TeamInfoSchema.nullable().optional() }),
  /** A printout was sent, printed, failed, delivered or reprinted. */
  z.object({ kind: z.literal('printJob'), job: PrintJobSchema }),
  /**
   * A balloon appeared (a first AC), changed (delivered or not, first-to-solve, its submission after a
   * rejudge) or, with `removed`, went (a rejudge took its AC away, its team was disabled). Runners get
   * only the balloons the freeze does not hold back, and those it held back at the unfreeze; the jury
   * gets all of them, held-back ones marked `frozen` (contest/balloons.ts).
   */
  z.object({ kind: z.literal('balloon'), balloon: BalloonSchema, removed: z.literal(true).optional() }),
]);
export type ContestEvent = z.infer<typeof EventSchema>;
export type EventKind = ContestEvent['kind'];

/** Which roles may see an event kind at all (the server further filters team events to the owner). */
export const EVENT_AUDIENCE: Readonly<Record<EventKind, readonly Role[]>> = {
  clock: ['team', 'judge', 'admin', 'public', 'balloon'],
  submission: ['team'],
  progress: ['team', 'judge', 'admin'],
  verdict: ['team'],
  scoreboard: ['team', 'judge', 'admin', 'public', 'balloon'],
  clarification: ['team', 'judge', 'admin'],
  jurySubmission: ['judge', 'admin'],
  juryJudging: ['judge', 'admin'],
  juryRun: ['judge', 'admin'],
  rejudging: ['judge', 'admin'],
  team: ['judge', 'admin'],
  printJob: ['judge', 'admin'],
  balloon: ['balloon', 'judge', 'admin'],
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
