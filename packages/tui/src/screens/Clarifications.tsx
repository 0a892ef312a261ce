import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { Clarification } from '@judged/shared/protocol';
import { MAX_CLARIFICATION_CHARS } from '@judged/shared/protocol';
import { isJury } from '@judged/shared/visibility';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { TextField, applyEdit, type Edit } from '../components/TextInput.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListDetail } from '../components/useListDetail.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { useDetailScroll } from '../components/useDetailScroll.ts';
import { isChar, type KeyPress } from '../keys.ts';
import { fit, formatDuration, wrap } from '../lib/text.ts';

type Compose =
  | { kind: 'ask'; problemId: string | null; text: Edit }
  | { kind: 'answer'; to: 'team' | 'all'; question: Clarification; text: Edit }
  | { kind: 'announce'; problemId: string | null; text: Edit };

const EMPTY: Edit = { value: '', cursor: 0 };

/** The jury's canned answers, picked with one key after `c` (the text can still be edited before sending). */
export const CANNED_ANSWERS = ['No comment.', 'Read the problem statement carefully.', 'This is answered in the problem statement now.'] as const;

const edit = (text: string): Edit => ({ value: text, cursor: text.length });

export function ClarificationsScreen({ width, height }: ScreenProps) {
  const { api, store } = useApp();
  const clars = useData((d) => d.clarifications);
  const problems = useData((d) => d.problems);
  const unread = useData((d) => d.unread);
  const user = useData((d) => d.user);
  const jury = isJury(user);
  const labelOf = (id: string | null) => (id ? (problems.find((p) => p.id === id)?.label ?? id) : 'general');
  const ld = useListDetail({
    items: clars,
    idOf: (c) => c.id,
    text: (c) => `${c.kind} ${labelOf(c.problemId)} ${c.text} ${c.fromTeamId ?? ''}`,
    onOpen: () => scroll.reset(),
  });
  const { nav, openItem: openClar } = ld;
  const [compose, setCompose] = useState<Compose | null>(null);
  /** The question whose canned answer is being picked. */
  const [picking, setPicking] = useState<Clarification | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const win = useListWindow(nav, height, message ? 1 : 0);
  const { listH, off, range } = win;

  // Whatever is on screen in the list counts as seen.
  useEffect(() => {
    const seen = nav.items.slice(off, off + listH).map((c) => c.id).filter((id) => unread.includes(id));
    if (seen.length) store.markRead(seen);
  }, [nav.items, off, listH, unread, store]);

  const detail = useMemo(() => {
    if (!openClar) return [];
    const c = openClar;
    const w = width - 2;
    const out: string[] = [];
    out.push(`${c.kind === 'question' ? 'Question' : c.kind === 'answer' ? 'Answer' : 'Announcement'} · ${labelOf(c.problemId)} · ${formatDuration(c.contestTimeMs)}${c.fromTeamId ? ` · from ${c.fromTeamId}` : ''}${c.kind === 'answer' ? (c.toTeamId ? ' · to your team' : ' · to everybody') : ''}`);
    out.push('');
    if (c.quotedQuestion) {
      for (const l of wrap(c.quotedQuestion, w - 2)) out.push(`> ${l}`);
      out.push('');
    }
    out.push(...wrap(c.text, w));
    if (c.kind === 'question') {
      out.push('');
      const answers = clars.filter((x) => x.replyToId === c.id);
      if (answers.length === 0) out.push(c.answered ? '(answered)' : '(not answered yet)');
      for (const a of answers) {
        out.push(`Answer${a.toTeamId ? '' : ' (to everybody)'}:`);
        out.push(...wrap(a.text, w));
      }
    }
    return out;
  }, [openClar, clars, width, problems]);
  const bodyH = height - 2;
  const scroll = useDetailScroll(detail.length, bodyH);

  async function sendCompose(c: Compose) {
    setBusy(true);
    try {
      if (c.kind === 'ask') await api.request<'ask'>({ type: 'ask', problemId: c.problemId, text: c.text.value });
      else if (c.kind === 'answer') await api.request<'answer'>({ type: 'answer', clarificationId: c.question.id, text: c.text.value, to: c.to });
      else await api.request<'announce'>({ type: 'announce', problemId: c.problemId, text: c.text.value });
      setCompose(null);
      setMessage({ text: c.kind === 'ask' ? 'Question sent to the jury.' : c.kind === 'answer' ? 'Answer sent.' : 'Announcement sent.', colour: 'green' });
    } catch (err) {
      setMessage({ text: `Not sent: ${(err as Error).message}`, colour: 'red' });
    } finally {
      setBusy(false);
    }
  }

  const problemChoices: (string | null)[] = [null, ...problems.map((p) => p.id)];
  useScreenKeys({
    capture: nav.capture || compose !== null || picking !== null,
    help: jury
      ? [
          { keys: 'Enter', what: 'read' },
          { keys: 'r', what: 'answer the selected question' },
          { keys: 'c', what: 'answer it with a canned answer (then 1-3)' },
          { keys: 'n', what: 'new announcement' },
        ]
      : [
          { keys: 'Enter', what: 'read' },
          { keys: 'a', what: 'ask the jury a question' },
        ],
    hints: '',
    handle: (k) => {
      if (busy) return true;
      if (picking) {
        const n = k.name === 'char' ? Number(k.text) : NaN;
        const text = CANNED_ANSWERS[n - 1];
        if (text) setCompose({ kind: 'answer', to: 'team', question: picking, text: edit(text) });
        if (text || k.name === 'escape') setPicking(null);
        return true;
      }
      if (compose) {
        if (k.name === 'escape') {
          setCompose(null);
          return true;
        }
        if (k.name === 'enter') {
          if (compose.text.value.trim()) void sendCompose(compose);
          return true;
        }
        if (k.name === 'tab' || k.name === 'up' || k.name === 'down') {
          const d = k.name === 'up' ? -1 : 1;
          if (compose.kind === 'answer') setCompose({ ...compose, to: compose.to === 'team' ? 'all' : 'team' });
          else {
            const i = problemChoices.indexOf(compose.problemId);
            setCompose({ ...compose, problemId: problemChoices[(i + d + problemChoices.length) % problemChoices.length] ?? null });
          }
          return true;
        }
        const e = applyEdit(compose.text, k, MAX_CLARIFICATION_CHARS);
        if (e) setCompose({ ...compose, text: e } as Compose);
        return true;
      }
      const detailKeys = (k: KeyPress) => {
        if (jury && isChar(k, 'r') && openClar?.kind === 'question') {
          setCompose({ kind: 'answer', to: 'team', question: openClar, text: EMPTY });
          return true;
        }
        if (jury && isChar(k, 'c') && openClar?.kind === 'question') {
          setPicking(openClar);
          return true;
        }
        return scroll.handle(k);
      };
      if (ld.handle(k, listH, detailKeys)) return true;
      if (openClar) return false;
      if (!jury && isChar(k, 'a')) {
        setMessage(null);
        setCompose({ kind: 'ask', problemId: null, text: EMPTY });
        return true;
      }
      if (jury && isChar(k, 'r') && nav.current?.kind === 'question') {
        setCompose({ kind: 'answer', to: 'team', question: nav.current, text: EMPTY });
        return true;
      }
      if (jury && isChar(k, 'c') && nav.current?.kind === 'question') {
        setPicking(nav.current);
        return true;
      }
      if (jury && isChar(k, 'n')) {
        setCompose({ kind: 'announce', problemId: null, text: EMPTY });
        return true;
      }
      return false;
    },
  });

  if (picking) {
    return (
      <ScreenFrame width={width} height={height} hints="1-3 pick  Esc cancel">
        <Text bold>{fit(` Canned answer to ${picking.fromTeamId ?? 'team'}:`, width)}</Text>
        {wrap(picking.text, width - 4)
          .slice(0, 4)
          .map((l, i) => (
            <Text key={i} dimColor>{fit(`  > ${l}`, width)}</Text>
          ))}
        <Text> </Text>
        {CANNED_ANSWERS.map((a, i) => (
          <Text key={a}>{fit(`  ${i + 1}  ${a}`, width)}</Text>
        ))}
        <Text> </Text>
        <Text dimColor>{fit('  The answer opens for editing; Tab there sends it to every team instead.', width)}</Text>
      </ScreenFrame>
    );
  }
  if (compose) {
    const title =
      compose.kind === 'ask'
        ? `Ask the jury about: ‹ ${labelOf(compose.problemId)} ›  (Tab changes)`
        : compose.kind === 'answer'
          ? `Answer to ${compose.question.fromTeamId ?? 'team'} — send to: ‹ ${compose.to === 'team' ? 'that team only' : 'every team'} ›  (Tab changes)`
          : `Announcement about: ‹ ${labelOf(compose.problemId)} ›  (Tab changes)`;
    const quoted = compose.kind === 'answer' ? wrap(compose.question.text, width - 4).slice(0, 4) : [];
    const wrapped = wrap(compose.text.value, width - 4);
    return (
      <ScreenFrame width={width} height={height} hints={busy ? 'sending…' : 'Enter send  Esc cancel  Tab target'}>
        <Text bold>{fit(` ${title}`, width)}</Text>
        {quoted.map((l, i) => (
          <Text key={i} dimColor>{fit(`  > ${l}`, width)}</Text>
        ))}
        <Text> </Text>
        <Box width={width} height={1}>
          <Text color="cyan">{'> '}</Text>
          <TextField edit={compose.text} width={width - 3} focused />
        </Box>
        {wrapped.length > 1 && wrapped.slice(0, Math.max(0, height - 8)).map((l, i) => (
          <Text key={`w${i}`} dimColor>{fit(`  ${l}`, width)}</Text>
        ))}
        <Text dimColor>{fit(` ${compose.text.value.length}/${MAX_CLARIFICATION_CHARS} characters`, width)}</Text>
      </ScreenFrame>
    );
  }
  if (openClar) {
    const { top } = scroll;
    return (
      <ScreenFrame width={width} height={height} hints={jury && openClar.kind === 'question' ? 'Esc back  r answer  c canned' : 'Esc back  ↑↓ scroll'} status={scroll.status}>
        {detail.slice(top, top + bodyH).map((l, i) => (
          <Text key={top + i} bold={top + i === 0}>{fit(` ${l}`, width)}</Text>
        ))}
      </ScreenFrame>
    );
  }
  const textW = Math.max(10, width - 2 - 13 - 8 - 8);
  return (
    <ScreenFrame
      width={width}
      height={height}
      hints={nav.filtering ? 'Enter keep filter  Esc clear' : jury ? 'Enter read  r answer  c canned  n announce  / filter' : 'Enter read  a ask  / filter'}
      status={range}
    >
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('Kind', 13)}${fit('About', 8)}${fit('Time', 8)}Text`}
        width={width}
        keyOf={(c) => c.id}
        empty={jury ? 'No clarifications yet. n: new announcement.' : 'No clarifications yet. a: ask the jury a question.'}
        renderRow={(c: Clarification, _i, sel) => {
          const isUnread = unread.includes(c.id);
          const kind = c.kind === 'question' ? (c.answered ? 'question ✓' : 'question …') : c.kind === 'answer' ? 'answer' : 'announcement';
          const colour = c.kind === 'announcement' ? 'yellow' : c.kind === 'answer' ? 'green' : c.answered ? undefined : jury ? 'red' : 'cyan';
          return (
            <Text inverse={sel} bold={isUnread}>
              {isUnread ? '•' : ' '}
              <Text color={colour}>{fit(kind, 13)}</Text>
              {fit(labelOf(c.problemId), 8)}
              {fit(formatDuration(c.contestTimeMs), 8)}
              {fit(c.text.replace(/\s+/g, ' '), textW)}
            </Text>
          );
        }}
      />
    </ScreenFrame>
  );
}
