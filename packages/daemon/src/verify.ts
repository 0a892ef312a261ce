/**
 * `judged verify <package-dir>... [--json]`: judges every example submission of each problem package
 * (submissions/<folder>/, a file or a directory each) and checks the verdict against the expected
 * one (the folder's, or a DOMjudge `@EXPECTED_RESULTS@:` comment, or 2025-09 submissions.yaml — the
 * loader decides which). A submission whose language this host lacks is skipped, not failed.
 *
 * Time limits: a package without an explicit limit gets one derived as problemtools does: the
 * accepted submissions run first with a generous limit, then limit = slowest x ac_to_time_limit
 * (legacy time_multiplier), rounded up to the time resolution. Submissions expected to time out are
 * judged at limit x time_limit_to_tle (legacy time_safety_margin), so one that is only slightly too
 * slow shows up as a mismatch rather than passing by luck.
 *
 * Scoring problems: the verdict checked against the folder is the first rejected test's (AC when all
 * pass), as the folders describe test case verdicts; legacy partially_accepted must be AC short of the
 * range's maximum; submissions.yaml `score` (exact or [low, high], for the submission or a group) is
 * checked, and each submission's score per group is printed.
 *
 * Exit code: 0 all match, 1 some do not, 2 unusable input (no package, a package that does not load,
 * no working sandbox). --json prints one array on stdout and nothing else; progress goes to stderr.
 */
import { safeBlock } from '@judged/shared/terminal-text';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Verdict } from '@judged/shared/verdict';
import { validateProblemData, formatDataIssues, type DataCheck } from './judging/data-validation.ts';
import { JudgeEngine, type JudgeResult } from './judging/engine.ts';
import { languageForFiles, loadLanguages, LanguagesConfigError } from './languages/index.ts';
import type { Language } from './languages/types.ts';
import { formatConfigFileError } from './config-files/diagnostics.ts';
import { substituteInSource } from './problems/constants.ts';
import { defaultLabel, deriveTimeLimitMs, loadProblemPackage, resolvePackageDirs } from './problems/index.ts';
import type { ExampleSubmission, ProblemPackage } from './problems/types.ts';
import { openFreeSlots, SlotAllocator } from './sandbox/allocate.ts';
import { openSandbox } from './sandbox/index.ts';
import type { Sandbox } from './sandbox/types.ts';

export interface VerifyOptions {
  json?: boolean;
  /** languages.yaml to use instead of the built-in languages. */
  languages?: string;
  /**
   * `--time-scale`: how many times slower this host runs programs than the limits assume. The
   * sandbox converts (sandbox/time-scale.ts), so compile limits, the generous limit accepted
   * submissions get while a limit is derived, and run limits all scale alike, and the times
   * reported and derived stay in reference-machine units.
   */
  timeScale?: number;
  /** Parallel judgings (sandbox slots). Default: CPUs, at most 4. */
  jobs?: number;
  /** First sandbox slot to try (slots are per host; the daemon uses 0..). Default $JUDGED_VERIFY_SLOT_BASE or 80. */
  slotBase?: number;
  /**
   * Write a derived time limit to the package as a DOMjudge `.timelimit` file (seconds), which the
   * loader reads next time, so the daemon judges with the limit verify derived.
   */
  writeTimeLimit?: boolean;
  /** Where progress and errors go (tests capture them). */
  stderr?: (text: string) => void;
  stdout?: (text: string) => void;
}

export interface VerifyRow {
  problem: string;
  submission: string;
  language: string | null;
  expected: Verdict[];
  verdict: Verdict | null;
  time_ms: number | null;
  memory_kb: number | null;
  ok: boolean;
  /** Not judged: the host lacks the language (or no language fits the file names). */
  skipped: boolean;
  /** Why skipped, or the judge's message on JE / the failing test on a mismatch. */
  message?: string;
  /** Scoring problems: the submission's score (null: none, a legacy rejection) and its maximum (null: unbounded). */
  score?: number | null;
  max_score?: number | null;
  /** Scoring problems: each group's score. */
  groups?: { group: string; score: number; max_score: number | null }[];
  /** Scoring problems: the first rejected test's verdict (null: every test accepted). */
  first_rejection?: Verdict | null;
  /**
   * Rows about the package's data rather than a submission: 'input' (input validators on every test
   * case), 'invalid_input', 'invalid_output', 'valid_output'. `submission` is then `data/<check>`,
   * `ok` says whether every file passed, and `message` lists the failures.
   */
  check?: DataCheck;
}

