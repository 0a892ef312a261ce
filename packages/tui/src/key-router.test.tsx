/**
 * The key router: every key acts on the state the key before it made, whether keys come one burst
 * (one chunk from a paste, tmux or a fast typist: split on every control character) or one by one
 * faster than the screen re-renders; a key that changes nothing does not hold the next one back.
 */
import React, { useState } from 'react';
import { Text } from 'ink';
import { afterEach, describe, expect, test } from 'vitest';
import { KeyRouterProvider, useScreenKeys, type ScreenKeys } from './key-router.tsx';
import { isChar, type KeyPress } from './keys.ts';
import { eventually, renderAt, tick, type Rendered } from '../test-utils/testing.tsx';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

/** Two screens: on A, Enter opens B; `e` says which screen it reached; `j` counts on the screen's own state. */
function Harness({ log }: { log: string[] }) {
  const [screen, setScreen] = useState<'A' | 'B'>('A');
  // The shell's keys, as app.tsx: `x` does nothing (no state change, no render).
  const dispatch = (k: KeyPress, sk: ScreenKeys | null): boolean => {
    if (isChar(k, 'x')) return false;
    if (screen === 'A' && k.name === 'enter') {
      setScreen('B');
      return true;
    }
    return sk?.handle(k) ?? false;
  };
  // Keyed: B is a new screen with its own state, as a registry's screens are.
  return <KeyRouterProvider dispatch={dispatch}>{screen === 'A' ? <Screen key="A" name="A" log={log} /> : <Screen key="B" name="B" log={log} />}</KeyRouterProvider>;
}

function Screen({ name, log }: { name: string; log: string[] }) {
  const [count, setCount] = useState(0);
  useScreenKeys({
    capture: false,
    help: [],
    hints: '',
    handle: (k) => {
      if (isChar(k, 'j')) {
        log.push(`${name}:j${count}`);
        setCount(count + 1);
      } else log.push(`${name}:${k.name === 'char' ? k.text : k.name}`);
      return true;
    },
  });
  return <Text>{`screen ${name} count ${count}`}</Text>;
}

async function start(): Promise<{ r: Rendered; log: string[] }> {
  const log: string[] = [];
  const r = renderAt(<Harness log={log} />, 40, 5);
  mounted.push(r);
  await eventually(() => r.frame().includes('screen A'));
  return { r, log };
}

describe('key router', () => {
  test('"\\re" in one chunk: Enter, then e on the screen Enter opened', async () => {
    const { r, log } = await start();
    r.stdin.write('\re');
    await eventually(() => log.length >= 1);
    await tick(50);
    expect(log).toEqual(['B:e']);
  });

  test('keys written one by one before any re-render each see the state the previous one made', async () => {
    const { r, log } = await start();
    // No await between them: all arrive before Ink renders the first one's change.
    for (const k of ['j', 'j', 'j', '\r', 'e', 'j', 'j']) r.stdin.write(k);
    await eventually(() => log.length >= 6);
    await tick(50);
    expect(log).toEqual(['A:j0', 'A:j1', 'A:j2', 'B:e', 'B:j0', 'B:j1']);
    expect(r.frame()).toMatch(/screen B count 2/);
  });

  test('a burst splits on every control character: Ctrl-U, Ctrl-W, Backspace, Tab, Enter in the text', async () => {
    const { r, log } = await start();
    r.stdin.write('ab\x15c\x17d\x7f\te\x01f');
    await eventually(() => log.length >= 8);
    await tick(50);
    // Ctrl-A (\x01) means nothing here and is dropped, never typed as text.
    expect(log).toEqual(['A:ab', 'A:ctrlU', 'A:c', 'A:ctrlW', 'A:d', 'A:backspace', 'A:tab', 'A:e', 'A:f']);
  });

  test('a key that changes nothing does not hold back the key after it', async () => {
    const { r, log } = await start();
    const t0 = Date.now();
    r.stdin.write('x');
    r.stdin.write('j');
    await eventually(() => log.length >= 1);
    expect(log).toEqual(['A:j0']);
    expect(Date.now() - t0).toBeLessThan(200);
  });
});
