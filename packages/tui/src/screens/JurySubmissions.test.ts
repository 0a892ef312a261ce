import { describe, expect, it } from 'vitest';
import { juryDetailLines } from './JurySubmissions.tsx';
import { statusText } from '../components/misc.tsx';

const text = (lines: ReturnType<typeof juryDetailLines>) => lines.map((l) => l.map((p) => p.text).join(''));

describe('scores for the jury', () => {
  it("shows a scoring judging's points, its first rejection and each subtask's points", () => {
    const submission = { id: '2', problemId: 'stretch', language: 'python3', fileNames: ['a.py'], submittedAtMs: 1, contestTimeMs: 1, status: 'judged' as const, verdict: 'AC' as const, timeMs: 164, memoryKiB: 1024, testIndex: 10, testCount: 12, score: 57.5, maxScore: 100, teamId: 'team2', teamName: 'Grace', judgingId: 'j2' };
    const groups = [
      { name: 'secret/01-tiny', score: 20, maxScore: 20, accepted: true, tests: [] },
      { name: 'secret/02-medium', score: 0, maxScore: 30, accepted: false, tests: [] },
      { name: 'secret/03-large', score: 0, maxScore: 50, accepted: false, skipped: true, tests: [] },
    ];
    const judging = { id: 'j2', submissionId: '2', valid: true, rejudgingId: null, startedAtMs: 1, endedAtMs: 2, verdict: 'AC' as const, maxTimeMs: 164, maxMemoryKiB: 1024, compileOutput: null, worker: 'w', runs: [], score: { score: 57.5, maxScore: 100, groups, firstRejection: 'WA' as const } };
    const lines = text(juryDetailLines({ submission, judgings: [judging], files: [] }, 'A', 80));
    expect(lines).toContain('Score 57.5/100 · first rejection WA');
    expect(lines.find((l) => l.includes('secret/02-medium'))).toMatch(/secret\/02-medium +0\/30$/);
    expect(lines.find((l) => l.includes('secret/03-large'))).toMatch(/50  not judged \(a required subtask failed\)$/);
    // The list's status column says the score beside the verdict.
    expect(statusText(submission, 16).text).toBe('AC 57.5/100     ');
  });
});
