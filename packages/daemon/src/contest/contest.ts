/**
 * The contest's rules on top of the store: who may submit when, the clock and its changes,
 * clarifications, teams and accounts, rejudging, and the scoreboard. Every method that changes state
 * writes its events in the same transaction; refusals are ContestErrors carrying a protocol error code
 * and a message that says what to do.
 */
import type {
  Clarification,
  ContestClock,
  ErrorCode,
  JurySubmission,
  RejudgeScope,
  Rejudging,
  RejudgingItem,
  ScoreboardSnapshot,
  Session,
  SourceFile,
  TeamInfo,
  TeamSubmission,
  User,
} from '@judged/shared/protocol';
import { sourceSizeError, startLeadError } from '@judged/shared/protocol';
import { toTeamSubmission, type Viewer } from '@judged/shared/visibility';
import { ClarificationError, toUser, type Account, type ContestSettings, type NewRejudging, type NewSubmission, type Store } from '../store/index.ts';
import { clockKey, contestClock, contestState, describeFrom, endAtMs, freezeAtMs, scoreboardFrozen } from './clock.ts';
import { ContestScoreboards } from './scoreboard.ts';
import { ContestBalloons } from './balloons.ts';
import { readImport } from './team-import.ts';
import type { ConfigFileError } from '../config-files/diagnostics.ts';
import { hashPasswordAsync, randomPassword } from '../store/index.ts';

export class ContestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ContestError';
  }
}

export interface SubmitInput {
  problemId: string;
  language: string;
  files: readonly SourceFile[];
}

export interface ContestOptions {
  /** Language ids submissions may use; when given, others are refused with unknown_language. */
  languages?: readonly string[];
  /** Session lifetime for login() (default 24 h). */
  sessionTtlMs?: number;
  /**
   * Configured languages this host cannot run, id -> `Name: why` (a compiler not installed):
   * refused at submit by name, rather than as an unknown id.
   */
  unavailable?: ReadonlyMap<string, string>;
  /** Per problem id: the package's `languages` list (null: any) and `limits.code` in KiB. */
  problemRules?: ReadonlyMap<string, ProblemSubmitRules>;
  /** judged --balloons-during-freeze: runners get balloons for runs the frozen board hides (DOMjudge holds them back). */
  balloonsDuringFreeze?: boolean;
}

