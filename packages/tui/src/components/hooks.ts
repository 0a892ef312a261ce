import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';
import type { KeyHelp, KeyPress } from '../keys.ts';

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

/**
 * What the active screen (or an open overlay inside it) does with keys. `capture` means a text field
 * has focus: every key goes to the handler, so `q` types a q instead of quitting.
 */
export interface ScreenKeys {
  handle: (k: KeyPress) => boolean;
  capture: boolean;
  help: KeyHelp[];
  /** Short hints for the help bar, e.g. "Enter open  s submit". */
  hints: string;
}

export interface KeyRouter {
  current: ScreenKeys | null;
  /** Called after every commit of the active screen (Main paces burst keys with it). */
  afterRender?: () => void;
}

export const KeyRouterContext = createContext<KeyRouter>({ current: null });

/** Register the active screen's key handler with the one place that reads the keyboard. */
export function useScreenKeys(keys: ScreenKeys): void {
  const router = useContext(KeyRouterContext);
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    router.afterRender?.();
  });
  useLayoutEffect(() => {
    const proxy: ScreenKeys = {
      handle: (k) => ref.current.handle(k),
      get capture() {
        return ref.current.capture;
      },
      get help() {
        return ref.current.help;
      },
      get hints() {
        return ref.current.hints;
      },
    };
    router.current = proxy;
    return () => {
      if (router.current === proxy) router.current = null;
    };
  }, [router]);
}

/** Re-render every `ms` (for clocks and countdowns). */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}
