/**
 * Example submissions under submissions/<category>/, each a file or a directory of files, with the
 * verdicts verify should expect: from the category (Kattis names plus DOMjudge's extra ones), or
 * from a DOMjudge `@EXPECTED_RESULTS@: ...` comment, which wins when present.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import { entryKind } from './fsutil.ts';
import { listFiles } from './programs.ts';
import { submissionsYamlSchema } from './schemas.ts';
import { readYaml } from '../config-files/read.ts';
import { isVerdict, kattisFolderAllows, verdictFromDomjudge } from '@judged/shared/verdict';
import type { ExampleSubmission, ScoreExpectation, ScoreRange, VerdictId } from './types.ts';

/** Folders verify knows: shared's Kattis folder table, plus 2025-09's brute_force (never WA). */
export function categoryVerdicts(folder: string): readonly VerdictId[] | null {
  if (folder === 'brute_force') return ['TLE', 'RTE', 'MLE'];
  // Legacy scoring problems: accepted, but short of the full score (verify checks the score too).
  if (folder === 'partially_accepted') return ['AC'];
  return kattisFolderAllows(folder);
}

/** DOMjudge result names (CORRECT, WRONG-ANSWER, ...) or our own ids (AC, WA, ...). */
function resultToVerdict(name: string): VerdictId | null {
  const upper = name.toUpperCase();
  return verdictFromDomjudge(upper) ?? (isVerdict(upper) && upper !== 'JE' ? upper : null);
}

const MARKER = '@EXPECTED_RESULTS@:';

interface SubmissionRule {
  key: string;
  re: RegExp;
  expected?: VerdictId[];
  language?: string;
  entrypoint?: string;
  score?: ScoreExpectation;
}

/** submissions.yaml `score` (a number or an inclusive [low, high]), or undefined with an error recorded. */
function readScore(v: unknown, file: string, field: string, line: number | undefined, diag: Diagnostics): ScoreRange | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && v[0] <= v[1]) return [v[0], v[1]];
  diag.error(file, `score must be a number or a range [low, high], got ${JSON.stringify(v)}`, 'write e.g. `score: 50` or `score: [40, 60]`', { field, line });
  return undefined;
}

/** A rule's score requirements: `score` for the submission, `<group>: {score}` for groups. */
function scoreOf(key: string, v: Record<string, unknown>, file: string, lineOf: (p: readonly PropertyKey[]) => number | undefined, diag: Diagnostics): ScoreExpectation | undefined {
  const out: ScoreExpectation = {};
  if (v.score !== undefined) out.total = readScore(v.score, file, `${key}.score`, lineOf([key, 'score']), diag);
  for (const [k, sub] of Object.entries(v)) {
    if (!(k === 'sample' || k === 'secret' || k.startsWith('secret/')) || typeof sub !== 'object' || sub === null) continue;
    const sc = (sub as Record<string, unknown>).score;
    if (sc === undefined) continue;
    const r = readScore(sc, file, `${key}.${k}.score`, lineOf([key, k, 'score']), diag);
    if (r) (out.groups ??= {})[k] = r;
  }
  return out.total || out.groups ? out : undefined;
}

/** Glob as the spec has it: `*` within one path segment, `{a,b}` alternatives, nothing else. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '{') {
      re += '(?:';
      depth++;
    } else if (ch === '}' && depth > 0) {
      re += ')';
      depth--;
    } else if (ch === ',' && depth > 0) re += '|';
    else re += ch.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  // A submission matches when the pattern names it or one of its parent directories.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** The final verdict a permitted/required pair allows: required if given, else permitted's rejections. */
function expectedFrom(permitted?: VerdictId[], required?: VerdictId[]): VerdictId[] | undefined {
  if (required && required.length > 0) return [...required];
  if (!permitted) return undefined;
  const rejections = permitted.filter((v) => v !== 'AC');
  return rejections.length > 0 && !permitted.includes('AC') ? rejections : rejections.length > 0 ? [...rejections, 'AC'] : ['AC'];
}

function readRules(root: string, diag: Diagnostics): SubmissionRule[] {
  const file = path.join(root, 'submissions.yaml');
  if (!fs.existsSync(file)) return [];
  const read = readYaml(file, submissionsYamlSchema, diag, () => 'map globs like `accepted/*` or `wrong_answer/slow.py` to {permitted: [AC, WA, TLE, RTE], required: [...], language, entrypoint}');
  if (!read) return [];
  return Object.entries(read.data).map(([key, v]) => ({
    key,
    re: globToRegExp(key),
    expected: expectedFrom(v.permitted, v.required),
    language: v.language,
    entrypoint: v.entrypoint,
    score: scoreOf(key, v, file, read.lineOf, diag),
  }));
}

