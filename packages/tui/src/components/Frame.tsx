import React from 'react';
import { Box, Text } from 'ink';
import { fit, truncate } from '../lib/text.ts';

/** One line of key hints at the bottom of every screen; global keys are always named. */
export function HelpBar({ hints, width }: { hints: string; width: number }) {
  const global = 'Tab screens  ? help  q quit';
  const left = hints ? `${hints}  │ ` : '';
  const text = truncate(left + global, width);
  return (
    <Box width={width} height={1}>
      <Text inverse>{fit(text, width)}</Text>
    </Box>
  );
}

/** A titled body area of fixed height plus the help bar, the shape every screen has. */
export function ScreenFrame({
  width,
  height,
  hints,
  status,
  children,
}: {
  width: number;
  height: number;
  hints: string;
  /** Right side of the status line above the help bar, e.g. "rows 1-19 of 300". */
  status?: React.ReactNode;
  children: React.ReactNode;
}) {
  const bodyH = Math.max(1, height - (status !== undefined ? 2 : 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {/* Clipped vertically only: Ink wraps or truncates every text to its box's width already, and a
          horizontal clip makes it re-slice each line of the body on every frame (15 % of a key's CPU). */}
      <Box flexDirection="column" width={width} height={bodyH} overflowY="hidden">
        {children}
      </Box>
      {status !== undefined && (
        <Box width={width} height={1} overflow="hidden">
          {typeof status === 'string' ? <Text dimColor>{fit(status, width)}</Text> : status}
        </Box>
      )}
      <HelpBar hints={hints} width={width} />
    </Box>
  );
}
