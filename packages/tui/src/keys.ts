import type { Key } from 'ink';

/**
 * Every key the client understands is parsed here and nowhere else: Ink's (input, key) pair becomes
 * one KeyPress with a stable name, and the keymap below says what each name does and is what `?`
 * shows. Screens receive KeyPress values, never raw input.
 */
export type KeyName =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'enter'
  | 'escape'
  | 'tab'
  | 'backtab'
  | 'backspace'
  | 'delete'
  | 'ctrlC'
  | 'ctrlU'
  | 'ctrlW'
  | 'char';

export interface KeyPress {
  name: KeyName;
  /** The typed text for 'char' (may be several characters when pasted), else ''. */
  text: string;
}

export function parseKey(input: string, key: Key): KeyPress {
  if (key.ctrl && input === 'c') return { name: 'ctrlC', text: '' };
  if (key.ctrl && input === 'u') return { name: 'ctrlU', text: '' };
  if (key.ctrl && input === 'w') return { name: 'ctrlW', text: '' };
  if (key.upArrow) return { name: 'up', text: '' };
  if (key.downArrow) return { name: 'down', text: '' };
  if (key.leftArrow) return { name: 'left', text: '' };
  if (key.rightArrow) return { name: 'right', text: '' };
  if (key.pageUp) return { name: 'pageUp', text: '' };
  if (key.pageDown) return { name: 'pageDown', text: '' };
  if (key.home) return { name: 'home', text: '' };
  if (key.end) return { name: 'end', text: '' };
  if (key.tab && key.shift) return { name: 'backtab', text: '' };
  if (key.tab) return { name: 'tab', text: '' };
  if (key.return) return { name: 'enter', text: '' };
  if (key.escape) return { name: 'escape', text: '' };
  // Terminals send DEL (0x7f) for Backspace; Ink reports it as `delete`.
  if (key.backspace || key.delete) return { name: 'backspace', text: '' };
  if (key.ctrl || key.meta) return { name: 'char', text: '' };
  // Shift-Tab arrives as ESC [ Z on some terminals when Ink does not recognise it.
  if (input === '\x1b[Z') return { name: 'backtab', text: '' };
  return { name: 'char', text: input };
}

/**
 * Ink hands over a burst of typed input as one string ("sol.py\t\r" when keys arrive together, as
 * from tmux, a paste or a fast typist; it splits off escape sequences itself). Split it on every
 * control character, so each key acts on its own: text runs, Tab, Enter, Backspace, Ctrl-C/U/W; any
 * other control character means nothing here and is dropped, never typed as text.
 */
export function parseKeys(input: string, key: Key): KeyPress[] {
  // Esc typed quickly before a key reaches us as Alt+key (ESC prefix). No key here uses Alt, so it
  // means what was typed: Escape, then the key.
  if (key.meta && !key.ctrl && !key.escape && input.length === 1 && input >= ' ') {
    return [{ name: 'escape', text: '' }, { name: 'char', text: input }];
  }
  const single = parseKey(input, key);
  // eslint-disable-next-line no-control-regex
  if (single.name !== 'char' || input.length < 2 || input.startsWith('\x1b') || !/[\x00-\x1f\x7f]/.test(input)) return [single];
  const out: KeyPress[] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of input.split(/([\x00-\x1f\x7f])/)) {
    if (part === '') continue;
    const named = CONTROL_KEYS[part];
    if (named) out.push({ name: named, text: '' });
    else if (part.length > 1 || part >= ' ') out.push({ name: 'char', text: part });
  }
  return out;
}

/** What a control character inside a burst is (parseKey's names for the same keys alone). */
const CONTROL_KEYS: Readonly<Record<string, KeyName>> = {
  '\t': 'tab',
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\x08': 'backspace',
  '\x03': 'ctrlC',
  '\x15': 'ctrlU',
  '\x17': 'ctrlW',
};

/** True for a printable character press equal to `ch`. */
export function isChar(k: KeyPress, ch: string): boolean {
  return k.name === 'char' && k.text === ch;
}

/** Movement intent shared by every list: returns the new index or null when the key is no move. */
export function moveIndex(k: KeyPress, index: number, count: number, page: number): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  let next: number;
  if (k.name === 'up' || isChar(k, 'k')) next = index - 1;
  else if (k.name === 'down' || isChar(k, 'j')) next = index + 1;
  else if (k.name === 'pageUp') next = index - Math.max(1, page);
  else if (k.name === 'pageDown') next = index + Math.max(1, page);
  else if (k.name === 'home' || isChar(k, 'g')) next = 0;
  else if (k.name === 'end' || isChar(k, 'G')) next = last;
  else return null;
  return Math.min(last, Math.max(0, next));
}

export interface KeyHelp {
  keys: string;
  what: string;
}

/** Keys that work on every screen; the help overlay lists these first. */
export const GLOBAL_KEYS: KeyHelp[] = [
  { keys: 'Tab / ]', what: 'next screen' },
  { keys: 'Shift-Tab / [', what: 'previous screen' },
  { keys: '1-9 0', what: 'go to screen by number (0: the tenth)' },
  { keys: '↑↓ / j k', what: 'move' },
  { keys: 'PgUp PgDn', what: 'page' },
  { keys: 'Home End / g G', what: 'first / last' },
  { keys: '/', what: 'filter the list' },
  { keys: 'Enter', what: 'open' },
  { keys: 'Esc', what: 'close overlay / clear filter' },
  { keys: '?', what: 'this help' },
  { keys: 'q / Ctrl-C', what: 'quit' },
];
