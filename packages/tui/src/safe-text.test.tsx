/**
 * Text from other people is shown clean on every screen: a hostile clarification (OSC 52 clipboard
 * write, window title, cursor-position report request), team name and problem statement reach the
 * terminal without any escape sequence of theirs.
 */
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from './app.tsx';
import type { Api } from './context.ts';
import { JUDGE_USER, T0, problemInfo, teamState } from '../test-utils/fixtures.ts';
import { frameContaining, renderAt, tick, type Rendered } from '../test-utils/testing.tsx';
import { ClientState } from './state.ts';

const ESC = '\x1b';
const HOSTILE = `${ESC}]52;c;cm0gLXJmIH4=\x07${ESC}]0;pwned\x07${ESC}[6n${ESC}P+q544e${ESC}\\\u202e`;

const mounted: Rendered[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

async function mount(store: ClientState, api: Api) {
  const r = renderAt(<App store={store} api={api} />, 100, 30);
  mounted.push(r);
  await tick(30);
  return r;
}

/** Everything Ink wrote, minus its own colour codes (SGR), must hold no escape or control. */
function expectClean(r: Rendered) {
  const raw = r.stdout.frames.join('');
  // eslint-disable-next-line no-control-regex
  const rest = raw.replace(/\x1b\[[0-9;]*m/g, '');
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.exec(rest);
  expect(bad, bad ? `control U+${bad[0].charCodeAt(0).toString(16)} in ${JSON.stringify(rest.slice(Math.max(0, bad.index - 40), bad.index + 40))}` : '').toBeNull();
  expect(raw).not.toContain('52;c;');
  expect(raw).not.toContain('pwned');
}

const noAnswer: Api = { request: (async () => ({ submissions: [] })) as Api['request'] };

describe('hostile text from other people', () => {
  test('a clarification with OSC 52, title and cursor-report sequences shows clean in the jury notice line and list', async () => {
    const store = teamState({ user: JUDGE_USER });
    const r = await mount(store, noAnswer);
    store.applyEvent({
      type: 'event', seq: 101, atMs: T0,
      event: { kind: 'clarification', clarification: { id: 'c9', kind: 'question', fromTeamId: 'team2', toTeamId: null, problemId: null, replyToId: null,
        quotedQuestion: null, text: `please ${HOSTILE}help`, createdAtMs: T0 + 200_000, contestTimeMs: 200_000, answered: false } },
    });
    expect(await frameContaining(r, 'Question: please help')).toContain('Question: please help');
    await r.press('4');
    expect(await frameContaining(r, 'please help')).toContain('please help');
    expectClean(r);
  });

  test('a team name with escapes shows clean on the scoreboard', async () => {
    const store = teamState();
    const row = store.getSnapshot().scoreboard!.rows[0]!;
    store.applyEvent({ type: 'event', seq: 101, atMs: T0, event: { kind: 'scoreboard', view: 'public', frozen: false, rows: [{ ...row, teamName: `Evil${HOSTILE} Team` }] } });
    const r = await mount(store, noAnswer);
    await r.press('5');
    expect(await frameContaining(r, 'Evil Team')).toContain('Evil Team');
    expectClean(r);
  });

  test('a statement fetched by the screen (problem name from a package) shows clean', async () => {
    const store = teamState();
    const p = problemInfo(0);
    store.update({ statements: {} });
    const api: Api = { request: (async () => ({ problem: { ...p, name: `Sneaky${HOSTILE} Sum`, markdown: `Read n.${HOSTILE}\n\nPrint it.`, samples: [{ ...p.samples[0]!, input: `1${HOSTILE}\n` }] } })) as Api['request'] };
    const r = await mount(store, api);
    await r.press('2');
    expect(await frameContaining(r, 'Sneaky Sum')).toContain('Print it.');
    expectClean(r);
  });

  test('a snapshot and the logged-in user are cleaned on the way into the store', () => {
    const store = new ClientState();
    const base = teamState().getSnapshot();
    store.clientFeed().handlers.onSession({ token: 'x'.repeat(16), user: { ...JUDGE_USER, displayName: `J${HOSTILE}ury` }, expiresAtMs: null });
    store.applySnapshot({ clock: { ...base.clock!, name: `LAN${HOSTILE} Cup` }, scoreboard: base.scoreboard!, problems: base.problems, clarifications: [] }, 5);
    expect(store.getSnapshot().user!.displayName).toBe('Jury');
    expect(store.getSnapshot().clock!.name).toBe('LAN Cup');
  });
});
