import React, { useRef } from 'react';
import { Box, Text } from 'ink';
import { fit } from '../lib/text.ts';

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
  /** One terminal line for the item; must not be wider than `width`. */
  renderRow: (item: T, index: number, selected: boolean) => React.ReactNode;
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
export function List<T>({ items, selected, height, width, renderRow, keyOf, empty, offset: off }: ListProps<T>) {
  if (items.length === 0) {
    return (
      <Box height={height} width={width}>
        <Text dimColor>{fit(empty ?? 'nothing here', width)}</Text>
      </Box>
    );
  }
  const visible = items.slice(off, off + height);
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      {visible.map((item, i) => (
        <Box key={keyOf(item, off + i)} width={width} height={1} overflow="hidden">
          {renderRow(item, off + i, off + i === selected)}
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
