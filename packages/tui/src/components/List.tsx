import React, { useRef } from 'react';
import { Box, Text } from 'ink';
import chalk from 'chalk';
import { fit } from '../lib/text.ts';

const GUTTER_SEL = chalk.bold.cyan('›');

/** Keep `selected` inside the window, moving the window as little as possible. */
export function scrollOffset(prev: number, selected: number, height: number, count: number): number {
  if (height <= 0 || count <= height) return 0;
  let off = Math.min(prev, count - height);
  if (selected < off) off = selected;
  if (selected >= off + height) off = selected - height + 1;
  return Math.max(0, off);
}

export interface ListProps<T> {
  items: readonly T[];
  selected: number;
  height: number;
  width: number;
  /** One terminal line for the item (width - 1 cells: the first column is the selection gutter). */
  renderRow?: (item: T, index: number, selected: boolean) => React.ReactNode;
  /**
   * The same as one pre-styled string (ANSI via chalk): a single Ink node per row instead of one per
   * cell, which keeps a 300-team board with a dozen problems fast to lay out.
   */
  renderLine?: (item: T, index: number, selected: boolean) => string;
  keyOf: (item: T, index: number) => string;
  empty?: string;
  /** First visible index, from useScrollOffset. */
  offset: number;
}

/** The window's first row, moved only as far as needed to keep `selected` visible. */
export function useScrollOffset(selected: number, height: number, count: number): number {
  const ref = useRef(0);
  const off = scrollOffset(ref.current, Math.max(0, Math.min(selected, count - 1)), height, count);
  ref.current = off;
  return off;
}

/**
 * A list that renders only the rows that fit: the items are sliced to the window before any React
 * element is made, so 300 teams cost the same as 20.
 */
export function List<T>({ items, selected, height, width, renderRow, renderLine, keyOf, empty, offset: off }: ListProps<T>) {
  if (items.length === 0) {
    return (
      <Box height={height} width={width}>
        <Text dimColor>{fit(empty ?? 'nothing here', width)}</Text>
      </Box>
    );
  }
  const visible = items.slice(off, off + height);
  if (renderLine) {
    return (
      <Box flexDirection="column" height={height} width={width} overflowY="hidden">
        {visible.map((item, i) => {
          const sel = off + i === selected;
          return (
            <Text key={keyOf(item, off + i)} wrap="truncate-end">
              {(sel ? GUTTER_SEL : ' ') + renderLine(item, off + i, sel)}
            </Text>
          );
        })}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      {visible.map((item, i) => (
        <Box key={keyOf(item, off + i)} width={width} height={1} overflow="hidden">
          {/* The gutter marks the selection without colour too (NO_COLOR, monochrome terminals). */}
          <Text bold color="cyan">{off + i === selected ? '›' : ' '}</Text>
          <Box width={width - 1} height={1} overflow="hidden">
            {renderRow?.(item, off + i, off + i === selected)}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

/** "rows 1-19 of 300" for the list footer. */
export function rangeLabel(off: number, height: number, count: number): string {
  if (count === 0) return 'no rows';
  return `rows ${off + 1}-${Math.min(count, off + height)} of ${count}`;
}
