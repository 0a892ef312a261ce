import React from 'react';
import { Text } from 'ink';
import type { JuryQueueItem } from '@judged/shared/protocol';
import { useApp, useData, useProblemLabel, type ScreenProps } from '../context.ts';
import { useTick } from '../components/hooks.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { statusText } from '../components/misc.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListNav } from '../components/useListNav.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { fit, formatDuration } from '../lib/text.ts';

/** The judging queue (jury): what waits, what runs where, how far it is. */
export function QueueScreen({ width, height }: ScreenProps) {
  const { go, store } = useApp();
  useTick(1000);
  const queue = useData((d) => d.queue);
  const labelOf = useProblemLabel();
  const sorted = [...queue].sort((a, b) => a.submittedAtMs - b.submittedAtMs);
  const nav = useListNav(sorted, (q) => `${q.submissionId} ${q.teamId} ${labelOf(q.problemId)} ${q.language} ${q.status} ${q.worker ?? ''}`);
  const win = useListWindow(nav, height);
  const { listH } = win;
  useScreenKeys({
    capture: nav.capture,
    help: [{ keys: 'Enter', what: 'open the submission (source, tests, rejudge)' }],
    hints: '',
    handle: (k) => {
      if (nav.handle(k, listH)) return true;
      if (k.name === 'enter' && nav.current) {
        go('jury-submissions', { submissionId: nav.current.submissionId });
        return true;
      }
      return false;
    },
  });
  const now = store.now();
  const teamW = Math.max(8, width - 2 - 8 - 5 - 10 - 18 - 10 - 9);
  return (
    <ScreenFrame width={width} height={height} hints={nav.filtering ? 'Enter keep  Esc clear' : 'Enter open  / filter'} status={`${win.range}  ·  ${queue.filter((q) => q.status === 'queued').length} waiting, ${queue.filter((q) => q.status !== 'queued').length} judging`}>
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('ID', 8)}${fit('Team', teamW)}${fit('Prob', 5)}${fit('Lang', 10)}${fit('Status', 18)}${fit('Worker', 10)}${fit('Waiting', 9)}`}
        width={width}
        keyOf={(q) => `${q.submissionId}/${q.judgingId ?? ''}`}
        empty="The queue is empty: every submission is judged."
        renderRow={(q: JuryQueueItem, _i, sel) => {
          const st = statusText({ status: q.status, verdict: null, testIndex: q.testIndex, testCount: q.testCount }, 17);
          return (
            <Text inverse={sel}>
              {' '}
              {fit(q.submissionId, 8)}
              {fit(q.teamId, teamW)}
              {fit(labelOf(q.problemId), 5)}
              {fit(q.language, 10)}
              <Text color={st.colour}>{st.text}</Text> {fit(q.worker ?? '-', 10)}
              {fit(formatDuration(now - q.submittedAtMs), 9)}
            </Text>
          );
        }}
      />
    </ScreenFrame>
  );
}
