import { describe, expect, it } from 'vitest';
import { stripVTControlCharacters } from 'node:util';
import { scoreLines } from './read.ts';

const group = (name: string, score: number, maxScore: number) => ({ name, score, maxScore, accepted: score === maxScore, tests: [] });

describe('scoreLines', () => {
  it('says in words whether an accepted score is full marks or partial', () => {
    const partial = scoreLines({ score: 50, maxScore: 100, groups: [group('secret/a', 50, 50), group('secret/b', 0, 50)] }).map(stripVTControlCharacters);
    expect(partial[0]).toBe('Score: 50/100 (partial score)');
    expect(partial.slice(1)).toEqual([expect.stringMatching(/^ {2}a {2}\s+50\/50/), expect.stringMatching(/^ {2}b {2}\s+0\/50/)]);
    expect(stripVTControlCharacters(scoreLines({ score: 100, maxScore: 100, groups: [] })[0]!)).toBe('Score: 100/100 (full marks)');
    // Unbounded: no maximum to compare with.
    expect(stripVTControlCharacters(scoreLines({ score: 7, maxScore: null, groups: [] })[0]!)).toBe('Score: 7');
  });
});
