/**
 * Scores of one submission on a scoring problem, as pure functions of its test results: test case ->
 * test data group -> submission. Two rule sets, one per package format:
 *
 * - 2025-09 ("Result aggregation" of the problem package format): `secret` and each test data group
 *   (a direct subdirectory of data/secret with a test_group.yaml) have `max_score` (a number or
 *   unbounded), `score_aggregation` (pass-fail, sum or min) and `require_pass`. A test case in a sum
 *   group is worth max_score / N, in a min group max_score; an accepted case scores that, or
 *   score_multiplier.txt x that, or score.txt (required when unbounded); a rejected case scores 0. A
 *   pass-fail group scores its maximum when every case is accepted, else 0. A group whose required
 *   groups did not all pass is not run and scores 0. Sample never scores. What the spec calls a judge
 *   error (a score file where none may be, a score above the maximum, ...) is returned as `judgeError`.
 * - legacy (problemtools' default grader): every directory of data/ is a group graded from its
 *   children's (verdict, score) pairs in order: a case scores score.txt when the validator wrote one,
 *   else accept_score / reject_score; `on_reject: break` stops the group at the first rejection; the
 *   grader flags pick the verdict (worst_error, first_error, always_accept, accept_if_any_accepted) and
 *   the score (sum, avg, min, max, ignore_sample). A group with a JE child is JE. A non-accepted
 *   submission has no score. Each group's score goes through "%f" (6 decimals), as the grader prints it.
 *
 * The verdict of a 2025-09 scoring submission is AC with its score unless the judge failed (JE); the
 * first rejected test's verdict is kept beside it for the jury (`firstRejection`).
 */
import type { Verdict } from './verdict.ts';
import type { ProblemScoring } from './problem.ts';

export type Aggregation = 'pass-fail' | 'sum' | 'min';

/** A 2025-09 scoring group: `secret` itself, or one test data group directly under it. */
export interface GroupRules2025 {
  /** Path under data/, e.g. 'secret' or 'secret/group1'. */
  name: string;
  /** null: unbounded. */
  maxScore: number | null;
  aggregation: Aggregation;
  /** Groups (or 'sample') every case of which must be accepted for this group to be run. */
  requirePass: string[];
  /** Test case names in this group (recursively), in judging order. */
  cases: string[];
}

export interface ScoringRules2025 {
  format: '2025-09';
  secret: GroupRules2025;
  /** The test data groups of secret in order; empty when secret holds test cases directly. */
  groups: GroupRules2025[];
  /** Sample case names (never scored; may be required to pass). */
  sample: string[];
}

/** A legacy test data group (every directory under data/, and data/ itself named ''). */
export interface LegacyGroupRules {
  name: string;
  onReject: 'break' | 'continue';
  /** grader_flags, split. */
  graderFlags: string[];
  acceptScore: number;
  rejectScore: number;
  /** `range`: [min, max], each possibly infinite. */
  range: [number, number];
  /** Subgroups and case names, in judging order. */
  items: ({ kind: 'case'; name: string } | { kind: 'group'; group: LegacyGroupRules })[];
}

export interface ScoringRulesLegacy {
  format: 'legacy';
  root: LegacyGroupRules;
  /** `validation: custom score`: the validator must write score.txt on every accepted case. */
  validatorScores: boolean;
}

export type ScoringRules = ScoringRules2025 | ScoringRulesLegacy;

/** One test case's result as scoring sees it. */
export interface CaseOutcome {
  verdict: Verdict;
  /** Contents of feedback/score.txt, when the validator wrote one. */
  scoreTxt?: string;
  /** Contents of feedback/score_multiplier.txt, when the validator wrote one. */
  multiplierTxt?: string;
}

export interface GroupScore {
  name: string;
  score: number;
  /** null: unbounded. */
  maxScore: number | null;
  /** Every case of the group was accepted (2025-09) / the group's graded verdict was AC (legacy). */
  accepted: boolean;
  /** Legacy: the group's graded verdict; 2025-09: the first rejected case's verdict, null if none. */
  verdict: Verdict | null;
  /** 2025-09: not run because a group in require_pass did not pass. */
  skipped?: boolean;
}

