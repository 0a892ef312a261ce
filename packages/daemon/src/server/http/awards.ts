/**
 * CCS awards (winner, medals, first to solve, group winners) read off one scoreboard snapshot, so
 * they follow the same view as the board the reader gets: the public's frozen board during the
 * freeze (its winner does not move while results are hidden), the live board for the jury. Every
 * award judged manages exists from the start with `team_ids: []` until a team earns it, as the spec
 * asks; they are final once the contest is.
 */
import type { ProblemSummary, ScoreboardRow, ScoreboardSnapshot } from '@judged/shared/protocol';
import { rankRows } from '@judged/shared/scoring';
import type { ApiGroup, MedalCounts } from './deps.ts';

export type CcsAward = {
  id: string;
  citation: string;
  team_ids: string[];
};

/** Rows of teams that scored, ranked among themselves only (a group's board, or the whole board). */
function scoredRows(rows: readonly ScoreboardRow[]): ScoreboardRow[] {
  return rows.filter((r) => (r.score ?? r.solved) > 0);
}

/** The rows of one group's teams, ranked independently (the group scoreboard). */
export function groupRows(rows: readonly ScoreboardRow[], group: ApiGroup): ScoreboardRow[] {
  const members = new Set(group.teamIds);
  return rankRows(rows.filter((r) => members.has(r.teamId)));
}

export function ccsAwards(board: ScoreboardSnapshot, problems: readonly ProblemSummary[], groups: readonly ApiGroup[], medals: MedalCounts | null): CcsAward[] {
  const scored = scoredRows(board.rows);
  const awards: CcsAward[] = [{ id: 'winner', citation: 'Contest winner', team_ids: scored.filter((r) => r.rank === 1).map((r) => r.teamId) }];
  if (medals) {
    // Medals go by rank: gold to ranks 1..G, silver to G+1..G+S, bronze to G+S+1..G+S+B (tied
    // teams share their rank and so the medal).
    const bands: Array<[string, string, number, number]> = [
      ['gold-medal', 'Gold medal winner', 0, medals.gold],
      ['silver-medal', 'Silver medal winner', medals.gold, medals.gold + medals.silver],
      ['bronze-medal', 'Bronze medal winner', medals.gold + medals.silver, medals.gold + medals.silver + medals.bronze],
    ];
    for (const [id, citation, after, upTo] of bands) {
      awards.push({ id, citation, team_ids: scored.filter((r) => r.rank > after && r.rank <= upTo).map((r) => r.teamId) });
    }
  }
  for (const p of problems) {
    const first = board.rows.filter((r) => r.cells.some((c) => c.problemId === p.id && c.firstToSolve)).map((r) => r.teamId);
    awards.push({ id: `first-to-solve-${p.id}`, citation: `First to solve problem ${p.label}`, team_ids: first });
  }
  for (const g of groups) {
    const rows = scoredRows(groupRows(board.rows, g));
    awards.push({ id: `group-winner-${g.id}`, citation: `Winner of ${g.name}`, team_ids: rows.filter((r) => r.rank === 1).map((r) => r.teamId) });
  }
  return awards;
}
