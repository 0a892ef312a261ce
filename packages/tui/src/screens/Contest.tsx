import React, { useState } from 'react';
import { Text } from 'ink';
import { startLeadError, type ContestClock } from '@judged/shared/protocol';
import type { Edit } from '../components/TextInput.tsx';
import { FormFields, formKey, type FormState } from '../components/FormFields.tsx';
import { RequestError } from '../client.ts';
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

/** The room's screens this one leads to (registry.ts roomScreen); Esc there comes back here. */
const ROOM: { key: string; screen: 'print-queue' | 'balloons'; what: string }[] = [
  { key: 'p', screen: 'print-queue', what: 'the Print queue: team printouts (done / reprint / view)' },
  { key: 'b', screen: 'balloons', what: 'Balloons: first solves to deliver' },
];

const TIME_FIELDS = [
  { key: 'start', label: 'Start', none: 'unscheduled' },
  { key: 'end', label: 'End', none: null },
  { key: 'freeze', label: 'Freeze', none: 'no freeze' },
] as const;
type TimeKey = (typeof TIME_FIELDS)[number]['key'];
const TIME_KEYS = TIME_FIELDS.map((f) => f.key);
/** Which form field a setContestTimes refusal names. */
const FIELD_OF: Record<string, TimeKey> = { startAtMs: 'start', durationMs: 'end', freezeDurationMs: 'freeze' };

/** How times are shown and typed: UTC, to the second. */
export function formatUtc(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function parseUtc(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s.trim());
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  return formatUtc(ms).slice(0, m[6] === undefined ? 16 : 19) === s.trim().replace('T', ' ') ? ms : null;
}

/**
 * The setContestTimes request for what the admin typed, or the field that is wrong and why: times are
 * UTC `YYYY-MM-DD HH:MM[:SS]` (`-`: no start yet / no freeze); the end after the start; the freeze
 * inside the contest; a contest not started yet cannot be given a start in the past or within
 * MIN_START_LEAD_MS (startLeadError; S starts it now), a started one cannot lose its start. The server checks again (e.g. submissions before a new start).
 */
export function timesRequest(v: Record<TimeKey, string>, clock: ContestClock, nowMs: number): { ok: true; startAtMs: number | null; durationMs: number; freezeDurationMs: number | null } | { ok: false; field: TimeKey; message: string } {
  const read = (k: TimeKey): number | null | 'bad' => (v[k].trim() === '-' && k !== 'end' ? null : (parseUtc(v[k]) ?? 'bad'));
  const bad = (field: TimeKey, message: string) => ({ ok: false as const, field, message });
  const got = { start: read('start'), end: read('end'), freeze: read('freeze') };
  for (const k of ['start', 'end', 'freeze'] as const) {
    if (got[k] === 'bad') return bad(k, `not a UTC time like ${formatUtc(nowMs).slice(0, 16)}${k === 'end' ? '' : ' (or - for none)'}`);
  }
  const start = got.start as number | null;
  const end = got.end as number;
  const freeze = got.freeze as number | null;
  const started = clock.startAtMs !== null && nowMs >= clock.startAtMs;
  if (start === null && started) return bad('start', 'the contest has started: its start can be moved but not removed');
  // The server's rule (shared), checked here to say so beside the field before anything is sent.
  const lead = startLeadError(start, clock.startAtMs, nowMs);
  if (lead) return bad('start', `${lead}; S starts the contest now`);
  const s0 = start ?? clock.startAtMs ?? nowMs;
  if (end <= s0) return bad('end', 'the end must be after the start');
  if (freeze !== null && (freeze < s0 || freeze > end)) return bad('freeze', 'the freeze must be inside the contest (between the start and the end)');
  return { ok: true, startAtMs: start, durationMs: end - s0, freezeDurationMs: freeze === null ? null : end - freeze };
}

type TimesForm = FormState<TimeKey> & { confirm: boolean };
const edit = (v: string): Edit => ({ value: v, cursor: v.length });