export function loadSubmissions(dir: string, diag: Diagnostics): ExampleSubmission[] {
  const root = path.join(dir, 'submissions');
  const out: ExampleSubmission[] = [];
  if (!fs.existsSync(root)) {
    diag.warn(root, 'no submissions/ directory: verify has nothing to check and no time limit can be derived');
    return out;
  }
  // Longest (most specific) pattern last, so it wins.
  const rules = readRules(root, diag).sort((a, b) => a.key.length - b.key.length);
  const categories = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => entryKind(root, e) === 'dir' && !/^[.-]/.test(e.name))
    .map((e) => e.name)
    .sort();
  for (const category of categories) {
    const expectedByDir = categoryVerdicts(category) ?? (rules.some((r) => r.re.test(category) || r.key.startsWith(`${category}/`)) ? [] : null);
    if (!expectedByDir) {
      diag.warn(path.join(root, category), `unknown submissions category "${category}" skipped (known: accepted, wrong_answer, time_limit_exceeded, run_time_error, memory_limit_exceeded, output_limit_exceeded, compile_error, rejected, brute_force)`);
      continue;
    }
    const catDir = path.join(root, category);
    for (const e of fs.readdirSync(catDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (/^[.-]/.test(e.name) || /^readme/i.test(e.name)) continue;
      const full = path.join(catDir, e.name);
      const kind = entryKind(catDir, e);
      if (kind === 'other') continue;
      const files = kind === 'dir' ? listFiles(full) : [e.name];
      const subDir = kind === 'dir' ? full : catDir;
      if (files.length === 0) {
        diag.warn(full, 'empty submission directory skipped');
        continue;
      }
      const id = `${category}/${e.name}`;
      let expected: VerdictId[] = [...expectedByDir];
      let expectedSource: ExampleSubmission['expectedSource'] = 'directory';
      let language: string | undefined;
      let entrypoint: string | undefined;
      let score: ScoreExpectation | undefined;
      for (const rule of rules) {
        if (!rule.re.test(id)) continue;
        if (rule.score) score = { ...score, ...rule.score, groups: { ...score?.groups, ...rule.score.groups } };
        if (rule.expected) {
          expected = rule.expected;
          expectedSource = 'submissions.yaml';
        }
        language = rule.language ?? language;
        entrypoint = rule.entrypoint ?? entrypoint;
      }
      for (const f of files) {
        const fromComment = readExpectedResults(path.join(subDir, f), diag);
        if (fromComment) {
          expected = fromComment;
          expectedSource = '@EXPECTED_RESULTS@';
          break;
        }
      }
      if (expected.length === 0) {
        diag.warn(full, `no expected verdict: "${category}" is not a standard folder and submissions.yaml gives no permitted/required for it; skipped`);
        continue;
      }
      const sub: ExampleSubmission = { id, category, path: full, files, dir: subDir, expected, expectedSource };
      if (language) sub.language = language;
      if (entrypoint) sub.entrypoint = entrypoint;
      if (score) sub.score = score;
      out.push(sub);
    }
  }
  if (!out.some((s) => s.category === 'accepted')) {
    diag.warn(root, 'no accepted submission: the time limit cannot be derived or checked');
  }
  return out;
}

function readExpectedResults(file: string, diag: Diagnostics): VerdictId[] | undefined {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf(MARKER);
    if (at < 0) continue;
    const names = lines[i]!.slice(at + MARKER.length).replace(/\*\/.*$/, '').split(/[\s,]+/).filter(Boolean);
    const verdicts: VerdictId[] = [];
    for (const n of names) {
      const v = resultToVerdict(n);
      if (!v) {
        diag.error(file, `unknown result "${n}" in ${MARKER}`, 'use DOMjudge names (CORRECT, WRONG-ANSWER, TIMELIMIT, RUN-ERROR, COMPILER-ERROR, OUTPUT-LIMIT, MEMORY-LIMIT, NO-OUTPUT) separated by commas', {
          line: i + 1,
        });
        return undefined;
      }
      if (!verdicts.includes(v)) verdicts.push(v);
    }
    if (verdicts.length === 0) {
      diag.error(file, `${MARKER} lists no results`, 'write e.g. "@EXPECTED_RESULTS@: WRONG-ANSWER, TIMELIMIT"', { line: i + 1 });
      return undefined;
    }
    return verdicts;
  }
  return undefined;
}
