import React, { useEffect, useMemo, useState } from 'react';
import { Text } from 'ink';
import type { JurySubmission, RejudgeScope, ResultOf } from '@judged/shared/protocol';
import { VERDICT_INFO, type Verdict } from '@judged/shared/verdict';
import { formatScore } from '@judged/shared/problem-score';
import { useApp, useData, useProblemLabel, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { Confirm, paint, statusText } from '../components/misc.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListDetail } from '../components/useListDetail.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { useDetailScroll } from '../components/useDetailScroll.ts';
import { isChar } from '../keys.ts';
import type { Line } from '../lib/markdown.ts';
import { fit, formatDuration, formatKiB, formatMs, truncate } from '../lib/text.ts';
import { LineView } from './Statement.tsx';

type Detail = ResultOf<'jurySubmission'>;

/** A rejudge the jury is asked to confirm. */
interface RejudgeAsk {
  scope: RejudgeScope;
  verdicts?: Verdict[];
  what: string;
}

/** The rejudge a key asks for on submission `s`: R it, P its problem, T its team, V its verdict class. */
export function rejudgeAsk(key: string, s: JurySubmission, label: (problemId: string) => string): RejudgeAsk | null {
  if (key === 'R') return { scope: { kind: 'submission', submissionId: s.id }, what: `submission ${s.id}` };
  if (key === 'P') return { scope: { kind: 'problem', problemId: s.problemId }, what: `every submission of problem ${label(s.problemId)}` };
  if (key === 'T') return { scope: { kind: 'team', teamId: s.teamId }, what: `every submission of team ${s.teamName}` };
  if (key === 'V' && s.verdict) return { scope: { kind: 'all' }, verdicts: [s.verdict], what: `every ${s.verdict} submission` };
  return null;
}

/** Everything about one submission for the jury: judgings with per-test results, then the source. */
export function juryDetailLines(d: Detail, label: string, width: number): Line[] {
  const w = Math.max(20, width - 2);
  const s = d.submission;
  const out: Line[] = [];
  out.push([{ text: `Submission ${s.id} · team ${s.teamName} (${s.teamId}) · problem ${label} · ${s.language}`, bold: true }]);
  out.push([{ text: `Verdict: ` }, { text: s.verdict ? `${s.verdict} — ${VERDICT_INFO[s.verdict].name}` : s.status, bold: true, ...(s.verdict ? { colour: VERDICT_INFO[s.verdict].ansi } : {}) }, { text: `  time ${formatMs(s.timeMs) || '-'} · memory ${formatKiB(s.memoryKiB) || '-'}` }]);
  for (const j of d.judgings) {
    out.push([]);
    out.push([{ text: `Judging ${j.id}${j.valid ? ' (valid)' : ' (not counting)'}${j.rejudgingId ? ` · rejudging ${j.rejudgingId}` : ''} · ${j.verdict ?? 'running'} · worker ${j.worker ?? '-'}`, bold: true, heading: true }]);
    if (j.compileOutput) for (const l of j.compileOutput.split('\n').slice(0, 40)) out.push([{ text: truncate(l, w), code: true }]);
    if (j.score) {
      // Scoring problems: the points, the first rejection (the jury's verdict), and each subtask's points.
      const first = j.score.firstRejection;
      out.push([{ text: `Score ${formatScore(j.score.score, j.score.maxScore)}`, bold: true }, { text: first ? ` · first rejection ${first}` : '', ...(first ? { colour: VERDICT_INFO[first].ansi } : {}) }]);
      for (const g of j.score.groups) out.push([{ text: `   ${fit(g.name, Math.max(8, w - 40))} ${fit(formatScore(g.score, g.maxScore), 12, 'right')}${g.skipped ? '  not judged (a required subtask failed)' : ''}`, dim: g.skipped === true }]);
    }
    for (const r of j.runs) {
      out.push([
        { text: fit(`${r.index}`, 4, 'right') + ' ' },
        { text: fit(r.testName + (r.sample ? ' (sample)' : ''), Math.max(8, w - 50)) },
        { text: ` ${fit(r.verdict, 4)}`, bold: true, colour: VERDICT_INFO[r.verdict].ansi },
        { text: ` ${fit(formatMs(r.timeMs), 8, 'right')} ${fit(formatKiB(r.memoryKiB), 9, 'right')} exit ${r.exitCode ?? '-'}${r.signal ? ` ${r.signal}` : ''}`, dim: true },
      ]);
      if (r.judgeMessage && r.verdict !== 'AC') out.push([{ text: `      ${truncate(r.judgeMessage, w - 6)}`, dim: true }]);
    }
  }
  for (const f of d.files) {
    out.push([]);
    out.push([{ text: `── ${f.name} `, bold: true, heading: true }]);
    f.source.replace(/\r\n?/g, '\n').split('\n').forEach((l, i) => {
      out.push([{ text: `${fit(String(i + 1), 4, 'right')} `, dim: true }, { text: truncate(l.replace(/\t/g, '    '), w - 5), code: true }]);
    });
  }
  return out;
}

export function JurySubmissionsScreen({ width, height }: ScreenProps) {
  const { api, store, params } = useApp();
  const subs = useData((d) => d.jurySubmissions);
  const judgings = useData((d) => d.judgings);
  const clock = useData((d) => d.clock);
  const labelOf = useProblemLabel();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [confirm, setConfirm] = useState<RejudgeAsk | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const ld = useListDetail({
    items: subs,
    idOf: (s) => s.id,
    text: (s) => `${s.id} ${s.teamId} ${s.teamName} ${labelOf(s.problemId)} ${s.language} ${s.verdict ?? s.status}`,
    initialOpen: params.submissionId,
    byId: true,
    onOpen: () => scroll.reset(),
    onClose: () => {
      setDetail(null);
      setMessage(null);
    },
  });
  const { nav, open } = ld;

  useEffect(() => {
    api
      .request<'jurySubmissions'>({ type: 'jurySubmissions', limit: 1000 })
      .then((r) => {
        const known = new Map(store.getSnapshot().jurySubmissions.map((s) => [s.id, s]));
        for (const s of r.submissions) if (!known.has(s.id)) known.set(s.id, s);
        store.update({ jurySubmissions: [...known.values()].sort((a, b) => b.submittedAtMs - a.submittedAtMs) });
      })
      .catch((err: Error) => setMessage({ text: `Could not load submissions: ${err.message}`, colour: 'red' }));
  }, [api, store]);

  // Reload the detail when it opens and whenever a judging of it changes.
  const openJudgings = open ? judgings[open] : undefined;
  useEffect(() => {
    if (!open) return;
    let live = true;
    api
      .request<'jurySubmission'>({ type: 'jurySubmission', submissionId: open })
      .then((r) => live && setDetail(r))
      .catch((err: Error) => live && setMessage({ text: `Could not load ${open}: ${err.message}`, colour: 'red' }));
    return () => {
      live = false;
    };
  }, [open, openJudgings, api]);

  const lines = useMemo(() => (detail && detail.submission.id === open ? juryDetailLines(detail, labelOf(detail.submission.problemId), width) : []), [detail, open, width, labelOf]);
  const win = useListWindow(nav, height, message ? 1 : 0);
  const { listH, range } = win;
  const bodyH = height - 2 - (confirm || message ? 1 : 0);
  const scroll = useDetailScroll(lines.length, bodyH);

  async function rejudge(r: RejudgeAsk) {
    try {
      const res = await api.request<'rejudge'>({ type: 'rejudge', scope: r.scope, ...(r.verdicts ? { verdicts: r.verdicts } : {}), reason: 'jury request from judge TUI' });
      setMessage({ text: `Rejudging ${res.rejudgingId}: ${res.submissionCount} submission(s) queued; nothing changes until you apply it (Rejudgings screen).`, colour: 'green' });
    } catch (err) {
      setMessage({ text: `Rejudge failed: ${(err as Error).message}`, colour: 'red' });
    }
  }

  useScreenKeys({
    capture: nav.capture || confirm !== null,
    help: [
      { keys: 'Enter', what: 'open: judgings, per-test results, source' },
      { keys: 'R', what: 'rejudge the submission (asks first; applied from Rejudgings)' },
      { keys: 'P / T', what: "rejudge every submission of its problem / its team" },
      { keys: 'V', what: 'rejudge every submission with its verdict' },
      { keys: 'Esc', what: 'back to the list' },
    ],
    hints: '',
    handle: (k) => {
      if (confirm) {
        if (isChar(k, 'y')) void rejudge(confirm);
        if (isChar(k, 'y') || isChar(k, 'n') || k.name === 'escape') setConfirm(null);
        return true;
      }
      if (ld.handle(k, listH, scroll.handle)) return true;
      const target = (open ? (detail?.submission.id === open ? detail.submission : undefined) : undefined) ?? nav.current;
      const ask = target && k.name === 'char' ? rejudgeAsk(k.text, target, labelOf) : null;
      if (ask) {
        setConfirm(ask);
        return true;
      }
      return false;
    },
  });

  const footer = confirm ? <Confirm text={`Rejudge ${confirm.what}? Nothing changes until you apply it.`} width={width} /> : undefined;
  if (open) {
    const { top } = scroll;
    return (
      <ScreenFrame width={width} height={height} hints="Esc back  ↑↓ scroll  R rejudge  P/T/V problem/team/verdict" status={footer ?? (message ? <Text color={message.colour}>{fit(message.text, width)}</Text> : scroll.status)}>
        {lines.length === 0 ? <Text dimColor>{fit(' Loading…', width)}</Text> : lines.slice(top, top + bodyH).map((l, i) => <LineView key={top + i} line={l} width={width} />)}
      </ScreenFrame>
    );
  }
  const startMs = clock?.startAtMs ?? null;
  const teamW = Math.max(8, width - 2 - 8 - 5 - 10 - 8 - 16 - 9 - 10);
  return (
    <ScreenFrame width={width} height={height} hints={nav.filtering ? 'Enter keep  Esc clear' : 'Enter open  R rejudge  P/T/V problem/team/verdict  / filter'} status={footer ?? range}>
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('ID', 8)}${fit('Team', teamW)}${fit('Prob', 5)}${fit('Lang', 10)}${fit('Time', 8)}${fit('Status', 16)} ${fit('CPU', 8, 'right')} ${fit('Memory', 9, 'right')}`}
        width={width}
        keyOf={(s) => s.id}
        empty="No submissions."
        renderLine={(s: JurySubmission, _i, sel) => {
          const st = statusText(s, 16);
          const line =
            ' ' + fit(s.id, 8) + fit(s.teamName, teamW) + fit(labelOf(s.problemId), 5) + fit(s.language, 10) +
            fit(startMs !== null ? formatDuration(s.submittedAtMs - startMs) : '', 8) +
            paint(st.text, st.colour, { bold: s.status === 'judged' }) +
            ' ' + fit(formatMs(s.timeMs), 8, 'right') + ' ' + fit(formatKiB(s.memoryKiB), 9, 'right');
          return sel ? paint(line, null, { inverse: true }) : line;
        }}
      />
    </ScreenFrame>
  );
}
