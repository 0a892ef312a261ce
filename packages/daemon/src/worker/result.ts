/** The judging engine's result as the store records it (and as a judgehost sends it back). */
import fs from 'node:fs';
import { MAX_TEAM_MESSAGE_CHARS, type JuryTestRun } from '@judged/shared/protocol';
import { teamSeesTestInFull } from '@judged/shared/visibility';
import type { JudgeResult, TestRecord } from '../judging/engine.ts';
import { shownFiles } from '../problems/statement.ts';
import type { ProblemPackage } from '../problems/types.ts';
import type { JudgingResult } from '../store/index.ts';

const MAX_COMPILE_OUTPUT = 16 * 1024;
const MAX_SAMPLE_TEXT = 8000;

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}\n[... cut at ${max} characters]`;
}

function readSample(file: string): string {
  try {
    return cut(fs.readFileSync(file, 'utf8'), MAX_SAMPLE_TEXT);
  } catch {
    return '';
  }
}

/** One test's record as the jury's run (what the worker also reports as each test ends). */
export function juryRunOf(t: TestRecord): JuryTestRun {
  return {
    index: t.index,
    testName: t.name,
    sample: t.kind === 'sample',
    verdict: t.verdict,
    timeMs: Math.round(t.cpuTimeMs),
    wallTimeMs: Math.round(t.wallTimeMs),
    memoryKiB: Math.round(t.memoryKiB),
    exitCode: t.exitCode,
    signal: t.signal === null ? null : String(t.signal),
    judgeMessage: t.judgeMessage ?? (t.message || null),
    teamMessage: t.teamMessage ? t.teamMessage.slice(0, MAX_TEAM_MESSAGE_CHARS) : null,
    stdoutExcerpt: t.stdoutExcerpt ?? null,
    stderrExcerpt: t.stderrExcerpt ?? null,
    ...(t.score !== undefined ? { score: t.score } : {}),
  };
}

/**
 * The engine's result as the store records it. Tests the team sees in full (samples, secret tests
 * with full_feedback: visibility.ts) carry their input and answer; every test its teammessage.
 */
export function toJudgingResult(r: JudgeResult, problem: ProblemPackage): JudgingResult & { judgeError?: string } {
  const byName = new Map(problem.testCases.map((t) => [t.name, t]));
  const result: JudgingResult & { judgeError?: string } = {
    verdict: r.verdict,
    maxTimeMs: r.timeMs === null ? null : Math.round(r.timeMs),
    maxMemoryKiB: r.memoryKiB === null ? null : Math.round(r.memoryKiB),
    compileOutput: r.compile && r.compile.output.trim() !== '' ? cut(r.compile.output, MAX_COMPILE_OUTPUT) : null,
    testsPassed: r.passed,
    testCount: r.testCount,
    entryPoint: r.compile?.mainClass ?? null,
    runs: r.tests.map((t) => {
      const tc = byName.get(t.name);
      const run: JudgingResult['runs'][number] = { ...juryRunOf(t), fullFeedback: t.kind === 'secret' && (tc?.fullFeedback ?? false) };
      // An interactive problem's .in/.ans are the interactor's, never shown (the statement shows
      // the sample's transcript instead).
      if (tc && !problem.type.interactive && teamSeesTestInFull({ sample: run.sample, fullFeedback: run.fullFeedback ?? false })) {
        const shown = shownFiles(tc);
        run.input = readSample(shown.input);
        run.expected = readSample(shown.answer);
        // The program's output is shown only when the engine kept it; never invented.
        if (t.stdoutExcerpt !== undefined) {
          run.got = cut(t.stdoutExcerpt, MAX_SAMPLE_TEXT);
          run.gotTruncated = t.stdoutExcerpt.length > MAX_SAMPLE_TEXT;
        }
      }
      return run;
    }),
  };
  if (r.verdict === 'JE' && r.message) result.judgeError = r.message;
  if (r.score) result.score = storedScore(r, problem);
  return result;
}

/** The engine's score with each group's tests (index and verdict, null when not run), as stored. */
function storedScore(r: JudgeResult, problem: ProblemPackage): NonNullable<JudgingResult['score']> {
  const s = r.score!;
  const verdictOf = new Map(r.tests.map((t) => [t.index, t.verdict]));
  const inGroup = (g: string) => problem.testCases.filter((t) => t.group === g || t.group.startsWith(`${g}/`));
  return {
    score: s.score,
    maxScore: s.maxScore,
    firstRejection: s.firstRejection,
    groups: s.groups.map((g) => ({
      name: g.name,
      score: g.score,
      maxScore: g.maxScore,
      accepted: g.accepted,
      ...(g.skipped ? { skipped: true } : {}),
      tests: inGroup(g.name).map((t) => ({ index: t.ordinal, verdict: verdictOf.get(t.ordinal) ?? null })),
    })),
  };
}