export interface SubmissionScore {
  /** The submission's verdict: AC (with `score`) unless the judge failed; legacy: the root grader's. */
  verdict: Verdict;
  /** null when the verdict is not AC under the legacy rules (the grader's score is then ignored). */
  score: number | null;
  /** null: unbounded (2025-09) or no finite range (legacy). */
  maxScore: number | null;
  /** secret's groups (2025-09) or every graded group but the root (legacy), in judging order. */
  groups: GroupScore[];
  /** Score of each case that has one (2025-09: cases of sum/min groups; legacy: every graded case). */
  caseScores: Record<string, number>;
  /** The first rejected case's verdict in judging order, for the jury; null when every case passed. */
  firstRejection: Verdict | null;
  /** Why this is a judge error under the spec's rules, when it is one. */
  judgeError?: string;
}

/** Rounds away float noise so sums compare equal (scores are shown with at most 6 decimals). */
export function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function parseScoreText(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * A submission's score under either rule set. `outcomes` maps test case names to results; a case
 * missing from it was not run (skipped, or judging stopped) and counts as not accepted.
 */
export function scoreSubmission(rules: ScoringRules, outcomes: ReadonlyMap<string, CaseOutcome>, caseOrder: readonly string[]): SubmissionScore {
  let firstRejection: Verdict | null = null;
  for (const name of caseOrder) {
    const o = outcomes.get(name);
    if (o && o.verdict !== 'AC') {
      firstRejection = o.verdict;
      break;
    }
  }
  const je = caseOrder.map((n) => outcomes.get(n)).find((o) => o?.verdict === 'JE');
  const result = rules.format === 'legacy' ? scoreLegacy(rules, outcomes) : score2025(rules, outcomes);
  if (je) return { ...result, verdict: 'JE', firstRejection };
  if (result.judgeError) return { ...result, verdict: 'JE', firstRejection };
  return { ...result, firstRejection };
}

// --------------------------------------------------------------------------------------------------
// 2025-09

function score2025(rules: ScoringRules2025, outcomes: ReadonlyMap<string, CaseOutcome>): Omit<SubmissionScore, 'firstRejection'> {
  const caseScores: Record<string, number> = {};
  const errors: string[] = [];
  const passed = new Map<string, boolean>();
  const allAccepted = (cases: string[]) => cases.every((c) => outcomes.get(c)?.verdict === 'AC');
  passed.set('sample', allAccepted(rules.sample));

  const scoreGroup = (g: GroupRules2025): GroupScore => {
    const firstBad = g.cases.map((c) => outcomes.get(c)).find((o) => o !== undefined && o.verdict !== 'AC');
    const skipped = g.requirePass.some((r) => passed.get(r) !== true);
    const accepted = !skipped && allAccepted(g.cases);
    passed.set(g.name, accepted);
    const base = { name: g.name, maxScore: g.maxScore, accepted, verdict: firstBad?.verdict ?? null };
    if (g.aggregation === 'pass-fail') {
      for (const c of g.cases) {
        const o = outcomes.get(c);
        if (o && (o.scoreTxt !== undefined || o.multiplierTxt !== undefined)) errors.push(`${c}: the validator wrote a score file in pass-fail group ${g.name}`);
      }
      return { ...base, score: accepted ? (g.maxScore ?? 0) : 0, ...(skipped ? { skipped } : {}) };
    }
    const caseMax = g.maxScore === null ? null : g.aggregation === 'sum' ? g.maxScore / Math.max(1, g.cases.length) : g.maxScore;
    const scores = g.cases.map((c) => {
      const s = skipped ? 0 : caseScore(c, outcomes.get(c), caseMax, errors);
      caseScores[c] = roundScore(s);
      return s;
    });
    const raw = g.aggregation === 'sum' ? scores.reduce((a, b) => a + b, 0) : scores.length === 0 ? 0 : Math.min(...scores);
    const score = roundScore(raw);
    if (g.maxScore !== null && score > g.maxScore) errors.push(`group ${g.name} scored ${score}, above its max_score ${g.maxScore}`);
    return { ...base, score, ...(skipped ? { skipped } : {}) };
  };

  let groups: GroupScore[] = [];
  let secret: GroupScore;
  if (rules.groups.length === 0) {
    secret = scoreGroup(rules.secret);
  } else {
    groups = rules.groups.map(scoreGroup);
    const s = rules.secret;
    const skipped = s.requirePass.some((r) => passed.get(r) !== true);
    const accepted = !skipped && groups.every((g) => g.accepted);
    const parts = groups.map((g) => (skipped ? 0 : g.score));
    const raw = s.aggregation === 'pass-fail' ? (accepted ? (s.maxScore ?? 0) : 0) : s.aggregation === 'sum' ? parts.reduce((a, b) => a + b, 0) : parts.length === 0 ? 0 : Math.min(...parts);
    const firstBad = groups.find((g) => g.verdict !== null)?.verdict ?? null;
    secret = { name: s.name, score: roundScore(raw), maxScore: s.maxScore, accepted, verdict: firstBad };
  }
  if (secret.maxScore !== null && secret.score > secret.maxScore) errors.push(`secret scored ${secret.score}, above its max_score ${secret.maxScore}`);
  return {
    verdict: 'AC',
    score: secret.score,
    maxScore: secret.maxScore,
    groups,
    caseScores,
    ...(errors.length > 0 ? { judgeError: errors.join('; ') } : {}),
  };
}

/** One case's score in a sum or min group whose cases are each worth `caseMax` (null: unbounded). */
function caseScore(name: string, o: CaseOutcome | undefined, caseMax: number | null, errors: string[]): number {
  if (!o) return 0;
  const hasScore = o.scoreTxt !== undefined;
  const hasMult = o.multiplierTxt !== undefined;
  if (o.verdict !== 'AC') {
    if ((hasScore || hasMult) && o.verdict !== 'JE') errors.push(`${name}: the validator rejected the case but wrote a score file`);
    return 0;
  }
  if (hasScore && hasMult) {
    errors.push(`${name}: the validator wrote both score.txt and score_multiplier.txt`);
    return 0;
  }
  if (hasMult) {
    const m = parseScoreText(o.multiplierTxt!);
    if (caseMax === null) errors.push(`${name}: score_multiplier.txt in an unbounded group (write score.txt)`);
    else if (m === null || m < 0 || m > 1) errors.push(`${name}: score_multiplier.txt must hold a number in [0, 1], got ${JSON.stringify(o.multiplierTxt!.trim().slice(0, 40))}`);
    else return m * caseMax;
    return 0;
  }
  if (hasScore) {
    const s = parseScoreText(o.scoreTxt!);
    if (s === null || s < 0) errors.push(`${name}: score.txt must hold a non-negative number, got ${JSON.stringify(o.scoreTxt!.trim().slice(0, 40))}`);
    else if (caseMax !== null && s > caseMax + 1e-9) errors.push(`${name}: score.txt gives ${s}, above the case's maximum ${roundScore(caseMax)}`);
    else return s;
    return 0;
  }
  if (caseMax === null) {
    errors.push(`${name}: accepted in an unbounded group without a score.txt`);
    return 0;
  }
  return caseMax;
}

// --------------------------------------------------------------------------------------------------
// legacy

const WORST_FIRST: readonly string[] = ['JE', 'IF', 'RTE', 'MLE', 'TLE', 'OLE', 'WA', 'PE', 'AC'];

export interface Graded {
  verdict: Verdict;
  score: number;
}

/** The default grader on one group's children results (problemtools' support/default_grader). */
export function defaultGrader(children: readonly Graded[], flags: readonly string[]): Graded {
  if (children.length === 0) return { verdict: 'AC', score: 0 };
  let verdictMode = 'worst_error';
  let scoreMode = 'sum';
  let ignoreSample = false;
  let anyAccepted = false;
  for (const f of flags) {
    if (f === 'sum' || f === 'avg' || f === 'min' || f === 'max') scoreMode = f;
    if (f === 'worst_error' || f === 'no_errors' || f === 'first_error' || f === 'always_accept') verdictMode = f;
    if (f === 'ignore_sample') ignoreSample = true;
    if (f === 'accept_if_any_accepted') anyAccepted = true;
  }
  let items = [...children];
  if (ignoreSample) {
    if (items.length > 2) return { verdict: 'JE', score: 0 };
    items = items.slice(-1);
  }
  const verdicts = items.map((c) => c.verdict);
  let verdict: Verdict;
  if (anyAccepted && verdicts.includes('AC')) verdict = 'AC';
  else if (verdictMode === 'always_accept') verdict = 'AC';
  else if (verdictMode === 'first_error') verdict = verdicts.find((v) => v !== 'AC') ?? 'AC';
  else verdict = [...verdicts, 'AC' as Verdict].reduce((a, b) => (WORST_FIRST.indexOf(b) < WORST_FIRST.indexOf(a) ? b : a));
  const scores = items.map((c) => c.score);
  const score = scoreMode === 'sum' ? scores.reduce((a, b) => a + b, 0) : scoreMode === 'avg' ? scores.reduce((a, b) => a + b, 0) / scores.length : scoreMode === 'min' ? Math.min(...scores) : Math.max(...scores);
  // The grader prints "%s %f": every group's score is cut to 6 decimals on its way up.
  return { verdict, score: Number(score.toFixed(6)) };
}

/**
 * problemtools' walk of a legacy group tree (SubmissionJudge._judge_group): a group's children in
 * order; a group with `on_reject: break` stops at its first child that is not AC; a group with a JE
 * child is JE whatever its flags; otherwise the default grader with the group's grader_flags decides.
 * The one walk behind legacy scores, pass-fail verdicts and which test cases judging still needs.
 */
export function walkLegacyTree(g: LegacyGroupRules, gradeCase: (name: string, group: LegacyGroupRules) => Graded, onGroup?: (g: LegacyGroupRules, graded: Graded) => void): Graded {
  const children: Graded[] = [];
  for (const item of g.items) {
    const r = item.kind === 'case' ? gradeCase(item.name, g) : walkLegacyTree(item.group, gradeCase, onGroup);
    children.push(r);
    if (r.verdict !== 'AC' && g.onReject === 'break') break;
  }
  const graded = children.some((c) => c.verdict === 'JE') ? { verdict: 'JE' as Verdict, score: 0 } : defaultGrader(children, g.graderFlags);
  onGroup?.(g, graded);
  return graded;
}

/**
 * The test cases the walk reaches when every case not judged yet is taken as accepted: the cases
 * judging may still need. A rejection never makes a group more accepted under any grader flag
 * (worst_error, first_error, always_accept, accept_if_any_accepted; ignore_sample needs `continue`),
 * so it can only cut the walk shorter: this set shrinks as results come in, and a case outside it is
 * never graded.
 */
export function legacyCasesNeeded(root: LegacyGroupRules, verdictOf: (name: string) => Verdict | undefined): Set<string> {
  const reached = new Set<string>();
  walkLegacyTree(root, (name) => {
    reached.add(name);
    return { verdict: verdictOf(name) ?? 'AC', score: 0 };
  });
  return reached;
}

/**
 * A pass-fail problem's verdict as problemtools grades it: the legacy walk on the verdicts alone
 * (problemtools gives the grader 0 for every score of a pass-fail problem). `decidingCase`: the first
 * case reached with the verdict given (null when AC). A reached case with no verdict was not judged: JE.
 */
export function passFailVerdict(root: LegacyGroupRules, verdictOf: (name: string) => Verdict | undefined): { verdict: Verdict; decidingCase: string | null; notJudged: string[] } {
  const reached: string[] = [];
  const notJudged: string[] = [];
  const { verdict } = walkLegacyTree(root, (name) => {
    reached.push(name);
    const v = verdictOf(name);
    if (v === undefined) notJudged.push(name);
    return { verdict: v ?? 'JE', score: 0 };
  });
  const decidingCase = verdict === 'AC' ? null : (reached.find((n) => (verdictOf(n) ?? 'JE') === verdict) ?? null);
  return { verdict, decidingCase, notJudged };
}

/** All case names of a legacy group, recursively, in order. */
export function legacyCases(g: LegacyGroupRules): string[] {
  return g.items.flatMap((i) => (i.kind === 'case' ? [i.name] : legacyCases(i.group)));
}

function scoreLegacy(rules: ScoringRulesLegacy, outcomes: ReadonlyMap<string, CaseOutcome>): Omit<SubmissionScore, 'firstRejection'> {
  const caseScores: Record<string, number> = {};
  const groups: GroupScore[] = [];
  const errors: string[] = [];

  const gradeCase = (name: string, g: LegacyGroupRules): Graded => {
    const o = outcomes.get(name);
    // A case judging stopped before (on_reject: break upstream) never reaches the grader; a case the
    // engine did not run though it should have is a judge error (it cannot happen when runs are complete).
    if (!o) {
      errors.push(`${name}: not judged`);
      return { verdict: 'JE', score: 0 };
    }
    if (o.verdict === 'JE') return { verdict: 'JE', score: 0 };
    if (o.verdict !== 'AC' && o.scoreTxt !== undefined) {
      errors.push(`${name}: the validator wrote score.txt on a rejected case`);
      return { verdict: 'JE', score: 0 };
    }
    if (o.verdict === 'AC' && o.scoreTxt !== undefined && !rules.validatorScores) {
      errors.push(`${name}: the validator wrote score.txt, but problem.yaml does not say \`validation: custom score\``);
      return { verdict: 'JE', score: 0 };
    }
    let score = o.verdict === 'AC' ? g.acceptScore : g.rejectScore;
    if (o.verdict === 'AC' && rules.validatorScores) {
      const s = o.scoreTxt === undefined ? null : parseScoreText(o.scoreTxt);
      if (o.scoreTxt === undefined) {
        errors.push(`${name}: \`validation: custom score\` but the validator wrote no score.txt`);
        return { verdict: 'JE', score: 0 };
      }
      if (s === null) {
        errors.push(`${name}: score.txt is not a number: ${JSON.stringify(o.scoreTxt.trim().slice(0, 40))}`);
        return { verdict: 'JE', score: 0 };
      }
      score = s;
    }
    caseScores[name] = score;
    return { verdict: o.verdict, score };
  };

  const onGroup = (g: LegacyGroupRules, graded: Graded): void => {
    if (g.name !== '') groups.push({ name: g.name, score: graded.score, maxScore: Number.isFinite(g.range[1]) ? g.range[1] : null, accepted: graded.verdict === 'AC', verdict: graded.verdict });
  };

  // Cases in a group cut short by on_reject: break are never graded; only those reached must exist.
  const root = walkLegacyTree(rules.root, gradeCase, onGroup);
  groups.sort((a, b) => order(rules.root).indexOf(a.name) - order(rules.root).indexOf(b.name));
  const maxScore = Number.isFinite(rules.root.range[1]) ? rules.root.range[1] : null;
  return {
    verdict: root.verdict,
    score: root.verdict === 'AC' ? root.score : null,
    maxScore,
    groups,
    caseScores,
    ...(errors.length > 0 ? { judgeError: errors.join('; ') } : {}),
  };
}

function order(g: LegacyGroupRules): string[] {
  return g.items.flatMap((i) => (i.kind === 'group' ? [i.group.name, ...order(i.group)] : []));
}

/** Full marks and the subtasks (secret's direct groups) with their points, for statements and boards. */
export function scoringSummary(rules: ScoringRules): ProblemScoring {
  if (rules.format === '2025-09') return { maxScore: rules.secret.maxScore, subtasks: rules.groups.map((g) => ({ name: g.name, maxScore: g.maxScore })) };
  const finite = (g: LegacyGroupRules) => (Number.isFinite(g.range[1]) ? g.range[1] : null);
  const secret = rules.root.items.find((i): i is { kind: 'group'; group: LegacyGroupRules } => i.kind === 'group' && i.group.name === 'secret')?.group;
  const subtasks = (secret?.items ?? []).flatMap((i) => (i.kind === 'group' ? [{ name: i.group.name, maxScore: finite(i.group) }] : []));
  // problemtools reads the range of data/; packages often give it on secret only (sample scoring 0).
  return { maxScore: finite(rules.root) ?? (secret ? finite(secret) : null), subtasks };
}

/** "57.5/100", "57.5" (unbounded), "-" (no score): how every client writes a score. */
export function formatScore(score: number | null | undefined, maxScore?: number | null): string {
  const n = (x: number) => String(roundScore(Math.round(x * 100) / 100));
  const s = score === null || score === undefined ? '-' : n(score);
  return maxScore === null || maxScore === undefined ? s : `${s}/${n(maxScore)}`;
}

/** A subtask's display name: its group path without `secret/`. */
export function subtaskName(group: string): string {
  return group.replace(/^secret\//, '');
}
