import chalk from 'chalk';
import type { ProblemSummary } from '@judged/shared/problem';
import type { Api } from '../context.ts';
import { safeApi } from '../lib/safe-api.ts';
import { VERDICT_INFO, isVerdict } from '@judged/shared/verdict';
import { formatScore, subtaskName } from '@judged/shared/problem-score';
import type { TeamVerdict } from '@judged/shared/protocol';
import { cellText } from '../screens/Scoreboard.tsx';
import { statementLines } from '../screens/Statement.tsx';
import type { Line } from '../lib/markdown.ts';
import { formatDuration, formatKiB, formatMs } from '../lib/text.ts';
import { CliError, printJson, table } from './output.ts';
import { connect, type GlobalOpts } from './session.ts';

/** Problem by label ("A", case-insensitive) or id. */
export async function findProblem(client: Api, key: string): Promise<ProblemSummary> {
  const { problems } = await client.request<'problems'>({ type: 'problems' });
  const k = key.toLowerCase();
  const p = problems.find((x) => x.label.toLowerCase() === k) ?? problems.find((x) => x.id.toLowerCase() === k);
  if (!p) throw new CliError(`no problem "${key}"; the problems are: ${problems.map((x) => x.label).join(', ') || '(none published yet)'}`);
  return p;
}

export function colourVerdict(v: string | null, status: string): string {
  if (!v) return chalk.cyan(status);
  const c = isVerdict(v) ? VERDICT_INFO[v].ansi : 'gray';
  return (chalk[c] as (s: string) => string)(v);
}

/** Runs `fn` with the server API: exact answers for --json, terminal-safe ones for plain output. */
export async function withClient<T>(opts: GlobalOpts, fn: (c: Api) => Promise<T>): Promise<T> {
  const { client } = await connect(opts);
  try {
    return await fn(opts.json ? client : safeApi(client));
  } finally {
    client.close();
  }
}

export async function cmdProblems(opts: GlobalOpts): Promise<number> {
  return withClient(opts, async (c) => {
    const { problems } = await c.request<'problems'>({ type: 'problems' });
    if (opts.json) printJson(problems);
    else process.stdout.write(table(['', 'Problem', 'Time', 'Memory', 'Samples'], problems.map((p) => [p.label, p.name, formatMs(p.timeLimitMs), formatKiB(p.memoryLimitKiB), String(p.sampleCount)])));
    return 0;
  });
}

function lineToAnsi(l: Line): string {
  return l
    .map((s) => {
      let t = s.text;
      if (s.heading) t = chalk.cyan(t);
      else if (s.code) t = chalk.yellow(t);
      else if (s.math) t = chalk.magenta(t);
      if (s.bold) t = chalk.bold(t);
      if (s.italic) t = chalk.italic(t);
      if (s.dim) t = chalk.dim(t);
      return t;
    })
    .join('');
}

export async function cmdStatement(opts: GlobalOpts, key: string): Promise<number> {
  return withClient(opts, async (c) => {
    const p = await findProblem(c, key);
    const { problem } = await c.request<'statement'>({ type: 'statement', problemId: p.id });
    if (opts.json) printJson(problem);
    else {
      const width = Math.min(100, process.stdout.columns || 80);
      process.stdout.write(statementLines(problem, width).map(lineToAnsi).join('\n') + '\n');
    }
    return 0;
  });
}

export async function cmdScoreboard(opts: GlobalOpts): Promise<number> {
  return withClient(opts, async (c) => {
    const { scoreboard } = await c.request<'scoreboard'>({ type: 'scoreboard' });
    if (opts.json) {
      printJson(scoreboard);
      return 0;
    }
    const score = scoreboard.type === 'score';
    const head = ['Rank', 'Team', ...(score ? ['Score'] : ['Solved', 'Penalty']), ...scoreboard.problems.map((p) => p.label)];
    const rows = scoreboard.rows.map((r) => [
      String(r.rank),
      r.teamName,
      ...(score ? [formatScore(r.score)] : [String(r.solved), String(r.penaltyMin)]),
      ...scoreboard.problems.map((p) => {
        const ct = cellText(r.cells.find((x) => x.problemId === p.id), scoreboard.frozen);
        const f = ct.colour ? (chalk as unknown as Record<string, (s: string) => string>)[ct.colour] : undefined;
        return f ? f(ct.text) : ct.text;
      }),
    ]);
    if (scoreboard.frozen) process.stdout.write(chalk.cyan('The scoreboard is frozen: runs after the freeze show as ?.\n'));
    process.stdout.write(table(head, rows));
    return 0;
  });
}

