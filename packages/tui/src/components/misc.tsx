import React from 'react';
import chalk, { type ChalkInstance } from 'chalk';
import { Box, Text } from 'ink';
import { VERDICT_INFO, isVerdict } from '@judged/shared/verdict';
import type { TeamSubmission } from '@judged/shared/protocol';
import { formatScore } from '@judged/shared/problem-score';
import { fit, progressBar } from '../lib/text.ts';
import { TextField, type Edit } from './TextInput.tsx';

export function verdictColour(v: string | null | undefined): string | undefined {
  return v && isVerdict(v) ? VERDICT_INFO[v].ansi : undefined;
}

/** "queued", "compiling", "[....    ] 4/8" or the verdict (with a scoring problem's score), as text of exactly `width` cells. */
export function statusText(
  s: Pick<TeamSubmission, 'status' | 'verdict' | 'testIndex' | 'testCount' | 'score' | 'maxScore'>,
  width: number,
): { text: string; colour: string | undefined } {
  if (s.status === 'judged' && s.verdict) {
    const score = s.score !== undefined && s.score !== null ? ` ${formatScore(s.score, s.maxScore)}` : '';
    return { text: fit(`${s.verdict}${score}`, width), colour: verdictColour(s.verdict) };
  }
  if (s.status === 'running' && s.testCount) {
    const bar = Math.max(4, width - 2 - String(s.testCount).length * 2 - 2);
    return { text: fit(progressBar(Math.max(0, (s.testIndex ?? 1) - 1), s.testCount, bar), width), colour: 'cyan' };
  }
  return { text: fit(s.status, width), colour: s.status === 'compiling' ? 'cyan' : 'gray' };
}

/** The filter line shown above a list while `/` is active or a filter is set. */
export function FilterLine({ edit, active, width }: { edit: Edit; active: boolean; width: number }) {
  return (
    <Box width={width} height={1}>
      <Text color="cyan">/ </Text>
      <TextField edit={edit} width={width - 2} focused={active} />
    </Box>
  );
}

/** A yes/no question over the screen; destructive actions go through it. */
export function Confirm({ text, width }: { text: string; width: number }) {
  return (
    <Box width={width} height={1}>
      <Text color="black" backgroundColor="red" bold>
        {fit(` ${text}  y yes / n no `, width)}
      </Text>
    </Box>
  );
}

/** chalk by colour name or #hex; identity for none. */
export function paint(text: string, colour?: string | null, opts: { bold?: boolean; inverse?: boolean; dim?: boolean } = {}): string {
  let c: ChalkInstance = chalk;
  if (colour) c = colour.startsWith('#') ? c.hex(colour) : ((c as unknown as Record<string, ChalkInstance>)[colour] ?? c);
  if (opts.bold) c = c.bold;
  if (opts.dim) c = c.dim;
  if (opts.inverse) c = c.inverse;
  return c === chalk ? text : c(text);
}
