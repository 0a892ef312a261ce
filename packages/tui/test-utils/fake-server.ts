import { WebSocketServer, type WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  LIMITS,
  errorFrame,
  eventFrame,
  okFrameOf,
  parseClientFrame,
  type Clarification,
  type ContestClock,
  type ContestEvent,
  type EventFrame,
  type Language,
  type ResultOf,
  type RequestType,
  type ScoreboardSnapshot,
  type TeamSubmission,
  type TeamVerdict,
  type User,
} from '@judged/shared/protocol';
import type { ProblemInfo } from '@judged/shared/problem';
import type { Verdict } from '@judged/shared/verdict';
import { toProblemSummary } from '@judged/shared/problem';
import { applyRowUpdates } from '@judged/shared/scoring';
import { canSeeClarification, isJury, viewerOf } from '@judged/shared/visibility';

/**
 * A small in-memory server speaking the shared protocol, for the client's tests and benchmark before
 * (and besides) the real daemon: accounts, an event log with seq numbers, replay or snapshot on
 * subscribe, and scripted judging (`judge(id, verdict)`). Every client frame is validated with the
 * shared parser, every answer built with the shared frame builders.
 */
export interface FakeAccount {
  password: string;
  user: User;
}

export interface FakeServerOptions {
  accounts: FakeAccount[];
  clock: ContestClock;
  problems: ProblemInfo[];
  scoreboard: ScoreboardSnapshot;
  languages: Language[];
  clarifications?: Clarification[];
  /** Events older than this many behind the head are not replayed (forces a snapshot). */
  replayWindow?: number;
}

interface Conn {
  ws: WebSocket;
  user: User | null;
  subscribed: boolean;
}

export class FakeServer {
  private wss!: WebSocketServer;
  private conns = new Set<Conn>();
  private log: { frame: EventFrame; audience: (u: User | null) => boolean }[] = [];
  private seq = 0;
  private nextSub = 1;
  private nextClar = 100;
  private tokens = new Map<string, User>();
  submissions: (TeamSubmission & { teamId: string })[] = [];
  verdicts = new Map<string, TeamVerdict>();
  clarifications: Clarification[];
  clock: ContestClock;
  scoreboard: ScoreboardSnapshot;
  /** Requests received, by type (tests assert on them). */
  received: RequestType[] = [];
  port = 0;

  constructor(private opts: FakeServerOptions) {
    this.clarifications = [...(opts.clarifications ?? [])];
    this.clock = opts.clock;
    this.scoreboard = opts.scoreboard;
  }

