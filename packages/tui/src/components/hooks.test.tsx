/**
 * useTick (hooks.ts): components asking for the same period share one timer, so a screen mounted
 * after the header ticks in the header's frame, not in a second frame of its own (each extra frame a
 * second can hold back a key by Ink's 30 fps throttle).
 */
import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import { afterEach, expect, test } from 'vitest';
import { useTick } from './hooks.ts';
import { renderAt, tick, type Rendered } from '../../test-utils/testing.tsx';

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

function Ticking({ name }: { name: string }) {
  const n = useTick(200);
  return <Text>{`${name}${n} `}</Text>;
}

function Later() {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setShown(true), 90);
    return () => clearTimeout(t);
  }, []);
  return (
    <Text>
      <Ticking name="A" />
      {shown && <Ticking name="B" />}
    </Text>
  );
}

test('two components mounted 90 ms apart tick together: one count, one frame per period', async () => {
  const r = renderAt(<Later />);
  mounted.push(r);
  await tick(150);
  const before = r.stdout.frames.length;
  await tick(1000);
  const frames = r.stdout.frames.length - before;
  const [, a, b] = /A(\d+) B(\d+)/.exec(r.frame()) ?? [];
  expect(a).toBeDefined();
  expect(b).toBe(a);
  // Five periods of 200 ms: a frame each (a timer each would be ten).
  expect(frames).toBeGreaterThanOrEqual(4);
  expect(frames).toBeLessThanOrEqual(7);
});
