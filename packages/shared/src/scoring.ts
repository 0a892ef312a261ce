/**
 * Scoreboards, kept incrementally: ICPC (scoreboard type pass-fail) and score boards (type score).
 *
 * Rules: teams are ranked by problems solved (more is better), then penalty time (less is better),
 * then the time of their last first-AC (earlier is better); teams equal on all three share a rank.
 * A solved problem's penalty is the minutes (floored) from the start to its first AC plus
 * `penaltyTimeMin` per rejected run before that AC. CE and JE runs do not count (countsAsPenalty), and
 * runs after the first AC are ignored. Runs not yet judged are shown as pending; in the public view
 * during the freeze, runs submitted at or after the freeze are pending too, whatever their verdict.
 *
 * A Scoreboard keeps, per team and problem, that cell's runs. Applying one run (new, judged, or
 * corrected by a rejudge) recomputes that one cell and that one team's totals, moves that team's row
 * within the sorted order (remove + binary insert), and re-checks first-to-solve for that problem only.
 * Ranks are assigned lazily when rows are read.
 *
 * Score boards (IOI style): a cell's score is the best score of its judged runs ('best-submission'),
 * or the sum over subtasks of the best score each subtask got in any run ('subtask-sum', as IOI since
 * 2017 and CMS do); the mode is per contest with per-problem overrides. Teams are ranked by total
 * score (more is better), then, with tie-break 'penalty', by the sum of the cells' penalty (the minute
 * of the cell's last improvement plus penaltyTimeMin per counted run before it), then by the minute
 * of the team's last improvement (earlier is better). A cell is `solved` at full marks, and the first
 * team at full marks is first to solve. CE and JE runs count for nothing; the freeze and the end
 * cut-off hide runs exactly as on ICPC boards.
 *
 * On an ICPC board a scoring problem's run counts as AC only at full marks; on a score board a
 * pass-fail problem's AC is worth the problem's maxScore.
 *
 * Clients that receive scoreboard row updates (protocol event 'scoreboard') merge them with
 * applyRowUpdates(), which uses the same ordering.
 */
import { countsAsPenalty, type Verdict } from './verdict.ts';
import type { ScoreCell, ScoreboardProblem, ScoreboardRow, ScoreboardSnapshot } from './protocol.ts';
import { DEFAULT_PENALTY_TIME_MIN } from './protocol.ts';
import { roundScore } from './problem-score.ts';

/** One submission as scoring sees it. */
export interface Run {
  submissionId: string;
  teamId: string;
  problemId: string;
  /** Submission time, milliseconds since the contest start. */
  contestTimeMs: number;
  /** Verdict of the valid judging; null while pending. */
  verdict: Verdict | null;
  /** Scoring problems: the judging's score (null: none, e.g. a legacy rejection). */
  score?: number | null;
  /** Scoring problems: each subtask's score, in the problem's subtask order. */
  subtaskScores?: readonly number[] | null;
}

export type ScoreMode = 'best-submission' | 'subtask-sum';

export interface TeamRef {
  id: string;
  name: string;
  organization: string | null;
}

export interface ScoreboardOptions {
  problems: readonly ScoreboardProblem[];
  teams: readonly TeamRef[];
  /** 'public' applies the freeze; 'jury' sees everything live. */
  view: 'public' | 'jury';
  penaltyTimeMin?: number;
  /** Contest time at which the freeze starts; null for no freeze. */
  freezeContestTimeMs?: number | null;
  /** Whether the freeze is in force (false once unfrozen). Defaults to true when a freeze time is given. */
  frozen?: boolean;
  /** Runs submitted at or after this contest time are ignored (too late); null: no cut-off. */
  endContestTimeMs?: number | null;
  /** contest.yaml scoreboard_type; default 'pass-fail' (ICPC). */
  type?: 'pass-fail' | 'score';
  /** Score boards: how a problem's score comes from its runs; default 'best-submission'. */
  scoreMode?: ScoreMode;
  /** Score boards: per-problem overrides of scoreMode. */
  problemScoreModes?: Readonly<Record<string, ScoreMode>>;
  /** Score boards: the tie-break after the total score; default 'last-improvement'. */
  tieBreak?: 'last-improvement' | 'penalty';
}

