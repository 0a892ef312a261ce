/**
 * Who may see what: the only owner of these rules, used by the WebSocket server, the HTTP / CCS API,
 * the store and the client, so none of them can disagree. A viewer is the role of a connection (or an
 * HTTP request) plus, for teams, the team. What a role may *ask for* is REQUEST_ACCESS in the protocol.
 */
import type { Clarification, ContestClock, JuryJudging, JurySubmission, RejudgingState, Role, TeamInfo, TeamSubmission, User } from './protocol.ts';
import type { Verdict } from './verdict.ts';

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

/**
 * Who reads an event sent to `roles`. Balloon runners are a reader class of their own: they read what
 * the public reads (the clock and the public board, nothing of any team's own) and the balloon events
 * meant for them, which the public never sees; so every event to the public is theirs too.
 */
export function eventAudience(roles: readonly Role[]): readonly Role[] {
  return roles.includes('public') && !roles.includes('balloon') ? [...roles, 'balloon'] : roles;
}

/**
 * Whether a balloon (a team's first AC on a problem, submitted at `submittedAtMs`) is held back: as
 * DOMjudge does, a run the frozen scoreboard hides gets no balloon until the unfreeze, so the room
 * does not learn what the board hides; `showDuringFreeze` (judged --balloons-during-freeze) lifts it.
 */
export function balloonHeldBack(clock: Pick<ContestClock, 'scoreboardFrozen' | 'freezeAtMs'>, submittedAtMs: number, showDuringFreeze: boolean): boolean {
  return !showDuringFreeze && hiddenByFreeze(clock, submittedAtMs);
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

/**
 * The people of a contest (CCS persons): the jury sees everyone. Others see staff and other roles,
 * and contestants and coaches of teams they can see, each linked only to teams they can see (so a
 * hidden team's members stay unknown); `teamIdsSeen` are the person's teams this viewer may see.
 */
export function canSeePerson(v: Viewer, p: { role: string }, teamIdsSeen: readonly string[]): boolean {
  if (isJury(v)) return true;
  return (p.role !== 'contestant' && p.role !== 'coach') || teamIdsSeen.length > 0;
}

/** A person's email and sex: personal data, for the jury only (the public board needs names and roles). */
export function canSeePersonalData(v: Viewer): boolean {
  return isJury(v);
}

/**
 * Disabled and hidden teams (teams.json `hidden: true`) are known to the jury only: the one rule for
 * every reader that is not the jury (the public, teams, balloon runners) and every place a team can
 * show (teams, organizations and their counts, persons, submissions, judgements, runs, the board,
 * awards, the event feed). A hidden team's own account still sees its own (ownsTeam).
 */
export function canSeeTeam(v: Viewer, team: Pick<TeamInfo, 'enabled' | 'hidden'>): boolean {
  return isJury(v) || (team.enabled && team.hidden !== true);
}

/** The ids of the teams in `teams` that `v` may see (canSeeTeam), for the checks below. */
export function visibleTeamIds(v: Viewer, teams: readonly Pick<TeamInfo, 'id' | 'enabled' | 'hidden'>[]): Set<string> {
  return new Set(teams.filter((t) => canSeeTeam(v, t)).map((t) => t.id));
}

/** A submission (without its source) is visible when its team is (visibleTeamIds); a team always sees its own. */
export function canSeeSubmission(v: Viewer, s: Pick<JurySubmission, 'teamId'>, visibleTeams: ReadonlySet<string>): boolean {
  return isJury(v) || visibleTeams.has(s.teamId) || ownsTeam(v, s.teamId);
}

/**
 * Whether a judging is shown as a judgement at all (the Contest API): the one that counts, and a
 * submission's first judging while it runs (its runs appear test by test, its verdict at the end).
 * A rejudging's judgings are the jury's business until they count: one under review never shows.
 */
export function judgingShown(j: Pick<JuryJudging, 'valid' | 'rejudgingId' | 'endedAtMs'>): boolean {
  return j.valid || (j.rejudgingId === null && j.endedAtMs === null);
}

/**
 * Whether the viewer sees the judgements of submission `sub` (undefined: unknown, jury only): those
 * of a visible submission, and for others than its team only when the freeze does not hide it.
 */
export function canSeeJudgementsOf(
  v: Viewer,
  sub: Pick<JurySubmission, 'teamId' | 'submittedAtMs'> | undefined,
  clock: Pick<ContestClock, 'scoreboardFrozen' | 'freezeAtMs'>,
  visibleTeams: ReadonlySet<string>,
): boolean {
  if (isJury(v)) return true;
  if (!sub || !canSeeSubmission(v, sub, visibleTeams)) return false;
  return ownsTeam(v, sub.teamId) || !hiddenByFreeze(clock, sub.submittedAtMs);
}

/** A judging of submission `sub` as a judgement: shown at all (judgingShown), to this viewer. */
export function canSeeJudgement(
  v: Viewer,
  j: Pick<JuryJudging, 'valid' | 'rejudgingId' | 'endedAtMs'>,
  sub: Pick<JurySubmission, 'teamId' | 'submittedAtMs'> | undefined,
  clock: Pick<ContestClock, 'scoreboardFrozen' | 'freezeAtMs'>,
  visibleTeams: ReadonlySet<string>,
): boolean {
  return judgingShown(j) && canSeeJudgementsOf(v, sub, clock, visibleTeams);
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

/**
 * Whether a judging that just ended (or whose rejudging was just applied) becomes the one everybody
 * sees: the scoreboard, its team, the event feeds. A submission's first verdict always does (there is
 * nothing else to show). A rejudging's verdict waits for the jury's review while the rejudging is
 * pending and is dropped when it is cancelled; a judge error (JE) never replaces a real verdict.
 */
export function judgingTakesEffect(j: { verdict: Verdict; rejudgingState: RejudgingState | null }, hasVerdict: boolean): boolean {
  if (!hasVerdict) return true;
  if (j.rejudgingState === null) return true;
  return j.rejudgingState === 'applied' && j.verdict !== 'JE';
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

/**
 * Whether a team sees a test of its judging in full (input, expected answer, its output and stderr):
 * samples always, secret tests only when their data has `full_feedback` (problem package format,
 * legacy testdata.yaml and 2025-09 test_group.yaml). Everything else is the verdict and counts only;
 * the validator's judgemessage is never the team's (JuryTestRun holds it, team types have no field).
 */
export function teamSeesTestInFull(t: { sample: boolean; fullFeedback: boolean }): boolean {
  return t.sample || t.fullFeedback;
}

/**
 * The validator's teammessage.txt the team is shown for a judging: the one of the test that decided
 * the verdict (the first failed test), or with AC the first test that wrote one. It is written for
 * the team, so it is shown whether or not that test is shown in full.
 */
export function teamMessageOf(runs: ReadonlyArray<{ verdict: string; teamMessage: string | null }>): string | null {
  const failed = runs.find((r) => r.verdict !== 'AC');
  if (failed) return failed.teamMessage;
  return runs.find((r) => r.teamMessage !== null)?.teamMessage ?? null;
}
