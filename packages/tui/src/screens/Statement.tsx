import path from 'node:path';
import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { ProblemInfo } from '@judged/shared/problem';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { isChar, moveIndex } from '../keys.ts';
import { boxLines, renderMarkdown, type Line } from '../lib/markdown.ts';
import { fit, formatKiB, formatMs } from '../lib/text.ts';
import { saveSamples, saveStatementPdf } from '../lib/problem-files.ts';

/** The statement as display lines: title, limits, markdown body, then each sample in a box. */
export function statementLines(p: ProblemInfo, width: number): Line[] {
  const w = Math.max(20, width - 2);
  const out: Line[] = [];
  out.push([{ text: `${p.label}. ${p.name}`, bold: true, heading: true }]);
  const limits = `time ${formatMs(p.timeLimitMs)} · memory ${formatKiB(p.memoryLimitKiB)}${p.outputLimitKiB ? ` · output ${formatKiB(p.outputLimitKiB)}` : ''}`;
  out.push([{ text: limits, dim: true }]);
  out.push([]);
  // The samples are drawn as boxes below; a statement that also spells them out in its Markdown
  // (a "Sample input 1" heading and a code block) would show them twice.
  const body = p.samples.length > 0 ? stripSampleSections(p.markdown) : p.markdown;
  out.push(...renderMarkdown(body, w));
  p.samples.forEach((s, i) => {
    out.push([]);
    const half = Math.floor((w - 1) / 2);
    if (half >= 30) {
      // Input and output side by side when there is room, as on paper.
      const a = boxLines(`Sample ${i + 1} input`, s.input, half);
      const b = boxLines(`Sample ${i + 1} output`, s.output, w - half - 1);
      const n = Math.max(a.length, b.length);
      for (let j = 0; j < n; j++) {
        out.push([{ text: fit(a[j] ?? '', half), code: true }, { text: ' ' }, { text: b[j] ?? '', code: true }]);
      }
    } else {
      for (const l of boxLines(`Sample ${i + 1} input`, s.input, w)) out.push([{ text: l, code: true }]);
      for (const l of boxLines(`Sample ${i + 1} output`, s.output, w)) out.push([{ text: l, code: true }]);
    }
  });
  if (p.attachments.length > 0) {
    out.push([]);
    out.push([{ text: 'Attachments: ', bold: true }, { text: p.attachments.map((a) => a.name).join(', ') }]);
  }
  return out;
}

