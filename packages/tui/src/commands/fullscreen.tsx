import React from 'react';
import path from 'node:path';
import { render } from 'ink';
import { App } from '../app.tsx';
import { safeText } from '@judged/shared/terminal-text';
import { JudgeClient, RequestError } from '../client.ts';
import { ClientState } from '../state.ts';
import { clearSessionToken, configDir, resolveTarget } from '../lib/config.ts';
import { enterFullscreen } from '../lib/terminal.ts';
import { CliError, describeRequestError } from './output.ts';
import { credentials, saveSession, type GlobalOpts } from './session.ts';
import { MAX_FPS } from '../lib/frame-rate.ts';

/**
 * `judge` with no subcommand: log in (prompting before the screen switches, so the prompt is
 * readable), then run the full-screen client until q. The client keeps reconnecting on its own; the
 * terminal is restored on every way out.
 */
export async function cmdFullscreen(opts: GlobalOpts, retried = false): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CliError('the full-screen client needs a terminal; in scripts use the subcommands (judge status, judge submit, … --json)');
  }
  const target = resolveTarget(opts);
  const auth = await credentials(target, true);
  const store = new ClientState();
  const feed = store.clientFeed();
  const client = new JudgeClient({
    url: target.url,
    auth,
    subscribe: true,
    reconnect: true,
    sinceSeq: feed.sinceSeq,
    handlers: {
      ...feed.handlers,
      onSession: (s) => {
        feed.handlers.onSession(s);
        saveSession(target, s.user.username, s.token);
      },
    },
  });
  process.stderr.write(`Connecting to ${target.url}…\n`);
  try {
    await client.ready();
  } catch (err) {
    client.close();
    if (err instanceof RequestError) {
      if (err.code === 'session_invalid' && auth.kind === 'token' && !retried) {
        // The stored session expired or the server's data was reset: forget it and ask again.
        clearSessionToken();
        process.stderr.write('The stored session is no longer valid; please log in again.\n');
        return cmdFullscreen(opts, true);
      }
      if (err.code === 'disconnected') throw new CliError(`cannot reach the judge server at ${target.url}. Is it running? Check --server or JUDGE_SERVER.`, 2, 'unreachable');
      throw new CliError(describeRequestError(err), 2, err.code);
    }
    throw err;
  }
  keepProblemsFresh(store, client);

  const screen = enterFullscreen();
  // Registered before Ink's own listener: start every resize from a blank screen with the cursor at
  // the top, so Ink's redraw (which erases upward from where it thinks its frame ended) cannot leave
  // rows of the old size behind.
  const onResize = () => process.stdout.write('\x1b[2J\x1b[H');
  process.stdout.on('resize', onResize);
  const ink = render(
    <App store={store} api={client} recentFile={path.join(configDir(), 'recent.json')} />,
    { exitOnCtrlC: false, patchConsole: true, maxFps: MAX_FPS },
  );
  try {
    await ink.waitUntilExit();
  } finally {
    ink.cleanup();
    process.stdout.off('resize', onResize);
    screen.leave();
    client.close();
  }
  if (client.sessionEnded) {
    // Logged out everywhere, a new password or a disabled account: the stored token is dead and the
    // password is not reused; only the user, asked again, may log back in.
    clearSessionToken();
    process.stderr.write(`judge: ${safeText(client.sessionEnded)} (Ctrl-C to stop)\n`);
    // Let Ink finish unmounting (it turns raw mode off and unrefs stdin) before the password prompt.
    await new Promise((r) => setTimeout(r, 50));
    return cmdFullscreen(opts);
  }
  return 0;
}

/**
 * Problems are hidden before the start: when the clock says the contest runs (or after a reconnect)
 * and we have none, ask for them.
 */
function keepProblemsFresh(store: ClientState, client: JudgeClient): void {
  let asking = false;
  const check = () => {
    const d = store.getSnapshot();
    if (asking || d.conn.status !== 'online' || !d.clock || d.clock.state === 'before' || d.problems.length > 0) return;
    asking = true;
    client
      .request<'problems'>({ type: 'problems' })
      .then((r) => store.update({ problems: r.problems }))
      .catch(() => {})
      .finally(() => {
        // Try again on the next change if it did not work.
        setTimeout(() => (asking = false), 2000);
      });
  };
  store.subscribe(check);
  check();
}
