import fs from 'node:fs';
import path from 'node:path';
import chalk from 'chalk';
import { sourceSizeError, type EventFrame, type Language, type TeamSubmission, type TeamVerdict } from '@judged/shared/protocol';
import { VERDICT_INFO } from '@judged/shared/verdict';
import type { JudgeClient } from '../client.ts';
import { safeData } from '@judged/shared/terminal-text';
import { safeApi } from '../lib/safe-api.ts';
import { checkSourceFile, guessLanguage } from '../lib/files.ts';
import { progressBar, formatKiB, formatMs } from '../lib/text.ts';
import { CliError, EXIT, printJson } from './output.ts';
import { connect, type GlobalOpts } from './session.ts';
import { colourVerdict, findProblem, scoreLines } from './read.ts';

export function pickLanguage(file: string, languages: Language[], lang?: string): Language {
  if (lang) {
    const l = lang.toLowerCase();
    const hit = languages.find((x) => x.id.toLowerCase() === l) ?? languages.find((x) => x.name.toLowerCase() === l) ?? languages.find((x) => x.extensions.includes(l));
    if (!hit) throw new CliError(`unknown language "${lang}"; the server accepts: ${languages.map((x) => x.id).join(', ')}`);
    return hit;
  }
  const g = guessLanguage(file, languages);
  if (!g) throw new CliError(`cannot tell the language of ${path.basename(file)} from its extension; pass --lang (one of: ${languages.map((x) => x.id).join(', ')})`);
  return g;
}

interface WaitState {
  id: string | null;
  verdict: TeamVerdict | null;
  progress: string;
  early: EventFrame[];
}

export async function cmdSubmit(opts: GlobalOpts & { lang?: string; wait?: boolean; timeout?: string }, problemKey: string, file: string): Promise<number> {
  const abs = path.resolve(file);
  const check = checkSourceFile(abs);
  if (!check.ok) throw new CliError(check.problems.join('; '));
  for (const w of check.problems) process.stderr.write(`${chalk.yellow('warning:')} ${w}\n`);
  const source = fs.readFileSync(abs, 'utf8');
  const files = [{ name: path.basename(abs), source }];
  const tooBig = sourceSizeError(files);
  if (tooBig) throw new CliError(tooBig);

  const st: WaitState = { id: null, verdict: null, progress: '', early: [] };
  let lastSeq: number | null = null;
  let wake: (() => void) | null = null;
  const tty = Boolean(process.stderr.isTTY) && !opts.json;
  const onEvent = (f: EventFrame) => {
    if (lastSeq !== null && f.seq <= lastSeq) return;
    lastSeq = f.seq;
    if (st.id === null) {
      // Events for our submission can arrive before the submit answer names it.
      st.early.push(f);
      return;
    }
    handle(f);
  };
  const handle = (f: EventFrame) => {
    const e = f.event;
    if (e.kind === 'progress' && e.submissionId === st.id) {
      st.progress = e.status === 'running' && e.testCount ? progressBar(Math.max(0, (e.testIndex ?? 1) - 1), e.testCount, Math.min(30, e.testCount)) : e.status;
      if (tty) process.stderr.write(`\r\x1b[2K${st.id}: ${st.progress}`);
    } else if (e.kind === 'verdict' && e.verdict.submissionId === st.id) {
      st.verdict = e.verdict;
    }
    wake?.();
  };

  const { client } = await connect(opts, {
    subscribe: Boolean(opts.wait),
    reconnect: Boolean(opts.wait),
    sinceSeq: () => lastSeq,
    handlers: { onEvent, onSnapshot: (_s, head) => (lastSeq = head) },
  });
  try {
    // Names printed in plain output come through safeApi; the verdict is cleaned where it is printed.
    const api = opts.json ? client : safeApi(client);
    const problem = await findProblem(api, problemKey);
    const { languages } = await api.request<'languages'>({ type: 'languages' });
    const language = pickLanguage(abs, languages, opts.lang);
    const { submission } = await client.request<'submit'>({ type: 'submit', problemId: problem.id, language: language.id, files });
    st.id = submission.id;
    if (!opts.wait) {
      if (opts.json) printJson({ submission });
      else process.stdout.write(`Submitted ${submission.id}: problem ${problem.label} (${problem.name}), ${language.name}, ${files[0]!.name}\n`);
      return EXIT.ok;
    }
    if (!opts.json) process.stderr.write(`Submitted ${submission.id}: problem ${problem.label}, ${language.name}. Waiting for the verdict…\n`);
    for (const f of st.early.splice(0)) handle(f);
    const verdict = await waitForVerdict(client, st, submission, Number(opts.timeout ?? 600) * 1000, (w) => (wake = w));
    if (tty) process.stderr.write('\r\x1b[2K');
    if (opts.json) printJson({ submission: { ...submission, status: 'judged', verdict: verdict.verdict, timeMs: verdict.timeMs, memoryKiB: verdict.memoryKiB, ...(verdict.score ? { score: verdict.score.score, maxScore: verdict.score.maxScore } : {}) }, verdict });
    else {
      const { compileOutput, teamMessage } = safeData(verdict);
      process.stdout.write(`${submission.id}: ${colourVerdict(verdict.verdict, '')} ${VERDICT_INFO[verdict.verdict].name}  ${formatMs(verdict.timeMs)}  ${formatKiB(verdict.memoryKiB)}  tests ${verdict.testsPassed}/${verdict.testCount}\n`);
      if (verdict.score) process.stdout.write(`${scoreLines(verdict.score).join('\n')}\n`);
      if (compileOutput && verdict.verdict === 'CE') process.stdout.write(compileOutput.trimEnd() + '\n');
      if (teamMessage) process.stdout.write(`Message from the judge: ${teamMessage.trimEnd()}\n`);
    }
    return verdict.verdict === 'AC' ? EXIT.ok : EXIT.rejected;
  } finally {
    client.close();
  }
}

/** Wait for the verdict event; if the connection drops, resume and also ask for our submissions. */
async function waitForVerdict(
  client: JudgeClient,
  st: WaitState,
  submission: TeamSubmission,
  timeoutMs: number,
  setWake: (f: () => void) => void,
): Promise<TeamVerdict> {
  const deadline = Date.now() + timeoutMs;
  let lastPoll = Date.now();
  while (!st.verdict) {
    if (Date.now() > deadline) throw new CliError(`no verdict for ${submission.id} within ${timeoutMs / 1000} s; check later with \`judge status ${submission.id}\``);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      setWake(() => {
        clearTimeout(t);
        resolve();
      });
    });
    // A verdict missed while offline is in the submissions list; poll it now and then.
    if (!st.verdict && Date.now() - lastPoll > 10_000 && client.state.status === 'online') {
      lastPoll = Date.now();
      try {
        const r = await client.request<'submissions'>({ type: 'submissions' });
        const v = r.verdicts.find((x) => x.submissionId === submission.id);
        if (v) st.verdict = v;
      } catch {
        // keep waiting; the event or the next poll will tell
      }
    }
  }
  return st.verdict;
}
