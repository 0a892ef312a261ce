/**
 * One realistic example of every request and every result, all of which must pass the schemas: a
 * schema that refuses a sensible frame fails here, before a client or the server trips over it.
 */
import { describe, expect, it } from 'vitest';
import {
  REQUEST_TYPES,
  okFrameOf,
  parseClientFrame,
  parseServerFrame,
  type ClientFrameInput,
  type ContestClock,
  type JuryJudging,
  type JurySubmission,
  type Rejudging,
  type RequestType,
  type ResultOf,
  type TeamSubmission,
  type TeamVerdict,
  type Clarification,
} from './protocol.ts';
import { Scoreboard } from './scoring.ts';

const T = 1_764_061_200_000;
const clock: ContestClock = {
  contestId: 'lan26', name: 'LAN', state: 'running', startAtMs: T, durationMs: 18_000_000, endAtMs: T + 18_000_000,
  freezeAtMs: T + 14_400_000, scoreboardFrozen: false, finalized: false, penaltyTimeMin: 20, serverTimeMs: T + 60_000,
};
const teamSub: TeamSubmission = {
  id: '17', problemId: 'hello', language: 'cpp', fileNames: ['main.cpp'], submittedAtMs: T + 50_000, contestTimeMs: 50_000,
  status: 'judged', verdict: 'WA', timeMs: 31, memoryKiB: 3120, testIndex: 2, testCount: 12,
};
const verdict: TeamVerdict = {
  submissionId: '17', judgingId: '20', verdict: 'WA', timeMs: 31, memoryKiB: 3120, testsPassed: 2, testCount: 12, compileOutput: null,
  teamMessage: null, tests: [{ index: 1, name: 'sample/1', sample: true, verdict: 'AC', timeMs: 3, memoryKiB: 1000, input: '1 2\n', expected: '3\n', got: '3\n', gotTruncated: false, stderr: '', teamMessage: null }],
};
const jurySub: JurySubmission = { ...teamSub, teamId: 't1', teamName: 'Alpha', judgingId: '20' };
const judging: JuryJudging = {
  id: '20', submissionId: '17', valid: true, rejudgingId: null, startedAtMs: T + 51_000, endedAtMs: T + 52_000, verdict: 'WA',
  maxTimeMs: 31, maxMemoryKiB: 3120, compileOutput: '', worker: 'w1',
  runs: [{ index: 1, testName: 'secret/1', sample: false, verdict: 'WA', timeMs: 31, wallTimeMs: 40, memoryKiB: 3120, exitCode: 0, signal: null, judgeMessage: 'line 1: expected 3, got 4', stdoutExcerpt: '4', stderrExcerpt: '' }],
};
const clar: Clarification = {
  id: 'c1', kind: 'question', fromTeamId: 't1', toTeamId: null, problemId: 'hello', replyToId: null, quotedQuestion: null,
  text: 'Is n > 0?', createdAtMs: T + 1000, contestTimeMs: 1000, answered: false,
};
const rejudging: Rejudging = {
  id: '3', scope: { kind: 'problem', problemId: 'hello' }, verdicts: ['WA'], reason: 'new test data', byUsername: 'jury', state: 'pending',
  createdAtMs: T + 60_000, decidedAtMs: null, decidedBy: null, submissionCount: 12, doneCount: 12, changedCount: 1,
};
const printJob = {
  id: '1', teamId: 't1', teamName: 'Alpha', location: 'Room 2, seat 14', fileName: 'a.cpp', pages: 1, bytes: 30, state: 'printed' as const,
  error: null, done: false, createdAtMs: T + 5000, printedAtMs: T + 5100, printCount: 1,
};
const balloon = {
  teamId: 't1', teamName: 'Alpha', location: 'Room 2, seat 14', problemId: 'hello', label: 'A', problemName: 'Hello', colour: '#ff0000',
  submissionId: 's1', submittedAtMs: T + 60_000, contestTimeMs: 60_000, firstToSolve: true, frozen: false, done: false, doneBy: null, doneAtMs: null,
};
const team = { id: 't1', name: 'Alpha', organization: 'Uni A', enabled: true };
const scoreboard = new Scoreboard({ problems: [{ id: 'hello', label: 'A', name: 'Hello', colour: '#ff0000' }], teams: [team], view: 'public' }).snapshot();
const problem = { id: 'hello', label: 'A', name: 'Hello', colour: '#ff0000', timeLimitMs: 1000, memoryLimitKiB: 262144, sampleCount: 1, testCount: 3 };