export async function cmdStatus(opts: GlobalOpts, id?: string): Promise<number> {
  return withClient(opts, async (c) => {
    const { submissions, verdicts } = await c.request<'submissions'>({ type: 'submissions' });
    const { problems } = await c.request<'problems'>({ type: 'problems' });
    const label = (pid: string) => problems.find((p) => p.id === pid)?.label ?? pid;
    if (id) {
      const s = submissions.find((x) => x.id === id);
      if (!s) throw new CliError(`no submission ${id} of yours; see \`judge status\` for the list`);
      const v = verdicts.find((x) => x.submissionId === id) ?? null;
      if (opts.json) {
        printJson({ submission: s, verdict: v });
        return 0;
      }
      const out = [
        `Submission ${s.id}: problem ${label(s.problemId)}, ${s.language}, ${s.fileNames.join(', ')}`,
        `Status: ${colourVerdict(s.verdict, s.status)}${s.verdict ? ` (${VERDICT_INFO[s.verdict].name})` : ''}`,
      ];
      if (s.status === 'judged') out.push(`Time ${formatMs(s.timeMs) || '-'}, memory ${formatKiB(s.memoryKiB) || '-'}, tests passed ${v?.testsPassed ?? s.testIndex ?? 0}/${v?.testCount ?? s.testCount ?? 0}`);
      if (v?.score) out.push(...scoreLines(v.score));
      if (v?.compileOutput) out.push('', chalk.bold('Compiler output:'), v.compileOutput);
      if (v?.teamMessage) out.push('', chalk.bold('Message from the judge:'), v.teamMessage.trimEnd());
      for (const r of v?.tests ?? []) {
        out.push('', `${r.sample ? 'Sample' : 'Test'} ${r.name}: ${colourVerdict(r.verdict, '')} ${formatMs(r.timeMs)}`);
        if (r.verdict === 'AC') continue;
        out.push(chalk.bold('input:'), r.input.trimEnd(), chalk.bold('expected:'), r.expected.trimEnd(), chalk.bold('got:'), r.got.trimEnd());
        if (r.stderr) out.push(chalk.bold('stderr:'), r.stderr.trimEnd());
      }
      process.stdout.write(out.join('\n') + '\n');
      return 0;
    }
    if (opts.json) {
      printJson(submissions);
      return 0;
    }
    if (submissions.length === 0) {
      process.stdout.write('No submissions yet.\n');
      return 0;
    }
    const scores = submissions.some((s) => s.score !== undefined);
    process.stdout.write(
      table(
        ['ID', 'Problem', 'Language', 'Contest time', 'Verdict', ...(scores ? ['Score'] : []), 'Time', 'Memory'],
        submissions.map((s) => [
          s.id,
          label(s.problemId),
          s.language,
          formatDuration(s.contestTimeMs),
          colourVerdict(s.verdict, s.status),
          ...(scores ? [s.score !== undefined ? formatScore(s.score, s.maxScore) : ''] : []),
          formatMs(s.timeMs),
          formatKiB(s.memoryKiB),
        ]),
      ),
    );
    return 0;
  });
}

/** A scoring judging: the score, then one line per subtask with its points and each test's verdict. */
export function scoreLines(s: NonNullable<TeamVerdict['score']>): string[] {
  const tests = (g: (typeof s.groups)[number]) => (g.skipped ? chalk.gray('not judged (a required subtask failed)') : g.tests.map((t) => colourVerdict(t.verdict ?? '·', '')).join(' '));
  const w = Math.max(0, ...s.groups.map((g) => subtaskName(g.name).length));
  // An accepted scoring submission may still have only part of the points: say which, in words.
  const marks = s.maxScore === null || s.score === null ? '' : s.score >= s.maxScore ? ' (full marks)' : ' (partial score)';
  return [`Score: ${chalk.bold(formatScore(s.score, s.maxScore))}${marks}`, ...s.groups.map((g) => `  ${subtaskName(g.name).padEnd(w)}  ${formatScore(g.score, g.maxScore).padStart(9)}  ${tests(g)}`)];
}

export async function cmdClarList(opts: GlobalOpts): Promise<number> {
  return withClient(opts, async (c) => {
    const { clarifications } = await c.request<'clarifications'>({ type: 'clarifications' });
    if (opts.json) {
      printJson(clarifications);
      return 0;
    }
    if (clarifications.length === 0) process.stdout.write('No clarifications.\n');
    for (const x of [...clarifications].sort((a, b) => a.createdAtMs - b.createdAtMs)) {
      const head = `[${formatDuration(x.contestTimeMs)}] ${x.kind}${x.problemId ? ` about ${x.problemId}` : ''}${x.kind === 'question' ? (x.answered ? ' (answered)' : ' (waiting)') : ''}`;
      process.stdout.write(`${chalk.bold(head)}\n${x.quotedQuestion ? `> ${x.quotedQuestion}\n` : ''}${x.text}\n\n`);
    }
    return 0;
  });
}

export async function cmdClarAsk(opts: GlobalOpts & { problem?: string }, words: string[]): Promise<number> {
  const text = words.join(' ').trim();
  if (!text) throw new CliError('nothing to ask: judge clar ask [--problem A] "your question"');
  return withClient(opts, async (c) => {
    const problemId = opts.problem ? (await findProblem(c, opts.problem)).id : null;
    const { clarification } = await c.request<'ask'>({ type: 'ask', problemId, text });
    if (opts.json) printJson(clarification);
    else process.stdout.write(`Question ${clarification.id} sent to the jury.\n`);
    return 0;
  });
}
