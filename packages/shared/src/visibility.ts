/**
 * Who may see what: the only owner of these rules, used by the WebSocket server, the HTTP / CCS API,
 * the store and the client, so none of them can disagree. A viewer is the role of a connection (or an
 * HTTP request) plus, for teams, the team. What a role may *ask for* is REQUEST_ACCESS in the protocol.
 */
import type { Clarification, ContestClock, JuryJudging, JurySubmission, Role, TeamInfo, TeamSubmission, User } from './protocol.ts';

export interface Viewer {
  role: Role;
  /** Set for team accounts. */
  teamId: string | null;
}

export const PUBLIC_VIEWER: Readonly<Viewer> = Object.freeze({ role: 'public', teamId: null });

/** The viewer a logged-in user (or nobody: the public) is. */
export function viewerOf(user: Pick<User, 'role' | 'teamId'> | null | undefined): Viewer {
  if (!user) return { ...PUBLIC_VIEWER };
  return { role: user.role, teamId: user.role === 'team' ? user.teamId : null };
}

/** Judges and admins are the jury: they see everything, live. */
export function isJuryRole(role: Role | null | undefined): boolean {
  return role === 'judge' || role === 'admin';
}

export function isJury(v: Pick<Viewer, 'role'> | null | undefined): boolean {
  return isJuryRole(v?.role);
}

/** The viewer is the team `teamId` (a team account without a team owns nothing). */
export function ownsTeam(v: Viewer, teamId: string): boolean {
  return v.role === 'team' && v.teamId !== null && v.teamId === teamId;
}

/** Which scoreboard a viewer gets: the jury's live one, or the public one with the freeze applied. */
export function scoreboardViewFor(v: Viewer): 'jury' | 'public' {
  return isJury(v) ? 'jury' : 'public';
}

/** Problems are secret until the contest starts; the jury sees them always. */
export function canSeeProblems(v: Viewer, clock: Pick<ContestClock, 'state'>): boolean {
  return isJury(v) || clock.state !== 'before';
}

/** Disabled teams are known to the jury only. */
export function canSeeTeam(v: Viewer, team: Pick<TeamInfo, 'enabled'>): boolean {
  return isJury(v) || team.enabled;
}

/** A submission (without its source) is visible when its team is; a team always sees its own. */
export function canSeeSubmission(v: Viewer, s: Pick<JurySubmission, 'teamId'>, enabledTeamIds: ReadonlySet<string>): boolean {
  return isJury(v) || enabledTeamIds.has(s.teamId) || ownsTeam(v, s.teamId);
}

/**
 * A judgement of submission `sub` (undefined: unknown, jury only): the valid one of a visible
 * submission, and for others than its team only when the freeze does not hide it.
 */
export function canSeeJudgement(
  v: Viewer,
  j: Pick<JuryJudging, 'valid'>,
  sub: Pick<JurySubmission, 'teamId' | 'submittedAtMs'> | undefined,
  clock: Pick<ContestClock, 'scoreboardFrozen' | 'freezeAtMs'>,
  enabledTeamIds: ReadonlySet<string>,
): boolean {
  if (isJury(v)) return true;
  if (!sub || !j.valid || !canSeeSubmission(v, sub, enabledTeamIds)) return false;
  return ownsTeam(v, sub.teamId) || !hiddenByFreeze(clock, sub.submittedAtMs);
}

/**
 * Teams see their own questions, answers addressed to them, and messages to everybody (announcements,
 * answers to all); the public sees only messages to everybody; the jury sees all.
 */
export function canSeeClarification(v: Viewer, c: Pick<Clarification, 'fromTeamId' | 'toTeamId'>): boolean {
  if (isJury(v)) return true;
  if (c.fromTeamId === null && c.toTeamId === null) return true;
  return (c.fromTeamId !== null && ownsTeam(v, c.fromTeamId)) || (c.toTeamId !== null && ownsTeam(v, c.toTeamId));
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
    ...(s.score !== undefined ? { score: s.score, maxScore: s.maxScore ?? null } : {}),
  };
}