const GENEROUS_TIME_LIMIT_MS = 10_000;

interface Job {
  problem: ProblemPackage;
  sub: ExampleSubmission;
  lang: Language;
  timeLimitMs?: number;
  row: VerifyRow;
}

export async function runVerify(dirs: string[], opts: VerifyOptions = {}): Promise<number> {
  // Messages may quote names and values from the packages: made terminal-safe (the JSON stays exact).
  const rawErr = opts.stderr ?? ((t: string) => process.stderr.write(t));
  const err = (t: string) => rawErr(safeBlock(t));
  const out = opts.stdout ?? ((t: string) => process.stdout.write(t));

  if (dirs.length === 0) {
    err('judged verify: give at least one problem package directory\n');
    return 2;
  }
  for (const d of dirs) {
    if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) {
      err(`judged verify: ${d} is not a directory — give problem package directories (holding problem.yaml) or directories of them\n`);
      return 2;
    }
  }
  const packageDirs = resolvePackageDirs(dirs);
  if (packageDirs.length === 0) {
    err(`judged verify: no problem package (a directory with problem.yaml) in ${dirs.join(', ')}\n`);
    return 2;
  }

  let languages: Language[];
  try {
    languages = loadLanguages(opts.languages);
  } catch (e) {
    err(`judged verify: ${e instanceof LanguagesConfigError ? e.message : String(e)}\n`);
    return 2;
  }

  let unusable = false;
  const problems: ProblemPackage[] = [];
  packageDirs.forEach((dir, i) => {
    const load = loadProblemPackage(dir, { label: defaultLabel(i), ordinal: i, baseDir: path.dirname(dir) });
    for (const e of load.errors) err(`${formatConfigFileError(e)}\n`);
    if (!load.problem || load.errors.length > 0) {
      err(`judged verify: ${path.basename(dir)} does not load; fix the errors above\n`);
      unusable = true;
      return;
    }
    problems.push(load.problem);
  });

  const timeScale = opts.timeScale ?? 1;
  if (timeScale !== 1) err(`judged verify: time scale ${timeScale}: CPU and wall limits x ${timeScale}, times reported / ${timeScale}\n`);

  const jobs = Math.max(1, Math.min(opts.jobs ?? Math.min(os.availableParallelism(), 4), 16));
  let sandboxes: Sandbox[];
  try {
    sandboxes = await openSlots(jobs, opts.slotBase ?? (Number(process.env.JUDGED_VERIFY_SLOT_BASE) || 80), timeScale);
  } catch (e) {
    err(`judged verify: cannot start the sandbox: ${(e as Error).message}\n`);
    return 2;
  }

  const engine = new JudgeEngine({ languages });
  const rows: VerifyRow[] = [];
  try {
    const total = problems.reduce((n, p) => n + p.submissions.length, 0);
    let done = 0;
    const report = (j: Job): void => {
      done++;
      const r = j.row;
      const what = r.skipped ? `skipped (${r.message})` : `${r.verdict}${r.first_rejection ? ` (${r.first_rejection})` : ''}${scoreText(r) ? ` ${scoreText(r)}` : ''}${r.time_ms !== null ? ` ${Math.round(r.time_ms)} ms` : ''}${r.ok ? '' : `  MISMATCH: ${r.message ?? `expected ${r.expected.join(' or ')}`}`}`;
      err(`[${done}/${total}] ${r.problem} ${r.submission} (${r.language ?? '?'}): ${what}\n`);
    };
    rows.push(...(await checkData(problems, engine, sandboxes, err)));
    for (const problem of problems) {
      const list = problem.submissions.map((sub) => makeJob(problem, sub, languages));
      for (const j of list.filter((x) => x.row.skipped)) report(j);
      const runnable = list.filter((x) => !x.row.skipped);
      if (problem.limits.timeLimitSource === 'default') {
        // Scoring problems' partial submissions are "AC" too: only the accepted/ folder sets the limit there.
        const accepted = runnable.filter((j) => j.sub.expected.length === 1 && j.sub.expected[0] === 'AC' && (!problem.scoring || j.sub.category === 'accepted'));
        for (const j of accepted) j.timeLimitMs = GENEROUS_TIME_LIMIT_MS;
        await runJobs(accepted, sandboxes, engine, report);
        const times = accepted.map((j) => j.row.time_ms).filter((t): t is number => t !== null);
        if (times.length === 0) {
          err(`${problem.shortName}: no time limit in the package and no accepted submission to derive one from; using ${problem.limits.timeLimitMs} ms\n`);
        } else {
          const d = deriveTimeLimitMs(problem.limits, Math.ceil(Math.max(...times)));
          err(`${problem.shortName}: no time limit in the package: ${d.message}\n`);
          // Slowest x multiplier <= limit by construction, so the accepted runs stand as judged.
          problem.limits.timeLimitMs = d.timeLimitMs;
          if (opts.writeTimeLimit) {
            fs.writeFileSync(path.join(problem.dir, '.timelimit'), `${d.timeLimitMs / 1000}\n`);
            err(`${problem.shortName}: wrote ${d.timeLimitMs / 1000} s to ${path.join(problem.dir, '.timelimit')}\n`);
          }
        }
        const rest = runnable.filter((j) => !accepted.includes(j));
        setTleMargin(problem, rest);
        await runJobs(rest, sandboxes, engine, report);
      } else {
        setTleMargin(problem, runnable);
        await runJobs(runnable, sandboxes, engine, report);
        const acTimes = runnable.filter((j) => j.row.verdict === 'AC' && (!problem.scoring || j.sub.category === 'accepted') && j.row.time_ms !== null).map((j) => j.row.time_ms!);
        if (acTimes.length > 0) {
          const check = deriveTimeLimitMs(problem.limits, Math.ceil(Math.max(...acTimes)));
          if (!check.ok) err(`${problem.shortName}: warning: ${check.message}\n`);
        }
      }
      rows.push(...list.map((j) => j.row));
    }
  } finally {
    engine.close();
    await Promise.allSettled(sandboxes.map((s) => s.close()));
  }

  if (opts.json) out(`${JSON.stringify(rows, null, 2)}\n`);
  else out(safeBlock(renderTable(rows)));
  if (unusable) return 2;
  return rows.every((r) => r.ok) ? 0 : 1;
}

