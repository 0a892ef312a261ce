import { useState } from 'react';
import type { KeyPress } from '../keys.ts';
import { useListNav, type ListNav } from './useListNav.ts';

/**
 * A list whose Enter opens one item's detail and whose Esc (or Backspace) closes it again: the
 * selection and `/` filter of useListNav plus the open item's id. `handle` takes those keys and
 * gives the others to `detailKeys` while an item is open (scrolling, the screen's actions on it);
 * it returns false for what nobody took, which the screen's list keys then get.
 */
export interface ListDetail<T> {
  nav: ListNav<T>;
  open: string | null;
  openItem: T | undefined;
  setOpen: (id: string | null) => void;
  handle: (k: KeyPress, listH: number, detailKeys: (k: KeyPress) => boolean) => boolean;
}

export function useListDetail<T>(opts: {
  items: readonly T[];
  idOf: (t: T) => string;
  /** The text `/` filters on. */
  text: (t: T) => string;
  /** Open this item at first (a screen reached from another with a submission in mind). */
  initialOpen?: string | null;
  /** Called when Enter opens an item (to scroll its detail back to the top). */
  onOpen?: () => void;
  /** Called when Esc closes it. */
  onClose?: () => void;
  /** The detail is fetched by id, so it stays open while the item is not (yet) in the list. */
  byId?: boolean;
}): ListDetail<T> {
  const initial = opts.initialOpen ? Math.max(0, opts.items.findIndex((t) => opts.idOf(t) === opts.initialOpen)) : 0;
  const nav = useListNav(opts.items, opts.text, initial);
  const [chosen, setOpen] = useState<string | null>(opts.initialOpen ?? null);
  const openItem = chosen === null ? undefined : opts.items.find((t) => opts.idOf(t) === chosen);
  const open = openItem !== undefined || opts.byId ? chosen : null;
  const handle = (k: KeyPress, listH: number, detailKeys: (k: KeyPress) => boolean): boolean => {
    if (open !== null) {
      if (k.name === 'escape' || k.name === 'backspace') {
        setOpen(null);
        opts.onClose?.();
        return true;
      }
      return detailKeys(k);
    }
    if (nav.handle(k, listH)) return true;
    if (k.name === 'enter' && nav.current) {
      setOpen(opts.idOf(nav.current));
      opts.onOpen?.();
      return true;
    }
    return false;
  };
  return { nav, open, openItem, setOpen, handle };
}
