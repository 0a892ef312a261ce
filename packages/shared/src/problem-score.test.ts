import { describe, expect, it } from 'vitest';
import { defaultGrader, legacyCases, legacyCasesNeeded, passFailVerdict, scoreSubmission, walkLegacyTree, type CaseOutcome, type GroupRules2025, type LegacyGroupRules, type ScoringRules2025, type ScoringRulesLegacy } from './problem-score.ts';
import type { Verdict } from './verdict.ts';

function outcomes(entries: Record<string, Verdict | [Verdict, { score?: string; mult?: string }]>): Map<string, CaseOutcome> {
  const m = new Map<string, CaseOutcome>();
  for (const [k, v] of Object.entries(entries)) {
    if (Array.isArray(v)) m.set(k, { verdict: v[0], ...(v[1].score !== undefined ? { scoreTxt: v[1].score } : {}), ...(v[1].mult !== undefined ? { multiplierTxt: v[1].mult } : {}) });
    else m.set(k, { verdict: v });
  }
  return m;
}

function group(name: string, maxScore: number | null, aggregation: GroupRules2025['aggregation'], cases: string[], requirePass: string[] = []): GroupRules2025 {
  return { name, maxScore, aggregation, requirePass, cases };
}

/** Three subtasks, as in the example problem: 20 pass-fail, 30 min, 50 sum over 4 cases. */
const subtasks: ScoringRules2025 = {
  format: '2025-09',
  sample: ['sample/1'],
  secret: group('secret', 100, 'sum', []),
  groups: [
    group('secret/g1', 20, 'pass-fail', ['secret/g1/a', 'secret/g1/b'], ['sample']),
    group('secret/g2', 30, 'min', ['secret/g2/a', 'secret/g2/b']),
    group('secret/g3', 50, 'sum', ['secret/g3/a', 'secret/g3/b', 'secret/g3/c', 'secret/g3/d'], ['secret/g1']),
  ],
};
subtasks.secret.cases = subtasks.groups.flatMap((g) => g.cases);
const order = ['sample/1', ...subtasks.secret.cases];
const all = (v: Verdict) => Object.fromEntries(order.map((n) => [n, v]));