/** Remove "Sample input/output N" headings, each with the fenced block that follows it. */
export function stripSampleSections(md: string): string {
  return md.replace(/^#{1,6}[ \t]+sample[ \t]+(input|output)\b[^\n]*\n+(```|~~~)[^\n]*\n[\s\S]*?\n\2[ \t]*(\n|$)/gim, '').replace(/\n{3,}/g, '\n\n');
}

/**
 * One rendered line. Memoised: the lines come from a useMemo, so scrolling by one re-renders only the
 * line that came into view instead of every visible line's spans (Ink's Text makes a style transform
 * per span on each render).
 */
export const LineView = React.memo(function LineView({ line, width }: { line: Line; width: number }) {
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate-end">
        {' '}
        {line.map((s, i) => (
          <Text key={i} bold={s.bold} italic={s.italic} color={s.colour ?? (s.heading ? 'cyan' : s.code ? 'yellow' : s.math ? 'magenta' : undefined)} dimColor={s.dim}>
            {s.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
});

export function StatementScreen({ width, height }: ScreenProps) {
  const { api, store, params, go, cwd } = useApp();
  const problems = useData((d) => d.problems);
  const statements = useData((d) => d.statements);
  const [problemId, setProblemId] = useState<string | undefined>(params.problemId ?? problems[0]?.id);
  const [scroll, setScroll] = useState(0);
  const [error, setError] = useState<string | null>(null);
  /** What the last save did (or why it failed), shown in the status line. */
  const [saved, setSaved] = useState<{ text: string; ok: boolean } | null>(null);
  const pid = problemId ?? problems[0]?.id;
  const info = pid ? statements[pid] : undefined;

  useEffect(() => {
    if (!pid || info) return;
    let live = true;
    setError(null);
    api
      .request<'statement'>({ type: 'statement', problemId: pid })
      .then((r) => {
        store.update({ statements: { ...store.getSnapshot().statements, [pid]: r.problem } });
      })
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [pid, info, api, store]);

  const lines = useMemo(() => (info ? statementLines(info, width) : []), [info, width]);
  const bodyH = height - 2;
  const maxScroll = Math.max(0, lines.length - bodyH);
  const top = Math.min(scroll, maxScroll);
  const save = (what: 'pdf' | 'samples') => {
    const p = problems.find((x) => x.id === pid);
    if (!p) return;
    setSaved({ text: what === 'pdf' ? 'saving the PDF…' : 'saving the samples…', ok: true });
    const done = what === 'pdf' ? saveStatementPdf(api, p, undefined, cwd).then((f) => `PDF saved to ${path.relative(cwd, f)} in ${cwd}`)
        : saveSamples(api, p, cwd).then((r) => `samples in ${path.relative(cwd, r.dir)}/ in ${cwd}: ${r.written.length} written, ${r.unchanged.length} unchanged`);
    done.then((text) => setSaved({ text, ok: true })).catch((err: Error) => setSaved({ text: err.message, ok: false }));
  };
  const switchProblem = (d: number) => {
    const i = problems.findIndex((p) => p.id === pid);
    const next = problems[(i + d + problems.length) % problems.length];
    if (next) {
      setProblemId(next.id);
      setScroll(0);
      setSaved(null);
    }
  };
  useScreenKeys({
    capture: false,
    help: [
      { keys: '← →  h l', what: 'previous / next problem' },
      { keys: '↑↓ PgUp PgDn', what: 'scroll' },
      { keys: 's', what: 'submit for this problem' },
      { keys: 'p', what: 'save the PDF statement here as <label>.pdf' },
      { keys: 'd', what: 'unpack the sample files into ./<label>/' },
    ],
    hints: '',
    handle: (k) => {
      if (k.name === 'left' || isChar(k, 'h')) switchProblem(-1);
      else if (k.name === 'right' || isChar(k, 'l')) switchProblem(1);
      else if (isChar(k, 's') && pid) go('submit', { problemId: pid });
      else if (isChar(k, 'p') && info) {
        if (info.statementPdfs?.length) save('pdf');
        else setSaved({ text: 'this problem has no PDF statement', ok: false });
      } else if (isChar(k, 'd') && info) save('samples');
      else if (k.name === 'pageDown' || isChar(k, ' ')) setScroll(Math.min(maxScroll, top + bodyH - 1));
      else if (k.name === 'pageUp') setScroll(Math.max(0, top - bodyH + 1));
      else {
        const m = moveIndex(k, top, maxScroll + 1, bodyH - 1);
        if (m === null) return false;
        setScroll(m);
      }
      return true;
    },
  });
  const pct = lines.length <= bodyH ? 'all' : `${Math.round(((top + bodyH) / lines.length) * 100)}%`;
  const status = saved ? <Text color={saved.ok ? 'green' : 'red'}>{fit(saved.text, width)}</Text> : info ? `lines ${top + 1}-${Math.min(lines.length, top + bodyH)} of ${lines.length} (${pct})` : '';
  return (
    <ScreenFrame width={width} height={height} hints={`←→ problem  ↑↓ scroll  s submit${info?.statementPdfs?.length ? '  p PDF' : ''}  d samples`} status={status}>
      {!pid ? (
        <Text>{fit(' No problems yet.', width)}</Text>
      ) : error ? (
        <Text color="red">{fit(` Could not load the statement: ${error}`, width)}</Text>
      ) : !info ? (
        <Text dimColor>{fit(' Loading statement…', width)}</Text>
      ) : (
        lines.slice(top, top + bodyH).map((l, i) => <LineView key={top + i} line={l} width={width} />)
      )}
    </ScreenFrame>
  );
}
