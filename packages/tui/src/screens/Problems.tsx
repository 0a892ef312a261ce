import React from 'react';
import { Box, Text } from 'ink';
import type { ProblemSummary } from '@judged/shared/problem';
import type { TeamSubmission } from '@judged/shared/protocol';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useTick } from '../components/hooks.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListNav } from '../components/useListNav.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { isChar } from '../keys.ts';
import { contestPhase } from '../components/Header.tsx';
import { fit, formatKiB, formatMs } from '../lib/text.ts';
import { formatScore } from '@judged/shared/problem-score';

export interface ProblemStatus {
  text: string;
  colour: string | undefined;
}

/** A team's standing on one problem from its own submissions. */
export function problemStatus(problemId: string, subs: readonly TeamSubmission[]): ProblemStatus {
  const mine = subs.filter((s) => s.problemId === problemId);
  if (mine.length === 0) return { text: '', colour: undefined };
  const scored = mine.filter((s) => s.score !== undefined);
  if (scored.length > 0) {
    // Scoring problems: my best score so far (as the board counts a single submission).
    const best = scored.reduce((a, b) => ((b.score ?? 0) > (a.score ?? 0) ? b : a));
    const full = best.maxScore !== null && best.maxScore !== undefined && (best.score ?? 0) >= best.maxScore;
    const pending = mine.some((s) => s.status !== 'judged') ? ' …' : '';
    return { text: `${full ? '✓' : '◐'} ${formatScore(best.score, best.maxScore)} (${mine.length} sub${mine.length > 1 ? 's' : ''})${pending}`, colour: full ? 'green' : (best.score ?? 0) > 0 ? 'yellow' : 'red' };
  }
  if (mine.some((s) => s.verdict === 'AC')) return { text: `✓ solved (${mine.length} sub${mine.length > 1 ? 's' : ''})`, colour: 'green' };
  const pending = mine.filter((s) => s.status !== 'judged').length;
  if (pending > 0) return { text: `… judging (${mine.length} sub${mine.length > 1 ? 's' : ''})`, colour: 'cyan' };
  return { text: `✗ ${mine.length} tr${mine.length > 1 ? 'ies' : 'y'}`, colour: 'red' };
}

export function ProblemsScreen({ width, height }: ScreenProps) {
  const { go, store } = useApp();
  useTick(1000);
  const problems = useData((d) => d.problems);
  const subs = useData((d) => d.submissions);
  const clock = useData((d) => d.clock);
  const nav = useListNav(problems, (p) => `${p.label} ${p.name}`);
  const win = useListWindow(nav, height);
  const { listH, range } = win;
  useScreenKeys({
    capture: nav.capture,
    help: [
      { keys: 'Enter', what: 'read the statement' },
      { keys: 's', what: 'submit for this problem' },
    ],
    hints: '',
    handle: (k) => {
      if (nav.handle(k, listH)) return true;
      const p = nav.current;
      if (!p) return false;
      if (k.name === 'enter') go('statement', { problemId: p.id });
      else if (isChar(k, 's')) go('submit', { problemId: p.id });
      else return false;
      return true;
    },
  });
  const phase = contestPhase(clock, store.now());
  if (problems.length === 0) {
    const msg =
      phase.state === 'before'
        ? `The contest has not started. ${phase.countdownMs !== null ? `It starts in ${phase.label.replace('starts in ', '')}.` : 'No start time is set yet.'}`
        : clock === null
          ? 'Loading problems…'
          : 'No problems are published.';
    return (
      <ScreenFrame width={width} height={height} hints="">
        <Box flexDirection="column" width={width} height={height - 1} alignItems="center" justifyContent="center">
          <Text bold color={phase.state === 'before' ? 'yellow' : undefined}>{fit(msg, width - 2)}</Text>
        </Box>
      </ScreenFrame>
    );
  }
  const nameW = Math.max(10, width - 4 - 3 - 9 - 10 - 24 - 1);
  return (
    <ScreenFrame width={width} height={height} hints={nav.filtering ? 'Enter keep filter  Esc clear' : 'Enter statement  s submit  / filter'} status={range}>
      <FilteredList
        nav={nav}
        win={win}
        header={`     ${fit('', 3)}${fit('Problem', nameW)} ${fit('Time', 8, 'right')} ${fit('Memory', 9, 'right')}  Status`}
        width={width}
        keyOf={(p) => p.id}
        empty="no problem matches the filter"
        renderRow={(p: ProblemSummary, _i, sel) => {
          const st = problemStatus(p.id, subs);
          return (
            <Text inverse={sel}>
              <Text bold>{fit(` ${p.label}`, 4)}</Text>
              <Text color={p.colour ?? undefined}>{p.colour ? '●  ' : '   '}</Text>
              {fit(p.name, nameW)} {fit(formatMs(p.timeLimitMs), 8, 'right')} {fit(formatKiB(p.memoryLimitKiB), 9, 'right')}{'  '}
              <Text color={st.colour}>{fit(st.text, Math.max(0, width - 4 - 3 - nameW - 1 - 8 - 1 - 9 - 2))}</Text>
            </Text>
          );
        }}
      />
    </ScreenFrame>
  );
}
