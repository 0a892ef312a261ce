import { useState } from 'react';
import { moveIndex, type KeyPress } from '../keys.ts';

/**
 * Scrolling an opened item's detail lines in a body of `bodyH` rows: `handle` takes the movement
 * keys, `reset` goes back to the top when another item opens, `status` is "lines x-y of N".
 */
export function useDetailScroll(count: number, bodyH: number) {
  const [scroll, setScroll] = useState(0);
  const max = Math.max(0, count - bodyH);
  const top = Math.min(scroll, max);
  const handle = (k: KeyPress): boolean => {
    const m = moveIndex(k, top, max + 1, bodyH - 1);
    if (m === null) return false;
    setScroll(m);
    return true;
  };
  return { top, handle, reset: () => setScroll(0), status: `lines ${top + 1}-${Math.min(count, top + bodyH)} of ${count}` };
}
