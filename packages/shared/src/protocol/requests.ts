/**
 * Client -> server: every request type with its fields and limits, the union the server parses, and
 * who may send each one.
 */
import { z } from 'zod';
import { VerdictSchema } from '../verdict.ts';
import { FileNameSchema, IdSchema } from '../problem.ts';
import { MAX_CLARIFICATION_CHARS, MAX_PRINT_BYTES, MAX_SOURCE_FILES, sourceSizeError, utf8ByteLength } from './limits.ts';
import { EpochMsSchema } from './units.ts';
import { printable } from '../printable.ts';
import { isJuryRole } from '../visibility.ts';
import { RejudgeScopeSchema, type Role, SourceFileSchema } from './entities.ts';

/** Request ids are chosen by the client: a non-negative integer or a short string. */
export const RequestIdSchema = z.union([z.int().nonnegative(), z.string().min(1).max(64)]);
export type RequestId = z.infer<typeof RequestIdSchema>;

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

// Text other people will read in a terminal is refused at the edge, naming the character (printable.ts);
// views sanitise anyway (terminal-text.ts), for text that reached the store another way.
const NameSchema = (max: number, empty?: string) => printable(z.string().min(1, empty).max(max), false);

const ClarTextSchema = printable(
  z
    .string()
    .trim()
    .min(1, 'text must not be empty')
    .max(MAX_CLARIFICATION_CHARS, `text must be at most ${MAX_CLARIFICATION_CHARS} characters`),
  true,
);

export const HelloRequestSchema = req('hello', {
  protocolVersion: z.int().positive(),
  /** e.g. "judge-tui/0.1.0", for logs. */
  client: printable(z.string().max(100), false).optional(),
});
export const LoginRequestSchema = req('login', {
  username: NameSchema(64, 'username must not be empty'),
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
/**
 * A problem's PDF statement (in `language`, else English or the first there is) or its samples as one
 * zip; both are shown to teams only once the contest starts, like the statement itself.
 */
export const ProblemFileRequestSchema = req('problemFile', {
  problemId: IdSchema,
  kind: z.enum(['statementPdf', 'samplesZip']),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'language is an ISO 639 code such as en or pt-BR').optional(),
});
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
  reason: printable(z.string().max(500), true).optional(),
  /** Let each new verdict count as soon as it ends, without review (the default is review). */
  autoApply: z.boolean().optional(),
});
export const RejudgingsRequestSchema = req('rejudgings', {});
export const RejudgingRequestSchema = req('rejudging', { rejudgingId: IdSchema });
/** Apply a finished pending rejudging (its new verdicts count) or cancel it (the old ones stay). */
export const DecideRejudgingRequestSchema = req('decideRejudging', { rejudgingId: IdSchema, action: z.enum(['apply', 'cancel']) });
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
  name: printable(z.string().trim().min(1, 'team name must not be empty').max(200), false),
  organization: printable(z.string().max(200), false).nullable(),
  username: NameSchema(64),
  password: z.string().min(8, 'password must be at least 8 characters').max(256),
});
/** Admin: teams and accounts from CCS (teams.json, accounts.yaml/json) or DOMjudge (teams.tsv, accounts.tsv) files. */
export const ImportTeamsRequestSchema = req('importTeams', {
  files: z
    .array(z.object({ name: z.string().min(1).max(64), text: z.string().max(512 * 1024, 'an imported file may be at most 512 KiB') }))
    .min(1, 'give at least one file')
    .max(4),
});
/**
 * Admin: change a team's name, organization (an organization's id or name; a new name makes a new
 * organization), location and groups. Omitted fields stay; null clears organization or location; the
 * group ids replace the team's groups and must be groups the contest has.
 */
export const EditTeamRequestSchema = req('editTeam', {
  teamId: IdSchema,
  name: printable(z.string().trim().min(1, 'team name must not be empty').max(200), false).optional(),
  organization: printable(z.string().trim().max(200), false).nullable().optional(),
  location: printable(z.string().trim().max(200), false).nullable().optional(),
  groupIds: z.array(IdSchema).max(32, 'a team may be in at most 32 groups').optional(),
});
export const SetTeamEnabledRequestSchema = req('setTeamEnabled', { teamId: IdSchema, enabled: z.boolean() });
/** Jury: the judgehosts (Redis queue only) and the queue's state. */
export const JudgehostsRequestSchema = req('judgehosts', {});
/** Jury: a disabled judgehost takes no new work (what it runs finishes); enabled: takes work again. */
export const SetJudgehostEnabledRequestSchema = req('setJudgehostEnabled', { name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/), enabled: z.boolean() });
/** Jury: take a gone judgehost off the list (refused while it is alive or stale; it reappears if it reports again). */
export const RemoveJudgehostRequestSchema = req('removeJudgehost', { name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/) });
/** Admin: disable or enable an account, or give it a new password; either ends its sessions. */
export const SetAccountRequestSchema = req('setAccount', {
  username: z.string().min(1).max(64),
  enabled: z.boolean().optional(),
  password: z.string().min(8, 'password must be at least 8 characters').max(256).optional(),
});

