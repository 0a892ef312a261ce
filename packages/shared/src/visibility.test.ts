import { describe, expect, it } from 'vitest';
import {
  canSeeClarification,
  canSeeJudgement,
  canSeePerson,
  canSeePersonalData,
  canSeeProblems,
  canSeeSubmission,
  canSeeTeam,
  visibleTeamIds,
  hiddenByFreeze,
  judgingTakesEffect,
  isJury,
  ownsTeam,
  scoreboardViewFor,
  teamMessageOf,
  teamSeesTestInFull,
  toTeamSubmission,
  viewerOf,
  type Viewer,
} from './visibility.ts';
import { TeamSubmissionSchema, type JurySubmission } from './protocol.ts';

const team1: Viewer = { role: 'team', teamId: 't1' };
const team2: Viewer = { role: 'team', teamId: 't2' };
const pub: Viewer = { role: 'public', teamId: null };
const judge: Viewer = { role: 'judge', teamId: null };
const admin: Viewer = { role: 'admin', teamId: null };
const teamless: Viewer = { role: 'team', teamId: null };
const ALL = { team1, team2, pub, judge, admin, teamless };
/** The rule's answer for every viewer, in the order of ALL. */
const forAll = (rule: (v: Viewer) => boolean) => Object.values(ALL).map(rule);

