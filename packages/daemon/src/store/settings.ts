/**
 * The contest's own row (name, times, freeze, penalty) and the snapshot of the problem set.
 */
import type { ProblemSummary } from '@judged/shared/protocol';
import type { ProblemScoring } from '@judged/shared/problem';
import type { ScoreMode } from '@judged/shared/scoring';
import type { StoreCore } from './core.ts';

/** The contest as its package (or the demo) defines it. */
export interface ContestTimes {
  contestId: string;
  name: string;
  /** null: not scheduled (an admin starts it). */
  startAtMs: number | null;
  durationMs: number;
  freezeDurationMs: number | null;
  penaltyTimeMin: number;
  /** contest.yaml scoreboard_type and judged's score board options; absent: pass-fail (ICPC). */
  scoreboard?: ScoreboardRules;
}

/** How the board ranks (contest.yaml scoreboard_type, score_mode, score_modes, score_tie_break). */
export interface ScoreboardRules {
  type: 'pass-fail' | 'score';
  scoreMode: ScoreMode;
  problemScoreModes: Record<string, ScoreMode>;
  tieBreak: 'last-improvement' | 'penalty';
}

export interface ContestSettings extends ContestTimes {
  unfrozenAtMs: number | null;
  finalizedAtMs: number | null;
  announcedState: string | null;
  /** 'demo' or the contest directory it was imported from. */
  source: string;
  sourceDigest: string | null;
}

export interface StoredProblem {
  id: string;
  label: string;
  name: string;
  colour: string | null;
  ordinal: number;
  timeLimitMs: number | null;
  testCount: number | null;
  active: boolean;
  /** Scoring problems: full marks and subtasks. */
  scoring?: ProblemScoring;
}

interface ContestRow {
  contest_id: string;
  name: string;
  start_at_ms: number | null;
  duration_ms: number;
  freeze_duration_ms: number | null;
  penalty_time_min: number;
  unfrozen_at_ms: number | null;
  finalized_at_ms: number | null;
  announced_state: string | null;
  source: string;
  source_digest: string | null;
  scoreboard: string | null;
}

export class SettingsStore {
  /** Read on every submission: kept in memory, refreshed by syncProblems (the only writer). */
  private problemCache: { active: StoredProblem[]; all: StoredProblem[] } | null = null;

  constructor(private readonly core: StoreCore) {
    core.onRollback(() => {
      this.problemCache = null;
    });
  }

  get(): ContestSettings | undefined {
    const r = this.core.db.prepare('SELECT * FROM contest WHERE id = 1').get() as ContestRow | undefined;
    if (!r) return undefined;
    return {
      contestId: r.contest_id,
      name: r.name,
      startAtMs: r.start_at_ms,
      durationMs: r.duration_ms,
      freezeDurationMs: r.freeze_duration_ms,
      penaltyTimeMin: r.penalty_time_min,
      unfrozenAtMs: r.unfrozen_at_ms,
      finalizedAtMs: r.finalized_at_ms,
      announcedState: r.announced_state,
      source: r.source,
      sourceDigest: r.source_digest,
      ...(r.scoreboard !== null ? { scoreboard: JSON.parse(r.scoreboard) as ScoreboardRules } : {}),
    };
  }

  create(s: Omit<ContestSettings, 'unfrozenAtMs' | 'finalizedAtMs' | 'announcedState'>): void {
    this.core.tx(() => {
      this.core.db
        .prepare(
          `INSERT INTO contest (id, contest_id, name, start_at_ms, duration_ms, freeze_duration_ms, penalty_time_min, source, source_digest, scoreboard, created_at_ms)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.contestId, s.name, s.startAtMs, s.durationMs, s.freezeDurationMs, s.penaltyTimeMin, s.source, s.sourceDigest, s.scoreboard ? JSON.stringify(s.scoreboard) : null, this.core.now());
    });
  }

  /** Updates some fields; must run inside a transaction with the events that announce it. */
  update(patch: Partial<Pick<ContestSettings, 'startAtMs' | 'durationMs' | 'freezeDurationMs' | 'unfrozenAtMs' | 'finalizedAtMs' | 'announcedState'>>): void {
    const cols: Record<string, string> = {
      startAtMs: 'start_at_ms',
      durationMs: 'duration_ms',
      freezeDurationMs: 'freeze_duration_ms',
      unfrozenAtMs: 'unfrozen_at_ms',
      finalizedAtMs: 'finalized_at_ms',
      announcedState: 'announced_state',
    };
    const keys = Object.keys(patch).filter((k) => k in cols);
    if (keys.length === 0) return;
    const sql = `UPDATE contest SET ${keys.map((k) => `${cols[k]} = @${k}`).join(', ')} WHERE id = 1`;
    this.core.tx(() => this.core.db.prepare(sql).run(patch));
  }

  /**
   * Records the problem set as loaded now: listed problems become active with their current label and
   * name; problems that disappeared stay (old submissions point at them) but become inactive.
   */
  syncProblems(problems: readonly ProblemSummary[]): void {
    this.problemCache = null;
    this.core.tx(() => {
      const now = this.core.now();
      this.core.db.prepare('UPDATE problems SET active = 0').run();
      const up = this.core.db.prepare(
        `INSERT INTO problems (id, label, name, colour, ordinal, time_limit_ms, test_count, scoring, active, loaded_at_ms)
         VALUES (@id, @label, @name, @colour, @ordinal, @timeLimitMs, @testCount, @scoring, 1, @now)
         ON CONFLICT(id) DO UPDATE SET label = excluded.label, name = excluded.name, colour = excluded.colour, ordinal = excluded.ordinal,
           time_limit_ms = excluded.time_limit_ms, test_count = excluded.test_count, scoring = excluded.scoring, active = 1, loaded_at_ms = excluded.loaded_at_ms`,
      );
      problems.forEach((p, i) =>
        up.run({ id: p.id, label: p.label, name: p.name, colour: p.colour, ordinal: i, timeLimitMs: p.timeLimitMs, testCount: p.testCount ?? null, scoring: p.scoring ? JSON.stringify(p.scoring) : null, now }),
      );
    });
    this.problemCache = null;
  }

  /** Active problems in contest order. */
  problems(includeInactive = false): StoredProblem[] {
    this.problemCache ??= { active: this.readProblems(false), all: this.readProblems(true) };
    return [...(includeInactive ? this.problemCache.all : this.problemCache.active)];
  }

  private readProblems(includeInactive: boolean): StoredProblem[] {
    const rows = this.core.db
      .prepare(`SELECT * FROM problems ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY ordinal, id`)
      .all() as { id: string; label: string; name: string; colour: string | null; ordinal: number; time_limit_ms: number | null; test_count: number | null; active: number; scoring: string | null }[];
    return rows.map((r) => ({
      id: r.id,
      label: r.label,
      name: r.name,
      colour: r.colour,
      ordinal: r.ordinal,
      timeLimitMs: r.time_limit_ms,
      testCount: r.test_count,
      active: r.active === 1,
      ...(r.scoring !== null ? { scoring: JSON.parse(r.scoring) as ProblemScoring } : {}),
    }));
  }

  getMeta(key: string): string | undefined {
    const r = this.core.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setMeta(key: string, value: string): void {
    this.core.tx(() => this.core.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value));
  }
}
