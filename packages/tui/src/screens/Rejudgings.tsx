import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import type { RejudgeScope, Rejudging, RejudgingItem } from '@judged/shared/protocol';
import { useApp, useData, useProblemLabel, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { Confirm, paint, verdictColour } from '../components/misc.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListDetail } from '../components/useListDetail.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { useDetailScroll } from '../components/useDetailScroll.ts';
import { isChar } from '../keys.ts';
import { fit, formatMs } from '../lib/text.ts';

type Decision = { id: string; action: 'apply' | 'cancel' };

export function scopeText(s: RejudgeScope, label: (problemId: string) => string): string {
  switch (s.kind) {
    case 'submission':
      return `submission ${s.submissionId}`;
    case 'problem':
      return `problem ${label(s.problemId)}`;
    case 'team':
      return `team ${s.teamId}`;
    case 'all':
      return 'all submissions';
  }
}

const STATE_COLOUR: Record<Rejudging['state'], string> = { pending: 'yellow', applied: 'green', cancelled: 'gray' };

/** The new side of a row: the verdict once judged, else where the judging is. */
function newText(i: RejudgingItem): string {
  return i.newStatus === 'done' ? (i.newVerdict ?? '?') : i.newStatus;
}

/**
 * Rejudgings (jury): each with its state and how far it is; Enter shows every submission's old
 * verdict beside the new one. While a rejudging is pending nothing anyone else sees has changed:
 * `a` applies it (the new verdicts count), `c` cancels it (the old ones stay). Both ask first.
 */
export function RejudgingsScreen({ width, height }: ScreenProps) {
  const { api, store } = useApp();
  const rejudgings = useData((d) => d.rejudgings);
  const labelOf = useProblemLabel();
  const [items, setItems] = useState<{ id: string; items: RejudgingItem[] } | null>(null);
  const [confirm, setConfirm] = useState<Decision | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const ld = useListDetail({
    items: rejudgings,
    idOf: (r) => r.id,
    text: (r) => `${r.id} ${r.state} ${scopeText(r.scope, labelOf)} ${r.byUsername} ${r.reason ?? ''}`,
    onOpen: () => scroll.reset(),
    onClose: () => setItems(null),
  });
  const { nav, open, openItem } = ld;

  useEffect(() => {
    api
      .request<'rejudgings'>({ type: 'rejudgings' })
      .then((r) => store.update({ rejudgings: r.rejudgings }))
      .catch((err: Error) => setMessage({ text: `Could not load rejudgings: ${err.message}`, colour: 'red' }));
  }, [api, store]);

  // The side-by-side rows load when a rejudging opens, and again whenever its counts move.
  const progress = openItem ? `${openItem.doneCount} ${openItem.state}` : null;
  useEffect(() => {
    if (!open) return;
    let live = true;
    api
      .request<'rejudging'>({ type: 'rejudging', rejudgingId: open })
      .then((r) => live && setItems({ id: open, items: r.items }))
      .catch((err: Error) => live && setMessage({ text: `Could not load rejudging ${open}: ${err.message}`, colour: 'red' }));
    return () => {
      live = false;
    };
  }, [open, progress, api]);

  const rows = items && items.id === open ? items.items : [];
  const footerRows = confirm || message ? 1 : 0;
  const bodyH = height - 3 - footerRows;
  const scroll = useDetailScroll(rows.length, bodyH);
  const win = useListWindow(nav, height, message ? 1 : 0);

  async function decide(d: Decision) {
    try {
      const r = await api.request<'decideRejudging'>({ type: 'decideRejudging', rejudgingId: d.id, action: d.action });
      setMessage({
        text: d.action === 'apply' ? `Rejudging ${r.rejudging.id} applied: ${r.rejudging.changedCount} verdict(s) changed.` : `Rejudging ${r.rejudging.id} cancelled: the old verdicts stay.`,
        colour: 'green',
      });
    } catch (err) {
      setMessage({ text: `Not done: ${(err as Error).message}`, colour: 'red' });
    }
  }

  useScreenKeys({
    capture: nav.capture || confirm !== null,
    help: [
      { keys: 'Enter', what: 'old and new verdicts side by side' },
      { keys: 'a', what: 'apply a finished pending rejudging (asks first)' },
      { keys: 'c', what: 'cancel a pending rejudging (asks first)' },
      { keys: 'Esc', what: 'back to the list' },
    ],
    hints: '',
    handle: (k) => {
      if (confirm) {
        if (isChar(k, 'y')) void decide(confirm);
        if (isChar(k, 'y') || isChar(k, 'n') || k.name === 'escape') setConfirm(null);
        return true;
      }
      if (ld.handle(k, win.listH, scroll.handle)) return true;
      const target = openItem ?? nav.current;
      if (target && (isChar(k, 'a') || isChar(k, 'c'))) {
        if (target.state !== 'pending') setMessage({ text: `Rejudging ${target.id} was ${target.state} already.`, colour: 'red' });
        else if (isChar(k, 'a') && target.doneCount < target.submissionCount) {
          setMessage({ text: `Rejudging ${target.id}: ${target.submissionCount - target.doneCount} judging(s) still to finish; wait, or cancel it.`, colour: 'red' });
        } else setConfirm({ id: target.id, action: isChar(k, 'a') ? 'apply' : 'cancel' });
        return true;
      }
      return false;
    },
  });

  const ask = confirm
    ? confirm.action === 'apply'
      ? `Apply rejudging ${confirm.id}? Its new verdicts count for the teams and the board.`
      : `Cancel rejudging ${confirm.id}? The old verdicts stay.`
    : '';
  const footer = confirm ? <Confirm text={ask} width={width} /> : message ? <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text> : undefined;

  if (open) {
    const r = openItem;
    const teamW = Math.max(8, width - 2 - 8 - 5 - 2 - 9 - 8 - 3 - 11 - 8);
    const { top } = scroll;
    return (
      <ScreenFrame width={width} height={height} hints="Esc back  ↑↓ scroll  a apply  c cancel" status={footer ?? scroll.status}>
        <Text bold>
          {fit(
            r ? ` Rejudging ${r.id} · ${scopeText(r.scope, labelOf)}${r.verdicts ? ` with ${r.verdicts.join('/')}` : ''} · ${r.state} · ${r.doneCount}/${r.submissionCount} done · ${r.changedCount} changed · by ${r.byUsername}${r.reason ? ` · ${r.reason}` : ''}` : ` Rejudging ${open}`,
            width,
          )}
        </Text>
        <Text bold>{fit(`  ${fit('Sub', 8)}${fit('Team', teamW)}${fit('Prob', 5)}  ${fit('Old', 9)}${fit('', 8)} → ${fit('New', 11)}${fit('', 8)}`, width)}</Text>
        {rows.length === 0 ? (
          <Text dimColor>{fit(items ? ' No submissions in this rejudging.' : ' Loading…', width)}</Text>
        ) : (
          rows.slice(top, top + bodyH).map((i) => {
            const changed = i.newStatus === 'done' && i.newVerdict !== i.oldVerdict;
            const line =
              (changed ? paint('!', 'yellow', { bold: true }) : ' ') + ' ' + fit(i.submissionId, 8) + fit(i.teamName, teamW) + fit(labelOf(i.problemId), 5) + '  ' +
              paint(fit(i.oldVerdict ?? '-', 9), verdictColour(i.oldVerdict)) + fit(formatMs(i.oldTimeMs), 8) + ' → ' +
              paint(fit(newText(i), 11), verdictColour(i.newVerdict) ?? 'cyan', { bold: changed }) + fit(formatMs(i.newTimeMs), 8);
            return (
              <Text key={i.submissionId} wrap="truncate-end">
                {line}
              </Text>
            );
          })
        )}
      </ScreenFrame>
    );
  }
  const scopeW = Math.max(12, width - 2 - 6 - 11 - 12 - 9 - 12);
  return (
    <ScreenFrame width={width} height={height} hints={nav.filtering ? 'Enter keep  Esc clear' : 'Enter review  a apply  c cancel  / filter'} status={footer ?? win.range}>
      {message && !confirm && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('ID', 6)}${fit('State', 11)}${fit('Done', 12)}${fit('Changed', 9)}${fit('Scope', scopeW)}By`}
        width={width}
        keyOf={(r) => r.id}
        empty="No rejudgings. R on a submission (Submissions screen) rejudges it; P, T, V its problem, team or verdict."
        renderLine={(r: Rejudging, _i, sel) => {
          const line =
            ' ' + fit(r.id, 6) + paint(fit(r.state, 11), STATE_COLOUR[r.state]) + fit(`${r.doneCount}/${r.submissionCount}`, 12) +
            fit(String(r.changedCount), 9) + fit(scopeText(r.scope, labelOf) + (r.verdicts ? ` (${r.verdicts.join('/')})` : ''), scopeW) + fit(r.byUsername, 12);
          return sel ? paint(line, null, { inverse: true }) : line;
        }}
      />
    </ScreenFrame>
  );
}
