import { describe, expect, it } from 'vitest';
import { builtinLanguages } from './defaults.ts';
import { detectLanguage } from './detect.ts';

const langs = builtinLanguages();
const id = (files: { name: string; firstLine?: string }[]) => detectLanguage(langs, files)?.id;

describe('detectLanguage (problemtools languages.yaml rules)', () => {
  it('a python2 shebang makes a .py file Python 2; without one it is Python 3', () => {
    expect(id([{ name: 'a.py', firstLine: '#!/usr/bin/env python2' }])).toBe('python2');
    expect(id([{ name: 'a.py', firstLine: '#!/usr/bin/python2.7' }])).toBe('python2');
    expect(id([{ name: 'a.py', firstLine: '#!/usr/bin/env python3' }])).toBe('python3');
    expect(id([{ name: 'a.py', firstLine: 'print(1)' }])).toBe('python3');
    expect(id([{ name: 'a.py' }])).toBe('python3');
    expect(id([{ name: 'a.py2' }])).toBe('python2');
    expect(id([{ name: 'a.py3' }])).toBe('python3');
  });
  it('counts evidence: a python2 main with a shebang-less helper is Python 3 (more files count for it)', () => {
    expect(id([{ name: 'main.py', firstLine: '#!/usr/bin/env python2' }, { name: 'helper.py' }])).toBe('python3');
    expect(id([{ name: 'main.py', firstLine: '#!/usr/bin/env python2' }, { name: 'helper.py', firstLine: '#! python2' }])).toBe('python2');
  });
  it('most files win, then priority', () => {
    expect(id([{ name: 'a.cpp' }, { name: 'b.h' }])).toBe('cpp');
    expect(id([{ name: 'a.c' }, { name: 'b.c' }, { name: 'c.cpp' }])).toBe('c');
    expect(id([{ name: 'a.c' }, { name: 'c.cpp' }])).toBe('cpp');
    expect(id([{ name: 'Main.java' }])).toBe('java');
    expect(id([{ name: 'notes.txt' }])).toBeUndefined();
  });
});
