import React from 'react';
import { Box, Text } from 'ink';
import type { ContestClock } from '@judged/shared/protocol';
import type { ConnState } from '../client.ts';
import { cellWidth, fit, formatDuration, truncate } from '../lib/text.ts';

export type ShownState = 'before' | 'running' | 'frozen' | 'over' | 'unknown';

/** The state as a contestant cares about it, from the clock and the corrected current time. */
export function contestPhase(clock: ContestClock | null, nowMs: number): { state: ShownState; label: string; countdownMs: number | null } {
  if (!clock) return { state: 'unknown', label: '', countdownMs: null };
  const { startAtMs, endAtMs } = clock;
  if (clock.state === 'before' || (startAtMs !== null && nowMs < startAtMs)) {
    if (startAtMs === null) return { state: 'before', label: 'start not scheduled', countdownMs: null };
    const left = startAtMs - nowMs;
    return { state: 'before', label: `starts in ${formatDuration(left)}`, countdownMs: left };
  }
  if (clock.state === 'over' || (endAtMs !== null && nowMs >= endAtMs)) {
    return { state: 'over', label: clock.scoreboardFrozen ? 'over, board frozen' : clock.finalized ? 'over, final' : 'over', countdownMs: null };
  }
  const left = endAtMs !== null ? endAtMs - nowMs : null;
  const frozen = clock.scoreboardFrozen || (clock.freezeAtMs !== null && nowMs >= clock.freezeAtMs);
  return {
    state: frozen ? 'frozen' : 'running',
    label: left !== null ? `${formatDuration(left)} left` : 'running',
    countdownMs: left,
  };
}

const STATE_COLOUR: Record<ShownState, string> = {
  before: 'yellow',
  running: 'green',
  frozen: 'cyan',
  over: 'red',
  unknown: 'gray',
};

export function connLabel(c: ConnState, nowLocal: number): { text: string; colour: string } {
  switch (c.status) {
    case 'online':
      return { text: '● online', colour: 'green' };
    case 'connecting':
      return { text: '◌ connecting', colour: 'yellow' };
    case 'reconnecting': {
      const s = c.retryAtMs !== null ? Math.max(0, Math.ceil((c.retryAtMs - nowLocal) / 1000)) : 0;
      return { text: c.retryAtMs !== null && s > 0 ? `◌ offline, retry in ${s}s` : '◌ reconnecting', colour: 'yellow' };
    }
    case 'failed':
      return { text: '✕ offline', colour: 'red' };
  }
}

export function Header({
  width,
  clock,
  nowMs,
  conn,
  user,
}: {
  width: number;
  clock: ContestClock | null;
  nowMs: number;
  conn: ConnState;
  user: string;
}) {
  const phase = contestPhase(clock, nowMs);
  const state = phase.state === 'unknown' ? '' : phase.state.toUpperCase();
  const c = connLabel(conn, Date.now());
  const clockText = new Date(nowMs).toISOString().slice(11, 19);
  const r1 = ` ${phase.label}  ${clockText}  `;
  const r3 = `  ${truncate(user, 16)} `;
  const right = r1 + c.text + r3;
  const left = ` ${clock?.name ?? 'judge'} `;
  const stateText = state ? ` ${state} ` : '';
  const room = width - cellWidth(right) - cellWidth(stateText);
  const name = fit(truncate(left, Math.max(0, room)), Math.max(0, room));
  if (room < 4) {
    return (
      <Box width={width} height={1}>
        <Text inverse>{fit(` ${state} ${phase.label} ${c.text}`, width)}</Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1}>
      <Text inverse bold>{name}</Text>
      <Text backgroundColor={STATE_COLOUR[phase.state]} color="black" bold>{stateText}</Text>
      <Text inverse>{r1}</Text>
      <Text inverse color={c.colour}>{c.text}</Text>
      <Text inverse>{r3}</Text>
    </Box>
  );
}
