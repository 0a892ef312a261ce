/**
 * What the public HTTP side reads from the rest of the daemon. The server and store engineers satisfy
 * this interface; the HTTP code never touches the store, the judging engine or sockets directly, so it
 * is tested against a plain object.
 *
 * Every method is a cheap read of current state (the store is synchronous SQLite); lists are small
 * enough for a LAN contest (thousands of submissions) to be built per request.
 */
import type {
  Clarification,
  ContestClock,
  EventFrame,
  JuryJudging,
  JurySubmission,
  Language,
  ProblemSummary,
  ScoreboardSnapshot,
  SourceFile,
  TeamInfo,
  User,
} from '@judged/shared/protocol';
import type { Budgets } from '../budgets.ts';

export interface MetricSample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  /** Prometheus name, e.g. judged_queue_length. */
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: readonly MetricSample[];
}

/** A command line as the CCS API shows it (language compiler and runner). */
export interface CcsCommand {
  command: string;
  args?: string;
}

/** A language with the commands that compile and run it, when the daemon knows them. */
export type ApiLanguage = Language & { compiler?: CcsCommand; runner?: CcsCommand };

import type { MedalCounts } from '../../contest/config.ts';
import type { PackageImage } from '../../contest/package-images.ts';

export type { MedalCounts };

/** An image the API serves (a logo, a photo): checked and held in memory at the start. */
export type ApiImage = PackageImage;

/** An organization (the store's, with the contest dir's logos). Teams name it by its name. */
export interface ApiOrganization {
  id: string;
  name: string;
  formalName: string | null;
  country: string | null;
  logos: readonly ApiImage[];
}

/** A persons.json entry. */
export interface ApiPerson {
  id: string;
  icpcId: string | null;
  teamIds: readonly string[];
  name: string;
  title: string | null;
  email: string | null;
  sex: 'male' | 'female' | null;
  role: 'contestant' | 'coach' | 'staff' | 'other';
  photos: readonly ApiImage[];
}

/** A file of a problem package the API serves: a PDF statement or an attachment (read from disk per request). */
export interface ApiProblemFile {
  filename: string;
  mime: string;
  path: string;
  sizeBytes: number;
}

/** A CCS group (groups.json) and its teams. */
export interface ApiGroup {
  id: string;
  name: string;
  teamIds: readonly string[];
}

/**
 * What the Contest API may change, each as the WebSocket request of the same meaning does it (same
 * checks, same events); errors are ContestError/ApiError with a code the HTTP side maps to a status.
 */
export interface ApiActions {
  /** `id`: the client's own submission id (PUT, admin only); refused as a conflict when it exists. */
  submit(teamId: string, input: { problemId: string; language: string; files: SourceFile[] }, atMs?: number, id?: string): Promise<JurySubmission>;
  ask(teamId: string, problemId: string | null, text: string): Clarification;
  /** A jury message: to everybody (toTeamId null) or, as a reply, to one team. */
  juryClarification(m: { problemId: string | null; text: string; replyToId: string | null; toTeamId: string | null; byUsername: string }): Clarification;
  setStartTime(startAtMs: number | null): ContestClock;
  /** Reveals the frozen scoreboard now. */
  thaw(): ContestClock;
}

export interface HttpDeps {
  /** Password checks are taken from the same budgets as WebSocket logins. */
  budgets: Budgets;
  /** Checks an account's password (the same accounts as the WebSocket login); null when wrong or disabled. */
  authenticate(username: string, password: string): User | null | Promise<User | null>;
  /** The user of a WebSocket login session token (sent as `Authorization: Bearer`); null when not valid. */
  sessionUser(token: string): User | null;
  clock(): ContestClock;
  /** In contest order (label order). */
  problems(): ProblemSummary[];
  languages(): ApiLanguage[];
  /** All teams, disabled ones included (shown hidden to the jury, not at all to others). */
  teams(): TeamInfo[];
  /** All submissions, oldest first. */
  submissions(): JurySubmission[];
  /** All judgings, invalidated ones included, with their test runs. */
  judgings(): JuryJudging[];
  /** Whether a rejudging was applied (its judgings counted: a replaced one was shown before). */
  rejudgingApplied(rejudgingId: string): boolean;
  /** All clarifications (jury view). */
  clarifications(): Clarification[];
  /** The source files of a submission (for its zip); empty when unknown. */
  submissionFiles(submissionId: string): SourceFile[];
  /** Organizations with their logos (ids as stored: the contest package's own). */
  organizations(): ApiOrganization[];
  /** persons.json; empty when the contest has none. */
  persons(): ApiPerson[];
  /** A problem's PDF statements (one per language) and attachments; empty lists when it has none. */
  problemFiles(problemId: string): { statement: ApiProblemFile[]; attachments: ApiProblemFile[] };
  /** Groups from groups.json with their teams; empty when the contest has none. */
  groups(): ApiGroup[];
  medals(): MedalCounts | null;
  /** Accounts without passwords (admin readers only). */
  accounts(): Array<Pick<User, 'username' | 'role' | 'teamId'>>;
  /**
   * Events after `sinceSeq`, oldest first, in their jury variant (as subscribe() delivers them), for
   * the event feed's since_token; at most `limit`.
   */
  eventsSince(sinceSeq: number, limit: number): EventFrame[];
  /** Seq of the newest event in the log. */
  headSeq(): number;
  /**
   * 32 secret bytes, the same across restarts of one data dir: event-feed tokens are sealed with it so
   * a reader cannot read event counts from them, nor forge one (see feed-token.ts).
   */
  feedTokenKey: Buffer;
  /** Absent: the API is read-only (POST/PATCH answer 405). */
  actions?: ApiActions;
  /** The public view applies the freeze; the jury view is live. */
  scoreboard(view: 'public' | 'jury'): ScoreboardSnapshot;
  /**
   * Every event appended to the log from now on, as the jury sees it (the jury variant when an event
   * has several: jurySubmission, juryJudging, clock, clarification, team are the kinds used); returns
   * the unsubscribe function. The HTTP side filters per reader itself.
   */
  subscribe(listener: (frame: EventFrame) => void): () => void;
  /** Daemon metrics (queue, workers, judgings...); the HTTP side adds its own request counters. */
  metrics(): MetricFamily[];
  /** Where the scoreboard page's WebSocket connects; default: same host, path /ws. */
  wsPath?: string;
  /** Let anyone scrape /metrics; otherwise loopback clients or jury credentials only. */
  metricsPublic?: boolean;
}
