/**
 * The one place that reads the keyboard. KeyRouterProvider parses Ink's input into KeyPress values
 * (keys.ts), paces keys so each sees the state the previous one made, and hands every key to
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
  /** Called after every commit of the active screen (the provider paces keys with it). */
  afterRender?: () => void;
}

const KeyRouterContext = createContext<KeyRouter>({ current: null });

/** The active screen's keys (for the help overlay), or null. */
export function useActiveScreenKeys(): ScreenKeys | null {
  return useContext(KeyRouterContext).current;
}

/**
 * Reads the keyboard for everything inside it. `dispatch` decides, per key, between the shell's own
 * keys and `screen` (the registered handler of the active screen), and says whether anything acted
 * on it (the shell or the screen's handler returned true): only then does the next key wait.
 */
export function KeyRouterProvider({ dispatch, children }: { dispatch: (k: KeyPress, screen: ScreenKeys | null) => boolean; children: React.ReactNode }) {
  const router = useRef<KeyRouter>({ current: null }).current;
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;

  // Each key acts on the state the key before it made. A key that did something (dispatch says so)
  // holds the next one back until the render that follows it (the active screen's or the shell's
  // commit, afterRender; 50 ms at most, for a handled key that changed nothing: React's render of a
  // change is queued as the key is handled and starts on the loop's next turn, long before), also when the next
  // key arrives on its own after it rather than in the same burst: React renders a key's change
  // later than the input that caused it, so without the wait a fast second key saw the screen as it
  // was. A key that did nothing lets the next one go at once.
  const queue = useRef<KeyPress[]>([]);
  const waiting = useRef<{ rendered: boolean; timer: NodeJS.Timeout } | null>(null);
  const pump = () => {
    if (waiting.current) clearTimeout(waiting.current.timer);
    waiting.current = null;
    for (let k = queue.current.shift(); k; k = queue.current.shift()) {
      if (dispatchRef.current(k, router.current)) {
        waiting.current = { rendered: false, timer: setTimeout(pump, 50) };
        return;
      }
    }
  };
  const afterRender = () => {
    if (waiting.current && !waiting.current.rendered) {
      waiting.current.rendered = true;
      setImmediate(pump);
    }
  };
  router.afterRender = afterRender;
  useEffect(afterRender);
  useInput((input, key) => {
    const keys = parseKeys(input, key);
    if (KEYLOG) fs.appendFileSync(KEYLOG, `${Date.now()} ${JSON.stringify(input)} ${JSON.stringify(keys)}\n`);
    queue.current.push(...keys);
    if (!waiting.current) pump();
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