interface CellState {
  runs: Run[];
  cell: ScoreCell;
  /** Contest time of the first AC visible in this view; null when unsolved. */
  firstAcMs: number | null;
  firstAcSubmissionId: string | null;
}

interface TeamState {
  ref: TeamRef;
  cells: Map<string, CellState>;
  solved: number;
  penaltyMin: number;
  lastAcMin: number | null;
  /** Score boards only. */
  score?: number;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

function compareRunOrder(a: Run, b: Run): number {
  return a.contestTimeMs - b.contestTimeMs || collator.compare(a.submissionId, b.submissionId);
}

interface RankKey {
  solved: number;
  penaltyMin: number;
  lastAcMin: number | null;
  /** Present on score boards' rows: then the score ranks first and `solved` not at all. */
  score?: number;
}

/** Negative when a ranks strictly better than b, 0 when they tie (share a rank). */
export function compareScore(a: RankKey, b: RankKey): number {
  const first = a.score !== undefined || b.score !== undefined ? (b.score ?? 0) - (a.score ?? 0) : b.solved - a.solved;
  return first || a.penaltyMin - b.penaltyMin || (a.lastAcMin ?? -1) - (b.lastAcMin ?? -1);
}

function compareForDisplay(a: RankKey & { teamName: string; teamId: string }, b: RankKey & { teamName: string; teamId: string }): number {
  return compareScore(a, b) || collator.compare(a.teamName, b.teamName) || collator.compare(a.teamId, b.teamId);
}

/** Sorts rows into display order and assigns ranks (ties share one). Returns a new array of new rows. */
export function rankRows(rows: readonly ScoreboardRow[]): ScoreboardRow[] {
  const sorted = [...rows].sort(compareForDisplay);
  const out: ScoreboardRow[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    const prev = out[i - 1];
    const rank = prev && compareScore(prev, r) === 0 ? prev.rank : i + 1;
    out.push({ ...r, rank });
  }
  return out;
}

/** Merges changed rows (by teamId) into a scoreboard and re-ranks: what a client does on a 'scoreboard' event. */
export function applyRowUpdates(rows: readonly ScoreboardRow[], updates: readonly ScoreboardRow[]): ScoreboardRow[] {
  if (updates.length === 0) return [...rows];
  const byTeam = new Map(updates.map((u) => [u.teamId, u]));
  const merged = rows.map((r) => byTeam.get(r.teamId) ?? r);
  const known = new Set(rows.map((r) => r.teamId));
  for (const u of updates) if (!known.has(u.teamId)) merged.push(u);
  return rankRows(merged);
}

/**
 * What one judged run is worth on a score board: its score, or for a pass-fail problem its maxScore
 * when accepted (0 otherwise).
 */
export function runPoints(r: Pick<Run, 'score' | 'verdict'>, maxScore: number | null): number {
  return r.score ?? (r.verdict === 'AC' ? (maxScore ?? 0) : 0);
}

export class Scoreboard {
  readonly view: 'public' | 'jury';
  private readonly problems: ScoreboardProblem[];
  private readonly penaltyTimeMin: number;
  private freezeContestTimeMs: number | null;
  private frozen: boolean;
  private endContestTimeMs: number | null;
  readonly type: 'pass-fail' | 'score';
  private readonly scoreMode: ScoreMode;
  private readonly problemScoreModes: Readonly<Record<string, ScoreMode>>;
  private readonly tieBreak: 'last-improvement' | 'penalty';
  private readonly teams = new Map<string, TeamState>();
  /** Runs of teams we have no TeamRef for yet, kept so that adding the team later counts them. */
  private readonly orphanRuns = new Map<string, Run[]>();
  private readonly runs = new Map<string, Run>();
  /** Teams in display order. */
  private order: TeamState[] = [];
  /** Per problem: team -> first visible AC [contest ms, submission id]. */
  private readonly firstAcs = new Map<string, Map<string, number>>();
  private readonly fts = new Map<string, Set<string>>();

