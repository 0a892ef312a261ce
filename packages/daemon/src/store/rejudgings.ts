/**
 * Rejudgings, reviewed as DOMjudge's are: create() queues a new judging for each submission in scope
 * and keeps the old one valid; while the rejudging is 'pending' its verdicts are the jury's alone
 * (judgingTakesEffect in the shared visibility rules). apply() makes the new verdicts count once every
 * new judging has ended; cancel() stops what still runs and keeps the old verdicts. A rejudging made
 * with autoApply is 'applied' from the start (each new verdict counts when it ends).
 *
 * A submission is in at most one pending rejudging: create() leaves out those already under review.
 * Every change sends the rejudging (with its counts) to the jury as a 'rejudging' event.
 */
import type Database from 'better-sqlite3';
import type { RejudgeScope, Rejudging, RejudgingItem, RejudgingState } from '@judged/shared/protocol';
import type { Verdict } from '@judged/shared/verdict';
import type { StoreCore } from './core.ts';
import { PRIORITY_REJUDGE, type SubmissionStore } from './submissions.ts';

interface RejudgingRow {
  id: number;
  scope: string;
  verdicts: string | null;
  reason: string | null;
  by_username: string;
  submission_count: number;
  created_at_ms: number;
  state: RejudgingState;
  decided_at_ms: number | null;
  decided_by: string | null;
  done_count: number;
  changed_count: number;
}

interface ItemRow {
  submission_id: number;
  team_id: string;
  team_name: string;
  problem_id: string;
  old_id: number | null;
  old_verdict: Verdict | null;
  old_time_ms: number | null;
  new_id: number;
  new_status: RejudgingItem['newStatus'];
  new_verdict: Verdict | null;
  new_time_ms: number | null;
}

const REJUDGING_SELECT = `
SELECT r.*,
  (SELECT COUNT(*) FROM judgings j WHERE j.rejudging_id = r.id AND j.status IN ('done', 'cancelled')) AS done_count,
  (SELECT COUNT(*) FROM judgings j LEFT JOIN judgings o ON o.id = j.previous_judging_id
    WHERE j.rejudging_id = r.id AND j.status = 'done' AND j.verdict != 'JE' AND j.verdict IS NOT o.verdict) AS changed_count
FROM rejudgings r`;

function toRejudging(r: RejudgingRow): Rejudging {
  return {
    id: String(r.id),
    scope: JSON.parse(r.scope) as RejudgeScope,
    verdicts: r.verdicts === null ? null : (JSON.parse(r.verdicts) as Verdict[]),
    reason: r.reason,
    byUsername: r.by_username,
    state: r.state,
    createdAtMs: r.created_at_ms,
    decidedAtMs: r.decided_at_ms,
    decidedBy: r.decided_by,
    submissionCount: r.submission_count,
    doneCount: r.done_count,
    changedCount: r.changed_count,
  };
}

export interface NewRejudging {
  verdicts?: readonly Verdict[];
  reason?: string;
  byUsername: string;
  autoApply?: boolean;
}

export class RejudgingStore {
  private readonly st: Record<string, Database.Statement>;

