import fs from 'node:fs';
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp as useInkApp, useInput } from 'ink';
import { Ctx, useData, type Api, type AppCtx, type NavParams, type ScreenId } from './context.ts';
import type { ClientState } from './state.ts';
import { GLOBAL_KEYS, isChar, parseKeys, type KeyHelp, type KeyPress } from './keys.ts';
import { KeyRouterContext, useTerminalSize, useTick, type KeyRouter, type ScreenKeys } from './components/hooks.ts';
import { Header } from './components/Header.tsx';
import { HelpBar } from './components/Frame.tsx';
import { cellWidth, fit, truncate } from './lib/text.ts';
import { ProblemsScreen } from './screens/Problems.tsx';
import { StatementScreen } from './screens/Statement.tsx';
import { SubmitScreen } from './screens/Submit.tsx';
import { SubmissionsScreen } from './screens/Submissions.tsx';
import { ScoreboardScreen } from './screens/Scoreboard.tsx';
import { ClarificationsScreen } from './screens/Clarifications.tsx';
import { QueueScreen } from './screens/Queue.tsx';
import { JudgehostsScreen } from './screens/Judgehosts.tsx';
import { JurySubmissionsScreen } from './screens/JurySubmissions.tsx';
import { ContestScreen } from './screens/Contest.tsx';
import { safeApi } from './lib/safe-api.ts';
import { isJury } from '@judged/shared/visibility';

/** JUDGE_KEYLOG=file records every key as parsed, to diagnose a terminal that sends odd input. */
const KEYLOG = process.env.JUDGE_KEYLOG;

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface ScreenProps {
  width: number;
  height: number;
}

interface ScreenDef {
  id: ScreenId;
  title: string;
  /** The tab label when the full titles do not fit in the width (80 columns). */
  short: string;
  Component: React.ComponentType<ScreenProps>;
}

const TEAM_SCREENS: ScreenDef[] = [
  { id: 'problems', title: 'Problems', short: 'Probs', Component: ProblemsScreen },
  { id: 'statement', title: 'Statement', short: 'Stmt', Component: StatementScreen },
  { id: 'submit', title: 'Submit', short: 'Submit', Component: SubmitScreen },
  { id: 'submissions', title: 'Submissions', short: 'Subs', Component: SubmissionsScreen },
  { id: 'scoreboard', title: 'Scoreboard', short: 'Board', Component: ScoreboardScreen },
  { id: 'clarifications', title: 'Clarifications', short: 'Clars', Component: ClarificationsScreen },
];

const JURY_SCREENS: ScreenDef[] = [
  { id: 'queue', title: 'Queue', short: 'Queue', Component: QueueScreen },
  { id: 'jury-submissions', title: 'Submissions', short: 'Subs', Component: JurySubmissionsScreen },
  { id: 'scoreboard', title: 'Scoreboard', short: 'Board', Component: ScoreboardScreen },
  { id: 'clarifications', title: 'Clarifications', short: 'Clars', Component: ClarificationsScreen },
  { id: 'problems', title: 'Problems', short: 'Probs', Component: ProblemsScreen },
  { id: 'statement', title: 'Statement', short: 'Stmt', Component: StatementScreen },
  { id: 'contest', title: 'Contest', short: 'Contest', Component: ContestScreen },
  { id: 'judgehosts', title: 'Judgehosts', short: 'Hosts', Component: JudgehostsScreen },
];

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
 * never taller than it minus one row (so Ink redraws in place instead of clearing). The keyboard is
 * read here once; keys go to an open overlay, else to the screen when it has a text field focused,
 * else to the global keys, else to the screen.
 */
