import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProblemFileError, safeEntryName, unpackZip } from './problem-files.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-samples-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.lstatSync(path.join(dir, f)).isFile()).sort();
}

describe('unpackZip (judge samples)', () => {
  it('unpacks into the directory and leaves files that are already the same', () => {
    const dest = path.join(root, 'A');
    const zip = zipSync({ '1.in': strToU8('1 2\n'), '1.ans': strToU8('3\n'), 'group/2.in': strToU8('x\n') });
    expect(unpackZip(zip, dest).written.sort()).toEqual(['1.ans', '1.in', 'group/2.in']);
    expect(fs.readFileSync(path.join(dest, '1.in'), 'utf8')).toBe('1 2\n');
    const again = unpackZip(zip, dest);
    expect(again.written).toEqual([]);
    expect(again.unchanged.length).toBe(3);
  });

  it('refuses to overwrite a file the team changed, and writes nothing at all', () => {
    const dest = path.join(root, 'A');
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, '1.ans'), 'my notes\n');
    const zip = zipSync({ '1.in': strToU8('1 2\n'), '1.ans': strToU8('3\n') });
    expect(() => unpackZip(zip, dest)).toThrow(/1\.ans already exists with other content/);
    expect(fs.readFileSync(path.join(dest, '1.ans'), 'utf8')).toBe('my notes\n');
    expect(fs.existsSync(path.join(dest, '1.in'))).toBe(false);
  });

  it.each(['../evil', 'a/../../evil', '/tmp/evil', '..\\evil', 'C:/evil', 'a/..'])('refuses the entry %j (zip slip) and writes nothing', (name) => {
    const dest = path.join(root, 'A');
    const zip = zipSync({ '1.in': strToU8('ok\n'), [name]: strToU8('pwned\n') });
    expect(() => unpackZip(zip, dest)).toThrow(ProblemFileError);
    expect(fs.existsSync(dest) ? tree(dest) : []).toEqual([]);
    expect(tree(root)).toEqual([]);
    expect(fs.existsSync('/tmp/evil')).toBe(false);
  });

  it('refuses to write through a symbolic link inside the directory', () => {
    const dest = path.join(root, 'A');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(dest);
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(dest, 'group'));
    expect(() => unpackZip(zipSync({ 'group/1.in': strToU8('x\n') }), dest)).toThrow(/symbolic link/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('refuses what is not a zip, naming it', () => {
    expect(() => unpackZip(strToU8('not a zip'), path.join(root, 'A'))).toThrow(/not a valid zip/);
  });

  it('keeps plain names', () => {
    expect(safeEntryName('./sub/1.in')).toBe('sub/1.in');
    expect(safeEntryName('1.interaction')).toBe('1.interaction');
  });
});
