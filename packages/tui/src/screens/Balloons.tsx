import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import type { Balloon } from '@judged/shared/protocol';
import { isJuryRole } from '@judged/shared/visibility';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { paint } from '../components/misc.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListNav } from '../components/useListNav.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { isChar } from '../keys.ts';
import { fit, formatDuration } from '../lib/text.ts';

/**
 * Balloons (balloon runners and the jury): each team's first solve of each problem, oldest first,
 * with the problem's colour, the team's place and the first solve of a problem marked `*`; Enter or
 * `d` marks the selected one delivered (or not again). `a` shows or hides the delivered ones. The
 * list is loaded once and then follows the daemon's balloon events (a new solve, a mark by another
 * runner, the balloons released at the unfreeze), so nothing polls. During the freeze balloons for
 * runs the board hides are held back: runners are told that, not how many; the jury sees the count,
 * and `f` lists them too, marked `frozen`.
 */
export function BalloonsScreen({ width, height }: ScreenProps) {
  const { api, store } = useApp();
  const role = useData((d) => d.user?.role);
  const loaded = useData((d) => d.balloons);
  const [showDone, setShowDone] = useState(false);
  const [includeFrozen, setIncludeFrozen] = useState(false);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const jury = isJuryRole(role);
  // The jury's events carry the held-back balloons too (marked frozen): `f` only filters them here.
  const all = loaded?.list ?? [];
  const balloons = includeFrozen ? all : all.filter((b) => !b.frozen);
  const held = jury ? all.length - balloons.length : 0;
  const shown = showDone ? balloons : balloons.filter((b) => !b.done);
  const nav = useListNav(shown, (b) => `${b.label} ${b.problemName} ${b.teamId} ${b.teamName} ${b.location ?? ''}`);
  const win = useListWindow(nav, height, message ? 1 : 0);

  // Loaded when the screen opens and again when the state dropped the list (a snapshot, a freeze).
  const needed = loaded === null;
  useEffect(() => {
    if (!needed) return;
    let live = true;
    api
      .request<'balloons'>({ type: 'balloons', includeFrozen: jury })
      .then((r) => live && store.setBalloons(r.balloons, r.heldBack))
      .catch((err: Error) => live && setMessage({ text: `Could not load balloons: ${err.message}`, colour: 'red' }));
    return () => {
      live = false;
    };
  }, [api, store, jury, needed]);

  async function toggle(b: Balloon) {
    try {
      const r = await api.request<'setBalloonDone'>({ type: 'setBalloonDone', teamId: b.teamId, problemId: b.problemId, done: !b.done });
      // Shown at once; the balloon event that follows says the same.
      store.balloonChanged(r.balloon);
      setMessage({ text: `${b.label} for ${b.teamName}${b.location ? ` (${b.location})` : ''}: ${r.balloon.done ? 'delivered' : 'to deliver again'}.`, colour: 'green' });
    } catch (err) {
      setMessage({ text: `Not changed: ${(err as Error).message}`, colour: 'red' });
    }
  }

  useScreenKeys({
    capture: nav.capture,
    help: [
      { keys: 'Enter / d', what: 'mark the selected balloon delivered (again: not delivered)' },
      { keys: 'a', what: 'show / hide delivered balloons' },
      ...(jury ? [{ keys: 'f', what: 'also list balloons the freeze holds back (jury)' }] : []),
    ],
    hints: '',
    handle: (k) => {
      if (nav.handle(k, win.listH)) return true;
      if ((k.name === 'enter' || isChar(k, 'd')) && nav.current) void toggle(nav.current);
      else if (isChar(k, 'a')) setShowDone((x) => !x);
      else if (isChar(k, 'f') && jury) setIncludeFrozen((x) => !x);
      else return false;
      return true;
    },
  });

  const todo = balloons.filter((b) => !b.done).length;
  const freeze = jury ? (held ? `; ${held} held back by the freeze` : '') : loaded?.heldBack ? '; frozen: later balloons wait for the unfreeze' : '';
  const status = `${todo} to deliver, ${balloons.length - todo} delivered${freeze}  ${win.range}`;
  const locW = Math.max(16, Math.min(28, Math.floor((width - 30) / 3)));
  const teamW = Math.max(10, width - 2 - 6 - locW - 9 - 24);
  return (
    <ScreenFrame width={width} height={height} hints={nav.filtering ? 'Enter keep  Esc clear' : `Enter/d delivered  a ${showDone ? 'hide' : 'show'} delivered${jury ? `  f ${includeFrozen ? 'hide' : 'show'} frozen` : ''}  / filter`} status={status}>
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('Prob', 6)}${fit('Team', teamW)}${fit('Location', locW)}${fit('Time', 9)}Note`}
        width={width}
        keyOf={(b) => `${b.teamId}/${b.problemId}`}
        empty={showDone ? 'No balloons yet.' : 'No balloons to deliver.'}
        renderLine={(b: Balloon, _i, sel) => {
          const note = [b.firstToSolve ? '*first' : '', b.frozen ? 'frozen' : '', b.done ? `done${b.doneBy ? ` ${b.doneBy}` : ''}` : ''].filter((x) => x).join(' ');
          const text = fit(` ${b.label}`, 5) + fit(b.teamName, teamW) + fit(b.location ?? '-', locW) + fit(formatDuration(b.contestTimeMs), 9) + fit(note, 24);
          // The colour swatch goes before the label so a runner matches it to the balloon at a glance.
          const line = ' ' + paint('●', b.colour) + (b.done ? paint(text, null, { dim: true }) : b.firstToSolve ? paint(text, null, { bold: true }) : text);
          return sel ? paint(line, null, { inverse: true }) : line;
        }}
      />
    </ScreenFrame>
  );
}
