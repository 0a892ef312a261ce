import React, { useCallback, useEffect, useState } from 'react';
import { Text } from 'ink';
import type { Judgehost, ResultOf } from '@judged/shared/protocol';
import { useApp, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListNav } from '../components/useListNav.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { isChar } from '../keys.ts';
import { fit } from '../lib/text.ts';

const POLL_MS = 2000;

function state(h: Judgehost): { text: string; colour: string } {
  if (h.state !== 'alive') return { text: h.state, colour: h.state === 'gone' ? 'red' : 'yellow' };
  if (h.doctor !== 'ok') return { text: 'broken', colour: 'red' };
  if (h.disabled) return { text: 'disabled', colour: 'yellow' };
  if (h.draining) return { text: 'draining', colour: 'yellow' };
  return { text: h.busy > 0 ? 'judging' : 'idle', colour: 'green' };
}

function stale(hosts: Judgehost[]): string {
  const n = (s: Judgehost['state']): number => hosts.filter((h) => h.state === s).length;
  return [n('stale') ? `, ${n('stale')} stale` : '', n('gone') ? `, ${n('gone')} gone` : ''].join('');
}

/** "3s", "4m", "2h": how long ago a judgehost last reported. */
function age(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

/**
 * The judgehosts (jury; with the daemon's Redis queue): alive, stale or gone with the age of their last
 * report, what each judges; disabling one (d), and taking a gone one off the list (x).
 */
export function JudgehostsScreen({ width, height }: ScreenProps) {
  const { api } = useApp();
  const [data, setData] = useState<ResultOf<'judgehosts'> | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const load = useCallback(() => {
    api.request<'judgehosts'>({ type: 'judgehosts' }).then(setData, (err: Error) => setMessage({ text: `Could not load the judgehosts: ${err.message}`, colour: 'red' }));
  }, [api]);
  useEffect(() => {
    load();
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
  }, [load]);
  const hosts = data?.judgehosts ?? [];
  const nav = useListNav(hosts, (h) => `${h.name} ${state(h).text} ${h.current.join(' ')}`);
  const win = useListWindow(nav, height, 1);
  const toggle = async (h: Judgehost): Promise<void> => {
    try {
      const r = await api.request<'setJudgehostEnabled'>({ type: 'setJudgehostEnabled', name: h.name, enabled: h.disabled });
      setData((d) => (d ? { ...d, judgehosts: r.judgehosts } : d));
      setMessage({ text: h.disabled ? `${h.name} enabled: it takes work again.` : `${h.name} disabled: it finishes what it runs and takes no new work.`, colour: 'green' });
    } catch (err) {
      setMessage({ text: `Could not change ${h.name}: ${(err as Error).message}`, colour: 'red' });
    }
  };
  const remove = async (h: Judgehost): Promise<void> => {
    if (h.state !== 'gone') {
      setMessage({ text: `${h.name} is ${h.state}: only a gone judgehost (no report for a minute) can be removed.`, colour: 'yellow' });
      return;
    }
    try {
      const r = await api.request<'removeJudgehost'>({ type: 'removeJudgehost', name: h.name });
      setData((d) => (d ? { ...d, judgehosts: r.judgehosts } : d));
      setMessage({ text: `${h.name} removed from the list (it comes back if it reports again).`, colour: 'green' });
    } catch (err) {
      setMessage({ text: `Could not remove ${h.name}: ${(err as Error).message}`, colour: 'red' });
    }
  };
  useScreenKeys({
    capture: nav.capture,
    help: [
      { keys: 'd', what: 'disable the judgehost (again: enable it)' },
      { keys: 'x', what: 'remove a gone judgehost from the list' },
    ],
    hints: '',
    handle: (k) => {
      if (nav.handle(k, win.listH)) return true;
      if (isChar(k, 'd') && nav.current) {
        void toggle(nav.current);
        return true;
      }
      if (isChar(k, 'x') && nav.current) {
        void remove(nav.current);
        return true;
      }
      return false;
    },
  });
  const q = data?.queue;
  const queueLine = !q ? 'loading...' : q.backend === 'embedded' ? 'Embedded queue: this daemon judges alone (start it with --queue redis://... for judgehosts).' : q.up ? 'Redis queue up.' : `Redis queue DOWN: ${q.problem ?? ''}`;
  const nameW = Math.max(10, width - 2 - 9 - 6 - 8 - 7 - 7 - 8 - 24);
  return (
    <ScreenFrame
      width={width}
      height={height}
      hints={nav.filtering ? 'Enter keep  Esc clear' : 'd disable/enable  x remove gone  / filter'}
      status={`${hosts.filter((h) => h.alive).length} of ${hosts.length} alive${stale(hosts)}  ·  ${hosts.reduce((n, h) => n + h.busy, 0)} judging`}
    >
      <Text color={message?.colour ?? (q && q.backend === 'redis' && !q.up ? 'red' : undefined)} dimColor={!message && !(q && !q.up)}>
        {fit(message?.text ?? queueLine, width)}
      </Text>
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('Judgehost', nameW)}${fit('State', 9)}${fit('Seen', 6)}${fit('Workers', 8)}${fit('Done', 7)}${fit('Errors', 7)}${fit('Doctor', 8)}${fit('Judging', 24)}`}
        width={width}
        keyOf={(h) => h.name}
        empty={q?.backend === 'redis' ? 'No judgehost has reported yet: start one with judged judgehost --queue ... --server ... --name NAME' : 'No judgehosts.'}
        renderRow={(h: Judgehost, _i, sel) => {
          const st = state(h);
          return (
            <Text inverse={sel}>
              {' '}
              {fit(h.name, nameW)}
              <Text color={st.colour}>{fit(st.text, 9)}</Text>
              {fit(age(h.seenAgoMs), 6)}
              {fit(`${h.busy}/${h.workers}`, 8)}
              {fit(String(h.done), 7)}
              {fit(String(h.errors), 7)}
              {fit(h.doctor === 'ok' ? 'ok' : 'FAIL', 8)}
              {fit(h.current.join(' ') || '-', 24)}
            </Text>
          );
        }}
      />
    </ScreenFrame>
  );
}
