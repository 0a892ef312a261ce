import { describe, expect, it } from 'vitest';
import {
  VERDICTS,
  VERDICT_INFO,
  countsAsPenalty,
  isVerdict,
  kattisFolderAllows,
  verdictFromDomjudge,
  verdictFromKattisFolder,
  verdictToDomjudge,
} from './verdict.ts';

describe('verdicts', () => {
  it('describe every CCS id in one table', () => {
    expect(VERDICTS).toEqual(['AC', 'WA', 'TLE', 'MLE', 'RTE', 'OLE', 'CE', 'JE']);
    for (const v of VERDICTS) {
      expect(VERDICT_INFO[v].id).toBe(v);
      expect(VERDICT_INFO[v].colour).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(VERDICT_INFO.TLE.name).toBe('Time Limit Exceeded');
  });

  it('count every rejection but CE and JE as penalty', () => {
    expect(VERDICTS.filter(countsAsPenalty)).toEqual(['WA', 'TLE', 'MLE', 'RTE', 'OLE']);
  });

  it('map DOMjudge results both ways', () => {
    expect(verdictFromDomjudge('CORRECT')).toBe('AC');
    expect(verdictFromDomjudge('wrong-answer')).toBe('WA');
    expect(verdictFromDomjudge('NO-OUTPUT')).toBe('WA');
    expect(verdictFromDomjudge('TIMELIMIT')).toBe('TLE');
    expect(verdictFromDomjudge('RUN-ERROR')).toBe('RTE');
    expect(verdictFromDomjudge('COMPILER-ERROR')).toBe('CE');
    expect(verdictFromDomjudge('OUTPUT-LIMIT')).toBe('OLE');
    expect(verdictFromDomjudge('MEMORY-LIMIT')).toBe('MLE');
    expect(verdictFromDomjudge('bogus')).toBeNull();
    for (const v of VERDICTS) {
      const name = verdictToDomjudge(v);
      if (name) expect(verdictFromDomjudge(name)).toBe(v);
    }
    expect(verdictToDomjudge('JE')).toBeNull();
  });

  it('map Kattis submissions/ folders', () => {
    expect(verdictFromKattisFolder('accepted')).toBe('AC');
    expect(verdictFromKattisFolder('wrong_answer')).toBe('WA');
    expect(verdictFromKattisFolder('time_limit_exceeded')).toBe('TLE');
    expect(verdictFromKattisFolder('run_time_error')).toBe('RTE');
    expect(verdictFromKattisFolder('memory_limit_exceeded')).toBe('MLE');
    expect(verdictFromKattisFolder('output_limit_exceeded')).toBe('OLE');
    expect(verdictFromKattisFolder('compile_error')).toBe('CE');
    expect(verdictFromKattisFolder('partially_accepted')).toBeNull();
    expect(kattisFolderAllows('rejected')).toEqual(['WA', 'TLE', 'MLE', 'RTE', 'OLE']);
    expect(kattisFolderAllows('accepted')).toEqual(['AC']);
    expect(kattisFolderAllows('run_time_error')).toEqual(['RTE', 'MLE']);
    expect(kattisFolderAllows('misc')).toBeNull();
  });

  it('recognise ids', () => {
    expect(isVerdict('AC')).toBe(true);
    expect(isVerdict('ac')).toBe(false);
    expect(isVerdict(3)).toBe(false);
  });
});
