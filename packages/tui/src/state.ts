import type {
  Balloon,
  Clarification,
  ContestClock,
  EventFrame,
  JuryJudging,
  JuryQueueItem,
  JurySubmission,
  Language,
  Rejudging,
  ScoreboardSnapshot,
  ScoreboardRow,
  Snapshot,
  TeamSubmission,
  TeamVerdict,
  User,
} from '@judged/shared/protocol';
import type { ProblemInfo, ProblemSummary } from '@judged/shared/problem';
import { applyRowUpdates, rankRows } from '@judged/shared/scoring';
import { formatScore } from '@judged/shared/problem-score';
import { safeData } from '@judged/shared/terminal-text';
import { isJury } from '@judged/shared/visibility';
import type { ClientHandlers, ConnState } from './client.ts';

/**
 * The contest as this client knows it, kept OUTSIDE React: the connection feeds it snapshots and
 * events, screens read it with useSyncExternalStore. Every update replaces only the slices it
 * changes, so a screen that selects `scoreboard` does not re-render when a clarification arrives.
 * Events are applied once: anything with seq <= lastSeq (a replay overlapping what we had) is ignored.
 * What comes from the server is made terminal-safe on the way in (safeData), so no screen can print
 * another person's escape sequences; answers screens fetch themselves come through safeApi.
 */
export interface Notice {
  id: number;
  text: string;
  atMs: number;
  /** Which screen shows the details. */
  screen: 'clarifications' | 'submissions';
}

export interface ContestData {
  conn: ConnState;
  user: User | null;
  clock: ContestClock | null;
  /** server time minus local time, ms */
  offsetMs: number;
  problems: ProblemSummary[];
  statements: Record<string, ProblemInfo>;
  languages: Language[];
  /** Own submissions, newest first (team). */
  submissions: TeamSubmission[];
  verdicts: Record<string, TeamVerdict>;
  scoreboard: ScoreboardSnapshot | null;
  clarifications: Clarification[];
  notices: Notice[];
  /** Clarification ids the user has not looked at yet. */
  unread: string[];
  jurySubmissions: JurySubmission[];
  queue: JuryQueueItem[];
  judgings: Record<string, JuryJudging[]>;
  /** Jury: rejudgings, newest first (the Rejudgings screen loads them; events keep them current). */
  rejudgings: Rejudging[];
  /** Jury: bumped by each printJob event, so the Print queue screen reloads. */
  printsVersion: number;
  /** Jury: bumped by each team event (added, edited, disabled: by this admin or another), so the Teams screen reloads. */
  teamsVersion: number;
  /**
   * Runners and the jury: the balloons as the Balloons screen loaded them once, kept current by
   * balloon events (no polling); null until loaded, and again after a snapshot (events were skipped)
   * or a freeze change (whether balloons are held back), so the screen loads them again.
   */
  balloons: BalloonList | null;
  lastSeq: number | null;
}

export function emptyData(): ContestData {
  return {
    conn: { status: 'connecting', message: 'connecting', attempt: 0, retryAtMs: null },
    user: null,
    clock: null,
    offsetMs: 0,
    problems: [],
    statements: {},
    languages: [],
    submissions: [],
    verdicts: {},
    scoreboard: null,
    clarifications: [],
    notices: [],
    unread: [],
    jurySubmissions: [],
    queue: [],
    judgings: {},
    rejudgings: [],
    printsVersion: 0,
    teamsVersion: 0,
    balloons: null,
    lastSeq: null,
  };
}

/** The balloons answer as the client keeps it (the jury's list includes the held-back ones, marked frozen). */
export interface BalloonList {
  list: Balloon[];
  heldBack: boolean;
}

type Listener = () => void;

