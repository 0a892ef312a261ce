import React from 'react';
import { Text } from 'ink';
import type { KeyPress } from '../keys.ts';
import { cellWidth } from '../lib/text.ts';

export interface Edit {
  value: string;
  cursor: number;
}

/** Apply an editing key to a single-line field; null when the key is not an edit. */
export function applyEdit(e: Edit, k: KeyPress, maxLength = 4000): Edit | null {
  const { value, cursor } = e;
  switch (k.name) {
    case 'char': {
      if (k.text === '') return null;
      const text = k.text.replace(/[\r\n\t]+/g, ' ');
      // eslint-disable-next-line no-control-regex
      if (/[\x00-\x1f\x7f]/.test(text)) return null;
      const next = value.slice(0, cursor) + text + value.slice(cursor);
      if (next.length > maxLength) return e;
      return { value: next, cursor: cursor + text.length };
    }
    case 'backspace':
      if (cursor === 0) return e;
      return { value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1 };
    case 'left':
      return { value, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { value, cursor: Math.min(value.length, cursor + 1) };
    case 'home':
      return { value, cursor: 0 };
    case 'end':
      return { value, cursor: value.length };
    case 'ctrlU':
      return { value: value.slice(cursor), cursor: 0 };
    case 'ctrlW': {
      const before = value.slice(0, cursor).replace(/\S+\s*$/, '');
      return { value: before + value.slice(cursor), cursor: before.length };
    }
    default:
      return null;
  }
}

/**
 * A one-line field `width` cells wide; shows the part around the cursor and, when focused, the cursor
 * as an inverse cell.
 */
export function TextField({ edit, width, focused, placeholder }: { edit: Edit; width: number; focused: boolean; placeholder?: string }) {
  const w = Math.max(2, width);
  if (edit.value === '' && !focused) return <Text dimColor>{(placeholder ?? '').slice(0, w)}</Text>;
  // Window the value so the cursor is visible; values are mostly ASCII paths and sentences.
  let start = 0;
  while (cellWidth(edit.value.slice(start, edit.cursor)) > w - 2) start++;
  const before = edit.value.slice(start, edit.cursor);
  const at = edit.value[edit.cursor] ?? ' ';
  let after = edit.value.slice(edit.cursor + 1);
  const room = w - cellWidth(before) - 1;
  while (cellWidth(after) > room && after.length > 0) after = after.slice(0, -1);
  if (!focused) return <Text>{(before + (edit.value[edit.cursor] ?? '') + after).slice(0, w)}</Text>;
  return (
    <Text>
      {before}
      <Text inverse>{at}</Text>
      {after}
    </Text>
  );
}
