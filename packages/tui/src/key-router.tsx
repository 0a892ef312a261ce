/**
 * The one place that reads the keyboard. KeyRouterProvider parses Ink's input into KeyPress values
 * (keys.ts), paces a burst so each key sees the state the previous one made, and hands every key to
 * the shell's dispatcher together with the active screen's handler, which screens register with
 * useScreenKeys.
 */
import fs from 'node:fs';
import React, { createContext, useContext, useEffect, useLayoutEffect, useRef } from 'react';
import { useInput } from 'ink';
import { parseKeys, type KeyHelp, type KeyPress } from './keys.ts';

/** JUDGE_KEYLOG=file records every key as parsed, to diagnose a terminal that sends odd input. */
const KEYLOG = process.env.JUDGE_KEYLOG;

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
  /** Called after every commit of the active screen (the provider paces burst keys with it). */
  afterRender?: () => void;
}

const KeyRouterContext = createContext<KeyRouter>({ current: null });

/** The active screen's keys (for the help overlay), or null. */
export function useActiveScreenKeys(): ScreenKeys | null {
  return useContext(KeyRouterContext).current;
}

/**
 * Reads the keyboard for everything inside it. `dispatch` decides, per key, between the shell's own
 * keys and `screen` (the registered handler of the active screen).
 */
export function KeyRouterProvider({ dispatch, children }: { dispatch: (k: KeyPress, screen: ScreenKeys | null) => void; children: React.ReactNode }) {
  const router = useRef<KeyRouter>({ current: null }).current;
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;

  // Keys of one burst are handled one render apart, so each sees the state the previous one made:
  // the next key waits for the render that follows the last one (or 250 ms when it changed nothing).
  const queue = useRef<KeyPress[]>([]);
  const waiting = useRef<{ rendered: boolean; timer: NodeJS.Timeout } | null>(null);
  const step = () => {
    if (waiting.current) clearTimeout(waiting.current.timer);
    waiting.current = null;
    const k = queue.current.shift();
    if (!k) return;
    dispatchRef.current(k, router.current);
    if (queue.current.length > 0) waiting.current = { rendered: false, timer: setTimeout(step, 250) };
  };
  const afterRender = () => {
    if (waiting.current && !waiting.current.rendered) {
      waiting.current.rendered = true;
      setImmediate(step);
    }
  };
  router.afterRender = afterRender;
  useEffect(afterRender);
  useInput((input, key) => {
    if (KEYLOG) fs.appendFileSync(KEYLOG, `${Date.now()} ${JSON.stringify(input)} ${JSON.stringify(parseKeys(input, key))}\n`);
    const idle = queue.current.length === 0 && !waiting.current;
    queue.current.push(...parseKeys(input, key));
    if (idle) step();
  });
  return <KeyRouterContext.Provider value={router}>{children}</KeyRouterContext.Provider>;
}

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