  constructor(
    private readonly core: StoreCore,
    private readonly subs: SubmissionStore,
  ) {
    const db = core.db;
    this.st = {
      get: db.prepare(`${REJUDGING_SELECT} WHERE r.id = ?`),
      list: db.prepare(`${REJUDGING_SELECT} ORDER BY r.id DESC`),
      insert: db.prepare(
        'INSERT INTO rejudgings (scope, verdicts, reason, by_username, submission_count, created_at_ms, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      decide: db.prepare("UPDATE rejudgings SET state = ?, decided_at_ms = ?, decided_by = ? WHERE id = ? AND state = 'pending'"),
      underReview: db
        .prepare("SELECT DISTINCT j.submission_id FROM judgings j JOIN rejudgings r ON r.id = j.rejudging_id WHERE r.state = 'pending'")
        .pluck(),
      judgingsOf: db.prepare('SELECT * FROM judgings WHERE rejudging_id = ? ORDER BY submission_id'),
      items: db.prepare(
        `SELECT s.id AS submission_id, s.team_id, t.name AS team_name, s.problem_id,
                o.id AS old_id, o.verdict AS old_verdict, o.max_time_ms AS old_time_ms,
                j.id AS new_id, j.status AS new_status, j.verdict AS new_verdict, j.max_time_ms AS new_time_ms
         FROM judgings j JOIN submissions s ON s.id = j.submission_id JOIN teams t ON t.id = s.team_id
         LEFT JOIN judgings o ON o.id = j.previous_judging_id
         WHERE j.rejudging_id = ? ORDER BY s.id`,
      ),
    };
    subs.onRejudgingJudgingEnded = (id) => this.announce(id);
  }

  get(id: string): Rejudging | undefined {
    const r = this.st.get!.get(Number(id)) as RejudgingRow | undefined;
    return r ? toRejudging(r) : undefined;
  }

  /** Newest first. */
  list(): Rejudging[] {
    return (this.st.list!.all() as RejudgingRow[]).map(toRejudging);
  }

  /** Old verdict beside new, one row per submission, oldest submission first. */
  items(id: string): RejudgingItem[] {
    return (this.st.items!.all(Number(id)) as ItemRow[]).map((r) => ({
      submissionId: String(r.submission_id),
      teamId: r.team_id,
      teamName: r.team_name,
      problemId: r.problem_id,
      oldJudgingId: r.old_id === null ? null : String(r.old_id),
      oldVerdict: r.old_verdict,
      oldTimeMs: r.old_time_ms,
      newJudgingId: String(r.new_id),
      newStatus: r.new_status,
      newVerdict: r.new_verdict,
      newTimeMs: r.new_time_ms,
    }));
  }

  /** The ids of the submissions in scope (before the verdict filter), oldest first. */
  private inScope(scope: RejudgeScope): number[] {
    const db = this.core.db;
    const ids = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().all(...args) as number[];
    switch (scope.kind) {
      case 'submission':
        return ids('SELECT id FROM submissions WHERE id = ?', Number(scope.submissionId));
      case 'problem':
        return ids('SELECT id FROM submissions WHERE problem_id = ? ORDER BY id', scope.problemId);
      case 'team':
        return ids('SELECT id FROM submissions WHERE team_id = ? ORDER BY id', scope.teamId);
      case 'all':
        return ids('SELECT id FROM submissions ORDER BY id');
    }
  }

  /**
   * Rejudges the submissions in scope whose current verdict is in `verdicts` (all when omitted),
   * except those already in a pending rejudging (`skipped` counts them).
   */
  create(scope: RejudgeScope, opts: NewRejudging): { rejudging: Rejudging; skipped: number } {
    return this.core.tx(() => {
      let ids = this.inScope(scope);
      if (opts.verdicts && opts.verdicts.length > 0) {
        const want = new Set<string>(opts.verdicts);
        ids = ids.filter((id) => {
          const v = this.subs.validJudgingRow(id)?.verdict;
          return v != null && want.has(v);
        });
      }
      const busy = new Set(this.st.underReview!.all() as number[]);
      const free = ids.filter((id) => !busy.has(id));
      const info = this.st.insert!.run(
        JSON.stringify(scope),
        opts.verdicts ? JSON.stringify(opts.verdicts) : null,
        opts.reason ?? null,
        opts.byUsername,
        free.length,
        this.core.now(),
        opts.autoApply ? 'applied' : 'pending',
      );
      const id = Number(info.lastInsertRowid);
      for (const sid of free) this.subs.queueRejudge(sid, id, PRIORITY_REJUDGE);
      this.announce(id);
      return { rejudging: this.get(String(id))!, skipped: ids.length - free.length };
    });
  }

  /** How many of a rejudging's judgings still wait or run. */
  unfinished(id: string): number {
    const r = this.get(id);
    return r ? r.submissionCount - r.doneCount : 0;
  }

  /**
   * Makes a pending rejudging's verdicts count: each new judging that ended (not in JE) becomes its
   * submission's valid one, with the team's verdict event and the scoreboard change. The caller
   * checks that it is pending and finished.
   */
  apply(id: string, byUsername: string): Rejudging {
    return this.core.tx(() => {
      if (this.st.decide!.run('applied', this.core.now(), byUsername, Number(id)).changes !== 1) throw new Error(`rejudging ${id} is not pending`);
      for (const j of this.st.judgingsOf!.all(Number(id)) as ReturnType<SubmissionStore['judgingRow']>[]) {
        if (!j || j.status !== 'done' || j.verdict === null || j.verdict === 'JE') continue;
        const old = this.subs.validJudgingRow(j.submission_id);
        if (!old || j.id > old.id) this.subs.takeEffect(j, old);
      }
      this.announce(Number(id));
      return this.get(id)!;
    });
  }

  /** Stops a pending rejudging: what still runs is cancelled and the old verdicts stay. */
  cancel(id: string, byUsername: string): Rejudging {
    return this.core.tx(() => {
      if (this.st.decide!.run('cancelled', this.core.now(), byUsername, Number(id)).changes !== 1) throw new Error(`rejudging ${id} is not pending`);
      for (const j of this.st.judgingsOf!.all(Number(id)) as { submission_id: number }[]) this.subs.cancelUnfinished(j.submission_id, Number(id));
      this.announce(Number(id));
      return this.get(id)!;
    });
  }

  private announce(id: number): void {
    const r = this.get(String(id));
    if (r) this.core.appendEvent({ kind: 'rejudging', rejudging: r });
  }
}
