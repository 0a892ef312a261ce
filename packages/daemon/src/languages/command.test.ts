import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mainFile, sourceFiles } from './command.ts';
import { builtinLanguages } from './defaults.ts';

const langs = builtinLanguages();
const L = (id: string) => langs.find((l) => l.id === id)!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-command-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('mainFile and sourceFiles', () => {
  it('picks the entrypoint, the only source, a conventional name, else the first', () => {
    expect(mainFile(L('python3'), ['solve.py'])).toBe('solve.py');
    expect(mainFile(L('python3'), ['util.py', 'main.py', 'a.py'])).toBe('main.py');
    expect(mainFile(L('python3'), ['util.py', 'b.py'], 'b.py')).toBe('b.py');
    expect(mainFile(L('python3'), ['x.py', 'y.py'])).toBe('x.py');
    expect(mainFile(L('cpp'), ['sol.cpp', 'sol.h'])).toBe('sol.cpp');
  });
  it('gives the compiler only the language sources', () => {
    expect(sourceFiles(L('cpp'), ['b.cpp', 'a.cc', 'x.h', 'notes.txt'])).toEqual(['a.cc', 'b.cpp']);
  });
});