  constructor(opts: ScoreboardOptions) {
    this.view = opts.view;
    this.problems = [...opts.problems];
    this.penaltyTimeMin = opts.penaltyTimeMin ?? DEFAULT_PENALTY_TIME_MIN;
    this.freezeContestTimeMs = opts.freezeContestTimeMs ?? null;
    this.frozen = opts.frozen ?? this.freezeContestTimeMs !== null;
    this.endContestTimeMs = opts.endContestTimeMs ?? null;
    this.type = opts.type ?? 'pass-fail';
    this.scoreMode = opts.scoreMode ?? 'best-submission';
    this.problemScoreModes = { ...opts.problemScoreModes };
    this.tieBreak = opts.tieBreak ?? 'last-improvement';
    for (const p of this.problems) {
      this.firstAcs.set(p.id, new Map());
      this.fts.set(p.id, new Set());
    }
    for (const t of opts.teams) this.setTeam(t);
  }

  /** Builds a board once from every run (e.g. at daemon start). */
  static fromRuns(opts: ScoreboardOptions, runs: Iterable<Run>): Scoreboard {
    const board = new Scoreboard(opts);
    const byTeam = new Map<string, Run[]>();
    for (const r of runs) {
      board.runs.set(r.submissionId, r);
      const list = byTeam.get(r.teamId) ?? [];
      list.push(r);
      byTeam.set(r.teamId, list);
    }
    for (const [teamId, list] of byTeam) {
      const st = board.teams.get(teamId);
      if (!st) {
        board.orphanRuns.set(teamId, list);
        continue;
      }
      for (const r of list) board.cellOf(st, r.problemId)?.runs.push(r);
      for (const [pid, c] of st.cells) {
        c.runs.sort(compareRunOrder);
        board.recomputeCell(st, pid, c);
        if (c.firstAcMs !== null) board.firstAcs.get(pid)!.set(teamId, c.firstAcMs);
      }
      board.recomputeTotals(st);
    }
    for (const p of board.problems) board.recomputeFts(p.id);
    board.order = [...board.teams.values()].sort((a, b) => compareForDisplay(key(a), key(b)));
    return board;
  }

  get isFrozen(): boolean {
    return this.view === 'public' && this.frozen && this.freezeContestTimeMs !== null;
  }

  /**
   * Adds a run or replaces the run with the same submissionId (judged, rejudged, or corrected).
   * Returns the ids of teams whose rows changed (the team itself and any team that gained or lost
   * first-to-solve).
   */
  applyRun(run: Run): string[] {
    const old = this.runs.get(run.submissionId);
    const changed = new Set<string>();
    if (old && (old.teamId !== run.teamId || old.problemId !== run.problemId)) {
      for (const t of this.removeRun(old.submissionId)) changed.add(t);
    }
    this.runs.set(run.submissionId, run);
    const st = this.teams.get(run.teamId);
    if (!st) {
      const list = (this.orphanRuns.get(run.teamId) ?? []).filter((r) => r.submissionId !== run.submissionId);
      list.push(run);
      this.orphanRuns.set(run.teamId, list);
      return [...changed];
    }
    const c = this.cellOf(st, run.problemId);
    if (!c) return [...changed]; // not a problem of this contest
    const i = c.runs.findIndex((r) => r.submissionId === run.submissionId);
    if (i >= 0) c.runs.splice(i, 1);
    c.runs.splice(upperBound(c.runs, run), 0, run);
    for (const t of this.refreshCell(st, run.problemId, c)) changed.add(t);
    return [...changed];
  }

  /** Forgets a run (e.g. a submission deleted by the jury). Returns the changed teams. */
  removeRun(submissionId: string): string[] {
    const old = this.runs.get(submissionId);
    if (!old) return [];
    this.runs.delete(submissionId);
    const st = this.teams.get(old.teamId);
    if (!st) {
      const list = this.orphanRuns.get(old.teamId);
      if (list) this.orphanRuns.set(old.teamId, list.filter((r) => r.submissionId !== submissionId));
      return [];
    }
    const c = this.cellOf(st, old.problemId);
    if (!c) return [];
    c.runs = c.runs.filter((r) => r.submissionId !== submissionId);
    return this.refreshCell(st, old.problemId, c);
  }