/** Contest times and the admin's controls (each asks before acting); `p` and `b` open the room's screens. */
export function ContestScreen({ width, height }: ScreenProps) {
  const { api, store, go } = useApp();
  useTick(1000);
  const clock = useData((d) => d.clock);
  const user = useData((d) => d.user);
  const [confirm, setConfirm] = useState<(typeof ACTIONS)[number] | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const admin = user?.role === 'admin';
  const [form, setForm] = useState<TimesForm | null>(null);

  async function saveTimes(f: TimesForm) {
    if (!clock) return;
    const r = timesRequest({ start: f.values.start.value, end: f.values.end.value, freeze: f.values.freeze.value }, clock, store.now());
    if (!r.ok) return setForm({ ...f, confirm: false, focus: TIME_FIELDS.findIndex((x) => x.key === r.field), error: { field: r.field, text: r.message } });
    if (!f.confirm) return setForm({ ...f, confirm: true, error: null });
    try {
      const res = await api.request<'setContestTimes'>({ type: 'setContestTimes', startAtMs: r.startAtMs, durationMs: r.durationMs, freezeDurationMs: r.freezeDurationMs });
      store.update({ clock: res.clock });
      setForm(null);
      setMessage({ text: 'Contest times changed; every client sees them now.', colour: 'green' });
    } catch (err) {
      const field = err instanceof RequestError && err.field ? (FIELD_OF[err.field] ?? null) : null;
      setForm({ ...f, confirm: false, focus: field ? TIME_FIELDS.findIndex((x) => x.key === field) : f.focus, error: { field, text: (err as Error).message } });
    }
  }

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
    capture: confirm !== null || form !== null,
    help: [...ACTIONS.map((a) => ({ keys: a.key, what: `${a.what}${admin ? '' : ' (admin only)'}` })), { keys: 'e', what: `edit start, end and freeze${admin ? '' : ' (admin only)'}` }, ...ROOM.map((r) => ({ keys: r.key, what: r.what }))],
    hints: '',
    handle: (k) => {
      if (form) {
        if (form.confirm) {
          if (isChar(k, 'y')) void saveTimes(form);
          else if (isChar(k, 'n') || k.name === 'escape') setForm({ ...form, confirm: false });
        } else if (k.name === 'escape') setForm(null);
        else if (k.name === 'enter') void saveTimes(form);
        else setForm((f) => (f ? (formKey(f, TIME_KEYS, k, 40) ?? f) : f));
        return true;
      }
      if (isChar(k, 'e')) {
        if (!admin) setMessage({ text: 'Only an admin account can change the contest.', colour: 'red' });
        else if (clock) {
          setMessage(null);
          setForm({ values: { start: edit(formatUtc(clock.startAtMs)), end: edit(formatUtc(clock.endAtMs)), freeze: edit(formatUtc(clock.freezeAtMs)) }, focus: 0, error: null, confirm: false });
        }
        return true;
      }
      if (confirm) {
        if (isChar(k, 'y')) void run(confirm.action);
        if (isChar(k, 'y') || isChar(k, 'n') || k.name === 'escape') setConfirm(null);
        return true;
      }
      const room = ROOM.find((x) => isChar(k, x.key));
      if (room) {
        go(room.screen);
        return true;
      }
      const a = ACTIONS.find((x) => isChar(k, x.key));
      if (!a) return false;
      if (!admin) setMessage({ text: 'Only an admin account can change the contest.', colour: 'red' });
      else setConfirm(a);
      return true;
    },
  });
  if (form) {
    return (
      <ScreenFrame
        width={width}
        height={height}
        hints={form.confirm ? 'y change the times  n back' : 'Tab next field  Enter check and save  Esc cancel'}
        status={form.confirm ? <Confirm text="Change the contest times for everybody?" width={width} /> : form.error && !form.error.field ? <Text color="red">{fit(form.error.text, width)}</Text> : ''}
      >
        <Text bold>{fit(' Contest times (UTC, YYYY-MM-DD HH:MM:SS)', width)}</Text>
        <Text> </Text>
        <FormFields fields={TIME_FIELDS} form={form} width={width} labelWidth={12} />
        <Text> </Text>
        <Text dimColor>{fit('  - for no start yet or no freeze. Now: ' + formatUtc(store.now()), width)}</Text>
      </ScreenFrame>
    );
  }
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
        '  e  edit start, end and freeze',
        ...ROOM.map((r) => `  ${r.key}  ${r.what}`),
      ]
    : ['Loading…'];
  return (
    <ScreenFrame width={width} height={height} hints={confirm ? 'y do it  n cancel' : 'S start  f freeze  u unfreeze  F finalize  e times'} status={confirm ? <Confirm text={confirm.ask} width={width} /> : message ? <Text color={message.colour}>{fit(message.text, width)}</Text> : ''}>
      {lines.map((l, i) => (
        <Text key={i}>{fit(` ${l}`, width)}</Text>
      ))}
    </ScreenFrame>
  );
}
