/**
 * The daemon's store: one SQLite database (<data>/judged.sqlite, WAL, synchronous=FULL, foreign
 * keys, busy_timeout) holding the contest, problems snapshot, teams, organizations, accounts,
 * sessions, submissions, judgings, runs, the judging queue, clarifications and the append-only event
 * log. Every change clients must learn of appends its event in the same transaction.
 *
 * Most callers want the contest layer (../contest/index.ts), which adds the rules (clock, refusals,
 * scoreboard). The store is what it and the judging workers sit on.
 *
 * API
 *   const store = openStore(dataDir | ':memory:', { now?, maxAttempts? })
 *   store.close()
 *
 *   Events (core.ts)
 *     store.events.onEvent(e => ...)              every committed event (filter with canSeeEvent(viewer, e))
 *     store.events.eventsSince(seq, viewer, lim)  replay for a reconnecting client, filtered in SQL
 *     store.events.headSeq()
 *     canSeeEvent({role, teamId}, storedEvent)    the visibility rule: role in audience; a team event only to its team
 *     StoredEvent = { seq, atMs, event: ContestEvent, json (the event as stored), audience: { roles, teamId } }
 *
 *   Queue, for workers (queue.ts) — see the contract at the top of queue.ts
 *     store.queue.claim(workerId, leaseMs) -> ClaimedJob | null
 *     store.queue.heartbeat(judgingId, workerId) -> boolean
 *     store.queue.progress(judgingId, workerId, {status:'compiling'|'running', testIndex?, testCount?}) -> boolean
 *     store.queue.complete(judgingId, workerId, JudgingResult) -> {accepted} | {accepted:false, reason}
 *     store.queue.fail(judgingId, workerId, message) -> same
 *     store.queue.reapExpired(), store.queue.requeueClaimed(), store.queue.counts()
 *
 *   Submissions (submissions.ts): insert(NewSubmission) (no rule checks: use contest.submit),
 *     insertMany, jurySubmission(id), teamSubmission(id), files(id), forTeam(teamId),
 *     verdictsForTeam(teamId), teamVerdict(submissionId), all(), list(filter), judgingsOf(submissionId),
 *     allJudgings(), judging(id)
 *   Rejudgings (rejudgings.ts): create(scope, {verdicts?, reason?, byUsername, autoApply?}), get(id),
 *     list(), items(id) (old verdict beside new), unfinished(id), apply(id, by), cancel(id, by)
 *   Accounts (accounts.ts): upsertOrganization, addTeam, setTeamEnabled, team, teams, addAccount,
 *     setAccountEnabled, setPassword, account, accountByUsername, authenticate(username, password),
 *     createSession(accountId, ttlMs), resumeSession(token), revokeSession(token)
 *   Clarifications (clarifications.ts): ask, answer, announcement, get, all, visibleTo(viewer)
 *   Settings (settings.ts): the contest row (get/create/update), syncProblems, problems, meta
 *   Printouts (printouts.ts): add(printout, maxPages) (null past the budget), pagesUsed(teamId), get,
 *     text, list, printed(id, result), setDone(id, done)
 *   Balloons (balloons.ts): list() (first AC per team and problem), setDone(teamId, problemId, done, by)
 *   store.queueItems() -> JuryQueueItem[]   the unfinished judgings for the jury's queue view
 *
 * Ids on the API are strings (the protocol's IdSchema); submissions, judgings, rejudgings and
 * clarifications are numbered by SQLite.
 */
import type Database from 'better-sqlite3';
import type { JuryQueueItem } from '@judged/shared/protocol';
import { AccountStore } from './accounts.ts';
import { ClarificationStore } from './clarifications.ts';
import { StoreCore } from './core.ts';
import { openDatabase } from './db.ts';
import { JudgingQueue, type QueueOptions } from './queue.ts';
import { SettingsStore } from './settings.ts';
import { SubmissionStore } from './submissions.ts';
import { RejudgingStore } from './rejudgings.ts';
import { PrintoutStore } from './printouts.ts';
import { BalloonStore } from './balloons.ts';

