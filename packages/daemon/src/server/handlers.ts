/**
 * What each request does. The connection has already validated the frame and checked that the role
 * may send it (REQUEST_ACCESS); handlers add the per-object rules (a team reads only its own
 * submissions) and call the contest layer, which refuses with a ContestError naming the reason.
 *
 * A team-facing answer is built only from team-facing types (TeamSubmission, TeamVerdict,
 * ProblemInfo), so another team's source or the secret test data cannot reach it by construction.
 */
import fs from 'node:fs';
import {
  LIMITS,
  PROTOCOL_VERSION,
  mayRequest,
  type Language as WireLanguage,
  type ProblemSummary,
  type ResultOf,
  type Snapshot,
} from '@judged/shared/protocol';
import { canSeeProblems, isJury, ownsTeam, scoreboardViewFor, viewerOf, type Viewer } from '@judged/shared/visibility';
import type { Contest } from '../contest/contest.ts';
import type { NewRejudging, Store, StoredEvent } from '../store/index.ts';
import { hashPasswordAsync } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import type { DaemonQueue, JudgehostView } from '../queue/index.ts';
import { PUBLIC_SESSION, type Connection, type Handlers } from './connection.ts';
import { encodeEvent } from './fanout.ts';
import { MAX_ATTACHMENT_BYTES, contestProblems, mediaTypeOf, type ProblemCatalog } from './problem-catalog.ts';
import type { Printing } from '../printing/service.ts';

export interface HandlerDeps {
  contest: Contest;
  store: Store;
  problems: ProblemCatalog;
  languages: () => WireLanguage[];
  /** e.g. "judged/0.1.0" */
  serverName: string;
  /** Tells idle judging workers that a job was queued. */
  wakeWorkers(): void;
  /** Live connections, to end those of a team that gets disabled. */
  connections: () => Iterable<Connection>;
  /** Closes every connection whose session was revoked, expired or whose account was disabled. */
  endSessions(): void;
  /** A client further behind than this many visible events gets a snapshot instead of a replay. */
  replayLimit?: number;
  /** Printouts: the printer (or none: the jury's queue) and the page budget. */
  printing: Printing;
  /** The judging queue: its judgehosts, and disabling one. */
  queue: () => Pick<DaemonQueue, 'judgehosts' | 'setJudgehostDisabled' | 'removeJudgehost' | 'problem' | 'source'> | null;
}

function wireJudgehost(h: JudgehostView) {
  return { name: h.name, alive: h.alive, state: h.state, seenAgoMs: h.seenAgoMs, disabled: h.disabled, draining: h.draining, doctor: h.doctor, workers: h.workers, busy: h.busy, current: h.current, done: h.done, errors: h.errors, seenAtMs: h.seenAtMs };
}

function teamOf(conn: Connection): string {
  const t = conn.session.viewer.teamId;
  if (conn.session.viewer.role !== 'team' || t === null) throw new ApiError('forbidden', 'only a team account can do this');
  return t;
}

/** Downloads count against the team's budget, or the jury member's. */
function takeDownload(conn: Connection): void {
  const v = conn.session.viewer;
  if (v.role === 'team' && v.teamId !== null) conn.budgets.takeTeam('downloads', v.teamId);
  else conn.budgets.takeJury(username(conn));
}

function username(conn: Connection): string {
  return conn.session.user?.username ?? 'unknown';
}