export class ClientState {
  private data: ContestData = emptyData();
  private listeners = new Set<Listener>();
  private noticeId = 1;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): ContestData => this.data;

  update(patch: Partial<ContestData>): void {
    this.data = { ...this.data, ...patch };
    for (const l of this.listeners) l();
  }

  /**
   * The JudgeClient options that keep this state current: resume after the last applied seq, and
   * connection status, clock offset, user, snapshots and events applied as they come.
   */
  clientFeed(): { sinceSeq: () => number | null; handlers: Required<Pick<ClientHandlers, 'onStatus' | 'onOffset' | 'onSession' | 'onSnapshot' | 'onEvent'>> } {
    return {
      sinceSeq: () => this.data.lastSeq,
      handlers: {
        // The status message can be a server error message, which may quote someone's text.
        onStatus: (conn) => this.update({ conn: safeData(conn) }),
        onOffset: (offsetMs) => this.update({ offsetMs }),
        // Another account's balloons (a jury list has held-back ones) are not this one's to show.
        onSession: (s) => this.update({ user: safeData(s.user), ...(s.user.username !== this.data.user?.username ? { balloons: null } : {}) }),
        onSnapshot: (snap, headSeq) => this.applySnapshot(snap, headSeq),
        onEvent: (f) => this.applyEvent(f),
      },
    };
  }

  /** Local now corrected to the server's clock. */
  now(): number {
    return Date.now() + this.data.offsetMs;
  }

  isJury(): boolean {
    return isJury(this.data.user);
  }

  applySnapshot(snapshot: Snapshot, headSeq: number): void {
    const s = safeData(snapshot);
    const patch: Partial<ContestData> = {
      clock: s.clock,
      scoreboard: s.scoreboard,
      problems: s.problems,
      clarifications: sortClars(s.clarifications),
      lastSeq: headSeq,
      balloons: null,
    };
    if (s.submissions) patch.submissions = sortSubs(s.submissions);
    if (s.verdicts) patch.verdicts = Object.fromEntries(s.verdicts.map((v) => [v.submissionId, v]));
    if (s.queue) patch.queue = s.queue;
    this.update(patch);
  }

  /** Apply one event; returns false when it was a duplicate. */
  applyEvent(f: EventFrame): boolean {
    const d = this.data;
    if (d.lastSeq !== null && f.seq <= d.lastSeq) return false;
    const patch: Partial<ContestData> = { lastSeq: f.seq };
    const e = safeData(f.event);
    switch (e.kind) {
      case 'clock':
        patch.clock = e.clock;
        // At the unfreeze the held-back balloons come as events; at a freeze only the server knows
        // whether it holds balloons back (--balloons-during-freeze), so the screen asks again.
        if (d.balloons && d.clock?.scoreboardFrozen !== e.clock.scoreboardFrozen) patch.balloons = e.clock.scoreboardFrozen ? null : { ...d.balloons, heldBack: false };
        break;
      case 'submission':
        patch.submissions = sortSubs(upsert(d.submissions, e.submission, (s) => s.id));
        break;
      case 'progress': {
        const i = d.submissions.findIndex((s) => s.id === e.submissionId);
        if (i >= 0) {
          const cur = d.submissions[i]!;
          if (cur.status !== 'judged') {
            const subs = d.submissions.slice();
            subs[i] = { ...cur, status: e.status, testIndex: e.testIndex, testCount: e.testCount };
            patch.submissions = subs;
          }
        }
        const j = d.jurySubmissions.findIndex((s) => s.id === e.submissionId);
        if (j >= 0) {
          const subs = d.jurySubmissions.slice();
          subs[j] = { ...subs[j]!, status: e.status, testIndex: e.testIndex, testCount: e.testCount, judgingId: e.judgingId };
          patch.jurySubmissions = subs;
        }
        if (this.isJury()) {
          const qi = d.queue.findIndex((q) => q.submissionId === e.submissionId);
          const q = d.queue.slice();
          if (qi >= 0) q[qi] = { ...q[qi]!, status: e.status, testIndex: e.testIndex, testCount: e.testCount, judgingId: e.judgingId };
          else {
            const js = d.jurySubmissions.find((s) => s.id === e.submissionId);
            if (js) {
              q.push({ submissionId: js.id, judgingId: e.judgingId, teamId: js.teamId, problemId: js.problemId, language: js.language,
                submittedAtMs: js.submittedAtMs, status: e.status, worker: null, testIndex: e.testIndex, testCount: e.testCount, rejudgingId: null });
            }
          }
          patch.queue = q;
        }
        break;
      }
      case 'verdict': {
        const v = e.verdict;
        patch.verdicts = { ...d.verdicts, [v.submissionId]: v };
        const i = d.submissions.findIndex((s) => s.id === v.submissionId);
        if (i >= 0) {
          const subs = d.submissions.slice();
          // Scoring problems: the score too, which the problem list's best score and the list read.
          const score = v.score ? { score: v.score.score, maxScore: v.score.maxScore } : {};
          subs[i] = { ...subs[i]!, status: 'judged', verdict: v.verdict, timeMs: v.timeMs, memoryKiB: v.memoryKiB, testIndex: v.testsPassed, testCount: v.testCount, ...score };
          patch.submissions = subs;
        }
        patch.notices = this.pushNotice(d, `Submission ${v.submissionId}: ${v.verdict}${v.score ? ` ${formatScore(v.score.score, v.score.maxScore)}` : ''}`, 'submissions');
        break;
      }
      case 'scoreboard':
        patch.scoreboard = mergeScoreboard(d.scoreboard, e.view, e.frozen, e.rows, e.removedTeamIds);
        break;
      case 'clarification': {
        const c = e.clarification;
        const isNew = !d.clarifications.some((x) => x.id === c.id);
        patch.clarifications = sortClars(upsert(d.clarifications, c, (x) => x.id));
        const mine = d.user?.teamId != null && c.fromTeamId === d.user.teamId;
        const toMe = c.kind !== 'question' && !mine;
        const forJury = this.isJury() && c.kind === 'question';
        if (isNew && (toMe || forJury)) {
          const label = c.kind === 'announcement' ? 'Announcement' : c.kind === 'answer' ? 'Answer' : 'Question';
          patch.notices = this.pushNotice(d, `${label}: ${oneLine(c.text)}`, 'clarifications');
          patch.unread = [...d.unread, c.id];
        }
        break;
      }
      case 'jurySubmission':
        patch.jurySubmissions = upsert(d.jurySubmissions, e.submission, (s) => s.id).sort((a, b) => b.submittedAtMs - a.submittedAtMs);
        if (e.submission.status === 'queued' && !d.queue.some((q) => q.submissionId === e.submission.id)) {
          const s = e.submission;
          patch.queue = [...d.queue, { submissionId: s.id, judgingId: s.judgingId, teamId: s.teamId, problemId: s.problemId, language: s.language,
            submittedAtMs: s.submittedAtMs, status: 'queued', worker: null, testIndex: null, testCount: null, rejudgingId: null }];
        }
        break;
      case 'juryJudging': {
        const j = e.judging;
        const list = upsert(d.judgings[j.submissionId] ?? [], j, (x) => x.id).sort((a, b) => b.startedAtMs - a.startedAtMs);
        patch.judgings = { ...d.judgings, [j.submissionId]: list };
        if (j.endedAtMs !== null) patch.queue = (patch.queue ?? d.queue).filter((q) => q.submissionId !== j.submissionId || q.judgingId !== j.id);
        if (j.valid && j.verdict) {
          const i = d.jurySubmissions.findIndex((s) => s.id === j.submissionId);
          if (i >= 0) {
            const subs = d.jurySubmissions.slice();
            subs[i] = { ...subs[i]!, status: j.endedAtMs ? 'judged' : subs[i]!.status, verdict: j.verdict, timeMs: j.maxTimeMs, memoryKiB: j.maxMemoryKiB, judgingId: j.id };
            patch.jurySubmissions = subs;
          }
        }
        break;
      }
      case 'juryRun': {
        // A test of a judging the jury is looking at ended: its run shows before the verdict.
        const list = d.judgings[e.submissionId];
        const j = list?.find((x) => x.id === e.judgingId);
        if (!list || !j) break;
        const runs = upsert(j.runs, e.run, (r) => String(r.index)).sort((a, b) => a.index - b.index);
        patch.judgings = { ...d.judgings, [e.submissionId]: list.map((x) => (x === j ? { ...j, runs } : x)) };
        break;
      }
      case 'rejudging':
        patch.rejudgings = upsert(d.rejudgings, e.rejudging, (r) => r.id).sort((a, b) => Number(b.id) - Number(a.id));
        break;
      case 'team':
        patch.teamsVersion = d.teamsVersion + 1;
        // A balloon shows its team's name and location: an edit moves where the runner goes, so the
        // Balloons screen loads them again.
        if (d.balloons) patch.balloons = null;
        break;
      case 'printJob':
        patch.printsVersion = d.printsVersion + 1;
        break;
      case 'balloon':
        if (d.balloons) patch.balloons = { ...d.balloons, list: applyBalloon(d.balloons.list, e.balloon, e.removed === true) };
        break;
    }
    this.update(patch);
    return true;
  }

  /** The Balloons screen's answer (made terminal-safe here too, as every server text is). */
  setBalloons(list: readonly Balloon[], heldBack: boolean): void {
    this.update({ balloons: { list: sortBalloons(safeData([...list])), heldBack } });
  }

  /** A balloon as an answer returned it (setBalloonDone), applied like its event. */
  balloonChanged(b: Balloon): void {
    const d = this.data.balloons;
    if (d) this.update({ balloons: { ...d, list: applyBalloon(d.list, safeData(b), false) } });
  }

  markRead(ids: string[]): void {
    if (ids.length === 0) return;
    const set = new Set(ids);
    this.update({ unread: this.data.unread.filter((x) => !set.has(x)) });
  }

  dismissNotice(): void {
    this.update({ notices: this.data.notices.slice(1) });
  }

  private pushNotice(d: ContestData, text: string, screen: Notice['screen']): Notice[] {
    // Keep the last few; the header shows the newest one.
    return [...d.notices, { id: this.noticeId++, text, atMs: Date.now(), screen }].slice(-5);
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function upsert<T>(list: readonly T[], item: T, key: (t: T) => string): T[] {
  const k = key(item);
  const i = list.findIndex((x) => key(x) === k);
  if (i < 0) return [...list, item];
  const out = list.slice();
  out[i] = item;
  return out;
}

/** A balloon event on the list: replaced, added, or with `removed` taken out; oldest solve first. */
export function applyBalloon(list: readonly Balloon[], b: Balloon, removed: boolean): Balloon[] {
  const rest = list.filter((x) => x.teamId !== b.teamId || x.problemId !== b.problemId);
  return removed ? rest : sortBalloons([...rest, b]);
}

function sortBalloons(list: Balloon[]): Balloon[] {
  return list.sort((a, b) => a.submittedAtMs - b.submittedAtMs || Number(a.submissionId) - Number(b.submissionId));
}

function sortSubs(s: TeamSubmission[]): TeamSubmission[] {
  return s.slice().sort((a, b) => b.submittedAtMs - a.submittedAtMs || (a.id < b.id ? 1 : -1));
}

function sortClars(c: Clarification[]): Clarification[] {
  return c.slice().sort((a, b) => b.createdAtMs - a.createdAtMs);
}

/**
 * Changed rows merged and re-ranked with the shared ICPC ranking (scoring.ts). Rows of removed
 * (disabled) teams go first, as the protocol says, so a removed team cannot come back through `rows`
 * and the teams below it move up.
 */
export function mergeScoreboard(
  board: ScoreboardSnapshot | null,
  view: ScoreboardSnapshot['view'],
  frozen: boolean,
  rows: ScoreboardRow[],
  removedTeamIds: readonly string[] = [],
): ScoreboardSnapshot | null {
  if (!board) return board;
  let kept = board.rows;
  if (removedTeamIds.length > 0) {
    const gone = new Set(removedTeamIds);
    kept = rankRows(board.rows.filter((r) => !gone.has(r.teamId)));
  }
  return { ...board, view, frozen, rows: applyRowUpdates(kept, rows) };
}