export { canSeeEvent, audienceMask, ROLE_BIT, type Audience, type EventViewer, type StoredEvent } from './core.ts';
export { openDatabase, migrate, schemaVersion, dbPath, DB_FILE } from './db.ts';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
export { JudgingResultSchema, ProgressSchema, REMOTE_OWNER_PREFIX, type ClaimedJob, type CompleteResult, type JudgingProgress, type JudgingResult } from './queue.ts';
export { PRIORITY_REJUDGE, PRIORITY_SUBMISSION, type JudgingOutcome, type JurySubmissionFilter, type NewSubmission, type TestRunResult } from './submissions.ts';
export { toUser, type Account, type AccountRole, type AuthResult, type NewAccount, type NewTeam, type Organization, type StoredGroup, type TeamChange } from './accounts.ts';
export { ClarificationError } from './clarifications.ts';
export type { ContestSettings, StoredProblem } from './settings.ts';
export { hashPassword, hashPasswordAsync, verifyPassword, randomPassword } from './passwords.ts';
export type { NewRejudging } from './rejudgings.ts';
export type { NewPrintout } from './printouts.ts';
export { StoreCore, AccountStore, ClarificationStore, JudgingQueue, RejudgingStore, SettingsStore, SubmissionStore, PrintoutStore, BalloonStore };

export interface StoreOptions extends QueueOptions {
  /** Clock for timestamps (tests). */
  now?: () => number;
  busyTimeoutMs?: number;
}

export class Store {
  readonly events: StoreCore;
  readonly submissions: SubmissionStore;
  readonly rejudgings: RejudgingStore;
  readonly queue: JudgingQueue;
  readonly accounts: AccountStore;
  readonly clarifications: ClarificationStore;
  readonly settings: SettingsStore;
  readonly printouts: PrintoutStore;
  readonly balloons: BalloonStore;

  constructor(
    readonly db: Database.Database,
    opts: StoreOptions = {},
  ) {
    this.events = new StoreCore(db, opts.now ?? Date.now);
    this.submissions = new SubmissionStore(this.events);
    this.rejudgings = new RejudgingStore(this.events, this.submissions);
    this.queue = new JudgingQueue(this.events, this.submissions, opts);
    this.accounts = new AccountStore(this.events);
    this.clarifications = new ClarificationStore(this.events);
    this.settings = new SettingsStore(this.events);
    this.printouts = new PrintoutStore(this.events);
    this.balloons = new BalloonStore(this.events);
  }

  /** Runs fn as one transaction (events reach listeners after the commit). */
  tx<T>(fn: () => T): T {
    return this.events.tx(fn);
  }

  now(): number {
    return this.events.now();
  }

  queueItems(): JuryQueueItem[] {
    const rows = this.db
      .prepare(
        `SELECT s.id AS submission_id, j.id AS judging_id, s.team_id, s.problem_id, s.language, s.submitted_at_ms,
                j.status, q.state, q.lease_owner, j.test_index, j.test_count, j.rejudging_id
         FROM jobs q JOIN judgings j ON j.id = q.judging_id JOIN submissions s ON s.id = j.submission_id
         WHERE q.state != 'done' ORDER BY q.priority DESC, q.enqueued_at_ms, q.judging_id`,
      )
      .all() as {
      submission_id: number;
      judging_id: number;
      team_id: string;
      problem_id: string;
      language: string;
      submitted_at_ms: number;
      status: string;
      state: string;
      lease_owner: string | null;
      test_index: number | null;
      test_count: number | null;
      rejudging_id: number | null;
    }[];
    return rows.map((r) => ({
      submissionId: String(r.submission_id),
      judgingId: String(r.judging_id),
      teamId: r.team_id,
      problemId: r.problem_id,
      language: r.language,
      submittedAtMs: r.submitted_at_ms,
      status: r.state === 'queued' ? 'queued' : r.status === 'running' ? 'running' : 'compiling',
      worker: r.state === 'claimed' ? r.lease_owner : null,
      testIndex: r.test_index,
      testCount: r.test_count,
      rejudgingId: r.rejudging_id === null ? null : String(r.rejudging_id),
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating and migrating as needed) the store in a data dir, a .sqlite path, or ':memory:'. */
export function openStore(target: string, opts: StoreOptions = {}): Store {
  const db = openDatabase(target, { busyTimeoutMs: opts.busyTimeoutMs });
  return new Store(db, opts);
}
