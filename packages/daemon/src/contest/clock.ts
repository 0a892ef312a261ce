/**
 * The contest clock as pure functions of the stored settings and the time: state
 * before/running/frozen/over, end, freeze, and whether the public scoreboard hides results.
 */
import type { ContestClock, ContestState } from '@judged/shared/protocol';
import type { ContestSettings } from '../store/index.ts';

export function endAtMs(s: Pick<ContestSettings, 'startAtMs' | 'durationMs'>): number | null {
  return s.startAtMs === null ? null : s.startAtMs + s.durationMs;
}

export function freezeAtMs(s: Pick<ContestSettings, 'startAtMs' | 'durationMs' | 'freezeDurationMs'>): number | null {
  const end = endAtMs(s);
  return end === null || s.freezeDurationMs === null ? null : end - s.freezeDurationMs;
}

/** The public scoreboard hides results: the freeze has begun and no admin has revealed it. */
export function scoreboardFrozen(s: ContestSettings, nowMs: number): boolean {
  const freeze = freezeAtMs(s);
  return freeze !== null && nowMs >= freeze && s.unfrozenAtMs === null;
}

export function contestState(s: ContestSettings, nowMs: number): ContestState {
  const end = endAtMs(s);
  if (s.startAtMs === null || end === null || nowMs < s.startAtMs) return 'before';
  if (nowMs >= end) return 'over';
  return scoreboardFrozen(s, nowMs) ? 'frozen' : 'running';
}

export function contestClock(s: ContestSettings, nowMs: number): ContestClock {
  return {
    contestId: s.contestId,
    name: s.name,
    state: contestState(s, nowMs),
    startAtMs: s.startAtMs,
    durationMs: s.durationMs,
    endAtMs: endAtMs(s),
    freezeAtMs: freezeAtMs(s),
    freezeDurationMs: s.freezeDurationMs,
    scoreboardFrozen: scoreboardFrozen(s, nowMs),
    finalized: s.finalizedAtMs !== null,
    unfrozenAtMs: s.unfrozenAtMs,
    finalizedAtMs: s.finalizedAtMs,
    penaltyTimeMin: s.penaltyTimeMin,
    ...(s.scoreboard?.type === 'score' ? { scoreboardType: 'score' as const } : {}),
    serverTimeMs: nowMs,
  };
}

/** A key that changes whenever a client should be told about the clock (state or freeze in force). */
export function clockKey(s: ContestSettings, nowMs: number): string {
  return `${contestState(s, nowMs)}/${scoreboardFrozen(s, nowMs) ? 'hidden' : 'shown'}/${s.finalizedAtMs === null ? 'open' : 'final'}`;
}

/** "in 3 min", "2 h 5 min ago": for messages people read. */
export function describeFrom(nowMs: number, atMs: number): string {
  const d = Math.abs(atMs - nowMs);
  const min = Math.round(d / 60_000);
  const text = min < 1 ? `${Math.max(1, Math.round(d / 1000))} s` : min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
  return atMs >= nowMs ? `in ${text}` : `${text} ago`;
}