const requests: { [T in RequestType]: Omit<Extract<ClientFrameInput, { type: T }>, 'id' | 'type'> } = {
  hello: { protocolVersion: 1, client: 'judge-tui/0.1' },
  login: { username: 'team1', password: 'secret' },
  resume: { token: 'x'.repeat(40) },
  logout: {},
  subscribe: { sinceSeq: 41 },
  clock: {},
  problems: {},
  statement: { problemId: 'hello' },
  attachment: { problemId: 'hello', name: 'sample.zip' },
  problemFile: { problemId: 'hello', kind: 'statementPdf', language: 'en' },
  languages: {},
  submit: { problemId: 'hello', language: 'cpp', files: [{ name: 'main.cpp', source: 'int main(){}' }] },
  submissions: {},
  scoreboard: {},
  clarifications: {},
  ask: { problemId: null, text: 'May we use printf?' },
  queue: {},
  jurySubmissions: { teamId: 't1', verdict: 'WA', limit: 50 },
  jurySubmission: { submissionId: '17' },
  rejudge: { scope: { kind: 'problem', problemId: 'hello' }, verdicts: ['WA', 'TLE'], reason: 'new test data' },
  rejudgings: {},
  rejudging: { rejudgingId: '3' },
  decideRejudging: { rejudgingId: '3', action: 'apply' },
  answer: { clarificationId: 'c1', text: 'Yes.', to: 'all' },
  announce: { problemId: 'hello', text: 'Sample 2 was fixed.' },
  teams: {},
  setContestTimes: { startAtMs: T, durationMs: 18_000_000, freezeDurationMs: 3_600_000 },
  contestControl: { action: 'unfreeze' },
  addTeam: { teamId: 't9', name: 'Late Team', organization: null, username: 'team9', password: 'long enough' },
  editTeam: { teamId: 't9', name: 'Late Team (Ghent)', organization: 'Ghent University', location: 'Room 2, table 14', groupIds: ['site-ghent'] },
  importTeams: { files: [{ name: 'teams.tsv', text: 'teams\t1\n9\t\t\tLate Team\n' }] },
  setTeamEnabled: { teamId: 't9', enabled: false },
  setAccount: { username: 'team9', enabled: false, password: 'a new long one' },
  judgehosts: {},
  setJudgehostEnabled: { name: 'judge-b', enabled: false },
  print: { fileName: 'a.cpp', text: 'int main() {\n\treturn 0;\n}\n' },
  printJobs: {},
  printJob: { jobId: '1' },
  printAction: { jobId: '1', action: 'done' },
  balloons: { includeFrozen: true },
  setBalloonDone: { teamId: 't1', problemId: 'hello', done: true },
  removeJudgehost: { name: 'judge-c' },
};

