import { rangeLabel, useScrollOffset } from './List.tsx';
import type { ListNav } from './useListNav.ts';

/**
 * The visible window of a filterable list screen: the filter line takes a row while it is typed or
 * set, the frame takes three (header row, hints, status), and `extraRows` are the screen's own (a
 * message line). `off` keeps the selection in view; `range` is the "rows x-y of N" status.
 */
export interface ListWindow {
  showFilter: boolean;
  listH: number;
  off: number;
  range: string;
}

export function useListWindow<T>(nav: ListNav<T>, height: number, extraRows = 0): ListWindow {
  const showFilter = nav.filtering || nav.filter.value !== '';
  const listH = height - 3 - (showFilter ? 1 : 0) - extraRows;
  const off = useScrollOffset(nav.selected, listH, nav.items.length);
  return { showFilter, listH, off, range: rangeLabel(off, listH, nav.items.length) };
}