/** The packages' data against their own validators, one problem per sandbox at a time; a row per check. */
async function checkData(problems: ProblemPackage[], engine: JudgeEngine, sandboxes: Sandbox[], err: (t: string) => void): Promise<VerifyRow[]> {
  const rows: VerifyRow[][] = problems.map(() => []);
  let next = 0;
  await Promise.all(
    sandboxes.map(async (sb) => {
      for (;;) {
        const i = next++;
        const problem = problems[i];
        if (!problem) return;
        const report = await validateProblemData(problem, engine, sb);
        for (const n of report.notes) err(`${problem.shortName}: ${n}\n`);
        const lines = formatDataIssues(report, path.dirname(problem.dir));
        for (const check of ['input', 'invalid_input', 'invalid_output', 'valid_output'] as const) {
          const issues = report.issues.filter((x) => x.check === check);
          if (report.checked[check] === 0 && issues.length === 0) continue;
          const bad = lines.filter((_, j) => report.issues[j]!.check === check);
          const row: VerifyRow = {
            problem: problem.shortName,
            submission: `data/${check}`,
            language: null,
            expected: [],
            verdict: null,
            time_ms: null,
            memory_kb: null,
            ok: issues.length === 0,
            skipped: false,
            check,
            message: issues.length === 0 ? `${report.checked[check]} file(s) as expected` : bad.join('\n'),
          };
          err(`${problem.shortName} data/${check}: ${row.ok ? row.message : `FAILED\n${bad.map((l) => `  ${l}`).join('\n')}`}\n`);
          rows[i]!.push(row);
        }
      }
    }),
  );
  return rows.flat();
}