describe('visibility', () => {
  it('clarifications reach only their audience', () => {
    const question = { fromTeamId: 't1', toTeamId: null };
    const privateAnswer = { fromTeamId: null, toTeamId: 't1' };
    const toAll = { fromTeamId: null, toTeamId: null };
    expect([team1, team2, pub, judge].map((v) => canSeeClarification(v, question))).toEqual([true, false, false, true]);
    expect([team1, team2, pub, judge].map((v) => canSeeClarification(v, privateAnswer))).toEqual([true, false, false, true]);
    expect([team1, team2, pub, judge].map((v) => canSeeClarification(v, toAll))).toEqual([true, true, true, true]);
    // A team account without a team id sees nothing private.
    expect(canSeeClarification({ role: 'team', teamId: null }, privateAnswer)).toBe(false);
  });

  it('the freeze hides runs from its start on, only while frozen', () => {
    expect(hiddenByFreeze({ scoreboardFrozen: true, freezeAtMs: 100 }, 99)).toBe(false);
    expect(hiddenByFreeze({ scoreboardFrozen: true, freezeAtMs: 100 }, 100)).toBe(true);
    expect(hiddenByFreeze({ scoreboardFrozen: false, freezeAtMs: 100 }, 150)).toBe(false);
    expect(hiddenByFreeze({ scoreboardFrozen: true, freezeAtMs: null }, 150)).toBe(false);
  });

  it('a team view of a jury submission keeps exactly the team fields', () => {
    const jury: JurySubmission = {
      id: '1', problemId: 'a', language: 'cpp', fileNames: ['a.cpp'], submittedAtMs: 5, contestTimeMs: 5, status: 'judged',
      verdict: 'WA', timeMs: 10, memoryKiB: 100, testIndex: 2, testCount: 5, teamId: 't1', teamName: 'Alpha', judgingId: 'j1', score: 40, maxScore: 100,
    };
    const team = toTeamSubmission(jury);
    expect(Object.keys(team).sort()).toEqual(Object.keys(TeamSubmissionSchema.shape).sort());
    expect(TeamSubmissionSchema.parse(team)).toEqual(team);
  });

  // Each row: a rule, then its answer for team1, team2, public, judge, admin, a team account without a team.
  const enabled = new Set(['t1', 't2']);
  const frozen = { scoreboardFrozen: true, freezeAtMs: 100 };
  const sub = (teamId: string, submittedAtMs = 50) => ({ teamId, submittedAtMs });
  const judged = { valid: true, rejudgingId: null, endedAtMs: 60 };
  it.each<[string, (v: Viewer) => boolean, boolean[]]>([
    ['jury', (v) => isJury(v), [false, false, false, true, true, false]],
    ['owns team t1', (v) => ownsTeam(v, 't1'), [true, false, false, false, false, false]],
    ['jury scoreboard', (v) => scoreboardViewFor(v) === 'jury', [false, false, false, true, true, false]],
    ['problems before the start', (v) => canSeeProblems(v, { state: 'before' }), [false, false, false, true, true, false]],
    ['problems once running', (v) => canSeeProblems(v, { state: 'running' }), [true, true, true, true, true, true]],
    ['a disabled team', (v) => canSeeTeam(v, { enabled: false }), [false, false, false, true, true, false]],
    ['a hidden team (teams.json hidden)', (v) => canSeeTeam(v, { enabled: true, hidden: true }), [false, false, false, true, true, false]],
    ['an enabled team', (v) => canSeeTeam(v, { enabled: true, hidden: false }), [true, true, true, true, true, true]],
    ['a submission of hidden t4', (v) => canSeeSubmission(v, sub('t4'), visibleTeamIds(v, [{ id: 't1', enabled: true }, { id: 't4', enabled: true, hidden: true }])), [false, false, false, true, true, false]],
    ['a submission of enabled t1', (v) => canSeeSubmission(v, sub('t1'), enabled), [true, true, true, true, true, true]],
    ['a submission of disabled t3', (v) => canSeeSubmission(v, sub('t3'), enabled), [false, false, false, true, true, false]],
    ['t1 judged before the freeze', (v) => canSeeJudgement(v, judged, sub('t1', 50), frozen, enabled), [true, true, true, true, true, true]],
    ['t1 judged after the freeze', (v) => canSeeJudgement(v, judged, sub('t1', 150), frozen, enabled), [true, false, false, true, true, false]],
    ['t1 after the freeze, unfrozen', (v) => canSeeJudgement(v, judged, sub('t1', 150), { ...frozen, scoreboardFrozen: false }, enabled), [true, true, true, true, true, true]],
    ['a replaced (rejudged) judging', (v) => canSeeJudgement(v, { ...judged, valid: false }, sub('t1'), frozen, enabled), [false, false, false, false, false, false]],
    ['a first judging while it runs', (v) => canSeeJudgement(v, { ...judged, valid: false, endedAtMs: null }, sub('t1'), frozen, enabled), [true, true, true, true, true, true]],
    ['a running first judging after the freeze', (v) => canSeeJudgement(v, { ...judged, valid: false, endedAtMs: null }, sub('t1', 150), frozen, enabled), [true, false, false, true, true, false]],
    ['a rejudging judging under review', (v) => canSeeJudgement(v, { valid: false, rejudgingId: 'r1', endedAtMs: null }, sub('t1'), frozen, enabled), [false, false, false, false, false, false]],
    ['an ended judging of a rejudging under review', (v) => canSeeJudgement(v, { valid: false, rejudgingId: 'r1', endedAtMs: 70 }, sub('t1'), frozen, enabled), [false, false, false, false, false, false]],
    ['a judging of an unknown submission', (v) => canSeeJudgement(v, judged, undefined, frozen, enabled), [false, false, false, true, true, false]],
    ['a question of t1', (v) => canSeeClarification(v, { fromTeamId: 't1', toTeamId: null }), [true, false, false, true, true, false]],
    ['an answer to t1 only', (v) => canSeeClarification(v, { fromTeamId: null, toTeamId: 't1' }), [true, false, false, true, true, false]],
    ['an announcement', (v) => canSeeClarification(v, { fromTeamId: null, toTeamId: null }), [true, true, true, true, true, true]],
    ['a contestant of a team they see', (v) => canSeePerson(v, { role: 'contestant' }, ['t1']), [true, true, true, true, true, true]],
    ['a contestant of hidden teams only', (v) => canSeePerson(v, { role: 'contestant' }, []), [false, false, false, true, true, false]],
    ['a coach of hidden teams only', (v) => canSeePerson(v, { role: 'coach' }, []), [false, false, false, true, true, false]],
    ['staff', (v) => canSeePerson(v, { role: 'staff' }, []), [true, true, true, true, true, true]],
    ["a person's email and sex", (v) => canSeePersonalData(v), [false, false, false, true, true, false]],
  ])('%s', (_rule, rule, want) => {
    expect(forAll(rule)).toEqual(want);
  });

  it('a user becomes a viewer; only team accounts carry a team', () => {
    expect(viewerOf(null)).toEqual(pub);
    expect(viewerOf({ role: 'team', teamId: 't1' })).toEqual(team1);
    expect(viewerOf({ role: 'admin', teamId: 't1' })).toEqual(admin);
  });

  it('a rejudging\u2019s verdict takes effect only once applied, and a judge error never replaces a verdict', () => {
    expect(judgingTakesEffect({ verdict: 'WA', rejudgingState: 'pending' }, true)).toBe(false);
    expect(judgingTakesEffect({ verdict: 'WA', rejudgingState: 'cancelled' }, true)).toBe(false);
    expect(judgingTakesEffect({ verdict: 'WA', rejudgingState: 'applied' }, true)).toBe(true);
    expect(judgingTakesEffect({ verdict: 'JE', rejudgingState: 'applied' }, true)).toBe(false);
    // Nothing shown yet (the first judging was cancelled by the rejudge): the verdict counts at once.
    expect(judgingTakesEffect({ verdict: 'WA', rejudgingState: 'pending' }, false)).toBe(true);
    expect(judgingTakesEffect({ verdict: 'AC', rejudgingState: null }, true)).toBe(true);
  });
});

describe('team feedback', () => {
  it('samples and full-feedback secret tests are shown in full, other secret tests never', () => {
    expect(teamSeesTestInFull({ sample: true, fullFeedback: false })).toBe(true);
    expect(teamSeesTestInFull({ sample: false, fullFeedback: true })).toBe(true);
    expect(teamSeesTestInFull({ sample: false, fullFeedback: false })).toBe(false);
  });
  it("the team message is the deciding test's: the first failed one, else the first written", () => {
    const r = (verdict: string, teamMessage: string | null) => ({ verdict, teamMessage });
    expect(teamMessageOf([r('AC', 'a'), r('WA', null), r('WA', 'c')])).toBe(null);
    expect(teamMessageOf([r('AC', 'a'), r('TLE', 'b')])).toBe('b');
    expect(teamMessageOf([r('AC', null), r('AC', 'ok in 3')])).toBe('ok in 3');
    expect(teamMessageOf([])).toBe(null);
  });
});