  async start(port = 0): Promise<string> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws' });
    await new Promise<void>((r) => this.wss.once('listening', () => r()));
    this.port = (this.wss.address() as { port: number }).port;
    this.wss.on('connection', (ws) => {
      const c: Conn = { ws, user: null, subscribed: false };
      this.conns.add(c);
      ws.on('close', () => this.conns.delete(c));
      ws.on('message', (data) => this.onMessage(c, String(data)));
    });
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  /** Cut every connection as a network failure would. */
  dropAll(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  /** Ends every session of `username` as the daemon does on logout everywhere: tokens revoked, 4001. */
  endSessions(username: string, reason = 'your session ended (logged out, or a new password): log in again'): void {
    for (const [token, user] of this.tokens) if (user.username === username) this.tokens.delete(token);
    for (const c of this.conns) if (c.user?.username === username) c.ws.close(4001, reason);
  }

  get headSeq(): number {
    return this.seq;
  }

  connections(): number {
    return this.conns.size;
  }

  /** Append an event to the log and send it to every subscribed connection allowed to see it. */
  emit(event: ContestEvent, audience: (u: User | null) => boolean = () => true): EventFrame {
    const frame = eventFrame(++this.seq, Date.now(), event);
    this.log.push({ frame, audience });
    const text = JSON.stringify(frame);
    for (const c of this.conns) if (c.subscribed && audience(c.user)) c.ws.send(text);
    return frame;
  }

  setClock(clock: ContestClock): void {
    this.clock = clock;
    this.emit({ kind: 'clock', clock });
  }

  /** Move a submission through compiling and running to a verdict, emitting each step. */
  judge(id: string, verdict: Verdict, opts: { tests?: number; compileOutput?: string; teamMessage?: string } = {}): TeamVerdict {
    const s = this.submissions.find((x) => x.id === id);
    if (!s) throw new Error(`no submission ${id}`);
    const team = (u: User | null) => u?.teamId === s.teamId || u?.role === 'judge' || u?.role === 'admin';
    const tests = opts.tests ?? 4;
    this.emit({ kind: 'progress', submissionId: id, judgingId: `j${id}`, status: 'compiling', testIndex: null, testCount: tests }, team);
    const passed = verdict === 'AC' ? tests : verdict === 'CE' ? 0 : Math.max(0, tests - 2);
    if (verdict !== 'CE') {
      for (let i = 1; i <= Math.min(tests, passed + 1); i++) {
        this.emit({ kind: 'progress', submissionId: id, judgingId: `j${id}`, status: 'running', testIndex: i, testCount: tests }, team);
      }
    }
    const problem = this.opts.problems.find((p) => p.id === s.problemId)!;
    const v: TeamVerdict = {
      submissionId: id,
      judgingId: `j${id}`,
      verdict,
      timeMs: verdict === 'CE' ? null : 42,
      memoryKiB: verdict === 'CE' ? null : 2048,
      testsPassed: passed,
      testCount: tests,
      compileOutput: opts.compileOutput ?? (verdict === 'CE' ? 'sol.cpp:1:1: error: expected unqualified-id' : null),
      teamMessage: opts.teamMessage ?? null,
      tests:
        verdict === 'CE'
          ? []
          : problem.samples.map((sm, i) => ({ index: i + 1, name: sm.name, sample: true, verdict: verdict === 'WA' && i === 0 ? 'WA' : 'AC', timeMs: 10, memoryKiB: 1024, input: sm.input, expected: sm.output, got: verdict === 'WA' && i === 0 ? '41\n' : sm.output, gotTruncated: false, stderr: '', teamMessage: null })),
    };
    Object.assign(s, { status: 'judged', verdict, timeMs: v.timeMs, memoryKiB: v.memoryKiB, testIndex: passed, testCount: tests });
    this.verdicts.set(id, v);
    this.emit({ kind: 'verdict', verdict: v }, (u) => u?.teamId === s.teamId);
    // Scoreboard: the team's row for this problem changes.
    const row = this.scoreboard.rows.find((r) => r.teamId === s.teamId);
    if (row) {
      const cells = row.cells.map((c) => {
        if (c.problemId !== s.problemId || c.solved) return c;
        if (verdict === 'AC') {
          const t = Math.floor(s.contestTimeMs / 60000);
          return { ...c, solved: true, attempts: c.attempts + 1, pending: 0, timeMin: t, penaltyMin: t + 20 * c.attempts };
        }
        return verdict === 'CE' ? c : { ...c, attempts: c.attempts + 1 };
      });
      const solved = cells.filter((c) => c.solved).length;
      const updated = { ...row, cells, solved, penaltyMin: cells.reduce((n, c) => n + c.penaltyMin, 0), lastAcMin: Math.max(0, ...cells.map((c) => c.timeMin ?? 0)) || null };
      this.scoreboard = { ...this.scoreboard, rows: applyRowUpdates(this.scoreboard.rows, [updated]) };
      this.emit({ kind: 'scoreboard', view: 'public', frozen: this.scoreboard.frozen, rows: [updated] });
    }
    return v;
  }

  answer(questionId: string, text: string, to: 'team' | 'all'): Clarification {
    const q = this.clarifications.find((c) => c.id === questionId)!;
    q.answered = true;
    const a: Clarification = {
      id: `c${this.nextClar++}`, kind: 'answer', fromTeamId: null, toTeamId: to === 'team' ? q.fromTeamId : null, problemId: q.problemId,
      replyToId: q.id, quotedQuestion: q.text, text, createdAtMs: Date.now(), contestTimeMs: Date.now() - (this.clock.startAtMs ?? 0), answered: false,
    };
    this.clarifications.push(a);
    this.emit({ kind: 'clarification', clarification: q }, (u) => u?.teamId === q.fromTeamId || isJury(u));
    this.emit({ kind: 'clarification', clarification: a }, (u) => a.toTeamId === null || u?.teamId === a.toTeamId || isJury(u));
    return a;
  }

  private send<T extends RequestType>(c: Conn, id: number | string, type: T, result: ResultOf<T>): void {
    c.ws.send(JSON.stringify(okFrameOf(id, type, result)));
  }

  private onMessage(c: Conn, text: string): void {
    const p = parseClientFrame(text, LIMITS.maxFrameBytes);
    if (!p.ok) {
      c.ws.send(JSON.stringify(errorFrame(p.id, p.code, p.message, p.field)));
      return;
    }
    const f = p.frame;
    this.received.push(f.type);
    const fail = (code: Parameters<typeof errorFrame>[1], msg: string) => c.ws.send(JSON.stringify(errorFrame(f.id, code, msg)));
    const needLogin = f.type !== 'hello' && f.type !== 'login' && f.type !== 'resume' && f.type !== 'subscribe' && f.type !== 'clock' && f.type !== 'scoreboard';
    if (needLogin && !c.user) return fail('unauthenticated', 'log in first');
    const u = c.user;
    switch (f.type) {
      case 'hello':
        if (f.protocolVersion !== PROTOCOL_VERSION) return fail('unsupported_version', `server speaks protocol ${PROTOCOL_VERSION}`);
        return this.send(c, f.id, 'hello', { protocolVersion: PROTOCOL_VERSION, server: 'fake/1', serverTimeMs: Date.now(), limits: LIMITS });
      case 'login': {
        const a = this.opts.accounts.find((x) => x.user.username === f.username && x.password === f.password);
        if (!a) return fail('bad_credentials', 'wrong user name or password');
        c.user = a.user;
        const token = `tok-${a.user.username}-${Math.random().toString(36).slice(2)}xxxxxxxx`;
        this.tokens.set(token, a.user);
        return this.send(c, f.id, 'login', { session: { token, user: a.user, expiresAtMs: null } });
      }
      case 'resume': {
        const user = this.tokens.get(f.token);
        if (!user) return fail('session_invalid', 'unknown session: log in again');
        c.user = user;
        return this.send(c, f.id, 'resume', { session: { token: f.token, user, expiresAtMs: null } });
      }
      case 'subscribe': {
        c.subscribed = true;
        const window = this.opts.replayWindow ?? 1000;
        if (f.sinceSeq !== null && this.seq - f.sinceSeq <= window) {
          this.send(c, f.id, 'subscribe', { mode: 'replay', headSeq: this.seq });
          for (const e of this.log) if (e.frame.seq > f.sinceSeq && e.audience(u)) c.ws.send(JSON.stringify(e.frame));
          return;
        }
        const team = u?.role === 'team';
        const started = this.clock.state !== 'before';
        return this.send(c, f.id, 'subscribe', {
          mode: 'snapshot',
          headSeq: this.seq,
          snapshot: {
            clock: { ...this.clock, serverTimeMs: Date.now() },
            scoreboard: this.scoreboard,
            problems: u && (started || !team) ? this.opts.problems.map(toProblemSummary) : [],
            ...(team ? { submissions: this.teamSubs(u), verdicts: this.teamVerdicts(u) } : {}),
            clarifications: this.visibleClars(u),
            ...(isJury(u) ? { queue: [] } : {}),
          },
        });
      }
      case 'clock':
        return this.send(c, f.id, 'clock', { clock: { ...this.clock, serverTimeMs: Date.now() } });
      case 'scoreboard':
        return this.send(c, f.id, 'scoreboard', { scoreboard: this.scoreboard });
      case 'problems':
        if (this.clock.state === 'before' && u?.role === 'team') return fail('contest_not_running', 'the contest has not started');
        return this.send(c, f.id, 'problems', { problems: this.opts.problems.map(toProblemSummary) });
      case 'statement': {
        const pr = this.opts.problems.find((x) => x.id === f.problemId);
        if (!pr) return fail('not_found', `no problem ${f.problemId}`);
        return this.send(c, f.id, 'statement', { problem: pr });
      }
      case 'languages':
        return this.send(c, f.id, 'languages', { languages: this.opts.languages });
      case 'submit': {
        if (!u?.teamId) return fail('forbidden', 'only teams submit');
        if (!this.opts.languages.some((l) => l.id === f.language)) return fail('unknown_language', `unknown language ${f.language}`);
        if (!this.opts.problems.some((x) => x.id === f.problemId)) return fail('not_found', `no problem ${f.problemId}`);
        const now = Date.now();
        const s = {
          id: String(this.nextSub++), problemId: f.problemId, language: f.language, fileNames: f.files.map((x) => x.name), submittedAtMs: now,
          contestTimeMs: now - (this.clock.startAtMs ?? now), status: 'queued' as const, verdict: null, timeMs: null, memoryKiB: null, testIndex: null, testCount: null,
        };
        this.submissions.push({ ...s, teamId: u.teamId });
        this.send(c, f.id, 'submit', { submission: s });
        this.emit({ kind: 'submission', submission: s }, (x) => x?.teamId === u.teamId);
        return;
      }
      case 'submissions':
        return this.send(c, f.id, 'submissions', { submissions: this.teamSubs(u), verdicts: this.teamVerdicts(u) });
      case 'clarifications':
        return this.send(c, f.id, 'clarifications', { clarifications: this.visibleClars(u) });
      case 'ask': {
        const q: Clarification = {
          id: `c${this.nextClar++}`, kind: 'question', fromTeamId: u!.teamId, toTeamId: null, problemId: f.problemId, replyToId: null, quotedQuestion: null,
          text: f.text, createdAtMs: Date.now(), contestTimeMs: Date.now() - (this.clock.startAtMs ?? 0), answered: false,
        };
        this.clarifications.push(q);
        this.send(c, f.id, 'ask', { clarification: q });
        this.emit({ kind: 'clarification', clarification: q }, (x) => x?.teamId === q.fromTeamId || isJury(x));
        return;
      }
      case 'answer': {
        if (!isJury(u)) return fail('forbidden', 'jury only');
        const a = this.answer(f.clarificationId, f.text, f.to);
        return this.send(c, f.id, 'answer', { clarification: a });
      }
      case 'announce': {
        if (!isJury(u)) return fail('forbidden', 'jury only');
        const a: Clarification = {
          id: `c${this.nextClar++}`, kind: 'announcement', fromTeamId: null, toTeamId: null, problemId: f.problemId, replyToId: null, quotedQuestion: null,
          text: f.text, createdAtMs: Date.now(), contestTimeMs: 0, answered: false,
        };
        this.clarifications.push(a);
        this.send(c, f.id, 'announce', { clarification: a });
        this.emit({ kind: 'clarification', clarification: a });
        return;
      }
      default:
        return fail('internal', `the fake server does not implement '${f.type}'`);
    }
  }

  private teamSubs(u: User | null): TeamSubmission[] {
    return this.submissions.filter((s) => s.teamId === u?.teamId).map(({ teamId: _t, ...s }) => s);
  }

  private teamVerdicts(u: User | null): TeamVerdict[] {
    return this.teamSubs(u).flatMap((s) => (this.verdicts.has(s.id) ? [this.verdicts.get(s.id)!] : []));
  }

  private visibleClars(u: User | null): Clarification[] {
    return this.clarifications.filter((c) => canSeeClarification(viewerOf(u), c));
  }
}