  /** Adds a team, or renames one. A team's runs seen before the team was known count from now on. */
  setTeam(ref: TeamRef): void {
    const existing = this.teams.get(ref.id);
    if (existing) {
      existing.ref = { ...ref };
      this.reposition(existing);
      return;
    }
    const st: TeamState = { ref: { ...ref }, cells: new Map(), solved: 0, penaltyMin: 0, lastAcMin: null, ...(this.type === 'score' ? { score: 0 } : {}) };
    for (const p of this.problems) st.cells.set(p.id, { runs: [], cell: emptyCell(p.id, this.type), firstAcMs: null, firstAcSubmissionId: null });
    this.teams.set(ref.id, st);
    this.order.splice(this.insertionIndex(st), 0, st);
    const orphans = this.orphanRuns.get(ref.id);
    if (orphans) {
      this.orphanRuns.delete(ref.id);
      for (const r of orphans) this.applyRun(r);
    }
  }

  /** Takes a team off the board (disabled); its runs are kept in case it comes back. */
  removeTeam(teamId: string): string[] {
    const st = this.teams.get(teamId);
    if (!st) return [];
    const runs: Run[] = [];
    for (const c of st.cells.values()) runs.push(...c.runs);
    this.teams.delete(teamId);
    this.order.splice(this.order.indexOf(st), 1);
    this.orphanRuns.set(teamId, runs);
    const changed = new Set<string>();
    for (const p of this.problems) {
      if (this.firstAcs.get(p.id)!.delete(teamId)) for (const t of this.recomputeFts(p.id)) changed.add(t);
    }
    changed.delete(teamId);
    return [...changed];
  }

  /**
   * Changes the freeze (time, or in force or not: unfreeze reveals). This affects every row, so it
   * recomputes the whole board and returns every team id. The jury view ignores the freeze.
   */
  setFreeze(freezeContestTimeMs: number | null, frozen: boolean): string[] {
    this.freezeContestTimeMs = freezeContestTimeMs;
    this.frozen = frozen;
    return this.recomputeAll();
  }

  setEnd(endContestTimeMs: number | null): string[] {
    this.endContestTimeMs = endContestTimeMs;
    return this.recomputeAll();
  }

  /** One team's row with its current rank. */
  row(teamId: string): ScoreboardRow | undefined {
    const st = this.teams.get(teamId);
    if (!st) return undefined;
    let i = this.order.indexOf(st);
    // Walk back over tied teams: the rank is the position of the first of them.
    while (i > 0 && compareScore(key(this.order[i - 1]!), key(st)) === 0) i--;
    return toRow(st, i + 1, this.problems);
  }

  /** Rows for some teams (e.g. the ids applyRun returned), each with its current rank. */
  rowsFor(teamIds: Iterable<string>): ScoreboardRow[] {
    const out: ScoreboardRow[] = [];
    for (const id of new Set(teamIds)) {
      const r = this.row(id);
      if (r) out.push(r);
    }
    return out;
  }

  /** All rows in display order with ranks. */
  rows(): ScoreboardRow[] {
    const out: ScoreboardRow[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const st = this.order[i]!;
      const prev = out[i - 1];
      const rank = prev && compareScore(prev, key(st)) === 0 ? prev.rank : i + 1;
      out.push(toRow(st, rank, this.problems));
    }
    return out;
  }

  /** The protocol's Scoreboard object. */
  snapshot(): ScoreboardSnapshot {
    return { view: this.view, frozen: this.isFrozen, ...(this.type === 'score' ? { type: this.type } : {}), problems: this.problems.map((p) => ({ ...p })), rows: this.rows() };
  }

  // -------------------------------------------------------------------------------------------------

  private cellOf(st: TeamState, problemId: string): CellState | undefined {
    return st.cells.get(problemId);
  }

  private hidden(run: Run): boolean {
    return this.isFrozen && run.contestTimeMs >= (this.freezeContestTimeMs as number);
  }

  /** Recomputes one cell, the team's totals, its position and first-to-solve; returns changed teams. */
  private refreshCell(st: TeamState, problemId: string, c: CellState): string[] {
    const changed = new Set<string>([st.ref.id]);
    const beforeAc = c.firstAcMs;
    const beforeSub = c.firstAcSubmissionId;
    this.recomputeCell(st, problemId, c);
    if (c.firstAcMs !== beforeAc || c.firstAcSubmissionId !== beforeSub) {
      const acs = this.firstAcs.get(problemId)!;
      if (c.firstAcMs === null) acs.delete(st.ref.id);
      else acs.set(st.ref.id, c.firstAcMs);
      for (const t of this.recomputeFts(problemId)) changed.add(t);
    }
    this.recomputeTotals(st);
    this.reposition(st);
    return [...changed];
  }

