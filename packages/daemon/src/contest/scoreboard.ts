/**
 * The contest's two scoreboards (public with the freeze, jury live), kept incrementally with
 * @judged/shared/scoring: built once from the database at start, then every run change (new
 * submission, verdict, rejudge) updates one cell and appends 'scoreboard' events with only the
 * changed rows, inside the transaction that made the change.
 */
import type { ScoreboardProblem, ScoreboardRow, ScoreboardSnapshot } from '@judged/shared/protocol';
import { Scoreboard, type Run, type TeamRef } from '@judged/shared/scoring';
import type { Store } from '../store/index.ts';
import { runScore } from '../store/submissions.ts';
import { freezeAtMs, scoreboardFrozen } from './clock.ts';

/** What an accepted pass-fail problem is worth on a score board. */
export const PASS_FAIL_POINTS = 100;

export class ContestScoreboards {
  private pub!: Scoreboard;
  private jury!: Scoreboard;
  /**
   * Per view, each team's row as last sent (without rank, which clients recompute): a judgement
   * hidden by the freeze changes nothing visible, and then no public event is written at all.
   */
  private readonly sent = { public: new Map<string, string>(), jury: new Map<string, string>() };
  /**
   * Each view's snapshot until the board changes: every subscribing client gets one, and a wave of
   * 2,000 (a restart, the contest start) rebuilt and ranked all rows for each (~2 ms for 300 teams).
   */
  private readonly cached: { public: ScoreboardSnapshot | null; jury: ScoreboardSnapshot | null } = { public: null, jury: null };

  constructor(
    private readonly store: Store,
    /** Whether the public board hides results right now (the clock decides). */
    private readonly frozenNow: () => boolean,
  ) {
    this.rebuild();
    store.events.onRunChange((run) => this.apply(run));
  }

  /** Builds both boards from the database (start, rollback, contest times changed). */
  rebuild(): void {
    this.changed();
    const s = this.store.settings.get();
    if (!s) throw new Error('no contest in the database');
    const rules = s.scoreboard;
    const score = rules?.type === 'score';
    const problems: ScoreboardProblem[] = this.store.settings.problems().map((p) => ({
      id: p.id,
      label: p.label,
      name: p.name,
      colour: p.colour,
      // On a score board a pass-fail problem is worth PASS_FAIL_POINTS when accepted.
      ...(p.scoring ? { maxScore: p.scoring.maxScore, subtasks: p.scoring.subtasks } : score ? { maxScore: PASS_FAIL_POINTS } : {}),
    }));
    const teams: TeamRef[] = this.store.accounts.scoreboardTeams().map((t) => ({ id: t.id, name: t.name, organization: t.organization }));
    const runs = this.allRuns();
    const freeze = freezeAtMs(s);
    const base = {
      problems,
      teams,
      penaltyTimeMin: s.penaltyTimeMin,
      endContestTimeMs: s.durationMs,
      ...(rules && score ? { type: rules.type, scoreMode: rules.scoreMode, problemScoreModes: rules.problemScoreModes, tieBreak: rules.tieBreak } : {}),
    };
    this.pub = Scoreboard.fromRuns(
      { ...base, view: 'public', freezeContestTimeMs: freeze === null || s.startAtMs === null ? null : freeze - s.startAtMs, frozen: s.unfrozenAtMs === null },
      runs,
    );
    this.jury = Scoreboard.fromRuns({ ...base, view: 'jury' }, runs);
    for (const view of ['public', 'jury'] as const) {
      this.sent[view].clear();
      for (const r of (view === 'public' ? this.pub : this.jury).rows()) this.sent[view].set(r.teamId, rowKey(r));
    }
  }

  private allRuns(): Run[] {
    const rows = this.store.db
      .prepare(
        `SELECT s.id, s.team_id, s.problem_id, s.contest_time_ms, j.verdict, j.score, j.score_detail
         FROM submissions s LEFT JOIN judgings j ON j.submission_id = s.id AND j.valid = 1 ORDER BY s.id`,
      )
      .all() as { id: number; team_id: string; problem_id: string; contest_time_ms: number; verdict: Run['verdict']; score: number | null; score_detail: string | null }[];
    return rows.map((r) => ({ submissionId: String(r.id), teamId: r.team_id, problemId: r.problem_id, contestTimeMs: r.contest_time_ms, verdict: r.verdict, ...runScore(r) }));
  }

  /** Applies one run to both boards and appends the changed rows as events (inside the caller's transaction). */
  apply(run: Run): void {
    this.changed();
    this.emit('public', this.pub.applyRun(run));
    this.emit('jury', this.jury.applyRun(run));
  }

  /**
   * A team joined or came back (enabled): it appears with its runs. Its runs may take first-to-solve
   * from other teams and setTeam() does not say which, so every row is compared with what was sent
   * (rare: an admin action).
   */
  addTeam(ref: TeamRef): void {
    this.changed();
    this.pub.setTeam(ref);
    this.jury.setTeam(ref);
    this.emit('public', this.pub.rows().map((r) => r.teamId));
    this.emit('jury', this.jury.rows().map((r) => r.teamId));
  }

  /** A team was disabled: its row goes (removedTeamIds); teams whose first-to-solve changed get new rows. */
  removeTeam(teamId: string): void {
    // A hidden or already removed team was never on the board: say nothing (its id stays private).
    if (!this.jury.row(teamId)) return;
    this.changed();
    this.emit('public', this.pub.removeTeam(teamId), false, [teamId]);
    this.emit('jury', this.jury.removeTeam(teamId), false, [teamId]);
  }

  /** After contest times or the freeze changed: rebuild and send every row of both views. */
  resendAll(): void {
    this.rebuild();
    this.emit('public', this.pub.rows().map((r) => r.teamId), true);
    this.emit('jury', this.jury.rows().map((r) => r.teamId), true);
  }

  snapshot(view: 'public' | 'jury'): ScoreboardSnapshot {
    const snap = (this.cached[view] ??= (view === 'public' ? this.pub : this.jury).snapshot());
    // Rows are copied (readers re-rank them for a group); the freeze is the clock's, read now.
    return { ...snap, rows: snap.rows.map((r) => ({ ...r })), frozen: view === 'public' ? this.frozenNow() : false };
  }

  private changed(): void {
    this.cached.public = null;
    this.cached.jury = null;
  }

  private emit(view: 'public' | 'jury', teamIds: readonly string[], always = false, removed: readonly string[] = []): void {
    for (const id of removed) this.sent[view].delete(id);
    if (teamIds.length === 0 && removed.length === 0) return;
    const board = view === 'public' ? this.pub : this.jury;
    const rows = board.rowsFor(teamIds).filter((r) => {
      const k = rowKey(r);
      if (!always && this.sent[view].get(r.teamId) === k) return false;
      this.sent[view].set(r.teamId, k);
      return true;
    });
    if (rows.length === 0 && removed.length === 0) return;
    this.store.events.appendEvent(
      { kind: 'scoreboard', view, frozen: view === 'public' ? this.frozenNow() : false, rows, ...(removed.length ? { removedTeamIds: [...removed] } : {}) },
      { roles: view === 'public' ? ['public', 'team'] : ['judge', 'admin'] },
    );
  }
}

function rowKey(r: ScoreboardRow): string {
  return JSON.stringify({ ...r, rank: 0 });
}

export { scoreboardFrozen };
