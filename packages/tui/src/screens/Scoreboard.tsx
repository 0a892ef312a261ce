import React, { useState } from 'react';
import { Box, Text } from 'ink';
import type { ScoreCell, ScoreboardProblem, ScoreboardRow } from '@judged/shared/protocol';
import { useData, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { List, useScrollOffset } from '../components/List.tsx';
import { paint } from '../components/misc.tsx';
import { TextField, applyEdit, type Edit } from '../components/TextInput.tsx';
import { isChar, moveIndex } from '../keys.ts';
import { fit } from '../lib/text.ts';
import { formatScore } from '@judged/shared/problem-score';

export const CELL_W = 7;
/** A partly scored cell on a score board; the own team's row is cyan, pending cells yellow or blue. */
export const PARTIAL_COLOUR = 'magenta';
export const OWN_TEAM_COLOUR = 'cyan';

/**
 * One problem cell: "1/45" solved (tries/minute; "*1/45" first to solve), "-3" rejected, "?2" pending
 * (yellow while judging, blue when hidden by the freeze); on score boards the points, green at full
 * marks, magenta when partly scored. ASCII on purpose: every non-ASCII glyph
 * costs Ink a Unicode width lookup per frame, and a 160-column board has hundreds of cells.
 */
export function cellText(c: ScoreCell | undefined, frozen: boolean): { text: string; colour?: string; bold?: boolean } {
  if (!c) return { text: '' };
  if (c.score !== undefined) {
    // Score boards: the points, with ? while runs are pending (or hidden by the freeze).
    const text = `${c.attempts > 0 || c.score > 0 ? formatScore(c.score) : '.'}${c.pending > 0 ? '?' : ''}`;
    // Partly scored: magenta, apart from pending (yellow/blue) and the own team's highlight (cyan).
    const colour = c.solved ? 'green' : c.pending > 0 ? (frozen ? 'blue' : 'yellow') : c.score > 0 ? PARTIAL_COLOUR : c.attempts > 0 ? 'red' : undefined;
    return { text, ...(colour ? { colour } : {}) };
  }
  if (c.solved) return { text: `${c.firstToSolve ? '*' : ''}${c.attempts}/${c.timeMin ?? 0}`, colour: c.firstToSolve ? 'greenBright' : 'green', bold: c.firstToSolve };
  if (c.pending > 0) {
    const tries = c.attempts > 0 ? `${c.attempts}+` : '';
    return { text: `?${tries}${c.pending}`, colour: frozen ? 'blue' : 'yellow' };
  }
  if (c.attempts > 0) return { text: `-${c.attempts}`, colour: 'red' };
  return { text: '.' };
}

/**
 * Score boards: one team's points per subtask of each problem ("A stretch  20/20 15/30 37.5/50 = 72.5/100"),
 * the breakdown a cell has no room for; a problem without subtasks shows its points only.
 */
export function breakdownLines(row: ScoreboardRow, probs: readonly ScoreboardProblem[]): string[] {
  return probs.map((p, i) => {
    const c = row.cells[i]?.problemId === p.id ? row.cells[i] : row.cells.find((x) => x.problemId === p.id);
    const parts = p.subtasks?.map((st, j) => formatScore(c?.subtaskScores?.[j] ?? 0, st.maxScore)) ?? [];
    const total = formatScore(c?.score ?? 0, p.maxScore);
    return `${p.label} ${p.name}  ${parts.length ? `${parts.join(' ')} = ` : ''}${total}${c && c.pending > 0 ? `  (${c.pending} pending)` : ''}`;
  });
}

export function ScoreboardScreen({ width, height }: ScreenProps) {
  const board = useData((d) => d.scoreboard);
  const me = useData((d) => d.user?.teamId ?? null);
  const rows = board?.rows ?? [];
  const myIndex = me ? rows.findIndex((r) => r.teamId === me) : -1;
  // null selection = follow my team (kept in view as the board changes).
  const [sel, setSel] = useState<number | null>(null);
  const [col, setCol] = useState(0);
  const [find, setFind] = useState<Edit>({ value: '', cursor: 0 });
  const [finding, setFinding] = useState(false);
  const [showBreakdown, setShowBreakdown] = useState(false);
  const selected = sel ?? Math.max(0, myIndex);
  const probs = board?.problems ?? [];
  const scoreBoard = board?.type === 'score';
  // The breakdown panel: a title and one line per problem, never more than half the screen.
  const panelH = scoreBoard && showBreakdown && rows.length > 0 ? Math.min(probs.length + 1, Math.max(2, Math.floor((height - 3) / 2))) : 0;
  const listH = height - 3 - (finding ? 1 : 0) - panelH;
  const off = useScrollOffset(selected, listH, rows.length);

  const rankW = 5;
  const solvedW = 4;
  const penW = 6;
  const minTeamW = 14;
  const room = width - 1 - rankW - solvedW - penW - minTeamW - 1;
  const visibleCols = Math.max(1, Math.min(probs.length, Math.floor(room / CELL_W)));
  const firstCol = Math.min(col, Math.max(0, probs.length - visibleCols));
  // one column for the List's selection gutter
  const teamW = width - 1 - rankW - solvedW - penW - visibleCols * CELL_W - 1;

  const findNext = (q: string, from: number): number => {
    const s = q.trim().toLowerCase();
    if (!s) return -1;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[(from + i) % rows.length]!;
      if (`${r.teamName} ${r.organization ?? ''} ${r.teamId}`.toLowerCase().includes(s)) return (from + i) % rows.length;
    }
    return -1;
  };

  useScreenKeys({
    capture: finding,
    help: [
      { keys: '/', what: 'find a team (Enter keeps, n next match)' },
      { keys: 'm', what: 'jump back to my team' },
      { keys: '← →', what: 'scroll problem columns' },
      ...(scoreBoard ? [{ keys: 'b', what: "show or hide the selected team's points per subtask" }] : []),
    ],
    hints: '',
    handle: (k) => {
      if (finding) {
        if (k.name === 'enter' || k.name === 'escape') {
          setFinding(false);
          if (k.name === 'escape') setFind({ value: '', cursor: 0 });
          return true;
        }
        const e = applyEdit(find, k, 100);
        if (e) {
          setFind(e);
          const i = findNext(e.value, 0);
          if (i >= 0) setSel(i);
        }
        return true;
      }
      if (isChar(k, '/')) {
        setFinding(true);
        return true;
      }
      if (isChar(k, 'n') && find.value) {
        const i = findNext(find.value, selected + 1);
        if (i >= 0) setSel(i);
        return true;
      }
      if (isChar(k, 'm')) {
        setSel(null);
        return true;
      }
      if (isChar(k, 'b') && scoreBoard) {
        setShowBreakdown(!showBreakdown);
        return true;
      }
      if (k.name === 'left' || isChar(k, 'h')) {
        setCol(Math.max(0, firstCol - 1));
        return true;
      }
      if (k.name === 'right' || isChar(k, 'l')) {
        setCol(Math.min(Math.max(0, probs.length - visibleCols), firstCol + 1));
        return true;
      }
      const m = moveIndex(k, selected, rows.length, listH);
      if (m !== null) {
        setSel(m === myIndex ? null : m);
        return true;
      }
      if (k.name === 'escape' && sel !== null) {
        setSel(null);
        return true;
      }
      return false;
    },
  });

  if (!board) {
    return (
      <ScreenFrame width={width} height={height} hints="">
        <Text dimColor>{fit(' Loading the scoreboard…', width)}</Text>
      </ScreenFrame>
    );
  }
  const cols = probs.slice(firstCol, firstCol + visibleCols);
  const more = `${firstCol > 0 ? '‹' : ' '}${firstCol + visibleCols < probs.length ? '›' : ' '}`;
  const range = rows.length ? `rows ${off + 1}-${Math.min(rows.length, off + listH)} of ${rows.length}` : 'no teams';
  const flags = `${board.frozen ? 'FROZEN: results after the freeze show as ?  ' : ''}${board.view === 'jury' ? 'jury view  ' : ''}`;
  const picked = rows[selected];
  const status = `${range}  ${flags}${probs.length > visibleCols ? `problems ${firstCol + 1}-${firstCol + cols.length} of ${probs.length} ←→` : ''}`;
  const hints = finding ? 'type a team name  Enter keep  Esc cancel' : scoreBoard ? '/ find  n next  m my team  ←→ cols  b subtasks' : '/ find  n next  m my team  ←→ columns';
  return (
    <ScreenFrame width={width} height={height} hints={hints} status={status}>
      {finding && (
        <Box width={width} height={1}>
          <Text color="cyan">find team: </Text>
          <TextField edit={find} width={width - 11} focused />
        </Box>
      )}
      <Text bold>
        {' '}
        {fit('Rank', rankW)}
        {fit(`Team ${more}`, teamW)}
        {scoreBoard ? fit('Score', solvedW + penW, 'right') : `${fit('Sol', solvedW, 'right')}${fit('Pen', penW, 'right')}`}{' '}
        {cols.map((p) => (
          <Text key={p.id} color={p.colour ?? undefined}>{fit(p.label, CELL_W)}</Text>
        ))}
      </Text>
      <List
        items={rows}
        selected={selected}
        offset={off}
        height={listH}
        width={width}
        keyOf={(r) => r.teamId}
        empty="no teams"
        renderLine={(r: ScoreboardRow, _i, isSel) => {
          const mine = r.teamId === me;
          const head =
            fit(String(r.rank), rankW) +
            fit(`${mine ? '> ' : ''}${r.teamName}`, teamW) +
            (scoreBoard ? fit(formatScore(r.score), solvedW + penW, 'right') : fit(String(r.solved), solvedW, 'right') + fit(String(r.penaltyMin), penW, 'right')) +
            ' ';
          let line = paint(head, mine && !isSel ? OWN_TEAM_COLOUR : null, { bold: mine });
          // Neighbouring cells of one style share one escape sequence: Ink's cost per frame grows
          // with the number of styled runs, and a 160-column board has hundreds.
          let run = '';
          let runStyle = '';
          let runCell: ReturnType<typeof cellText> = { text: '' };
          for (let j = 0; j < cols.length; j++) {
            const p = cols[j]!;
            const cell = r.cells[firstCol + j]?.problemId === p.id ? r.cells[firstCol + j] : r.cells.find((x) => x.problemId === p.id);
            const c = cellText(cell, board.frozen);
            const style = `${c.colour ?? ''}/${c.bold ? 1 : 0}`;
            if (style !== runStyle && run) {
              line += paint(run, runCell.colour, { bold: runCell.bold });
              run = '';
            }
            run += fit(c.text, CELL_W);
            runStyle = style;
            runCell = c;
          }
          if (run) line += paint(run, runCell.colour, { bold: runCell.bold });
          return isSel ? paint(line, null, { inverse: true }) : line;
        }}
      />
      {panelH > 0 && picked && (
        <Box flexDirection="column" width={width} height={panelH}>
          <Text bold color="cyan">{fit(` Subtasks of ${picked.teamName} (rank ${picked.rank}, ${formatScore(picked.score)} points)`, width)}</Text>
          {breakdownLines(picked, probs)
            .slice(0, panelH - 1)
            .map((line, i, shown) => (
              <Text key={probs[i]!.id}>{fit(` ${i === shown.length - 1 && shown.length < probs.length ? `… ${probs.length - shown.length + 1} more problems (a taller terminal shows them)` : line}`, width)}</Text>
            ))}
        </Box>
      )}
    </ScreenFrame>
  );
}