export function App(props: AppProps) {
  const [screen, setScreen] = useState<ScreenId>(props.initialScreen ?? (props.store.isJury() ? 'queue' : 'problems'));
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
  const router = useRef<ScreenKeys | null>(null) as KeyRouter;
  const ink = useInkApp();
  const quit = useCallback(() => {
    onQuit?.();
    ink.exit();
  }, [ink, onQuit]);

  const size = useTerminalSize();
  const user = useData((d) => d.user);
  const screens = isJury(user) ? JURY_SCREENS : TEAM_SCREENS;
  const index = Math.max(0, screens.findIndex((s) => s.id === screen));
  const tooSmall = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;

  // Keys of one burst are handled one render apart, so each sees the state the previous one made:
  // the next key waits for the render that follows the last one (or 250 ms when it changed nothing).
  const queue = useRef<KeyPress[]>([]);
  const waiting = useRef<{ rendered: boolean; timer: NodeJS.Timeout } | null>(null);
  const step = () => {
    if (waiting.current) clearTimeout(waiting.current.timer);
    waiting.current = null;
    const k = queue.current.shift();
    if (!k) return;
    onKeyRef.current(k);
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
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;

  function onKey(k: KeyPress): void {
    if (k.name === 'ctrlC') return quit();
    if (tooSmall) {
      if (isChar(k, 'q')) quit();
      return;
    }
    if (help) {
      if (k.name === 'escape' || isChar(k, '?') || isChar(k, 'q') || k.name === 'enter') setHelp(false);
      return;
    }
    const sk = router.current;
    if (sk?.capture) {
      sk.handle(k);
      return;
    }
    if (sk && k.name === 'escape' && sk.handle(k)) return;
    if (globalKey(k)) return;
    sk?.handle(k);
  }

  function globalKey(k: KeyPress): boolean {
    const move = (d: number) => go(screens[(index + d + screens.length) % screens.length]!.id);
    if (isChar(k, 'q')) {
      quit();
      return true;
    }
    if (isChar(k, '?')) {
      setHelp(true);
      return true;
    }
    if (k.name === 'tab' || isChar(k, ']')) {
      move(1);
      return true;
    }
    if (k.name === 'backtab' || isChar(k, '[')) {
      move(-1);
      return true;
    }
    if (k.name === 'char' && /^[1-9]$/.test(k.text)) {
      const s = screens[Number(k.text) - 1];
      if (s) go(s.id);
      return true;
    }
    return false;
  }

  if (tooSmall) {
    const msg = `Window too small: ${size.columns}x${size.rows}; judge needs at least ${MIN_COLUMNS}x${MIN_ROWS}. Resize, or press q to quit.`;
    return (
      <Box width={size.columns} flexDirection="column">
        <Text wrap="wrap">{msg}</Text>
      </Box>
    );
  }

  const width = size.columns;
  // One row short of the terminal: a frame as tall as the screen makes Ink clear and redraw.
  const height = size.rows - 1;
  const def = screens[index]!;
  const Active = def.Component;
  return (
      <KeyRouterContext.Provider value={router}>
        <Box flexDirection="column" width={width} height={height}>
          <HeaderLine width={width} />
          <Tabs screens={screens} active={index} width={width} />
          <NoticeLine width={width} />
          {help ? (
            <HelpOverlay width={width} height={height - 3} title={def.title} screenHelp={router.current?.help ?? []} />
          ) : (
            <Active key={def.id} width={width} height={height - 3} />
          )}
        </Box>
      </KeyRouterContext.Provider>
  );
}

function HeaderLine({ width }: { width: number }) {
  useTick(1000);
  const clock = useData((d) => d.clock);
  const conn = useData((d) => d.conn);
  const user = useData((d) => d.user);
  const offset = useData((d) => d.offsetMs);
  const who = user ? (user.role === 'team' ? user.displayName || user.username : `${user.username} (${user.role})`) : '';
  return <Header width={width} clock={clock} nowMs={Date.now() + offset} conn={conn} user={who} />;
}

function Tabs({ screens, active, width }: { screens: ScreenDef[]; active: number; width: number }) {
  const unread = useData((d) => d.unread.length);
  const parts = tabLabels(screens, active, unread, width);
  return (
    <Box width={width} height={1}>
      {parts.map((p, i) => (
        <Text key={i} inverse={p.active} bold={p.active} color={p.badge ? 'yellow' : undefined}>
          {p.text}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The tab texts for a width. Full titles when they fit; else the longest inactive titles give way to
 * their short labels one at a time (the active tab stays in full), then the active one too, then the
 * padding goes. A name is never cut mid-word and the number and unread badge always stay.
 */
export function tabLabels(screens: { title: string; short: string; id: string }[], active: number, unread: number, width: number) {
  const parts = screens.map((s, i) => ({
    label: s.title,
    short: s.short,
    n: `${i + 1}`,
    badge: s.id === 'clarifications' && unread > 0 ? `(${unread})` : '',
    active: i === active,
  }));
  let pad = ' ';
  const text = (p: (typeof parts)[number]) => `${pad}${p.n} ${p.label}${p.badge}${pad}`;
  const total = () => parts.reduce((n, p) => n + cellWidth(text(p)), 0) + (pad ? 0 : parts.length - 1);
  const shorten = (activeToo: boolean) => {
    while (total() > width) {
      const longest = parts
        .filter((p) => (activeToo || !p.active) && p.label !== p.short)
        .sort((a, b) => b.label.length - b.short.length - (a.label.length - a.short.length))[0];
      if (!longest) return;
      longest.label = longest.short;
    }
  };
  shorten(false);
  shorten(true);
  if (total() > width) pad = '';
  // Without padding the tabs are kept apart by one space (which the active tab's inverse does not cover).
  const out = parts.map((p, i) => ({ text: (pad || i === 0 ? '' : ' ') + text(p), badge: p.badge, active: p.active }));
  let used = 0;
  return out.flatMap((p) => {
    const room = width - used;
    if (room <= 0) return [];
    const t = truncate(p.text, room, '');
    used += cellWidth(t);
    return [{ ...p, text: t }];
  });
}

function NoticeLine({ width }: { width: number }) {
  useTick(1000);
  const notices = useData((d) => d.notices);
  const conn = useData((d) => d.conn);
  const latest = notices[notices.length - 1];
  if (conn.status === 'failed') {
    // Retrying cannot help (session revoked, account disabled): say so and what to do.
    return (
      <Box width={width} height={1}>
        <Text color="white" backgroundColor="red">{fit(conn.sessionEnded ? ` ✕ press q to log in again — ${conn.message}` : ` ✕ ${conn.message} — quit (q) and run judge again to log in`, width)}</Text>
      </Box>
    );
  }
  // Notices stay 20 s; the unread badge on Clarifications stays until read.
  if (!latest || Date.now() - latest.atMs > 20_000) return <Box width={width} height={1} />;
  return (
    <Box width={width} height={1}>
      <Text color="black" backgroundColor="yellow">{fit(` ! ${latest.text}`, width)}</Text>
    </Box>
  );
}

function HelpOverlay({ width, height, title, screenHelp }: { width: number; height: number; title: string; screenHelp: KeyHelp[] }) {
  const lines: { k: string; w: string; head?: boolean }[] = [
    { k: 'Everywhere', w: '', head: true },
    ...GLOBAL_KEYS.map((h) => ({ k: h.keys, w: h.what })),
    { k: '', w: '' },
    { k: title, w: '', head: true },
    ...screenHelp.map((h) => ({ k: h.keys, w: h.what })),
  ];
  const half = Math.floor(width / 2);
  const twoCols = lines.length > height - 1 && width >= 80;
  const colH = height - 1;
  const cols = twoCols ? [lines.slice(0, colH), lines.slice(colH, colH * 2)] : [lines.slice(0, colH)];
  const colW = twoCols ? half : width;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexDirection="row" width={width} height={height - 1}>
        {cols.map((col, ci) => (
          <Box key={ci} flexDirection="column" width={colW}>
            {col.map((l, i) => (
              <Text key={i} bold={l.head} color={l.head ? 'cyan' : undefined}>
                {fit(l.head ? ` ${l.k}` : `  ${fit(l.k, 16)} ${l.w}`, colW)}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      <HelpBar hints="Esc close help" width={width} />
    </Box>
  );
}