const results: { [T in RequestType]: ResultOf<T> } = {
  hello: { protocolVersion: 1, server: 'judged/0.1', serverTimeMs: T, limits: { maxFrameBytes: 2097152, maxSourceBytes: 262144, maxSourceFiles: 16, maxClarificationChars: 4000 } },
  login: { session: { token: 'x'.repeat(40), user: { username: 'team1', role: 'team', teamId: 't1', displayName: 'Alpha' }, expiresAtMs: null } },
  resume: { session: { token: 'x'.repeat(40), user: { username: 'jury', role: 'judge', teamId: null, displayName: 'Jury' }, expiresAtMs: T + 86_400_000 } },
  logout: {},
  subscribe: { mode: 'snapshot', headSeq: 41, snapshot: { clock, scoreboard, problems: [problem], submissions: [teamSub], verdicts: [verdict], clarifications: [clar] } },
  clock: { clock },
  scoreboard: { scoreboard },
  problems: { problems: [problem] },
  statement: { problem: { ...problem, markdown: '# Hello\n', samples: [{ name: '1', input: '', output: 'Hello World!\n' }], attachments: [{ name: 'sample.zip', sizeBytes: 120 }] } },
  attachment: { name: 'sample.zip', mediaType: 'application/zip', contentBase64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
  problemFile: { name: 'hello.en.pdf', mediaType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' },
  languages: { languages: [{ id: 'cpp', name: 'C++ 17', extensions: ['cpp', 'cc'], multiFile: false, compile: ['g++', '-O2', '-o', '{binary}', '{files}'], run: ['{binary}'] }] },
  submit: { submission: { ...teamSub, status: 'queued', verdict: null, timeMs: null, memoryKiB: null, testIndex: null, testCount: null } },
  submissions: { submissions: [teamSub], verdicts: [verdict] },
  clarifications: { clarifications: [clar] },
  ask: { clarification: clar },
  queue: { queue: [{ submissionId: '18', judgingId: '21', teamId: 't1', problemId: 'hello', language: 'cpp', submittedAtMs: T, status: 'running', worker: 'w1', testIndex: 3, testCount: 12, rejudgingId: null }] },
  jurySubmissions: { submissions: [jurySub] },
  jurySubmission: { submission: jurySub, files: [{ name: 'main.cpp', source: 'int main(){}' }], judgings: [judging, { ...judging, id: '19', valid: false }] },
  rejudge: { rejudgingId: 'r1', submissionCount: 12 },
  rejudgings: { rejudgings: [rejudging] },
  rejudging: {
    rejudging,
    items: [{ submissionId: '17', teamId: 't1', teamName: 'Alpha', problemId: 'hello', oldJudgingId: '20', oldVerdict: 'WA', oldTimeMs: 31, newJudgingId: '25', newStatus: 'done', newVerdict: 'AC', newTimeMs: 29 }],
  },
  decideRejudging: { rejudging: { ...rejudging, state: 'applied', decidedAtMs: T + 70_000, decidedBy: 'chief' } },
  answer: { clarification: { ...clar, id: 'c2', kind: 'answer', fromTeamId: null, replyToId: 'c1', quotedQuestion: 'Is n > 0?', text: 'Yes.' } },
  announce: { clarification: { ...clar, id: 'c3', kind: 'announcement', fromTeamId: null, text: 'Sample 2 was fixed.' } },
  teams: { teams: [team] },
  setContestTimes: { clock },
  contestControl: { clock: { ...clock, state: 'over', scoreboardFrozen: false, unfrozenAtMs: T + 19_000_000 } },
  addTeam: { team },
  editTeam: { team: { ...team, name: 'Late Team (Ghent)', location: 'Room 2, table 14', groupIds: ['site-ghent'] } },
  importTeams: { teams: [team], accounts: 1, logins: [{ teamId: 't9', username: 't9', password: 'kP3xw9TqzR2m' }], errors: [{ file: 'accounts.tsv', line: 2, field: '0.type', message: 'type "jury" is not supported: use team, judge or admin', hint: 'check 0.type' }] },
  setTeamEnabled: { team: { ...team, enabled: false } },
  setAccount: { account: { username: 'team9', role: 'team', teamId: 't9', displayName: 'Late Team', enabled: false } },
  judgehosts: {
    queue: { backend: 'redis', up: true, problem: null },
    judgehosts: [{ name: 'judge-b', alive: true, state: 'alive', seenAgoMs: 800, disabled: false, draining: false, doctor: 'ok', workers: 7, busy: 2, current: ['12/14#1', '13/15#2'], done: 40, errors: 0, seenAtMs: T }],
  },
  setJudgehostEnabled: { judgehosts: [{ name: 'judge-b', alive: true, state: 'alive', seenAgoMs: 800, disabled: true, draining: false, doctor: 'ok', workers: 7, busy: 2, current: [], done: 40, errors: 0, seenAtMs: T }] },
  print: { jobId: '1', pages: 1, state: 'queued', pagesLeft: 49 },
  printJobs: { jobs: [printJob], printer: null },
  printJob: { job: printJob, text: 't1 | Alpha | a.cpp | page 1/1\nint main() {}\n' },
  printAction: { job: { ...printJob, done: true } },
  balloons: { balloons: [balloon], heldBack: true, hiddenByFreeze: null },
  setBalloonDone: { balloon: { ...balloon, done: true, doneBy: 'runner1', doneAtMs: T + 70_000 } },
  removeJudgehost: { judgehosts: [] },
};

describe('protocol examples', () => {
  it('covers every request type', () => {
    expect(Object.keys(requests).sort()).toEqual([...REQUEST_TYPES].sort());
  });

  it.each(REQUEST_TYPES)('%s: the example request and result pass the schemas', (type) => {
    const req = parseClientFrame(JSON.stringify({ id: 1, type, ...requests[type] }));
    expect(req.ok ? 'ok' : req.message).toBe('ok');
    const res = parseServerFrame(JSON.stringify(okFrameOf(1, type, results[type] as never)));
    expect(res.ok ? 'ok' : res.message).toBe('ok');
  });
});
