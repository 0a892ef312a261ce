import React, { useCallback, useMemo, useState } from 'react';
import { Box, Text, useApp as useInkApp } from 'ink';
import { Ctx, useData, type Api, type AppCtx, type NavParams, type ScreenId } from './context.ts';
import type { ClientState } from './state.ts';
import { isChar, type KeyPress } from './keys.ts';
import { KeyRouterProvider, useActiveScreenKeys, type ScreenKeys } from './key-router.tsx';
import { useTerminalSize } from './components/hooks.ts';
import { Tabs } from './components/Tabs.tsx';
import { HelpOverlay } from './components/Help.tsx';
import { HeaderLine, NoticeLine } from './components/StatusLines.tsx';
import { firstScreen, roomScreen, screensFor, type ScreenDef } from './screens/registry.ts';
import { safeApi } from './lib/safe-api.ts';
// Ink keeps nothing between frames; this keeps unchanged lines and rows (lib/ink-frame-cache.ts).
// The other half, Ink measuring every text node again per frame, is patches/ink@6.8.0.patch.
import './lib/ink-frame-cache.ts';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface AppProps {
  store: ClientState;
  api: Api;
  cwd?: string;
  recentFile?: string | null;
  /** Called once when the user quits (q / Ctrl-C). */
  onQuit?: () => void;
  initialScreen?: ScreenId;
}

/**
 * The full-screen client: header, tabs, the active screen and the help bar, sized to the terminal and
 * never taller than it minus one row (so Ink redraws in place instead of clearing). Keys go to an
 * open overlay, else to the screen when it has a text field focused, else to the global keys, else
 * to the screen.
 */
export function App(props: AppProps) {
  const [screen, setScreen] = useState<ScreenId>(props.initialScreen ?? firstScreen(props.store.getSnapshot().user?.role));
  const [params, setParams] = useState<NavParams>({});
  const go = useCallback((s: ScreenId, p: NavParams = {}) => {
    setScreen(s);
    setParams(p);
  }, []);
  // Screens see the server only through safeApi: nothing they fetch reaches the terminal raw.
  const api = useMemo(() => safeApi(props.api), [props.api]);
  const ctx = useMemo<AppCtx>(
    () => ({ store: props.store, api, go, params, cwd: props.cwd ?? process.cwd(), recentFile: props.recentFile ?? null }),
    [props.store, api, go, params, props.cwd, props.recentFile],
  );
  return (
    <Ctx.Provider value={ctx}>
      <Main screen={screen} go={go} onQuit={props.onQuit} />
    </Ctx.Provider>
  );
}

function Main({ screen, go, onQuit }: { screen: ScreenId; go: (s: ScreenId, p?: NavParams) => void; onQuit?: () => void }) {
  const [help, setHelp] = useState(false);
  const ink = useInkApp();
  const quit = useCallback(() => {
    onQuit?.();
    ink.exit();
  }, [ink, onQuit]);

  const size = useTerminalSize();
  const role = useData((d) => d.user?.role);
  const screens = screensFor(role);
  // A room screen (not a tab) shows under its parent's tab; Esc it does not use goes back there.
  const room = roomScreen(role, screen);
  const tabOf = room ? room.parent : screen;
  const index = Math.max(0, screens.findIndex((s) => s.id === tabOf));
  const tooSmall = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;

  /** One key to the shell or the screen; true when something acted on it (the key router then waits for its render). */
  function dispatch(k: KeyPress, sk: ScreenKeys | null): boolean {
    if (k.name === 'ctrlC') {
      quit();
      return true;
    }
    if (tooSmall) {
      if (!isChar(k, 'q')) return false;
      quit();
      return true;
    }
    if (help) {
      if (!(k.name === 'escape' || isChar(k, '?') || isChar(k, 'q') || k.name === 'enter')) return false;
      setHelp(false);
      return true;
    }
    if (sk?.capture) return sk.handle(k);
    if (sk && k.name === 'escape' && sk.handle(k)) return true;
    if (room && k.name === 'escape') {
      go(room.parent);
      return true;
    }
    if (globalKey(k)) return true;
    return sk?.handle(k) ?? false;
  }

  function globalKey(k: KeyPress): boolean {
    const move = (d: number) => go(screens[(index + d + screens.length) % screens.length]!.id);
    if (isChar(k, 'q')) quit();
    else if (isChar(k, '?')) setHelp(true);
    else if (k.name === 'tab' || isChar(k, ']')) move(1);
    else if (k.name === 'backtab' || isChar(k, '[')) move(-1);
    else if (k.name === 'char' && /^[0-9]$/.test(k.text)) {
      const s = screens[(Number(k.text) + 9) % 10];
      if (s) go(s.id);
    } else return false;
    return true;
  }

  return (
    <KeyRouterProvider dispatch={dispatch}>
      {tooSmall ? (
        <Box width={size.columns} flexDirection="column">
          <Text wrap="wrap">{`Window too small: ${size.columns}x${size.rows}; judge needs at least ${MIN_COLUMNS}x${MIN_ROWS}. Resize, or press q to quit.`}</Text>
        </Box>
      ) : (
        <Shell screens={screens} index={index} active={room?.def ?? screens[index]!} help={help} width={size.columns} height={size.rows - 1} />
      )}
    </KeyRouterProvider>
  );
}

/** Header, tabs, notice line, then the active screen or the help overlay. */
function Shell({ screens, index, active, help, width, height }: { screens: ScreenDef[]; index: number; active: ScreenDef; help: boolean; width: number; height: number }) {
  // `height` is one row short of the terminal: a frame as tall as the screen makes Ink clear and redraw.
  const def = active;
  const Active = def.Component;
  const keys = useActiveScreenKeys();
  return (
    <Box flexDirection="column" width={width} height={height}>
      <HeaderLine width={width} />
      <Tabs screens={screens} active={index} width={width} />
      <NoticeLine width={width} />
      {help ? <HelpOverlay width={width} height={height - 3} title={def.title} screenHelp={keys?.help ?? []} /> : <Active key={def.id} width={width} height={height - 3} />}
    </Box>
  );
}