export function createHandlers(d: HandlerDeps): Handlers {
  const replayLimit = d.replayLimit ?? 5000;

  /** The visibility rule, for the roles this protocol serves problems to at all (not the public). */
  function problemsVisible(v: Viewer): boolean {
    return mayRequest(v.role, 'problems') && canSeeProblems(v, d.contest.clock());
  }

  function requireProblemsVisible(v: Viewer): void {
    if (!problemsVisible(v)) {
      const clock = d.contest.clock();
      const when = clock.startAtMs === null ? 'once the organizers start it' : `at ${new Date(clock.startAtMs).toISOString()}`;
      throw new ApiError('contest_not_running', `problems are shown when the contest starts (${when})`);
    }
  }

  /** A download of a problem's file: only when problems are visible, counted, and of an active problem. */
  function visibleProblem(conn: Connection, problemId: string): boolean {
    requireProblemsVisible(conn.session.viewer);
    takeDownload(conn);
    return activeProblems().some((p) => p.id === problemId);
  }

  function activeProblems(): ProblemSummary[] {
    const byId = new Map(d.problems.list().map((p) => [p.id, p]));
    return contestProblems(d.store.settings.problems(), (id) => byId.get(id));
  }

  function snapshot(v: Viewer): Snapshot {
    const s: Snapshot = {
      clock: d.contest.clock(),
      scoreboard: d.contest.scoreboard(scoreboardViewFor(v)),
      problems: problemsVisible(v) ? activeProblems() : [],
      clarifications: mayRequest(v.role, 'clarifications') ? d.contest.clarifications(v) : [],
    };
    if (v.role === 'team' && v.teamId !== null) {
      s.submissions = d.store.submissions.forTeam(v.teamId);
      s.verdicts = d.store.submissions.verdictsForTeam(v.teamId);
    }
    if (isJury(v)) s.queue = d.store.queueItems();
    return s;
  }

  /**
   * Sends the visible events after log position `since` (the reader's number `sinceNo`) and starts
   * live delivery after the last one. Replayed events are exactly the reader's next numbers.
   */
  function replayThenLive(conn: Connection, since: number, sinceNo: number): void {
    let last = since;
    let no = sinceNo;
    for (;;) {
      const batch: StoredEvent[] = d.store.events.eventsSince(last, conn.session.viewer, 1000);
      for (const e of batch) conn.sendEncoded(encodeEvent(e, ++no));
      if (batch.length < 1000) break;
      last = batch[batch.length - 1]!.seq;
    }
    // Everything up to the head is either sent or invisible to this viewer.
    conn.subscribe(d.store.events.headSeq());
  }

  return {
    hello(req, { conn }) {
      if (req.protocolVersion !== PROTOCOL_VERSION) {
        throw new ApiError(
          'unsupported_version',
          `this server speaks protocol version ${PROTOCOL_VERSION}, the client ${req.protocolVersion}: use a client of the same judged version`,
          'protocolVersion',
        );
      }
      conn.clientName = req.client ?? null;
      const notYet = conn.admission.hello();
      if (notYet) conn.pendingReason = notYet;
      return { protocolVersion: PROTOCOL_VERSION, server: d.serverName, serverTimeMs: Date.now(), limits: { ...LIMITS } };
    },

    async login(req, { conn, log }) {
      let refusal: unknown;
      const session = await conn.budgets.guardLogin(conn.address, req.username, async () => {
        try {
          return await d.contest.login(req.username, req.password);
        } catch (err) {
          refusal = err;
          return null;
        }
      }).catch((err: unknown) => {
        refusal = err;
        return null;
      });
      if (!session) {
        log.info('login refused', { username: req.username, reason: (refusal as { code?: string; kind?: string }).code ?? (refusal as { kind?: string }).kind });
        throw refusal;
      }
      conn.setSession({ viewer: viewerOf(session.user), user: session.user, token: session.token });
      log.info('login', { username: session.user.username, role: session.user.role });
      return { session };
    },

    resume(req, { conn }) {
      const session = d.contest.resume(req.token);
      conn.setSession({ viewer: viewerOf(session.user), user: session.user, token: session.token });
      return { session };
    },

    logout(_req, { conn, afterReply }) {
      const token = conn.session.token;
      conn.setSession(PUBLIC_SESSION);
      if (token) {
        d.contest.logout(token);
        // Every other connection holding the token loses it too (after this answer is sent).
        afterReply(() => d.endSessions());
      }
      return {};
    },

    subscribe(req, { conn, afterReply }): ResultOf<'subscribe'> {
      // The client speaks in its reader class's numbers; positions in the log stay here.
      const viewer = conn.session.viewer;
      const head = d.store.events.readerHead(viewer);
      const since = req.sinceSeq;
      const from = since !== null && since <= head ? d.store.events.readerPosition(viewer, since) : null;
      if (since !== null && from !== null) {
        const probe = d.store.events.eventsSince(from, viewer, replayLimit + 1);
        if (probe.length <= replayLimit) {
          afterReply(() => replayThenLive(conn, from, since));
          return { mode: 'replay', headSeq: head };
        }
      }
      const snap = snapshot(conn.session.viewer);
      const at = d.store.events.headSeq();
      afterReply(() => replayThenLive(conn, at, head));
      return { mode: 'snapshot', headSeq: head, snapshot: snap };
    },

    clock: () => ({ clock: d.contest.clock() }),

    scoreboard: (_req, { conn }) => ({ scoreboard: d.contest.scoreboard(scoreboardViewFor(conn.session.viewer)) }),

    problems(_req, { conn }) {
      requireProblemsVisible(conn.session.viewer);
      return { problems: activeProblems() };
    },

    statement(req, { conn }) {
      requireProblemsVisible(conn.session.viewer);
      takeDownload(conn);
      const problem = contestProblems(d.store.settings.problems().filter((p) => p.id === req.problemId), (id) => d.problems.info(id))[0];
      if (!problem) throw new ApiError('not_found', `no problem with id "${req.problemId}"`, 'problemId');
      return { problem };
    },

    attachment(req, { conn }) {
      const active = visibleProblem(conn, req.problemId);
      const a = active ? d.problems.attachment(req.problemId, req.name) : undefined;
      if (!a) throw new ApiError('not_found', `problem "${req.problemId}" has no attachment "${req.name}"`, 'name');
      refuseOversized(req.name, a.sizeBytes);
      return { name: req.name, mediaType: mediaTypeOf(req.name), contentBase64: fs.readFileSync(a.path).toString('base64') };
    },

    problemFile(req, { conn }) {
      const f = visibleProblem(conn, req.problemId) ? d.problems.problemFile(req.problemId, req.kind, req.language) : undefined;
      if (!f) throw new ApiError('not_found', `problem "${req.problemId}" has no ${req.kind === 'statementPdf' ? 'PDF statement' : 'samples'}`, 'kind');
      refuseOversized(f.name, f.bytes.length);
      return { name: f.name, mediaType: mediaTypeOf(f.name), contentBase64: Buffer.from(f.bytes).toString('base64') };
    },

    languages: () => ({ languages: d.languages() }),

    async submit(req, { conn, log }) {
      const teamId = teamOf(conn);
      conn.budgets.takeTeam('submissions', teamId);
      // Batched: a burst of submissions from many teams shares one transaction (one fsync).
      const submission = await d.contest.submitBatched(teamId, { problemId: req.problemId, language: req.language, files: req.files });
      log.info('submission', { team: teamId, submission: submission.id, problem: submission.problemId, language: submission.language });
      d.wakeWorkers();
      return { submission };
    },

    submissions(_req, { conn }) {
      const teamId = teamOf(conn);
      return { submissions: d.store.submissions.forTeam(teamId), verdicts: d.store.submissions.verdictsForTeam(teamId) };
    },

    clarifications: (_req, { conn }) => ({ clarifications: d.contest.clarifications(conn.session.viewer) }),

    ask(req, { conn }) {
      const teamId = teamOf(conn);
      conn.budgets.takeTeam('clarifications', teamId);
      return { clarification: d.contest.ask(teamId, req.problemId, req.text) };
    },

    queue: () => ({ queue: d.store.queueItems() }),

    jurySubmissions(req) {
      const f: Parameters<Store['submissions']['list']>[0] = { limit: req.limit };
      if (req.teamId !== undefined) f.teamId = req.teamId;
      if (req.problemId !== undefined) f.problemId = req.problemId;
      if (req.verdict !== undefined) f.verdict = req.verdict;
      if (req.beforeId !== undefined) f.beforeId = req.beforeId;
      return { submissions: d.store.submissions.list(f) };
    },

    jurySubmission: (req) => d.contest.jurySubmission(req.submissionId),

    rejudge(req, { conn, log }) {
      conn.budgets.takeJury(username(conn));
      const opts: NewRejudging = { byUsername: username(conn) };
      if (req.verdicts !== undefined) opts.verdicts = req.verdicts;
      if (req.reason !== undefined) opts.reason = req.reason;
      if (req.autoApply !== undefined) opts.autoApply = req.autoApply;
      const r = d.contest.rejudge(req.scope, opts);
      log.info('rejudge', { by: opts.byUsername, scope: req.scope, submissions: r.submissionCount, autoApply: opts.autoApply ?? false });
      d.wakeWorkers();
      return r;
    },

    rejudgings: () => ({ rejudgings: d.store.rejudgings.list() }),

    rejudging: (req) => d.contest.rejudging(req.rejudgingId),

    decideRejudging(req, { conn, log }) {
      conn.budgets.takeJury(username(conn));
      const rejudging = d.contest.decideRejudging(req.rejudgingId, req.action, username(conn));
      log.info('rejudging decided', { by: username(conn), rejudgingId: rejudging.id, action: req.action, changed: rejudging.changedCount });
      return { rejudging };
    },

    answer(req, { conn }) {
      conn.budgets.takeJury(username(conn));
      return { clarification: d.contest.answer(req.clarificationId, req.text, req.to, username(conn)) };
    },

    announce(req, { conn }) {
      conn.budgets.takeJury(username(conn));
      return { clarification: d.contest.announce(req.problemId, req.text, username(conn)) };
    },

    teams() {
      const logins = d.store.accounts.teamLogins();
      return { teams: d.contest.teams().map((t) => ({ ...t, logins: logins.get(t.id) ?? [] })) };
    },

    setContestTimes(req, { conn, log }) {
      const clock = d.contest.setContestTimes({ startAtMs: req.startAtMs, durationMs: req.durationMs, freezeDurationMs: req.freezeDurationMs });
      log.info('contest times changed', { by: username(conn), startAtMs: req.startAtMs, durationMs: req.durationMs });
      return { clock };
    },

    contestControl(req, { conn, log }) {
      const clock = d.contest.control(req.action);
      log.info('contest control', { by: username(conn), action: req.action });
      return { clock };
    },

    async addTeam(req, { conn, log }) {
      // scrypt off the event loop (~50-100 ms of CPU): live events keep flowing while the admin adds teams.
      const passwordHash = await hashPasswordAsync(req.password);
      const team = d.contest.addTeam({ teamId: req.teamId, name: req.name, organization: req.organization, username: req.username, passwordHash });
      log.info('team added', { by: username(conn), team: team.id });
      return { team };
    },

    async importTeams(req, { conn, log }) {
      conn.budgets.takeJury(username(conn));
      const r = await d.contest.importTeams(req.files);
      log.info(r.errors.length ? 'team import refused' : 'teams imported', { by: username(conn), teams: r.teams.length, accounts: r.accounts, generatedLogins: r.logins.length, errors: r.errors.length });
      return { teams: r.teams, accounts: r.accounts, logins: r.logins, errors: r.errors.map(({ problem: _p, ...e }) => e) };
    },

    editTeam(req, { conn, log }) {
      const team = d.contest.editTeam(req.teamId, { name: req.name, organization: req.organization, location: req.location, groupIds: req.groupIds });
      log.info('team changed', { by: username(conn), team: team.id, fields: ['name', 'organization', 'location', 'groupIds'].filter((k) => req[k as keyof typeof req] !== undefined) });
      return { team };
    },

    judgehosts() {
      const q = d.queue();
      return {
        queue: { backend: q?.source.kind ?? 'embedded', up: q ? q.problem() === null : true, problem: q?.problem() ?? null },
        judgehosts: (q?.judgehosts() ?? []).map(wireJudgehost),
      };
    },

    async setJudgehostEnabled(req, { conn, log }) {
      const q = d.queue();
      if (!q || q.source.kind !== 'redis') throw new ApiError('conflict', 'this daemon judges locally: there are no judgehosts (start it with --queue redis://...)');
      if (!q.judgehosts().some((h) => h.name === req.name)) throw new ApiError('not_found', `no judgehost named ${req.name} has reported to this queue`);
      await q.setJudgehostDisabled(req.name, !req.enabled);
      log.info(req.enabled ? 'judgehost enabled' : 'judgehost disabled', { by: username(conn), judgehost: req.name });
      return { judgehosts: q.judgehosts().map(wireJudgehost) };
    },

    async removeJudgehost(req, { conn, log }) {
      const q = d.queue();
      if (!q || q.source.kind !== 'redis') throw new ApiError('conflict', 'this daemon judges locally: there are no judgehosts (start it with --queue redis://...)');
      const h = q.judgehosts().find((x) => x.name === req.name);
      if (!h) throw new ApiError('not_found', `no judgehost named ${req.name} is listed`);
      try {
        await q.removeJudgehost(req.name);
      } catch (err) {
        throw new ApiError('conflict', (err as Error).message);
      }
      log.info('judgehost removed from the list', { by: username(conn), judgehost: req.name, seenAgoMs: h.seenAgoMs });
      return { judgehosts: q.judgehosts().map(wireJudgehost) };
    },

    setTeamEnabled(req, { conn, log }) {
      const team = d.contest.setTeamEnabled(req.teamId, req.enabled);
      log.info(req.enabled ? 'team enabled' : 'team disabled', { by: username(conn), team: team.id });
      if (!req.enabled) {
        for (const c of d.connections()) {
          if (ownsTeam(c.session.viewer, req.teamId)) c.close(4003, 'this team was disabled by the organizers');
        }
      }
      return { team };
    },

    async setAccount(req, { conn, log }) {
      // scrypt off the event loop, as for addTeam: a password reset does not stall everybody's events.
      const passwordHash = req.password === undefined ? undefined : await hashPasswordAsync(req.password);
      const account = d.contest.setAccount(req.username, { enabled: req.enabled, passwordHash });
      log.info('account changed', { by: username(conn), account: req.username, enabled: req.enabled, newPassword: req.password !== undefined });
      // A new password or a disabled account ends its sessions: close every connection still holding one.
      d.endSessions();
      return { account };
    },

    async print(req, { conn, log }) {
      const teamId = teamOf(conn);
      // The budget of downloads also paces printing: a page budget alone would allow a flood of tiny jobs.
      conn.budgets.takeTeam('downloads', teamId);
      const { job, pagesLeft } = await d.printing.print(teamId, req.fileName, req.text);
      log.info('printout', { team: teamId, job: job.id, pages: job.pages, state: job.state });
      return { jobId: job.id, pages: job.pages, state: job.state, pagesLeft };
    },

    printJobs: () => ({ jobs: d.store.printouts.list(), printer: d.printing.opts.printer }),

    printJob(req) {
      const job = d.store.printouts.get(req.jobId);
      if (!job) throw new ApiError('not_found', `no printout ${req.jobId}`, 'jobId');
      return { job, text: d.printing.text(job) };
    },

    async printAction(req, { conn, log }) {
      conn.budgets.takeJury(username(conn));
      const job = req.action === 'reprint' ? await d.printing.reprint(req.jobId) : d.store.printouts.setDone(req.jobId, req.action === 'done');
      if (!job) throw new ApiError('not_found', `no printout ${req.jobId}`, 'jobId');
      log.info('printout', { by: username(conn), job: job.id, action: req.action, state: job.state });
      return { job };
    },

    balloons: (req, { conn }) => d.contest.balloons.list(conn.session.viewer, req.includeFrozen ?? false),

    setBalloonDone(req, { conn }) {
      conn.budgets.takeJury(username(conn));
      const balloon = d.contest.balloons.setDone(conn.session.viewer, req.teamId, req.problemId, req.done, username(conn));
      if (!balloon) throw new ApiError('not_found', `no balloon for team ${req.teamId} on problem ${req.problemId}`, 'problemId');
      return { balloon };
    },
  };
}

/** Files go inline as base64 in one frame; a larger one is refused naming its size. */
function refuseOversized(name: string, sizeBytes: number): void {
  if (sizeBytes > MAX_ATTACHMENT_BYTES) {
    throw new ApiError('conflict', `${name} is ${sizeBytes} bytes, more than can be sent (${MAX_ATTACHMENT_BYTES}): ask the organizers for it`);
  }
}