/** Submissions expected to time out are judged at limit x time_limit_to_tle (the safety margin). */
function setTleMargin(problem: ProblemPackage, jobs: Job[]): void {
  for (const j of jobs) {
    if (j.sub.expected.length === 1 && j.sub.expected[0] === 'TLE') {
      j.timeLimitMs = Math.ceil(problem.limits.timeLimitMs * problem.limits.timeMultipliers.timeLimitToTle);
    }
  }
}

function makeJob(problem: ProblemPackage, sub: ExampleSubmission, languages: Language[]): Job {
  const lang = sub.language ? languages.find((l) => l.id === sub.language) : languageForFiles(languages, sub.files, sub.dir);
  const row: VerifyRow = {
    problem: problem.shortName,
    submission: sub.id,
    language: lang?.id ?? sub.language ?? null,
    expected: [...sub.expected],
    verdict: null,
    time_ms: null,
    memory_kb: null,
    ok: true,
    skipped: false,
  };
  if (!lang) {
    row.skipped = true;
    row.message = sub.language ? `language ${sub.language} is not configured` : `no language for ${sub.files.join(', ')}`;
  } else if (lang.disabled) {
    row.skipped = true;
    row.message = `${lang.name} is not available on this host: ${lang.disabled}`;
  } else if (problem.languages && !problem.languages.includes(lang.id)) {
    row.skipped = true;
    row.message = `the problem does not allow ${lang.id}`;
  }
  return { problem, sub, lang: lang!, row };
}

async function runJobs(jobs: Job[], sandboxes: Sandbox[], engine: JudgeEngine, report: (j: Job) => void): Promise<void> {
  let next = 0;
  await Promise.all(
    sandboxes.map(async (sb) => {
      for (;;) {
        const j = jobs[next++];
        if (!j) return;
        // Example submissions get the problem's constants (2025-09), as included code and validators do.
        const files = j.sub.files.map((f) => ({ name: f, content: substituteInSource(fs.readFileSync(path.join(j.sub.dir, f)), j.problem.constants) }));
        const r: JudgeResult = await engine.judge({
          problem: j.problem,
          language: j.lang,
          files,
          sandboxes: [sb],
          timeLimitMs: j.timeLimitMs,
          entrypoint: j.sub.entrypoint,
        });
        j.row.verdict = r.verdict;
        j.row.time_ms = r.timeMs === null ? null : Math.round(r.timeMs);
        j.row.memory_kb = r.memoryKiB;
        j.row.ok = j.sub.expected.includes(r.verdict);
        if (r.score) {
          j.row.score = r.score.score;
          j.row.max_score = r.score.maxScore;
          j.row.groups = r.score.groups.map((g) => ({ group: g.name, score: g.score, max_score: g.maxScore }));
          j.row.first_rejection = r.score.firstRejection;
          const problems = scoreMismatches(j, r);
          if (problems.length > 0) {
            j.row.ok = false;
            j.row.message = problems.join('; ');
            report(j);
            continue;
          }
          // 2025-09: the verdict is AC with a score; the folders speak of test case verdicts.
          if (j.problem.format === '2025-09' && r.verdict === 'AC') j.row.ok = j.sub.expected.includes(r.score.firstRejection ?? 'AC');
        }
        if (r.verdict === 'JE') j.row.message = r.message;
        else if (!j.row.ok) {
          const t = r.tests.find((x) => x.index === r.failedTest);
          j.row.message = r.verdict === 'CE' ? r.compile?.output.slice(0, 2000) : t ? `test ${t.name}: ${t.message}` : undefined;
        }
        report(j);
      }
    }),
  );
}

const EPS = 1e-6;