/**
 * Team: print a text file. Text only: control characters other than line breaks and tabs are refused
 * (naming the first), so a printout cannot carry printer or terminal commands.
 */
export const PrintRequestSchema = req('print', {
  fileName: FileNameSchema,
  text: printable(
    z
      .string()
      .min(1, 'the file is empty: nothing to print')
      .refine((t) => utf8ByteLength(t) <= MAX_PRINT_BYTES, { message: `the file is larger than ${MAX_PRINT_BYTES} bytes, the most one printout may hold: print a smaller file` }),
    true,
  ),
});
/** Jury: every printout, newest first. */
export const PrintJobsRequestSchema = req('printJobs', {});
/** Jury: one printout with its text as printed (header and page numbers). */
export const PrintJobRequestSchema = req('printJob', { jobId: IdSchema });
/** Jury: mark delivered (done) or not, or send it to the printer again (reprint). */
export const PrintActionRequestSchema = req('printAction', { jobId: IdSchema, action: z.enum(['done', 'undone', 'reprint']) });
/** Balloon runners and the jury: the balloons; `includeFrozen` (jury only) also lists those the freeze holds back. */
export const BalloonsRequestSchema = req('balloons', { includeFrozen: z.boolean().optional() });
/** Balloon runners and the jury: a balloon was delivered (done) or not. */
export const SetBalloonDoneRequestSchema = req('setBalloonDone', { teamId: IdSchema, problemId: IdSchema, done: z.boolean() });

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
  ProblemFileRequestSchema,
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
  RejudgingsRequestSchema,
  RejudgingRequestSchema,
  DecideRejudgingRequestSchema,
  AnswerRequestSchema,
  AnnounceRequestSchema,
  TeamsRequestSchema,
  SetContestTimesRequestSchema,
  ContestControlRequestSchema,
  AddTeamRequestSchema,
  ImportTeamsRequestSchema,
  EditTeamRequestSchema,
  SetTeamEnabledRequestSchema,
  SetAccountRequestSchema,
  JudgehostsRequestSchema,
  SetJudgehostEnabledRequestSchema,
  PrintRequestSchema,
  PrintJobsRequestSchema,
  PrintJobRequestSchema,
  PrintActionRequestSchema,
  BalloonsRequestSchema,
  SetBalloonDoneRequestSchema,
  RemoveJudgehostRequestSchema,
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
/** What a client passes to send(): the frame without its id. */
export type ClientFrameInput = z.input<typeof ClientFrameSchema>;
export type RequestType = ClientFrame['type'];
/** A request as a caller writes it (defaults not yet filled), without the id the client assigns. */
export type RequestInput<T extends RequestType> = Omit<Extract<ClientFrameInput, { type: T }>, 'id'>;
export type RequestOf<T extends RequestType> = Extract<ClientFrame, { type: T }>;

/**
 * Who may send each request. 'any': also an anonymous (public) connection; 'loggedIn': a team or the
 * jury (not a balloon runner, who needs none of it); 'team': a team account; 'jury': judge or admin;
 * 'admin': admin only; 'runner': a balloon runner or the jury. The server enforces this table.
 */
export const REQUEST_ACCESS: Readonly<Record<RequestType, 'any' | 'team' | 'jury' | 'admin' | 'loggedIn' | 'runner'>> = {
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
  problemFile: 'loggedIn',
  languages: 'loggedIn',
  clarifications: 'loggedIn',
  submit: 'team',
  submissions: 'team',
  ask: 'team',
  queue: 'jury',
  jurySubmissions: 'jury',
  jurySubmission: 'jury',
  rejudge: 'jury',
  rejudgings: 'jury',
  rejudging: 'jury',
  decideRejudging: 'jury',
  answer: 'jury',
  announce: 'jury',
  teams: 'jury',
  setContestTimes: 'admin',
  contestControl: 'admin',
  addTeam: 'admin',
  importTeams: 'admin',
  editTeam: 'admin',
  setTeamEnabled: 'admin',
  setAccount: 'admin',
  judgehosts: 'jury',
  setJudgehostEnabled: 'jury',
  print: 'team',
  printJobs: 'jury',
  printJob: 'jury',
  printAction: 'jury',
  balloons: 'runner',
  setBalloonDone: 'runner',
  removeJudgehost: 'jury',
};

export function mayRequest(role: Role, type: RequestType): boolean {
  const need = REQUEST_ACCESS[type];
  switch (need) {
    case 'any':
      return true;
    case 'loggedIn':
      return role !== 'public' && role !== 'balloon';
    case 'runner':
      return role === 'balloon' || isJuryRole(role);
    case 'team':
      return role === 'team';
    case 'jury':
      return isJuryRole(role);
    case 'admin':
      return role === 'admin';
  }
}
