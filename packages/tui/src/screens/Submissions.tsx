import React, { useEffect, useMemo } from 'react';
import { VERDICT_INFO } from '@judged/shared/verdict';
import type { TeamSubmission, TeamVerdict } from '@judged/shared/protocol';
import { useApp, useData, useProblemLabel, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { paint, statusText, verdictColour } from '../components/misc.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListDetail } from '../components/useListDetail.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { useDetailScroll } from '../components/useDetailScroll.ts';
import { boxLines, type Line } from '../lib/markdown.ts';
import { fit, formatDuration, formatKiB, formatMs, progressBar, truncate } from '../lib/text.ts';
import { LineView } from './Statement.tsx';
import { formatScore, subtaskName } from '@judged/shared/problem-score';

/** A scoring judging: the score, then per subtask its points and each test's verdict (· not run). */
function scoreDetailLines(score: NonNullable<TeamVerdict['score']>): Line[] {
  const out: Line[] = [[{ text: 'Score: ' }, { text: formatScore(score.score, score.maxScore), bold: true }]];
  const w = Math.max(0, ...score.groups.map((g) => subtaskName(g.name).length));
  for (const g of score.groups) {
    const line: Line = [{ text: `  ${fit(subtaskName(g.name), w)}  ` }, { text: fit(formatScore(g.score, g.maxScore), 10, 'right'), bold: true, ...(g.accepted ? { colour: 'green' } : {}) }, { text: '  ' }];
    if (g.skipped) line.push({ text: 'not judged: a required subtask failed', dim: true });
    else for (const t of g.tests) line.push(t.verdict ? { text: `${t.verdict} `, colour: VERDICT_INFO[t.verdict].ansi } : { text: '· ', dim: true });
    out.push(line);
  }
  return out;
}

/** The details of one judged submission as display lines. */
export function verdictLines(s: TeamSubmission, v: TeamVerdict | undefined, label: string, width: number): Line[] {
  const w = Math.max(20, width - 2);
  const out: Line[] = [];
  const verdict = s.verdict ? `${s.verdict} — ${VERDICT_INFO[s.verdict].name}` : s.status;
  out.push([{ text: `Submission ${s.id} · problem ${label} · ${s.language} · ${s.fileNames.join(', ')}`, bold: true }]);
  out.push([{ text: `Verdict: ` }, { text: verdict, bold: true, ...(s.verdict ? { colour: VERDICT_INFO[s.verdict].ansi } : {}) }]);
  if (s.status === 'judged') {
    out.push([{ text: `Time ${formatMs(s.timeMs) || '-'} · memory ${formatKiB(s.memoryKiB) || '-'} · tests passed ${v ? `${v.testsPassed}/${v.testCount}` : `${s.testIndex ?? 0}/${s.testCount ?? 0}`}` }]);
    if (v?.score) out.push(...scoreDetailLines(v.score));
  } else if (s.status === 'running' && s.testCount) {
    out.push([{ text: `Running test ${s.testIndex ?? 0} of ${s.testCount}  ` }, { text: progressBar(Math.max(0, (s.testIndex ?? 1) - 1), s.testCount, Math.min(40, s.testCount)), bold: true }]);
  }
  if (v?.compileOutput) {
    out.push([]);
    out.push([{ text: s.verdict === 'CE' ? 'Compiler output' : 'Compiler messages', bold: true, heading: true }]);
    for (const l of v.compileOutput.replace(/\r\n?/g, '\n').split('\n')) out.push([{ text: truncate(l, w), code: true }]);
  }
  if (v?.teamMessage) {
    out.push([]);
    out.push([{ text: 'Message from the judge', bold: true, heading: true }]);
    for (const l of v.teamMessage.split('\n')) out.push([{ text: truncate(l, w) }]);
  }
  for (const r of v?.tests ?? []) {
    out.push([]);
    out.push([
      { text: `${r.sample ? 'Sample' : 'Test'} ${r.name}: `, bold: true },
      { text: r.verdict, bold: true, colour: VERDICT_INFO[r.verdict].ansi },
      { text: `  ${formatMs(r.timeMs)} · ${formatKiB(r.memoryKiB)}`, dim: true },
    ]);
    if (r.verdict === 'AC') continue;
    for (const l of boxLines('input', r.input, w)) out.push([{ text: l, code: true }]);
    for (const l of boxLines('expected', r.expected, w)) out.push([{ text: l, code: true }]);
    for (const l of boxLines(r.gotTruncated ? 'your output (cut)' : 'your output', r.got, w)) out.push([{ text: l, code: true }]);
    if (r.stderr) for (const l of boxLines('stderr', r.stderr, w)) out.push([{ text: l, code: true }]);
  }
  if (s.status === 'judged' && !v) out.push([], [{ text: 'Loading details…', dim: true }]);
  return out;
}

export function SubmissionsScreen({ width, height }: ScreenProps) {
  const { api, store, params } = useApp();
  const subs = useData((d) => d.submissions);
  const verdicts = useData((d) => d.verdicts);
  const clock = useData((d) => d.clock);
  const labelOf = useProblemLabel();
  const ld = useListDetail({
    items: subs,
    idOf: (s) => s.id,
    text: (s) => `${s.id} ${labelOf(s.problemId)} ${s.language} ${s.verdict ?? s.status}`,
    initialOpen: params.submissionId,
    onOpen: () => scroll.reset(),
  });
  const { nav, openItem: openSub } = ld;
  const win = useListWindow(nav, height);
  const { listH, range } = win;

  // Verdict details (compiler output, samples) come with `submissions` when we missed the event.
  const needDetails = openSub && openSub.status === 'judged' && !verdicts[openSub.id];
  useEffect(() => {
    if (!needDetails) return;
    api
      .request<'submissions'>({ type: 'submissions' })
      .then((r) => {
        const v = { ...store.getSnapshot().verdicts };
        for (const x of r.verdicts) v[x.submissionId] = x;
        store.update({ verdicts: v });
      })
      .catch(() => {});
  }, [needDetails, api, store]);

  const detail = useMemo(
    () => (openSub ? verdictLines(openSub, verdicts[openSub.id], labelOf(openSub.problemId), width) : []),
    [openSub, verdicts, width, labelOf],
  );
  const bodyH = height - 2;
  const scroll = useDetailScroll(detail.length, bodyH);
  useScreenKeys({
    capture: nav.capture,
    help: [
      { keys: 'Enter', what: 'details: verdict, compiler output, message, samples' },
      { keys: 'Esc', what: 'back to the list' },
    ],
    hints: '',
    handle: (k) => ld.handle(k, listH, scroll.handle),
  });

  if (openSub) {
    const { top } = scroll;
    return (
      <ScreenFrame width={width} height={height} hints="Esc back  ↑↓ scroll" status={scroll.status}>
        {detail.slice(top, top + bodyH).map((l, i) => (
          <LineView key={top + i} line={l} width={width} />
        ))}
      </ScreenFrame>
    );
  }
  const statusW = 16;
  const fixed = 7 + 5 + 10 + 8 + statusW + 9 + 10;
  const rest = Math.max(0, width - fixed - 1);
  const startMs = clock?.startAtMs ?? null;
  return (
    <ScreenFrame width={width} height={height} hints={nav.filtering ? 'Enter keep filter  Esc clear' : 'Enter details  / filter'} status={range}>
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('ID', 6)}${fit('Prob', 5)}${fit('Lang', 10)}${fit('Time', 8)}${fit('Status', statusW)} ${fit('CPU', 8, 'right')} ${fit('Memory', 9, 'right')}`}
        width={width}
        keyOf={(s) => s.id}
        empty={subs.length === 0 ? 'No submissions yet: press 3 (Submit), or run `judge submit A sol.cpp`.' : 'no submission matches the filter'}
        renderLine={(s: TeamSubmission, _i, sel) => {
          // Scoring problems show the points where a verdict would be.
          const st = s.status === 'judged' && s.score !== undefined ? { text: fit(formatScore(s.score, s.maxScore), statusW), colour: s.verdict === 'AC' ? (s.maxScore !== null && (s.score ?? 0) >= (s.maxScore ?? 0) ? 'green' : 'yellow') : verdictColour(s.verdict) } : statusText(s, statusW);
          const t = startMs !== null ? formatDuration(s.submittedAtMs - startMs) : '';
          const line =
            ' ' + fit(s.id, 6) + fit(labelOf(s.problemId), 5) + fit(s.language, 10) + fit(t, 8) +
            paint(st.text, st.colour, { bold: s.status === 'judged' }) +
            ' ' + fit(formatMs(s.timeMs), 8, 'right') + ' ' + fit(formatKiB(s.memoryKiB), 9, 'right') + fit('', rest);
          return sel ? paint(line, null, { inverse: true }) : line;
        }}
      />
    </ScreenFrame>
  );
}