  private recomputeCell(st: TeamState, problemId: string, c: CellState): void {
    if (this.type === 'score') return this.recomputeScoreCell(st, problemId, c);
    let attempts = 0;
    let pending = 0;
    let rejected = 0;
    let ac: Run | null = null;
    for (const r of c.runs) {
      if (this.endContestTimeMs !== null && r.contestTimeMs >= this.endContestTimeMs) continue;
      if (r.verdict === null || this.hidden(r)) {
        pending++;
        continue;
      }
      if (r.verdict === 'AC' && this.fullMarks(problemId, r)) {
        attempts++;
        ac = r;
        break;
      }
      if (countsAsPenalty(r.verdict) || r.verdict === 'AC') {
        attempts++;
        rejected++;
      }
    }
    const timeMin = ac ? Math.floor(Math.max(0, ac.contestTimeMs) / 60_000) : null;
    c.firstAcMs = ac ? ac.contestTimeMs : null;
    c.firstAcSubmissionId = ac ? ac.submissionId : null;
    c.cell = {
      problemId,
      solved: ac !== null,
      attempts,
      pending,
      timeMin,
      penaltyMin: timeMin === null ? 0 : timeMin + rejected * this.penaltyTimeMin,
      firstToSolve: this.fts.get(problemId)?.has(st.ref.id) === true && ac !== null,
    };
  }

  /** On an ICPC board a scoring problem's accepted run solves it only with full marks. */
  private fullMarks(problemId: string, r: Run): boolean {
    if (r.score === undefined || r.score === null) return true;
    const max = this.problems.find((p) => p.id === problemId)?.maxScore;
    return max === undefined || max === null || r.score >= max;
  }

  /** The score rules of one cell (see the header). */
  private recomputeScoreCell(st: TeamState, problemId: string, c: CellState): void {
    const problem = this.problems.find((p) => p.id === problemId);
    const maxScore = problem?.maxScore ?? null;
    const subtaskSum = (this.problemScoreModes[problemId] ?? this.scoreMode) === 'subtask-sum';
    let attempts = 0;
    let pending = 0;
    let best = 0;
    let bestSubtasks: number[] = [];
    /** The run that brought the cell to its current score, and how many counted runs came before it. */
    let improved: { run: Run; before: number } | null = null;
    let full: Run | null = null;
    for (const r of c.runs) {
      if (this.endContestTimeMs !== null && r.contestTimeMs >= this.endContestTimeMs) continue;
      if (r.verdict === null || this.hidden(r)) {
        pending++;
        continue;
      }
      if (r.verdict === 'CE' || r.verdict === 'JE') continue;
      attempts++;
      let now: number;
      let subtasks = bestSubtasks;
      if (subtaskSum && r.subtaskScores) {
        subtasks = r.subtaskScores.map((x, i) => Math.max(x, bestSubtasks[i] ?? 0));
        now = roundSum(subtasks);
      } else {
        const score = runPoints(r, maxScore);
        now = Math.max(best, score);
        if (score > best) subtasks = [...(r.subtaskScores ?? [])];
      }
      if (now > best) {
        best = now;
        improved = { run: r, before: attempts - 1 };
      }
      bestSubtasks = subtasks;
      if (!full && maxScore !== null && best >= maxScore) full = r;
    }
    const timeMin = improved ? Math.floor(Math.max(0, improved.run.contestTimeMs) / 60_000) : null;
    c.firstAcMs = full ? full.contestTimeMs : null;
    c.firstAcSubmissionId = full ? full.submissionId : null;
    c.cell = {
      problemId,
      solved: full !== null,
      attempts,
      pending,
      timeMin,
      penaltyMin: improved && this.tieBreak === 'penalty' ? (timeMin as number) + improved.before * this.penaltyTimeMin : 0,
      firstToSolve: this.fts.get(problemId)?.has(st.ref.id) === true && full !== null,
      score: best,
      ...(bestSubtasks.length > 0 ? { subtaskScores: bestSubtasks } : {}),
    };
  }

