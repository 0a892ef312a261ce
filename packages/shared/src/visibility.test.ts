import { describe, expect, it } from 'vitest';
import { canSeeClarification, hiddenByFreeze, toTeamSubmission, type Viewer } from './visibility.ts';
import { TeamSubmissionSchema, type JurySubmission } from './protocol.ts';

const team1: Viewer = { role: 'team', teamId: 't1' };
const team2: Viewer = { role: 'team', teamId: 't2' };
const pub: Viewer = { role: 'public', teamId: null };
const judge: Viewer = { role: 'judge', teamId: null };

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
      verdict: 'WA', timeMs: 10, memoryKiB: 100, testIndex: 2, testCount: 5, teamId: 't1', teamName: 'Alpha', judgingId: 'j1',
    };
    const team = toTeamSubmission(jury);
    expect(Object.keys(team).sort()).toEqual(Object.keys(TeamSubmissionSchema.shape).sort());
    expect(TeamSubmissionSchema.parse(team)).toEqual(team);
  });
});