/** What is wrong with a scoring submission's score against submissions.yaml and its folder. */
function scoreMismatches(j: Job, r: JudgeResult): string[] {
  const s = r.score!;
  const out: string[] = [];
  const within = (x: number | null, [lo, hi]: [number, number]) => x !== null && x >= lo - EPS && x <= hi + EPS;
  const show = ([lo, hi]: [number, number]) => (lo === hi ? `${lo}` : `[${lo}, ${hi}]`);
  const want = j.sub.score;
  if (want?.total && !within(s.score, want.total)) out.push(`score ${s.score ?? 'none'}, expected ${show(want.total)}`);
  for (const [name, range] of Object.entries(want?.groups ?? {})) {
    const g = s.groups.find((x) => x.name === name);
    if (!g) out.push(`submissions.yaml names group ${name}, which the problem does not score`);
    else if (!within(g.score, range)) out.push(`group ${name} scored ${g.score}, expected ${show(range)}`);
  }
  if (j.sub.category === 'partially_accepted' && s.maxScore !== null && s.score !== null && s.score >= s.maxScore - EPS) {
    out.push(`partially_accepted but scored the maximum ${s.maxScore}`);
  }
  return out;
}

function scoreText(r: VerifyRow): string {
  if (r.score === undefined) return '';
  const n = (x: number) => String(Math.round(x * 1e4) / 1e4);
  const total = `${r.score === null ? '-' : n(r.score)}${r.max_score != null ? `/${n(r.max_score)}` : ''}`;
  const groups = (r.groups ?? []).map((g) => `${g.group.replace(/^secret\//, '')} ${n(g.score)}${g.max_score !== null ? `/${n(g.max_score)}` : ''}`);
  return groups.length > 0 ? `${total} (${groups.join(', ')})` : total;
}

/** Opens `n` sandbox slots from slotBase up, skipping slots another process holds. */
function openSlots(n: number, slotBase: number, timeScale: number): Promise<Sandbox[]> {
  const cpus = os.availableParallelism();
  return openFreeSlots(n, new SlotAllocator(slotBase, 40), (slot, i) => openSandbox({ slot, cpus: [i % cpus], cgroupParent: 'judged-verify', timeScale }));
}

export function renderTable(rows: VerifyRow[]): string {
  const scoring = rows.some((r) => r.score !== undefined);
  const head = ['problem', 'submission', 'lang', 'expected', 'got', ...(scoring ? ['score'] : []), 'time', 'memory', ''];
  const body = rows.map((r) => [
    r.problem,
    r.submission,
    r.check ? '' : (r.language ?? '?'),
    r.expected.join(','),
    r.skipped ? 'skipped' : r.check ? (r.ok ? 'valid' : 'INVALID') : `${r.verdict ?? ''}${r.first_rejection ? ` (${r.first_rejection})` : ''}`,
    ...(scoring ? [scoreText(r)] : []),
    r.time_ms === null ? '' : `${r.time_ms} ms`,
    r.memory_kb === null ? '' : `${Math.round(r.memory_kb / 1024)} MiB`,
    r.skipped ? '' : r.ok ? 'ok' : 'MISMATCH',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [line(head), ...body.map(line)];
  const bad = rows.filter((r) => !r.ok);
  const skipped = rows.filter((r) => r.skipped).length;
  lines.push('');
  for (const r of bad) {
    if (r.check) lines.push(`DATA ${r.problem}/${r.submission}:\n${r.message!.split('\n').map((l) => `  ${l}`).join('\n')}`);
    else lines.push(`MISMATCH ${r.problem}/${r.submission}: expected ${r.expected.join(' or ')}, got ${r.verdict}${scoreText(r) ? ` ${scoreText(r)}` : ''}${r.message ? ` — ${r.message.split('\n')[0]}` : ''}`);
  }
  lines.push(`verify: ${rows.length - bad.length - skipped} as expected, ${bad.length} not${skipped ? `, ${skipped} skipped` : ''}`);
  return `${lines.join('\n')}\n`;
}
