/**
 * The score a scoring problem is expected to be worth, for what needs a number even when the package
 * gives none: the CCS Contest API 2023-06 requires `max_score` on every problem of a score contest.
 * The one owner of these rules:
 * - bounded (secret's max_score, or legacy data/'s or secret's finite range): full marks;
 * - unbounded, legacy without `validation: custom score`: the score of a submission accepted on every
 *   case (accept_score through the default grader), which no submission can beat;
 * - unbounded otherwise: the highest score submissions.yaml expects of any submission (a range counts
 *   its top);
 * - else the sum of the bounded subtasks' max_score, with a load warning naming the problem (0 when
 *   none is bounded).
 */
import { scoreSubmission, scoringSummary, type CaseOutcome, type ScoringRules } from '@judged/shared/problem-score';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import type { ExampleSubmission, TestCase } from './types.ts';

export interface ExpectedMaxScore {
  score: number;
  /** Which rule gave it (for the warning and the docs). */
  from: 'max_score' | 'all-accepted' | 'submissions.yaml' | 'bounded subtasks';
}

export function expectedMaxScore(rules: ScoringRules, testCases: readonly TestCase[], submissions: readonly ExampleSubmission[]): ExpectedMaxScore {
  const summary = scoringSummary(rules);
  if (summary.maxScore !== null) return { score: summary.maxScore, from: 'max_score' };
  if (rules.format === 'legacy' && !rules.validatorScores) {
    const allAccepted = new Map<string, CaseOutcome>(testCases.map((t) => [t.name, { verdict: 'AC' }]));
    const r = scoreSubmission(rules, allAccepted, testCases.map((t) => t.name));
    if (r.verdict === 'AC' && r.score !== null) return { score: r.score, from: 'all-accepted' };
  }
  const expected = submissions.flatMap((s) => (s.score?.total ? [s.score.total[1]] : []));
  if (expected.length > 0) return { score: Math.max(...expected), from: 'submissions.yaml' };
  return { score: summary.subtasks.reduce((a, g) => a + (g.maxScore ?? 0), 0), from: 'bounded subtasks' };
}

/** expectedMaxScore at load time: warns (naming the problem) when only the bounded subtasks could give it. */
export function loadExpectedMaxScore(problem: string, problemYaml: string, rules: ScoringRules, testCases: readonly TestCase[], submissions: readonly ExampleSubmission[], diag: Diagnostics): number | undefined {
  const e = expectedMaxScore(rules, testCases, submissions);
  if (e.from === 'max_score') return undefined;
  if (e.from === 'bounded subtasks') {
    diag.warn(problemYaml, `problem ${problem} is unbounded and no submission in submissions.yaml expects a score: the Contest API gives max_score ${e.score} (its bounded subtasks' sum); add a \`score\` to an accepted submission in submissions.yaml`);
  }
  return e.score;
}
