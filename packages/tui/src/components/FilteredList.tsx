import React from 'react';
import { Text } from 'ink';
import { fit } from '../lib/text.ts';
import { List, type ListProps } from './List.tsx';
import { FilterLine } from './misc.tsx';
import type { ListNav } from './useListNav.ts';
import type { ListWindow } from './useListWindow.ts';

/**
 * The body of a list screen: the `/` filter line while it is typed or set, a bold column header,
 * then the rows of `nav.items` in the window `win` with the selection from `nav`.
 */
export function FilteredList<T>({
  nav,
  win,
  header,
  width,
  ...list
}: { nav: ListNav<T>; win: ListWindow; header: string; width: number } & Omit<ListProps<T>, 'items' | 'selected' | 'offset' | 'height' | 'width'>) {
  return (
    <>
      {win.showFilter && <FilterLine edit={nav.filter} active={nav.filtering} width={width} />}
      <Text bold>{fit(header, width)}</Text>
      <List items={nav.items} selected={nav.selected} offset={win.off} height={win.listH} width={width} {...list} />
    </>
  );
}
