/**
 * The Contest API's collection endpoints as one reader may see them, built from the daemon's state:
 * the REST endpoints, the event feed's opening state and the access endpoint all read them here, so
 * what an endpoint lists, what the feed sends and what access declares cannot drift apart.
 */
import type { ContestClock, JuryJudging, ScoreboardSnapshot } from '@judged/shared/protocol';
import { runPoints } from '@judged/shared/scoring';
import type { Visibility } from './access.ts';
import { ccsAwards, groupRows } from './awards.ts';
import { apiSubmissionId, CCS_PROPERTIES, ccsAccount, ccsClarification, ccsGroup, ccsJudgement, ccsJudgementTypes, ccsLanguage, ccsPerson, ccsProblem, ccsRuns, ccsSubmission, ccsTeam, Organizations } from './ccs.ts';
import type { HttpDeps } from './deps.ts';

/** In the order the feed sends them (referenced objects before the objects referring to them). */
export const COLLECTIONS = [
  'judgement-types',
  'languages',
  'problems',
  'groups',
  'organizations',
  'teams',
  'persons',
  'accounts',
  'submissions',
  'judgements',
  'runs',
  'clarifications',
  'awards',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

export function isCollection(name: string | undefined): name is Collection {
  return (COLLECTIONS as readonly string[]).includes(name ?? '');
}

/** Whether a reader may use a collection at all (beyond it: 404, and access does not list it). */
export function offered(name: Collection, vis: Visibility): boolean {
  return name !== 'accounts' || vis.accounts();
}

export type CcsObject = { id: string } & Record<string, unknown>;

/** Judgements the contest counts (a rejudge's result replaces the earlier one) and first judgings while they run. */
export function apiJudgings(deps: HttpDeps, vis: Visibility) {
  const subs = new Map(deps.submissions().map((s) => [s.id, s]));
  return deps.judgings().filter((j) => vis.judgement(j, subs.get(j.submissionId)));
}

/**
 * The scoreboard a reader gets: the frozen one for the public and teams during the freeze, the live
 * one for the jury. A group's board is ranked on its own. (Scoring contests extend this one place.)
 */
export function readerBoard(deps: HttpDeps, vis: Visibility, groupId?: string): ScoreboardSnapshot | null {
  const board = deps.scoreboard(vis.scoreboardView());
  if (groupId === undefined) return board;
  const group = deps.groups().find((g) => g.id === groupId);
  if (!group) return null;
  return { ...board, rows: groupRows(board.rows, group) };
}

/**
 * Score contests (CCS 2023-06 judgement.score): what each judgement scores, by the board's own rule
 * and its problems' full marks; undefined on a pass-fail contest. A running judgement has scored 0.
 */
export function judgementPoints(deps: HttpDeps, clock: ContestClock): ((j: JuryJudging) => number) | undefined {
  const maxScore = problemMaxScores(deps, clock);
  if (!maxScore) return undefined;
  const problemOf = new Map(deps.submissions().map((s) => [s.id, s.problemId]));
  return (j) => (j.endedAtMs === null ? 0 : runPoints({ score: j.score?.score, verdict: j.verdict }, maxScore.get(problemOf.get(j.submissionId) ?? '') ?? null));
}

/** Score contests: each problem's full marks as the board counts them (ccsProblem's max_score). */
function problemMaxScores(deps: HttpDeps, clock: ContestClock): Map<string, number | null> | undefined {
  if (clock.scoreboardType !== 'score') return undefined;
  return new Map(deps.scoreboard('jury').problems.map((p) => [p.id, p.maxScore ?? null]));
}

/** The groups.json groups a team is in. */
export function teamGroupIds(deps: HttpDeps, teamId: string): string[] {
  return deps.groups().filter((g) => g.teamIds.includes(teamId)).map((g) => g.id);
}

export function readCollection(name: Collection, deps: HttpDeps, vis: Visibility): CcsObject[] {
  const clock = vis.clock;
  switch (name) {
    case 'judgement-types':
      return ccsJudgementTypes();
    case 'languages':
      return deps.languages().map(ccsLanguage);
    case 'problems': {
      if (!vis.problems()) return [];
      const max = problemMaxScores(deps, clock);
      // 2023-06 requires max_score on a score contest: an unbounded problem gives its expected one.
      return deps.problems().map((p, i) => ccsProblem(p, i + 1, max ? (max.get(p.id) ?? p.scoring?.expectedMaxScore ?? null) : undefined, { contestId: clock.contestId, ...deps.problemFiles(p.id) }) as CcsObject);
    }
    case 'groups':
      return deps.groups().map(ccsGroup);
    case 'organizations':
      return new Organizations(deps.organizations()).render(deps.teams().filter((t) => vis.team(t)), clock.contestId);
    case 'teams': {
      const orgs = new Organizations(deps.organizations());
      return deps.teams().filter((t) => vis.team(t)).map((t) => ccsTeam(t, teamGroupIds(deps, t.id), orgs));
    }
    case 'persons':
      return deps.persons().flatMap((p) => {
        const teams = vis.personTeams(p);
        return teams ? [ccsPerson(p, teams, vis.personalData(), clock.contestId)] : [];
      });
    case 'accounts':
      return vis.accounts() ? deps.accounts().filter((a) => a.role !== 'public').map(ccsAccount) : [];
    case 'submissions':
      return deps.submissions().filter((s) => vis.submission(s)).map((s) => ccsSubmission(s, clock.contestId));
    case 'judgements': {
      const points = judgementPoints(deps, clock);
      const apiIds = new Map(deps.submissions().map((s) => [s.id, apiSubmissionId(s)]));
      return apiJudgings(deps, vis).map((j) => ccsJudgement(j, clock, points?.(j), apiIds.get(j.submissionId)));
    }
    case 'runs':
      return apiJudgings(deps, vis).flatMap((j) => ccsRuns(j, clock));
    case 'clarifications':
      return deps.clarifications().filter((c) => vis.clarification(c)).map(ccsClarification);
    case 'awards': {
      // Before the start the public may not learn problem ids, so neither first-to-solve awards.
      const problems = vis.problems() ? deps.problems() : [];
      return ccsAwards(readerBoard(deps, vis)!, problems, deps.groups(), deps.medals());
    }
  }
}

/** The access endpoint: what this reader can read (endpoints and their properties) and do. */
export function accessOf(vis: Visibility, canAct: boolean) {
  const capabilities: string[] = [];
  if (canAct) {
    if (vis.viewer.role === 'team') capabilities.push('team_submit', 'team_clar');
    if (vis.viewer.role === 'judge') capabilities.push('admin_clar');
    if (vis.viewer.role === 'admin') capabilities.push('contest_start', 'contest_thaw', 'admin_submit', 'admin_clar');
  }
  const types = ['contest', 'state', 'scoreboard', 'event-feed', ...COLLECTIONS.filter((c) => offered(c, vis))];
  // 2023-06: penalty_time only on pass-fail contests, scores only on score contests.
  const notHere = new Set(vis.clock.scoreboardType === 'score' ? ['contest.penalty_time'] : ['problems.max_score', 'judgements.score']);
  if (!vis.personalData()) for (const p of ['persons.email', 'persons.sex']) notHere.add(p);
  return { capabilities, endpoints: types.map((type) => ({ type, properties: CCS_PROPERTIES[type]!.filter((p) => !notHere.has(`${type}.${p}`)) })) };
}
