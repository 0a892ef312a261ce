import React, { useState } from 'react';
import { Text } from 'ink';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useTick } from '../components/hooks.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { Confirm } from '../components/misc.tsx';
import { contestPhase } from '../components/Header.tsx';
import { isChar } from '../keys.ts';
import { fit } from '../lib/text.ts';

type Action = 'startNow' | 'freezeNow' | 'unfreeze' | 'finalize';

const ACTIONS: { key: string; action: Action; what: string; ask: string }[] = [
  { key: 'S', action: 'startNow', what: 'start the contest now', ask: 'Start the contest NOW for every team?' },
  { key: 'f', action: 'freezeNow', what: 'freeze the public scoreboard now', ask: 'Freeze the public scoreboard now?' },
  { key: 'u', action: 'unfreeze', what: 'unfreeze: reveal the final standings', ask: 'Unfreeze and reveal every result to all?' },
  { key: 'F', action: 'finalize', what: 'finalize the results', ask: 'Finalize the results? This cannot be undone.' },
];

/** Contest times and the admin's controls (each asks before acting). */
export function ContestScreen({ width, height }: ScreenProps) {
  const { api, store } = useApp();
  useTick(1000);
  const clock = useData((d) => d.clock);
  const user = useData((d) => d.user);
  const [confirm, setConfirm] = useState<(typeof ACTIONS)[number] | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const admin = user?.role === 'admin';

  async function run(a: Action) {
    try {
      const r = await api.request<'contestControl'>({ type: 'contestControl', action: a });
      store.update({ clock: r.clock });
      setMessage({ text: `Done: ${a}.`, colour: 'green' });
    } catch (err) {
      setMessage({ text: `${a} failed: ${(err as Error).message}`, colour: 'red' });
    }
  }

  useScreenKeys({
    capture: confirm !== null,
    help: ACTIONS.map((a) => ({ keys: a.key, what: `${a.what}${admin ? '' : ' (admin only)'}` })),
    hints: '',
    handle: (k) => {
      if (confirm) {
        if (isChar(k, 'y')) void run(confirm.action);
        if (isChar(k, 'y') || isChar(k, 'n') || k.name === 'escape') setConfirm(null);
        return true;
      }
      const a = ACTIONS.find((x) => isChar(k, x.key));
      if (!a) return false;
      if (!admin) setMessage({ text: 'Only an admin account can change the contest.', colour: 'red' });
      else setConfirm(a);
      return true;
    },
  });
  const phase = contestPhase(clock, store.now());
  const t = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');
  const lines = clock
    ? [
        `Contest      ${clock.name} (${clock.contestId})`,
        `State        ${phase.state}  ${phase.label}`,
        `Start        ${t(clock.startAtMs)}`,
        `End          ${t(clock.endAtMs)}`,
        `Freeze       ${t(clock.freezeAtMs)}${clock.scoreboardFrozen ? '  (board frozen now)' : ''}`,
        `Finalized    ${clock.finalized ? 'yes' : 'no'}`,
        clock.scoreboardType === 'score' ? 'Scoreboard   score: ranked by total points' : `Penalty      ${clock.penaltyTimeMin} min per rejected run`,
        '',
        ...ACTIONS.map((a) => `  ${a.key}  ${a.what}`),
      ]
    : ['Loading…'];
  return (
    <ScreenFrame width={width} height={height} hints={confirm ? 'y do it  n cancel' : 'S start  f freeze  u unfreeze  F finalize'} status={confirm ? <Confirm text={confirm.ask} width={width} /> : message ? <Text color={message.colour}>{fit(message.text, width)}</Text> : ''}>
      {lines.map((l, i) => (
        <Text key={i}>{fit(` ${l}`, width)}</Text>
      ))}
    </ScreenFrame>
  );
}