describe('2025-09 result aggregation', () => {
  // Each row: the case results, then the expected group scores and the total, computed by hand.
  const table: [string, Record<string, Verdict | [Verdict, { score?: string; mult?: string }]>, number[], number][] = [
    ['all accepted', all('AC'), [20, 30, 50], 100],
    ['everything wrong', all('WA'), [0, 0, 0], 0],
    ['pass-fail group loses all on one WA; the group requiring it scores 0', { ...all('AC'), 'secret/g1/b': 'WA' }, [0, 30, 0], 30],
    ['min group takes the smallest case score', { ...all('AC'), 'secret/g2/a': ['AC', { mult: '0.5' }], 'secret/g2/b': ['AC', { mult: '0.25' }] }, [20, 7.5, 50], 77.5],
    ['sum group: each case is worth 50/4; a multiplier scales one', { ...all('AC'), 'secret/g3/a': 'TLE', 'secret/g3/b': ['AC', { mult: '0.4' }] }, [20, 30, 12.5 + 5 + 12.5], 20 + 30 + 30],
    ['score.txt gives a case its score directly', { ...all('AC'), 'secret/g3/c': ['AC', { score: '3' }] }, [20, 30, 12.5 * 3 + 3], 20 + 30 + 40.5],
    ['a failed sample skips the group requiring it (and what requires that)', { ...all('AC'), 'sample/1': 'WA' }, [0, 30, 0], 30],
  ];
  for (const [title, res, groups, total] of table) {
    it(title, () => {
      const s = scoreSubmission(subtasks, outcomes(res), order);
      expect(s.judgeError).toBeUndefined();
      expect(s.verdict).toBe('AC');
      expect(s.groups.map((g) => g.score)).toEqual(groups);
      expect(s.score).toBe(total);
      expect(s.maxScore).toBe(100);
    });
  }

  it('keeps the first rejection for the jury and marks skipped groups', () => {
    const s = scoreSubmission(subtasks, outcomes({ ...all('AC'), 'sample/1': 'WA', 'secret/g2/b': 'TLE' }), order);
    expect(s.firstRejection).toBe('WA');
    expect(s.groups[0]!.skipped).toBe(true);
    expect(s.groups[2]!.skipped).toBe(true);
    expect(s.groups[1]!.verdict).toBe('TLE');
    // A case missing from the outcomes (not run) counts as not accepted.
    const missing = outcomes(all('AC'));
    missing.delete('secret/g1/a');
    expect(scoreSubmission(subtasks, missing, order).groups.map((g) => g.score)).toEqual([0, 30, 0]);
  });

  it('secret with test cases directly: each is worth max_score / N', () => {
    const rules: ScoringRules2025 = { format: '2025-09', sample: [], groups: [], secret: group('secret', 100, 'sum', ['secret/1', 'secret/2', 'secret/3']) };
    const s = scoreSubmission(rules, outcomes({ 'secret/1': 'AC', 'secret/2': 'WA', 'secret/3': 'AC' }), ['secret/1', 'secret/2', 'secret/3']);
    expect(s.score).toBe(66.666667);
    expect(s.caseScores).toEqual({ 'secret/1': 33.333333, 'secret/2': 0, 'secret/3': 33.333333 });
  });

  it('unbounded: score.txt is the score, and required', () => {
    const rules: ScoringRules2025 = { format: '2025-09', sample: [], groups: [], secret: group('secret', null, 'sum', ['secret/1', 'secret/2']) };
    const ok = scoreSubmission(rules, outcomes({ 'secret/1': ['AC', { score: '1234.5' }], 'secret/2': ['AC', { score: '1e3' }] }), ['secret/1', 'secret/2']);
    expect([ok.score, ok.maxScore, ok.verdict]).toEqual([2234.5, null, 'AC']);
    const bad = scoreSubmission(rules, outcomes({ 'secret/1': 'AC', 'secret/2': ['AC', { score: '1' }] }), ['secret/1', 'secret/2']);
    expect(bad.verdict).toBe('JE');
    expect(bad.judgeError).toMatch(/secret\/1: accepted in an unbounded group without a score.txt/);
  });

  it('secret with min aggregation over groups, and pass-fail secret', () => {
    const min: ScoringRules2025 = { ...subtasks, secret: { ...subtasks.secret, aggregation: 'min', maxScore: 100 }, groups: subtasks.groups.map((g) => ({ ...g, maxScore: 100, aggregation: 'sum', requirePass: [] })) };
    expect(scoreSubmission(min, outcomes({ ...all('AC'), 'secret/g3/a': 'WA' }), order).score).toBe(75);
    const pf: ScoringRules2025 = { ...subtasks, secret: { ...subtasks.secret, aggregation: 'pass-fail', maxScore: 10 }, groups: subtasks.groups.map((g) => ({ ...g, maxScore: 10, aggregation: 'pass-fail', requirePass: [] })) };
    expect(scoreSubmission(pf, outcomes(all('AC')), order).score).toBe(10);
    expect(scoreSubmission(pf, outcomes({ ...all('AC'), 'secret/g2/a': 'WA' }), order).score).toBe(0);
  });

  // The spec's list of judge errors, one row each.
  const jeTable: [string, Record<string, Verdict | [Verdict, { score?: string; mult?: string }]>, RegExp][] = [
    ['score file on a rejected case', { ...all('AC'), 'secret/g3/a': ['WA', { score: '1' }] }, /rejected the case but wrote a score file/],
    ['both score files', { ...all('AC'), 'secret/g3/a': ['AC', { score: '1', mult: '1' }] }, /both score.txt and score_multiplier.txt/],
    ['score file in a pass-fail group', { ...all('AC'), 'secret/g1/a': ['AC', { mult: '1' }] }, /score file in pass-fail group secret\/g1/],
    ['score.txt above the case maximum', { ...all('AC'), 'secret/g3/a': ['AC', { score: '12.6' }] }, /above the case's maximum 12.5/],
    ['multiplier outside [0, 1]', { ...all('AC'), 'secret/g2/a': ['AC', { mult: '1.5' }] }, /\[0, 1\]/],
    ['score.txt not a number', { ...all('AC'), 'secret/g3/a': ['AC', { score: 'lots' }] }, /non-negative number, got "lots"/],
    ['negative score.txt', { ...all('AC'), 'secret/g3/a': ['AC', { score: '-1' }] }, /non-negative/],
  ];
  for (const [title, res, msg] of jeTable) {
    it(`judge error: ${title}`, () => {
      const s = scoreSubmission(subtasks, outcomes(res), order);
      expect(s.verdict).toBe('JE');
      expect(s.judgeError).toMatch(msg);
    });
  }
  it('a JE test makes the submission JE', () => {
    expect(scoreSubmission(subtasks, outcomes({ ...all('AC'), 'secret/g2/a': 'JE' }), order).verdict).toBe('JE');
  });
});

describe('legacy default grader (problemtools support/default_grader)', () => {
  const r = (verdict: Verdict, score: number) => ({ verdict, score });
  const table: [string[], { verdict: Verdict; score: number }[], Verdict, number][] = [
    [[], [r('AC', 1), r('WA', 0), r('TLE', 0)], 'TLE', 1],
    [['first_error'], [r('AC', 1), r('WA', 0), r('TLE', 0)], 'WA', 1],
    [['always_accept', 'min'], [r('AC', 5), r('WA', 2)], 'AC', 2],
    [['max'], [r('AC', 5), r('AC', 7)], 'AC', 7],
    [['avg'], [r('AC', 1), r('AC', 0), r('AC', 0)], 'AC', 0.333333],
    [['accept_if_any_accepted'], [r('WA', 0), r('AC', 3)], 'AC', 3],
    [['ignore_sample'], [r('WA', 2), r('AC', 40)], 'AC', 40],
    [['sum', 'min'], [r('AC', 2), r('AC', 3)], 'AC', 2],
    [[], [], 'AC', 0],
  ];
  for (const [flags, children, verdict, score] of table) {
    it(`${flags.join(' ') || '(no flags)'}: ${children.map((c) => `${c.verdict} ${c.score}`).join(', ') || 'nothing'} -> ${verdict} ${score}`, () => {
      expect(defaultGrader(children, flags)).toEqual({ verdict, score });
    });
  }
});

describe('legacy scoring', () => {
  const leaf = (name: string, cases: string[], over: Partial<LegacyGroupRules> = {}): LegacyGroupRules => ({
    name,
    onReject: 'break',
    graderFlags: [],
    acceptScore: 1,
    rejectScore: 0,
    range: [-Infinity, Infinity],
    items: cases.map((c) => ({ kind: 'case' as const, name: `${name}/${c}` })),
    ...over,
  });
  // data/ (ignore_sample) -> sample (accept 0), secret (continue, always_accept, range 0 100) -> g1 (min, 30), g2 (min, 70)
  const g1 = leaf('secret/g1', ['1', '2'], { acceptScore: 30, graderFlags: ['min'] });
  const g2 = leaf('secret/g2', ['1', '2'], { acceptScore: 70, graderFlags: ['min'] });
  const secret = leaf('secret', [], { onReject: 'continue', graderFlags: ['always_accept'], range: [0, 100], items: [{ kind: 'group', group: g1 }, { kind: 'group', group: g2 }] });
  const sample = leaf('sample', ['1'], { acceptScore: 0 });
  const rules: ScoringRulesLegacy = { format: 'legacy', validatorScores: false, root: leaf('', [], { onReject: 'continue', graderFlags: ['ignore_sample'], items: [{ kind: 'group', group: sample }, { kind: 'group', group: secret }] }) };
  const names = ['sample/1', 'secret/g1/1', 'secret/g1/2', 'secret/g2/1', 'secret/g2/2'];

  it('IOI-style subtasks through grader flags', () => {
    const s = scoreSubmission(rules, outcomes({ 'sample/1': 'AC', 'secret/g1/1': 'AC', 'secret/g1/2': 'AC', 'secret/g2/1': 'AC', 'secret/g2/2': 'WA' }), names);
    expect(s.verdict).toBe('AC');
    expect(s.score).toBe(30);
    expect(s.maxScore).toBeNull();
    expect(s.groups.map((g) => [g.name, g.verdict, g.score])).toEqual([
      ['sample', 'AC', 0],
      ['secret', 'AC', 30],
      ['secret/g1', 'AC', 30],
      ['secret/g2', 'WA', 0],
    ]);
    expect(s.firstRejection).toBe('WA');
  });

  it('on_reject: break never grades the cases after a rejection; a rejected submission has no score', () => {
    const plain: ScoringRulesLegacy = { format: 'legacy', validatorScores: false, root: leaf('', [], { items: [{ kind: 'group', group: leaf('secret', ['1', '2', '3']) }] }) };
    // secret/3 was never run: break at secret/2 means it is not needed.
    const s = scoreSubmission(plain, outcomes({ 'secret/1': 'AC', 'secret/2': 'RTE' }), ['secret/1', 'secret/2', 'secret/3']);
    expect(s.judgeError).toBeUndefined();
    expect([s.verdict, s.score]).toEqual(['RTE', null]);
    expect(scoreSubmission(plain, outcomes({ 'secret/1': 'AC', 'secret/2': 'AC', 'secret/3': 'AC' }), ['secret/1', 'secret/2', 'secret/3']).score).toBe(3);
  });

  it('validation: custom score takes score.txt and requires it', () => {
    const custom: ScoringRulesLegacy = { ...rules, validatorScores: true };
    const ok = scoreSubmission(custom, outcomes({ 'sample/1': ['AC', { score: '5' }], 'secret/g1/1': ['AC', { score: '4' }], 'secret/g1/2': ['AC', { score: '6' }], 'secret/g2/1': ['AC', { score: '1.5' }], 'secret/g2/2': ['AC', { score: '9' }] }), names);
    expect([ok.verdict, ok.score]).toEqual(['AC', 4 + 1.5]);
    const missing = scoreSubmission(custom, outcomes({ 'sample/1': ['AC', { score: '5' }], 'secret/g1/1': 'AC', 'secret/g1/2': 'AC', 'secret/g2/1': 'AC', 'secret/g2/2': 'AC' }), names);
    expect(missing.verdict).toBe('JE');
    expect(missing.judgeError).toMatch(/sample\/1|secret\/g1\/1/);
    expect(scoreSubmission(rules, outcomes({ 'sample/1': ['AC', { score: '5' }], 'secret/g1/1': 'AC', 'secret/g1/2': 'AC', 'secret/g2/1': 'AC', 'secret/g2/2': 'AC' }), names).judgeError).toMatch(/does not say `validation: custom score`/);
  });
});

describe('legacy group walk: the cases still needed only shrink, and judging them alone gives the full verdict', () => {
  // A small seeded generator (mulberry32), so a failure names a reproducible seed.
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const FLAGS = [[], ['first_error'], ['always_accept'], ['accept_if_any_accepted'], ['first_error', 'accept_if_any_accepted']];
  const VERDICTS: Verdict[] = ['AC', 'AC', 'AC', 'WA', 'TLE', 'RTE'];
  const tree = (r: () => number, name: string, depth: number): LegacyGroupRules => {
    const n = 1 + Math.floor(r() * 3);
    const items: LegacyGroupRules['items'] = [];
    for (let i = 0; i < n; i++) items.push(depth < 3 && r() < 0.4 ? { kind: 'group', group: tree(r, `${name}/${i}`, depth + 1) } : { kind: 'case', name: `${name}/${i}` });
    return { name, onReject: r() < 0.5 ? 'break' : 'continue', graderFlags: FLAGS[Math.floor(r() * FLAGS.length)]!, acceptScore: 1, rejectScore: 0, range: [-Infinity, Infinity], items };
  };

  it('on 500 random trees and verdicts', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const root = tree(r, 'g', 0);
      const cases = legacyCases(root);
      const truth = new Map(cases.map((c) => [c, VERDICTS[Math.floor(r() * VERDICTS.length)]!]));
      // Full information: what problemtools grades, and the cases its walk reaches.
      const reached: string[] = [];
      const full = walkLegacyTree(root, (c) => (reached.push(c), { verdict: truth.get(c)!, score: 0 }));
      // The engine: judge in order, skipping what is no longer needed.
      const known = new Map<string, Verdict>();
      let needed = legacyCasesNeeded(root, (c) => known.get(c));
      for (const c of cases) {
        if (!needed.has(c)) continue;
        known.set(c, truth.get(c)!);
        const next = legacyCasesNeeded(root, (x) => known.get(x));
        for (const x of next) expect(needed.has(x), `seed ${seed}: ${x} needed again`).toBe(true);
        needed = next;
      }
      for (const c of reached) expect(known.has(c), `seed ${seed}: ${c} reached but not judged`).toBe(true);
      expect(passFailVerdict(root, (c) => known.get(c)).verdict, `seed ${seed}`).toBe(full.verdict);
    }
  });
});
