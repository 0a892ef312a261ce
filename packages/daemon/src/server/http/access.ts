/**
 * Who may read what through HTTP, following the CCS Contest API's access rules:
 * - jury (judge, admin): everything, live.
 * - team: what the public sees, plus its own judgements and clarifications.
 * - public (no credentials): contest, state, problems once started, enabled teams, submissions
 *   without sources, judgements and runs only for submissions made before the freeze while the
 *   scoreboard is frozen, clarifications sent to everybody, and the frozen scoreboard.
 */
import type { Clarification, ContestClock, JuryJudging, JurySubmission, TeamInfo, User } from '@judged/shared/protocol';
import { canSeeClarification, hiddenByFreeze } from '@judged/shared/visibility';

export type Viewer = { kind: 'public' } | { kind: 'team'; teamId: string } | { kind: 'jury' };

export function viewerOf(user: User | null): Viewer {
  if (!user) return { kind: 'public' };
  if (user.role === 'judge' || user.role === 'admin') return { kind: 'jury' };
  if (user.role === 'team' && user.teamId) return { kind: 'team', teamId: user.teamId };
  return { kind: 'public' };
}

export class Visibility {
  private readonly enabledTeams: Set<string>;

  constructor(
    readonly viewer: Viewer,
    readonly clock: ContestClock,
    teams: readonly TeamInfo[],
  ) {
    this.enabledTeams = new Set(teams.filter((t) => t.enabled).map((t) => t.id));
  }

  get isJury(): boolean {
    return this.viewer.kind === 'jury';
  }

  problems(): boolean {
    return this.isJury || this.clock.state !== 'before';
  }

  team(t: TeamInfo): boolean {
    return this.isJury || t.enabled;
  }

  submission(s: Pick<JurySubmission, 'teamId'>): boolean {
    return this.isJury || this.enabledTeams.has(s.teamId) || this.ownTeam(s.teamId);
  }

  /** `sub` is the judged submission; judgements of unknown submissions are jury-only. */
  judgement(j: Pick<JuryJudging, 'valid'>, sub: Pick<JurySubmission, 'teamId' | 'submittedAtMs'> | undefined): boolean {
    if (this.isJury) return true;
    if (!sub || !j.valid || !this.submission(sub)) return false;
    if (this.ownTeam(sub.teamId)) return true;
    return !hiddenByFreeze(this.clock, sub.submittedAtMs);
  }

  clarification(c: Pick<Clarification, 'fromTeamId' | 'toTeamId'>): boolean {
    const v = this.viewer;
    return canSeeClarification({ role: v.kind === 'jury' ? 'judge' : v.kind, teamId: v.kind === 'team' ? v.teamId : null }, c);
  }

  scoreboardView(): 'public' | 'jury' {
    return this.isJury ? 'jury' : 'public';
  }

  private ownTeam(teamId: string): boolean {
    return this.viewer.kind === 'team' && this.viewer.teamId === teamId;
  }
}
