/**
 * Who may read what through HTTP, following the CCS Contest API's access rules:
 * - jury (judge, admin): everything, live.
 * - team: what the public sees, plus its own judgements and clarifications.
 * - public (no credentials): contest, state, problems once started, enabled teams, submissions
 *   without sources, judgements and runs only for submissions made before the freeze while the
 *   scoreboard is frozen, clarifications sent to everybody, and the frozen scoreboard.
 */
import type { Clarification, ContestClock, JuryJudging, JurySubmission, TeamInfo } from '@judged/shared/protocol';
import { canSeeClarification, canSeeJudgement, canSeeJudgementsOf, canSeePerson, canSeePersonalData, canSeeProblems, canSeeSubmission, canSeeTeam, isJury, ownsTeam, scoreboardViewFor, visibleTeamIds, type Viewer } from '@judged/shared/visibility';

/** The rules of @judged/shared/visibility bound to one request's viewer, clock and team list. */
export class Visibility {
  private readonly visibleTeams: Set<string>;

  constructor(
    readonly viewer: Viewer,
    readonly clock: ContestClock,
    teams: readonly TeamInfo[],
  ) {
    // Teams others may see: enabled and not hidden (canSeeTeam); the jury's checks never read it.
    this.visibleTeams = visibleTeamIds({ role: 'public', teamId: null }, teams);
  }

  get isJury(): boolean {
    return isJury(this.viewer);
  }

  problems(): boolean {
    return canSeeProblems(this.viewer, this.clock);
  }

  team(t: TeamInfo): boolean {
    return canSeeTeam(this.viewer, t);
  }

  submission(s: Pick<JurySubmission, 'teamId'>): boolean {
    return canSeeSubmission(this.viewer, s, this.visibleTeams);
  }

  /** `sub` is the judged submission; judgements of unknown submissions are jury-only. */
  judgement(j: Pick<JuryJudging, 'valid' | 'rejudgingId' | 'endedAtMs'>, sub: Pick<JurySubmission, 'teamId' | 'submittedAtMs'> | undefined): boolean {
    return canSeeJudgement(this.viewer, j, sub, this.clock, this.visibleTeams);
  }

  /** Whether the judgements of `sub` (any that are shown) are this reader's to see. */
  judgementsOf(sub: Pick<JurySubmission, 'teamId' | 'submittedAtMs'> | undefined): boolean {
    return canSeeJudgementsOf(this.viewer, sub, this.clock, this.visibleTeams);
  }

  clarification(c: Pick<Clarification, 'fromTeamId' | 'toTeamId'>): boolean {
    return canSeeClarification(this.viewer, c);
  }

  /** The teams of a person this reader may see them with; null when the person is not theirs to see. */
  personTeams(p: { role: string; teamIds: readonly string[] }): string[] | null {
    const seen = this.isJury ? [...p.teamIds] : p.teamIds.filter((t) => this.visibleTeams.has(t));
    return canSeePerson(this.viewer, p, seen) ? seen : null;
  }

  /** A person's email and sex. */
  personalData(): boolean {
    return canSeePersonalData(this.viewer);
  }

  /** A submission's source files: its own team and the jury only. */
  submissionFiles(s: Pick<JurySubmission, 'teamId'>): boolean {
    return this.isJury || ownsTeam(this.viewer, s.teamId);
  }

  /** The accounts endpoint: admins only (it lists every login name). */
  accounts(): boolean {
    return this.viewer.role === 'admin';
  }

  scoreboardView(): 'public' | 'jury' {
    return scoreboardViewFor(this.viewer);
  }
}