export interface ProblemSubmitRules {
  languages: readonly string[] | null;
  codeKiB: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export class Contest {
  readonly scoreboards: ContestScoreboards;
  readonly balloons: ContestBalloons;
  private settingsCache: ContestSettings;
  private languages: Set<string> | null;
  private readonly unavailable: ReadonlyMap<string, string>;
  private readonly problemRules: ReadonlyMap<string, ProblemSubmitRules>;
  private readonly sessionTtlMs: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly pendingSubmits: { sub: NewSubmission; resolve: (s: TeamSubmission) => void; reject: (err: unknown) => void }[] = [];

  constructor(
    readonly store: Store,
    opts: ContestOptions = {},
  ) {
    const s = store.settings.get();
    if (!s) throw new Error('the database has no contest: create it with openContest()');
    this.settingsCache = s;
    this.languages = opts.languages ? new Set(opts.languages) : null;
    this.unavailable = opts.unavailable ?? new Map();
    this.problemRules = opts.problemRules ?? new Map();
    this.sessionTtlMs = opts.sessionTtlMs ?? 24 * 3600_000;
    this.scoreboards = new ContestScoreboards(store, () => scoreboardFrozen(this.settingsCache, this.store.now()));
    this.balloons = new ContestBalloons(store, () => this.clock(), opts.balloonsDuringFreeze ?? false);
    // A failed transaction may have moved the in-memory boards: rebuild them from what committed.
    store.events.onRollback(() => {
      this.settingsCache = store.settings.get()!;
      this.scoreboards.rebuild();
      this.balloons.rebuild();
    });
  }

  get settings(): ContestSettings {
    return this.settingsCache;
  }

  setLanguages(ids: readonly string[] | null): void {
    this.languages = ids ? new Set(ids) : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Clock

  clock(nowMs = this.store.now()): ContestClock {
    return contestClock(this.settingsCache, nowMs);
  }

  /** Milliseconds since the start (negative before it; 0 when no start is scheduled). */
  contestTimeMs(nowMs = this.store.now()): number {
    return this.settingsCache.startAtMs === null ? 0 : nowMs - this.settingsCache.startAtMs;
  }

  /**
   * Writes a 'clock' event when the state changed since the last one (start, freeze, end) — also
   * across a restart, as the last announced state is stored. Call it every second or so
   * (startClock() does). Returns whether it wrote one.
   */
  tick(nowMs = this.store.now()): boolean {
    const key = clockKey(this.settingsCache, nowMs);
    if (key === this.settingsCache.announcedState) return false;
    this.store.tx(() => this.announceClock(nowMs));
    return true;
  }

  /** Ticks every intervalMs (unref'd, so it never keeps the process alive). */
  startClock(intervalMs = 1000): void {
    this.stopClock();
    this.tick();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stopClock(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private announceClock(nowMs: number): ContestClock {
    this.store.settings.update({ announcedState: clockKey(this.settingsCache, nowMs) });
    this.settingsCache = this.store.settings.get()!;
    const clock = this.clock(nowMs);
    this.store.events.appendEvent({ kind: 'clock', clock });
    return clock;
  }

  /**
   * Admin: new start, duration and freeze. The start can be unscheduled (null) only before the
   * contest, and a contest not started yet gets no start in the past or within MIN_START_LEAD_MS
   * (startLeadError, the rule the TUI's form applies too; startNow is control()'s).
   */
  setContestTimes(t: { startAtMs: number | null; durationMs: number; freezeDurationMs: number | null }, nowMs = this.store.now()): ContestClock {
    const lead = startLeadError(t.startAtMs, this.settingsCache.startAtMs, nowMs);
    if (lead) throw new ContestError('bad_request', `${lead} (to start at once: contestControl startNow)`, 'startAtMs');
    return this.applyTimes(t, nowMs);
  }

  private applyTimes(t: { startAtMs: number | null; durationMs: number; freezeDurationMs: number | null }, nowMs: number): ContestClock {
    const s = this.settingsCache;
    if (!Number.isInteger(t.durationMs) || t.durationMs <= 0) throw new ContestError('bad_request', 'durationMs must be a positive whole number of milliseconds', 'durationMs');
    if (t.freezeDurationMs !== null && (t.freezeDurationMs < 0 || t.freezeDurationMs > t.durationMs)) {
      throw new ContestError('bad_request', 'freezeDurationMs must be between 0 and durationMs (or null for no freeze)', 'freezeDurationMs');
    }
    const started = s.startAtMs !== null && nowMs >= s.startAtMs;
    if (t.startAtMs === null && started) throw new ContestError('conflict', 'the contest has already started: its start can be moved but not unscheduled', 'startAtMs');
    if (t.startAtMs !== null) {
      const first = this.store.db.prepare('SELECT MIN(submitted_at_ms) AS m FROM submissions').get() as { m: number | null };
      if (first.m !== null && t.startAtMs > first.m) {
        throw new ContestError('conflict', `there are submissions from ${iso(first.m)}: the start cannot be moved after them`, 'startAtMs');
      }
    }
    return this.store.tx(() => {
      this.store.settings.update({ startAtMs: t.startAtMs, durationMs: t.durationMs, freezeDurationMs: t.freezeDurationMs });
      if (t.startAtMs !== s.startAtMs) {
        this.store.db.prepare('UPDATE submissions SET contest_time_ms = submitted_at_ms - ?').run(t.startAtMs ?? 0);
        this.store.db.prepare('UPDATE clarifications SET contest_time_ms = created_at_ms - ?').run(t.startAtMs ?? 0);
      }
      this.settingsCache = this.store.settings.get()!;
      this.scoreboards.resendAll();
      this.balloons.resync();
      return this.announceClock(nowMs);
    });
  }

  /** Admin: startNow (before), freezeNow (running), unfreeze (after the freeze began), finalize (over). */
  control(action: 'startNow' | 'freezeNow' | 'unfreeze' | 'finalize', nowMs = this.store.now()): ContestClock {
    const s = this.settingsCache;
    const state = contestState(s, nowMs);
    switch (action) {
      case 'startNow':
        if (state !== 'before') throw new ContestError('conflict', `the contest has already started (at ${iso(s.startAtMs!)})`);
        return this.applyTimes({ startAtMs: nowMs, durationMs: s.durationMs, freezeDurationMs: s.freezeDurationMs }, nowMs);
      case 'freezeNow': {
        if (state !== 'running') throw new ContestError('conflict', state === 'frozen' ? 'the scoreboard is already frozen' : `the contest is not running (it is ${state})`);
        const end = endAtMs(s)!;
        return this.store.tx(() => {
          this.store.settings.update({ freezeDurationMs: end - nowMs, unfrozenAtMs: null });
          this.settingsCache = this.store.settings.get()!;
          this.scoreboards.resendAll();
          this.balloons.resync();
          return this.announceClock(nowMs);
        });
      }
      case 'unfreeze': {
        const freeze = freezeAtMs(s);
        if (freeze === null || nowMs < freeze) throw new ContestError('conflict', 'the scoreboard is not frozen: there is nothing to reveal');
        if (s.unfrozenAtMs !== null) throw new ContestError('conflict', `the scoreboard was already revealed at ${iso(s.unfrozenAtMs)}`);
        return this.store.tx(() => {
          this.store.settings.update({ unfrozenAtMs: nowMs });
          this.settingsCache = this.store.settings.get()!;
          this.scoreboards.resendAll();
          this.balloons.resync();
          return this.announceClock(nowMs);
        });
      }
      case 'finalize': {
        if (state !== 'over') throw new ContestError('conflict', 'results can be finalized only after the contest has ended');
        if (s.finalizedAtMs !== null) throw new ContestError('conflict', `results were already finalized at ${iso(s.finalizedAtMs)}`);
        const pending = this.store.queue.counts();
        if (pending.queued + pending.claimed > 0) {
          throw new ContestError('conflict', `${pending.queued + pending.claimed} judging(s) are still queued or running: wait for them before finalizing`);
        }
        return this.store.tx(() => {
          this.store.settings.update({ finalizedAtMs: nowMs });
          this.settingsCache = this.store.settings.get()!;
          return this.announceClock(nowMs);
        });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Submissions

  /** A team's submission, refused before the start and after the end with the reason. One commit (fsync) each. */
  submit(teamId: string, input: SubmitInput, nowMs = this.store.now()): TeamSubmission {
    return toTeamSubmission(this.store.submissions.insert(this.checkSubmission(teamId, input, nowMs)));
  }

  /**
   * The same checks as submit(), at once (a refusal rejects the promise), but the insert joins the
   * others that arrive in the same turn of the event loop in one transaction: group commit, so a
   * burst of submissions costs one fsync per batch instead of one each. Resolves after the commit.
   */
  submitBatched(teamId: string, input: SubmitInput, nowMs = this.store.now(), opts: { id?: string } = {}): Promise<TeamSubmission> {
    let checked: NewSubmission;
    try {
      checked = this.checkSubmission(teamId, input, nowMs);
      if (opts.id !== undefined) checked = { ...checked, ...this.clientSubmissionId(opts.id) };
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.pendingSubmits.push({ sub: checked, resolve, reject });
      if (this.pendingSubmits.length === 1) setImmediate(() => this.flushSubmits());
    });
  }

  /**
   * A Contest API client's own submission id (PUT): a positive integer is the row id itself (so
   * judged's own numbering goes on after it), any other id is kept beside the next row id and is the
   * submission's id in the API; so a client's id never equals one judged gave. Refused when taken,
   * also by a submission waiting in this batch.
   */
  private clientSubmissionId(id: string): { id: number } | { clientId: string } {
    const asRow = /^[1-9][0-9]{0,14}$/.test(id);
    const taken = asRow ? this.store.submissions.jurySubmission(id) !== undefined : this.store.submissions.idOfClientId(id) !== undefined;
    const waiting = this.pendingSubmits.some((p) => (asRow ? p.sub.id === Number(id) : p.sub.clientId === id));
    if (taken || waiting) throw new ContestError('conflict', `submission ${id} already exists: a PUT creates a submission once; pick an id not yet used (GET /submissions lists them)`, 'id');
    return asRow ? { id: Number(id) } : { clientId: id };
  }

  private flushSubmits(): void {
    const batch = this.pendingSubmits.splice(0);
    if (batch.length === 0) return;
    try {
      const subs = this.store.tx(() => batch.map((b) => this.store.submissions.insert(b.sub)));
      batch.forEach((b, i) => b.resolve(toTeamSubmission(subs[i]!)));
    } catch {
      // One bad insert must not sink the others: retry each on its own.
      for (const b of batch) {
        try {
          b.resolve(toTeamSubmission(this.store.submissions.insert(b.sub)));
        } catch (err) {
          b.reject(err);
        }
      }
    }
  }

  private checkSubmission(teamId: string, input: SubmitInput, nowMs: number): NewSubmission {
    const team = this.store.accounts.team(teamId);
    if (!team) throw new ContestError('forbidden', `team ${teamId} does not exist`);
    if (!team.enabled) throw new ContestError('account_disabled', `team ${teamId} is disabled: ask the organizers`);
    const s = this.settingsCache;
    const state = contestState(s, nowMs);
    if (state === 'before') {
      throw new ContestError(
        'contest_not_running',
        s.startAtMs === null
          ? 'the contest has not started and no start time is set yet: wait for the organizers to start it'
          : `the contest has not started yet: it starts at ${iso(s.startAtMs)} (${describeFrom(nowMs, s.startAtMs)})`,
      );
    }
    if (state === 'over') {
      throw new ContestError('contest_not_running', `the contest is over: it ended at ${iso(endAtMs(s)!)} (${describeFrom(nowMs, endAtMs(s)!)}); submissions are closed`);
    }
    const problem = this.store.settings.problems().find((p) => p.id === input.problemId);
    if (!problem) {
      const ids = this.store.settings.problems().map((p) => `${p.label}=${p.id}`).join(', ');
      throw new ContestError('not_found', `no problem with id "${input.problemId}"; the problems are: ${ids}`, 'problemId');
    }
    const missing = this.unavailable.get(input.language);
    if (missing) throw new ContestError('unknown_language', `${missing} — submit in another language`, 'language');
    if (this.languages && !this.languages.has(input.language)) {
      throw new ContestError('unknown_language', `language "${input.language}" is not available; use one of: ${[...this.languages].join(', ')}`, 'language');
    }
    if (input.files.length === 0) throw new ContestError('bad_request', 'submit at least one file', 'files');
    const tooBig = sourceSizeError(input.files);
    if (tooBig) throw new ContestError('source_too_large', tooBig, 'files');
    const rules = this.problemRules.get(problem.id);
    if (rules?.languages && !rules.languages.includes(input.language)) {
      throw new ContestError('unknown_language', `problem ${problem.label} accepts only ${rules.languages.join(', ')}, not ${input.language}`, 'language');
    }
    const bytes = input.files.reduce((n, f) => n + Buffer.byteLength(f.source, 'utf8'), 0);
    if (rules && bytes > rules.codeKiB * 1024) {
      throw new ContestError('source_too_large', `the source is ${Math.ceil(bytes / 1024)} KiB; problem ${problem.label} allows at most ${rules.codeKiB} KiB`, 'files');
    }
    return {
      teamId,
      problemId: problem.id,
      language: input.language,
      files: input.files,
      submittedAtMs: nowMs,
      contestTimeMs: nowMs - s.startAtMs!,
    };
  }

  /**
   * Jury: rejudge the submissions in scope. New judgings are queued and the old verdicts keep
   * counting until the jury applies the rejudging (decideRejudging), unless autoApply.
   */
  rejudge(scope: RejudgeScope, opts: NewRejudging): { rejudgingId: string; submissionCount: number } {
    if (scope.kind === 'submission' && !this.store.submissions.jurySubmission(scope.submissionId)) {
      throw new ContestError('not_found', `no submission with id ${scope.submissionId}`, 'scope.submissionId');
    }
    if (scope.kind === 'problem' && !this.store.settings.problems(true).some((p) => p.id === scope.problemId)) {
      throw new ContestError('not_found', `no problem with id "${scope.problemId}"`, 'scope.problemId');
    }
    if (scope.kind === 'team' && !this.store.accounts.team(scope.teamId)) {
      throw new ContestError('not_found', `no team with id "${scope.teamId}"`, 'scope.teamId');
    }
    const { rejudging, skipped } = this.store.rejudgings.create(scope, opts);
    if (rejudging.submissionCount === 0 && skipped > 0) {
      // Nothing was queued because everything in scope is under review already: say so.
      throw new ContestError('conflict', `${skipped === 1 ? 'that submission is' : `all ${skipped} submissions are`} in a pending rejudging already: apply or cancel it first`, 'scope');
    }
    return { rejudgingId: rejudging.id, submissionCount: rejudging.submissionCount };
  }

  /** Jury: the rejudging with its old and new verdicts side by side. */
  rejudging(id: string): { rejudging: Rejudging; items: RejudgingItem[] } {
    const rejudging = this.store.rejudgings.get(id);
    if (!rejudging) throw new ContestError('not_found', `no rejudging with id ${id}`, 'rejudgingId');
    return { rejudging, items: this.store.rejudgings.items(id) };
  }

  /** Jury: apply a finished pending rejudging (its verdicts count from now on) or cancel it. */
  decideRejudging(id: string, action: 'apply' | 'cancel', byUsername: string): Rejudging {
    const r = this.rejudging(id).rejudging;
    if (r.state !== 'pending') throw new ContestError('conflict', `rejudging ${id} was ${r.state} already`, 'rejudgingId');
    if (action === 'cancel') return this.store.rejudgings.cancel(id, byUsername);
    const left = this.store.rejudgings.unfinished(id);
    if (left > 0) throw new ContestError('conflict', `rejudging ${id} has ${left} judging(s) still to finish: wait, or cancel it`, 'rejudgingId');
    return this.store.rejudgings.apply(id, byUsername);
  }

  jurySubmission(id: string): { submission: JurySubmission; files: SourceFile[]; judgings: ReturnType<Store['submissions']['judgingsOf']> } {
    const submission = this.store.submissions.jurySubmission(id);
    if (!submission) throw new ContestError('not_found', `no submission with id ${id}`, 'submissionId');
    return { submission, files: this.store.submissions.files(id), judgings: this.store.submissions.judgingsOf(id) };
  }

  // ---------------------------------------------------------------------------------------------
  // Clarifications

  ask(teamId: string, problemId: string | null, text: string): Clarification {
    this.checkProblem(problemId);
    return this.store.clarifications.ask(teamId, problemId, text.trim(), this.contestTimeMs());
  }

  answer(clarificationId: string, text: string, to: 'team' | 'all', byUsername: string): Clarification {
    try {
      return this.store.clarifications.answer(clarificationId, text.trim(), to, byUsername, this.contestTimeMs());
    } catch (err) {
      if (err instanceof ClarificationError) throw new ContestError(err.code, err.message, 'clarificationId');
      throw err;
    }
  }

  announce(problemId: string | null, text: string, byUsername: string): Clarification {
    this.checkProblem(problemId);
    return this.store.clarifications.announcement(problemId, text.trim(), byUsername, this.contestTimeMs());
  }

  clarifications(viewer: Viewer): Clarification[] {
    return this.store.clarifications.visibleTo(viewer);
  }

  private checkProblem(problemId: string | null): void {
    if (problemId !== null && !this.store.settings.problems().some((p) => p.id === problemId)) {
      throw new ContestError('not_found', `no problem with id "${problemId}"`, 'problemId');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Teams and accounts

  teams(): TeamInfo[] {
    return this.store.accounts.teams();
  }

  /** Admin: a new team with its login (the password, or its hash made beforehand: hashPasswordAsync). */
  addTeam(t: { teamId: string; name: string; organization: string | null; username: string } & ({ password: string } | { passwordHash: string })): TeamInfo {
    if (this.store.accounts.team(t.teamId)) throw new ContestError('conflict', `team id "${t.teamId}" is taken`, 'teamId');
    if (this.store.accounts.accountByUsername(t.username)) throw new ContestError('conflict', `username "${t.username}" is taken`, 'username');
    return this.store.tx(() => {
      const orgId = this.organizationFor(t.organization, t.teamId);
      const info = this.store.accounts.addTeam({ id: t.teamId, name: t.name, organizationId: orgId });
      this.store.accounts.addAccount({ username: t.username, ...('passwordHash' in t ? { passwordHash: t.passwordHash } : { password: t.password }), role: 'team', teamId: t.teamId, displayName: t.name });
      this.scoreboards.addTeam({ id: info.id, name: info.name, organization: info.organization });
      return info;
    });
  }

  /**
   * The id of the organization an admin typed (its id or its name), made on the spot when there is
   * none (id org-<team id>, or with a number when that is taken); null for none. Inside a transaction.
   */
  private organizationFor(organization: string | null, teamId: string): string | null {
    if (!organization) return null;
    const found = this.store.db.prepare('SELECT id FROM organizations WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1').get(organization, organization, organization) as { id: string } | undefined;
    if (found) return found.id;
    let id = `org-${teamId}`;
    for (let i = 2; this.store.db.prepare('SELECT 1 FROM organizations WHERE id = ?').get(id); i++) id = `org-${teamId}-${i}`;
    this.store.accounts.upsertOrganization({ id, name: organization });
    return id;
  }

  /**
   * Admin: a team's name, organization, location or groups. The jury learns of it from a 'team'
   * event; the scoreboards (public and jury) send the team's row again when it plays on them, so
   * every board shows the new name at once. A hidden or disabled team is on no board: its change
   * stays with the jury (visibility.ts: only the jury knows such teams).
   */
  editTeam(teamId: string, change: { name?: string | undefined; organization?: string | null | undefined; location?: string | null | undefined; groupIds?: readonly string[] | undefined }): TeamInfo {
    const before = this.store.accounts.team(teamId);
    if (!before) throw new ContestError('not_found', `no team with id "${teamId}"`, 'teamId');
    if (change.name === undefined && change.organization === undefined && change.location === undefined && change.groupIds === undefined) {
      throw new ContestError('bad_request', 'give at least one of name, organization, location, groupIds', 'name');
    }
    if (change.groupIds !== undefined) {
      const known = new Set(this.store.accounts.groups().map((g) => g.id));
      const unknown = change.groupIds.findIndex((g) => !known.has(g));
      if (unknown >= 0) {
        const list = [...known].join(', ');
        throw new ContestError('bad_request', `group "${change.groupIds[unknown]}" is not a group of this contest (${list ? `its groups: ${list}` : 'it has none: groups come from groups.json'})`, 'groupIds');
      }
    }
    return this.store.tx(() => {
      const info = this.store.accounts.editTeam(teamId, {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.organization !== undefined ? { organizationId: this.organizationFor(change.organization, teamId) } : {}),
        ...(change.location !== undefined ? { location: change.location || null } : {}),
        ...(change.groupIds !== undefined ? { groupIds: [...new Set(change.groupIds)] } : {}),
      })!;
      if (info.enabled && !this.store.accounts.isHidden(teamId)) this.scoreboards.addTeam({ id: info.id, name: info.name, organization: info.organization });
      return info;
    });
  }

  /**
   * Admin: teams and accounts from uploaded files (team-import.ts), all or nothing, with each team's
   * location and groups (those the contest has). A team that comes without a login gets one (its id
   * as the username, a generated password): `logins` gives them back, the only time anyone sees the
   * passwords. Refusals come back as a list naming file, line and field; nothing is written then.
   * Async: every password is hashed on the thread pool (scrypt, ~50-100 ms each), so a 300-team
   * import does not stall event delivery.
   */
  async importTeams(files: readonly { name: string; text: string }[]): Promise<{ teams: TeamInfo[]; accounts: number; logins: { teamId: string; username: string; password: string }[]; errors: ConfigFileError[] }> {
    const none = { teams: [], accounts: 0, logins: [] };
    const r = readImport(files, { organizations: this.store.accounts.organizations(), teamIds: this.store.accounts.teams().map((t) => t.id), groups: this.store.accounts.groups() });
    if (!r.ok) return { ...none, errors: r.errors };
    const taken = (accounts: readonly { username: string }[]) =>
      accounts.filter((a) => this.store.accounts.accountByUsername(a.username)).map((a) => ({ problem: '', file: 'accounts', field: 'username', message: `username "${a.username}" is taken`, hint: 'give the account another username' }));
    if (taken(r.people.accounts).length > 0) return { ...none, errors: taken(r.people.accounts) };
    const withLogin = new Set(r.people.accounts.filter((a) => a.role === 'team').map((a) => a.teamId));
    const usernames = new Set(r.people.accounts.map((a) => a.username));
    const logins = r.people.teams
      .filter((t) => !withLogin.has(t.id))
      .map((t) => {
        let username = t.id;
        for (let i = 2; usernames.has(username) || this.store.accounts.accountByUsername(username); i++) username = `${t.id}-${i}`;
        usernames.add(username);
        return { teamId: t.id, username, password: randomPassword() };
      });
    const accounts = [
      ...r.people.accounts,
      ...logins.map((l) => ({ username: l.username, password: l.password, role: 'team' as const, teamId: l.teamId, displayName: null })),
    ];
    // scrypt is slow on purpose: hash off the event loop, before taking the write lock.
    const hashed = await Promise.all(accounts.map(async (a) => ({ ...a, hash: await hashPasswordAsync(a.password) })));
    // Other requests ran while hashing: what was free may be taken now.
    const late = [
      ...r.people.teams.filter((t) => this.store.accounts.team(t.id)).map((t) => ({ problem: '', file: 'teams', field: 'id', message: `team id "${t.id}" was added meanwhile`, hint: 'import again without it' })),
      ...taken(accounts),
    ];
    if (late.length > 0) return { ...none, errors: late };
    const names = new Map(r.people.teams.map((t) => [t.id, t.name]));
    const teams = this.store.tx(() => {
      for (const o of r.people.organizations) this.store.accounts.upsertOrganization(o);
      const added = r.people.teams.map((t) => this.store.accounts.addTeam({ id: t.id, name: t.name, organizationId: t.organizationId, hidden: t.hidden, location: t.location, groupIds: t.groupIds }));
      for (const a of hashed) {
        this.store.accounts.addAccount({ username: a.username, passwordHash: a.hash, role: a.role, teamId: a.teamId, displayName: a.displayName ?? (a.teamId ? (names.get(a.teamId) ?? a.username) : a.username) });
      }
      for (const [i, info] of added.entries()) if (!r.people.teams[i]!.hidden) this.scoreboards.addTeam({ id: info.id, name: info.name, organization: info.organization });
      return added;
    });
    return { teams, accounts: hashed.length, logins, errors: [] };
  }

  /** Admin: a disabled team cannot log in or submit and leaves the scoreboard; enabling brings it back with its runs. */
  setTeamEnabled(teamId: string, enabled: boolean): TeamInfo {
    return this.store.tx(() => {
      const info = this.store.accounts.setTeamEnabled(teamId, enabled);
      if (!info) throw new ContestError('not_found', `no team with id "${teamId}"`, 'teamId');
      if (!enabled) this.scoreboards.removeTeam(teamId);
      else if (!this.store.accounts.isHidden(teamId)) this.scoreboards.addTeam({ id: info.id, name: info.name, organization: info.organization });
      // Its balloons go or come back with it.
      this.balloons.resync();
      return info;
    });
  }

  /** Admin: enable/disable an account or set its password (both end its sessions: the caller closes them). */
  setAccount(username: string, change: { enabled?: boolean | undefined; password?: string | undefined; passwordHash?: string | undefined }): User & { enabled: boolean } {
    if (!this.store.accounts.accountByUsername(username)) throw new ContestError('not_found', `no account "${username}"`, 'username');
    if (change.enabled === undefined && change.password === undefined && change.passwordHash === undefined) throw new ContestError('bad_request', 'give enabled, password or both', 'enabled');
    if (change.enabled !== undefined) this.store.accounts.setAccountEnabled(username, change.enabled);
    if (change.passwordHash !== undefined) this.store.accounts.setPassword(username, { passwordHash: change.passwordHash });
    else if (change.password !== undefined) this.store.accounts.setPassword(username, { password: change.password });
    const a = this.store.accounts.accountByUsername(username)!;
    return { ...toUser(a), enabled: a.enabled };
  }

  /** Password login; rejects with bad_credentials or account_disabled. Async: scrypt runs off the event loop. */
  async login(username: string, password: string): Promise<Session> {
    const r = await this.store.accounts.authenticate(username, password);
    if (!r.ok) {
      throw new ContestError(r.code, r.code === 'bad_credentials' ? 'wrong username or password' : `account ${username} is disabled: ask the organizers`);
    }
    const { token, expiresAtMs } = this.store.accounts.createSession(r.account.id, this.sessionTtlMs);
    return { token, user: toUser(r.account), expiresAtMs };
  }

  /** Checks a password without creating a session (HTTP Basic). */
  async authenticate(username: string, password: string): Promise<User | null> {
    const r = await this.store.accounts.authenticate(username, password);
    return r.ok ? toUser(r.account) : null;
  }

  resume(token: string): Session {
    const r = this.store.accounts.resumeSession(token);
    if (!r.ok) throw new ContestError(r.code, r.code === 'session_invalid' ? 'the session expired or was ended: log in again' : 'the account is disabled: ask the organizers');
    return { token, user: toUser(r.account), expiresAtMs: r.expiresAtMs };
  }

  logout(token: string): void {
    this.store.accounts.revokeSession(token);
  }

  account(username: string): Account | undefined {
    return this.store.accounts.accountByUsername(username);
  }

  // ---------------------------------------------------------------------------------------------
  // Scoreboard

  scoreboard(view: 'public' | 'jury'): ScoreboardSnapshot {
    return this.scoreboards.snapshot(view);
  }

  /** Stops the clock and commits submissions still waiting for their batch. */
  close(): void {
    this.stopClock();
    if (this.store.db.open) this.flushSubmits();
  }
}
