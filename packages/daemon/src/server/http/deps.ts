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

export interface HttpDeps {
  /** Password checks are taken from the same budgets as WebSocket logins. */
  budgets: Budgets;
  /** Checks an account's password (the same accounts as the WebSocket login); null when wrong or disabled. */
  authenticate(username: string, password: string): User | null | Promise<User | null>;
  clock(): ContestClock;
  /** In contest order (label order). */
  problems(): ProblemSummary[];
  languages(): Language[];
  /** All teams, disabled ones included (shown hidden to the jury, not at all to others). */
  teams(): TeamInfo[];
  /** All submissions, oldest first. */
  submissions(): JurySubmission[];
  /** All judgings, invalidated ones included, with their test runs. */
  judgings(): JuryJudging[];
  /** All clarifications (jury view). */
  clarifications(): Clarification[];
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
  /** Seq of the newest event in the log (the CCS scoreboard's event_id); "0" is reported without it. */
  headSeq?(): number;
  /** Where the scoreboard page's WebSocket connects; default: same host, path /ws. */
  wsPath?: string;
  /** Let anyone scrape /metrics; otherwise loopback clients or jury credentials only. */
  metricsPublic?: boolean;
}
