import { describe, expect, test } from 'vitest';
import type { Key } from 'ink';
import { moveIndex, parseKey, parseKeys } from './keys.ts';

const key = (k: Partial<Key> = {}): Key =>
  ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...k }) as Key;

describe('keys are parsed in one place', () => {
  test('named keys', () => {
    expect(parseKey('c', key({ ctrl: true }))).toEqual({ name: 'ctrlC', text: '' });
    expect(parseKey('', key({ tab: true, shift: true }))).toEqual({ name: 'backtab', text: '' });
    expect(parseKey('', key({ delete: true }))).toEqual({ name: 'backspace', text: '' });
    expect(parseKey('j', key())).toEqual({ name: 'char', text: 'j' });
  });
  test('a burst splits into text, Tab, Enter and Backspace', () => {
    expect(parseKeys('ab\tc\r\x7f', key()).map((k) => k.name + k.text)).toEqual(['charab', 'tab', 'charc', 'enter', 'backspace']);
  });
  test('Alt+key (Esc typed quickly before a key) is Escape then the key', () => {
    expect(parseKeys('5', key({ meta: true }))).toEqual([{ name: 'escape', text: '' }, { name: 'char', text: '5' }]);
    expect(parseKeys('', key({ escape: true, meta: true }))).toEqual([{ name: 'escape', text: '' }]);
  });
  test('list movement clamps to the list', () => {
    expect(moveIndex({ name: 'down', text: '' }, 4, 5, 10)).toBe(4);
    expect(moveIndex({ name: 'pageDown', text: '' }, 0, 300, 19)).toBe(19);
    expect(moveIndex({ name: 'char', text: 'G' }, 0, 300, 19)).toBe(299);
    expect(moveIndex({ name: 'char', text: 'x' }, 0, 300, 19)).toBeNull();
  });
});
