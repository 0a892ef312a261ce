/**
 * Balloons: each team's first accepted submission on each problem (the valid judging counts, so a
 * rejudge that takes an AC away takes its balloon too), with the problem's colour and the team's
 * place; only whether a runner delivered one is stored. Teams off the scoreboard (disabled, hidden)
 * get none, as on the board.
 */
import type { Balloon } from '@judged/shared/protocol';
import type { StoreCore } from './core.ts';

interface BalloonRow {
  team_id: string;
  team_name: string;
  location: string | null;
  problem_id: string;
  label: string;
  problem_name: string;
  colour: string | null;
  submission_id: number;
  submitted_at_ms: number;
  contest_time_ms: number;
  done_by: string | null;
  done_at_ms: number | null;
}

export class BalloonStore {
  constructor(private readonly core: StoreCore) {}

  /**
   * Every balloon (or those of one problem), in the order the problems were solved; `frozen` is left
   * false here (the freeze is the contest's rule, applied by the caller: contest/balloons.ts).
   */
  list(problemId?: string): Balloon[] {
    const rows = this.core.db
      .prepare(
        `SELECT s.team_id, t.name AS team_name, t.location, s.problem_id, p.label, p.name AS problem_name, p.colour,
                s.id AS submission_id, s.submitted_at_ms, s.contest_time_ms, b.done_by, b.done_at_ms
         FROM submissions s
         JOIN judgings j ON j.submission_id = s.id AND j.valid = 1 AND j.verdict = 'AC'
         JOIN teams t ON t.id = s.team_id AND t.enabled = 1 AND t.hidden = 0
         JOIN problems p ON p.id = s.problem_id AND p.active = 1
         LEFT JOIN balloons_done b ON b.team_id = s.team_id AND b.problem_id = s.problem_id
         WHERE @problem IS NULL OR s.problem_id = @problem
         ORDER BY s.submitted_at_ms, s.id`,
      )
      .all({ problem: problemId ?? null }) as BalloonRow[];
    const seen = new Set<string>();
    const solvedProblems = new Set<string>();
    const out: Balloon[] = [];
    for (const r of rows) {
      const key = `${r.team_id}\u0000${r.problem_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const firstToSolve = !solvedProblems.has(r.problem_id);
      solvedProblems.add(r.problem_id);
      out.push({
        teamId: r.team_id,
        teamName: r.team_name,
        location: r.location,
        problemId: r.problem_id,
        label: r.label,
        problemName: r.problem_name,
        colour: r.colour,
        submissionId: String(r.submission_id),
        submittedAtMs: r.submitted_at_ms,
        contestTimeMs: r.contest_time_ms,
        firstToSolve,
        frozen: false,
        done: r.done_by !== null,
        doneBy: r.done_by,
        doneAtMs: r.done_at_ms,
      });
    }
    return out;
  }

  /**
   * Marks the balloon of `teamId` on `problemId` delivered or not; undefined when there is none. Its
   * event is the contest's (contest/balloons.ts), which knows who may see it during the freeze.
   */
  setDone(teamId: string, problemId: string, done: boolean, byUsername: string): Balloon | undefined {
    return this.core.tx(() => {
      const find = () => this.list(problemId).find((b) => b.teamId === teamId);
      if (!find()) return undefined;
      if (done) {
        this.core.db
          .prepare('INSERT INTO balloons_done (team_id, problem_id, done_by, done_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
          .run(teamId, problemId, byUsername, this.core.now());
      } else this.core.db.prepare('DELETE FROM balloons_done WHERE team_id = ? AND problem_id = ?').run(teamId, problemId);
      return find()!;
    });
  }
}
