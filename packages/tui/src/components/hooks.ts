import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';

export interface TermSize {
  columns: number;
  rows: number;
}

/** The terminal size, updated live on resize. */
export function useTerminalSize(): TermSize {
  const { stdout } = useStdout();
  const read = (): TermSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

interface Ticker {
  n: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
}
const tickers = new Map<number, Ticker>();

function tickerFor(ms: number): Ticker {
  let t = tickers.get(ms);
  if (!t) tickers.set(ms, (t = { n: 0, listeners: new Set(), timer: null }));
  return t;
}

function subscribeTick(ms: number, listener: () => void): () => void {
  const t = tickerFor(ms);
  t.listeners.add(listener);
  t.timer ??= setInterval(() => {
    t.n++;
    for (const l of t.listeners) l();
  }, ms);
  return () => {
    t.listeners.delete(listener);
    if (t.listeners.size === 0 && t.timer) {
      clearInterval(t.timer);
      t.timer = null;
    }
  };
}

/**
 * Re-render every `ms` (for clocks and countdowns). Every component asking for the same period shares
 * one timer, so the header's clock and a screen's countdown change in the same frame: with a timer
 * each, a screen mounted later ticked at another phase, which was a second frame per second, and a
 * key pressed just after either waits for Ink's 30 fps throttle (up to 33 ms; bench/tui "Benchmark").
 */
export function useTick(ms: number): number {
  const subscribe = useCallback((listener: () => void) => subscribeTick(ms, listener), [ms]);
  return useSyncExternalStore(subscribe, () => tickerFor(ms).n);
}
