import { useState } from 'react';
import { moveIndex, isChar, type KeyPress } from '../keys.ts';
import { applyEdit, type Edit } from './TextInput.tsx';

/**
 * Selection and `/` filter for a list screen. `handle` consumes movement and filter keys; `capture`
 * is true while the filter is being typed.
 */
export interface ListNav<T> {
  items: T[];
  selected: number;
  setSelected: (i: number) => void;
  filter: Edit;
  filtering: boolean;
  capture: boolean;
  handle: (k: KeyPress, page: number) => boolean;
  current: T | undefined;
}

export function useListNav<T>(all: readonly T[], text: (t: T) => string, initial = 0): ListNav<T> {
  const [selected, setSelectedRaw] = useState(initial);
  const [filter, setFilter] = useState<Edit>({ value: '', cursor: 0 });
  const [filtering, setFiltering] = useState(false);
  const q = filter.value.trim().toLowerCase();
  const items = q ? all.filter((t) => text(t).toLowerCase().includes(q)) : all.slice();
  const sel = Math.min(Math.max(0, selected), Math.max(0, items.length - 1));
  const setSelected = (i: number) => setSelectedRaw(Math.max(0, i));
  const handle = (k: KeyPress, page: number): boolean => {
    if (filtering) {
      if (k.name === 'enter') {
        setFiltering(false);
        return true;
      }
      if (k.name === 'escape') {
        setFiltering(false);
        setFilter({ value: '', cursor: 0 });
        return true;
      }
      const m = moveIndex(k, sel, items.length, page);
      if (m !== null && k.name !== 'char') {
        setSelected(m);
        return true;
      }
      const e = applyEdit(filter, k, 200);
      if (e) {
        setFilter(e);
        setSelected(0);
      }
      return true;
    }
    if (isChar(k, '/')) {
      setFiltering(true);
      return true;
    }
    if (k.name === 'escape' && filter.value !== '') {
      setFilter({ value: '', cursor: 0 });
      return true;
    }
    const m = moveIndex(k, sel, items.length, page);
    if (m !== null) {
      setSelected(m);
      return true;
    }
    return false;
  };
  return { items, selected: sel, setSelected, filter, filtering, capture: filtering, handle, current: items[sel] };
}