  private recomputeTotals(st: TeamState): void {
    if (this.type === 'score') {
      let score = 0;
      let solved = 0;
      let penalty = 0;
      let last: number | null = null;
      for (const c of st.cells.values()) {
        score += c.cell.score ?? 0;
        if (c.cell.solved) solved++;
        penalty += c.cell.penaltyMin;
        if (c.cell.timeMin !== null && (last === null || c.cell.timeMin > last)) last = c.cell.timeMin;
      }
      st.score = roundScore(score);
      st.solved = solved;
      st.penaltyMin = penalty;
      st.lastAcMin = last;
      return;
    }
    let solved = 0;
    let penalty = 0;
    let last: number | null = null;
    for (const c of st.cells.values()) {
      if (!c.cell.solved) continue;
      solved++;
      penalty += c.cell.penaltyMin;
      if (last === null || (c.cell.timeMin as number) > last) last = c.cell.timeMin;
    }
    st.solved = solved;
    st.penaltyMin = penalty;
    st.lastAcMin = last;
  }

  /** Marks the earliest solvers of one problem (ties at the same millisecond all count); returns teams whose mark changed. */
  private recomputeFts(problemId: string): string[] {
    const acs = this.firstAcs.get(problemId);
    const before = this.fts.get(problemId);
    if (!acs || !before) return [];
    let min = Infinity;
    for (const ms of acs.values()) if (ms < min) min = ms;
    const now = new Set<string>();
    for (const [team, ms] of acs) if (ms === min) now.add(team);
    const changed: string[] = [];
    for (const t of before) if (!now.has(t)) changed.push(t);
    for (const t of now) if (!before.has(t)) changed.push(t);
    this.fts.set(problemId, now);
    for (const t of changed) {
      const c = this.teams.get(t)?.cells.get(problemId);
      if (c) c.cell = { ...c.cell, firstToSolve: now.has(t) };
    }
    return changed;
  }

  private recomputeAll(): string[] {
    for (const p of this.problems) {
      this.firstAcs.set(p.id, new Map());
      this.fts.set(p.id, new Set());
    }
    for (const st of this.teams.values()) {
      for (const [pid, c] of st.cells) {
        this.recomputeCell(st, pid, c);
        if (c.firstAcMs !== null) this.firstAcs.get(pid)!.set(st.ref.id, c.firstAcMs);
      }
    }
    for (const p of this.problems) this.recomputeFts(p.id);
    for (const st of this.teams.values()) this.recomputeTotals(st);
    this.order = [...this.teams.values()].sort((a, b) => compareForDisplay(key(a), key(b)));
    return [...this.teams.keys()];
  }

  private reposition(st: TeamState): void {
    const i = this.order.indexOf(st);
    if (i >= 0) this.order.splice(i, 1);
    this.order.splice(this.insertionIndex(st), 0, st);
  }

  private insertionIndex(st: TeamState): number {
    const k = key(st);
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareForDisplay(key(this.order[mid]!), k) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function key(st: TeamState): RankKey & { teamName: string; teamId: string } {
  return { solved: st.solved, penaltyMin: st.penaltyMin, lastAcMin: st.lastAcMin, ...(st.score !== undefined ? { score: st.score } : {}), teamName: st.ref.name, teamId: st.ref.id };
}

function emptyCell(problemId: string, type: 'pass-fail' | 'score'): ScoreCell {
  return { problemId, solved: false, attempts: 0, pending: 0, timeMin: null, penaltyMin: 0, firstToSolve: false, ...(type === 'score' ? { score: 0 } : {}) };
}

function roundSum(xs: readonly number[]): number {
  return roundScore(xs.reduce((a, b) => a + b, 0));
}

function toRow(st: TeamState, rank: number, problems: readonly ScoreboardProblem[]): ScoreboardRow {
  return {
    rank,
    teamId: st.ref.id,
    teamName: st.ref.name,
    organization: st.ref.organization,
    solved: st.solved,
    penaltyMin: st.penaltyMin,
    lastAcMin: st.lastAcMin,
    ...(st.score !== undefined ? { score: st.score } : {}),
    cells: problems.map((p) => ({ ...st.cells.get(p.id)!.cell })),
  };
}

/** Index after every run that sorts before or equal to `run` (runs stay in submission order). */
function upperBound(runs: readonly Run[], run: Run): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRunOrder(runs[mid]!, run) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
