/**
 * Who may see what, shared by the WebSocket server and the HTTP API so the two can never disagree.
 * A viewer is the role of a connection plus, for teams, the team.
 */
import type { Clarification, ContestClock, JurySubmission, Role, TeamSubmission } from './protocol.ts';

export interface Viewer {
  role: Role;
  /** Set for team accounts. */
  teamId: string | null;
}

export function isJury(v: Viewer): boolean {
  return v.role === 'judge' || v.role === 'admin';
}

/**
 * Teams see their own questions, answers addressed to them, and messages to everybody (announcements,
 * answers to all); the public sees only messages to everybody; the jury sees all.
 */
export function canSeeClarification(v: Viewer, c: Pick<Clarification, 'fromTeamId' | 'toTeamId'>): boolean {
  if (isJury(v)) return true;
  if (c.fromTeamId === null && c.toTeamId === null) return true;
  return v.role === 'team' && v.teamId !== null && (c.fromTeamId === v.teamId || c.toTeamId === v.teamId);
}

/** Whether the public scoreboard hides the result of a run submitted at `submittedAtMs`. */
export function hiddenByFreeze(clock: Pick<ContestClock, 'scoreboardFrozen' | 'freezeAtMs'>, submittedAtMs: number): boolean {
  return clock.scoreboardFrozen && clock.freezeAtMs !== null && submittedAtMs >= clock.freezeAtMs;
}

/** A team's view of a submission: picks the team-facing fields, so jury fields can never leak. */
export function toTeamSubmission(s: JurySubmission | TeamSubmission): TeamSubmission {
  return {
    id: s.id,
    problemId: s.problemId,
    language: s.language,
    fileNames: [...s.fileNames],
    submittedAtMs: s.submittedAtMs,
    contestTimeMs: s.contestTimeMs,
    status: s.status,
    verdict: s.verdict,
    timeMs: s.timeMs,
    memoryKiB: s.memoryKiB,
    testIndex: s.testIndex,
    testCount: s.testCount,
  };
}
