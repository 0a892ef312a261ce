import { EventEmitter } from 'node:events';
import type React from 'react';
import { render as inkRender, type Instance } from 'ink';
import { App, type AppProps } from '../src/app.tsx';
import type { Api } from '../src/context.ts';
import { cellWidth } from '../src/lib/text.ts';
import { MAX_FPS } from '../src/lib/frame-rate.ts';

/**
 * Renders a component into a fake terminal of a given size, like ink-testing-library but with rows
 * and a resize() that emits the event Ink listens to. Used by the screen tests and the benchmark.
 */
class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  /** The last frame with content (Ink's last write on unmount is only a cursor escape). */
  lastFrame = () => {
    for (let i = this.frames.length - 1; i >= 0; i--) if (stripAnsi(this.frames[i]!).trim() !== '') return this.frames[i];
    return undefined;
  };
}

/** A keyboard for Ink: what is written here arrives as key presses. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  setEncoding() {}
  setRawMode(v: boolean) {
    this.isRaw = v;
  }
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
}

/** Poll the frame until it contains `text` (for effects that take several renders, e.g. a key burst). */
export async function frameContaining(r: Rendered, want: string | RegExp, ms = 3000): Promise<string> {
  const end = Date.now() + ms;
  const ok = () => (typeof want === 'string' ? r.frame().includes(want) : want.test(r.frame()));
  while (!ok() && Date.now() < end) await tick(10);
  return r.frame();
}

/** Poll until cond() holds (or give up after `ms`; the assertion that follows reports it). */
export async function eventually(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await tick(10);
}

export interface Rendered {
  instance: Instance;
  stdout: FakeStdout;
  stdin: FakeStdin;
  /** The last frame with ANSI escapes removed. */
  frame: () => string;
  press: (...keys: string[]) => Promise<void>;
  resize: (columns: number, rows: number) => Promise<void>;
  unmount: () => void;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;
export const stripAnsi = (s: string) => s.replace(ANSI, '');

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  backtab: '\x1b[Z',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

export const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Wait until the app has drawn after an input: a new frame (or 150 ms when the key changes nothing),
 * then no further frame for 30 ms. Waiting on frames instead of fixed sleeps keeps the tests
 * reliable on a loaded machine.
 */
async function settle(stdout: FakeStdout, before: number): Promise<void> {
  const start = Date.now();
  while (stdout.frames.length === before && Date.now() - start < 150) await tick(2);
  let count = stdout.frames.length;
  for (;;) {
    await tick(30);
    if (stdout.frames.length === count) return;
    count = stdout.frames.length;
  }
}

export function renderAt(node: React.ReactElement, columns = 80, rows = 24): Rendered {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = inkRender(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    instance,
    stdout,
    stdin,
    frame: () => stripAnsi(stdout.lastFrame() ?? ''),
    press: async (...keys) => {
      for (const k of keys) {
        const before = stdout.frames.length;
        stdin.write(k);
        // Ink holds ESC-prefixed input briefly to tell it from the start of an escape sequence.
        if (k.startsWith('\x1b')) await tick(30);
        await settle(stdout, before);
      }
    },
    resize: async (c, r) => {
      stdout.columns = c;
      stdout.rows = r;
      stdout.emit('resize');
      await tick(20);
    },
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}

/** Lines of a frame, and whether it fits the terminal (no line wider, no frame taller). */
export function frameFits(frame: string, columns: number, rows: number): { ok: boolean; why: string } {
  const lines = frame.split('\n');
  if (lines.length > rows) return { ok: false, why: `${lines.length} lines > ${rows} rows` };
  for (const [i, l] of lines.entries()) {
    const w = cellWidth(l);
    if (w > columns) return { ok: false, why: `line ${i + 1} is ${w} cells > ${columns}: ${JSON.stringify(l)}` };
  }
  return { ok: true, why: '' };
}

/**
 * The full-screen App as users get it: Ink's normal throttled mode (not the tests' debug mode, which
 * writes every render), into terminals the caller times. For the latency benchmark (bench/tui/), which
 * cannot import React or Ink itself: they are this package's dependencies, not the repository root's.
 */
export function renderAppLive(props: AppProps, io: { stdout: EventEmitter; stdin: FakeStdin; stderr: EventEmitter }): Instance {
  return inkRender(<App {...props} />, {
    stdout: io.stdout as unknown as NodeJS.WriteStream,
    stdin: io.stdin as unknown as NodeJS.ReadStream,
    stderr: io.stderr as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: MAX_FPS,
  });
}

/** An Api whose answers are given per request type; every request is recorded in `calls`. */
export function fakeApi(handlers: Partial<Record<string, (f: Record<string, unknown>) => unknown>> = {}): Api & { calls: Record<string, unknown>[] } {
  const calls: Record<string, unknown>[] = [];
  return {
    calls,
    request: (async (frame: Record<string, unknown>) => {
      calls.push(frame);
      const h = handlers[frame.type as string];
      if (!h) throw new Error(`no fake answer for ${String(frame.type)}`);
      return h(frame);
    }) as Api['request'],
  };
}
