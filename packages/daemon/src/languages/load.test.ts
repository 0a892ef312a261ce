import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLanguages, languageForFiles, loadLanguages, LanguagesConfigError } from './index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-langs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function yamlFile(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('loadLanguages', () => {
  it('has the built-in languages with commands resolved to absolute paths', () => {
    const langs = loadLanguages();
    expect(langs.map((l) => l.id)).toEqual(['c', 'cpp', 'python2', 'python3', 'java', 'javascript', 'rust']);
    const cpp = langs.find((l) => l.id === 'cpp')!;
    expect(cpp.compile).toContain('-std=gnu++20');
    for (const l of langs.filter((x) => !x.disabled)) {
      for (const cmd of [l.compile, l.run, l.version]) {
        if (cmd && !cmd[0]!.startsWith('{')) expect(path.isAbsolute(cmd[0]!)).toBe(true);
      }
    }
    const java = langs.find((l) => l.id === 'java')!;
    expect(java.run).toContain('-Xmx{memlimit_mb}m');
    expect(java.run).toContain('-XX:+UseSerialGC');
    expect(java.processes).toBeGreaterThan(16);
  });

  it('never resolves python3 to a shim outside the system directories', () => {
    const py = loadLanguages().find((l) => l.id === 'python3')!;
    if (!py.disabled) expect(py.run[0]).toMatch(/^\/(usr\/)?(local\/)?bin\//);
  });

  it('disables a language whose compiler is missing, saying what to do', () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const langs = loadLanguages(undefined, { searchPath: [empty], noProbes: true });
    const c = langs.find((l) => l.id === 'c')!;
    expect(c.disabled).toMatch(/gcc not found in .*install it there/);
  });

  it('applies overrides, adds and removes languages from languages.yaml', () => {
    const f = yamlFile(
      'ok.yaml',
      `languages:
  cpp:
    compile: [g++, -O2, -std=gnu++23, -o, '{binary}', '{files}']
  python3:
    name: Python 3 (CPython)
  sh:
    name: Shell
    extensions: [sh]
    run: [sh, '{progdir}/{main}']
    version: [sh, -c, 'echo dash']
    processes: 4
  rust: false
`,
    );
    const langs = loadLanguages(f);
    expect(langs.find((l) => l.id === 'rust')).toBeUndefined();
    const cpp = langs.find((l) => l.id === 'cpp')!;
    expect(cpp.compile).toContain('-std=gnu++23');
    expect(cpp.run).toEqual(['{binary}']);
    expect(langs.find((l) => l.id === 'python3')!.name).toBe('Python 3 (CPython)');
    const sh = langs.find((l) => l.id === 'sh')!;
    expect(sh.compile).toBeUndefined();
    expect(sh.processes).toBe(4);
    expect(sh.run[0]).toMatch(/\/sh$/);
  });

  it('names the file, line and field of a bad entry', () => {
    const f = yamlFile('bad.yaml', 'languages:\n  cpp:\n    compile: g++ -O2\n');
    expect(() => loadLanguages(f)).toThrow(LanguagesConfigError);
    try {
      loadLanguages(f);
    } catch (err) {
      expect((err as Error).message).toMatch(/bad\.yaml:3: languages\.cpp\.compile: .*give a list of arguments/);
    }
    const g = yamlFile('new.yaml', 'languages:\n  kotlin:\n    name: Kotlin\n');
    expect(() => loadLanguages(g)).toThrow(/new\.yaml:3: languages\.kotlin: a new language needs extensions, run, version/);
    const h = yamlFile('unknown.yaml', 'languages:\n  cpp:\n    compiel: [g++]\n');
    expect(() => loadLanguages(h)).toThrow(/unknown\.yaml:\d+: languages\.cpp/);
    const clash = yamlFile('clash.yaml', 'languages:\n  c:\n    extensions: [c, cpp]\n    priority: 1000\n');
    expect(() => loadLanguages(clash)).toThrow(/extension \.cpp belongs to both c and cpp .*different priority/);
    // Shared with distinct priorities is what detection needs (python2 and python3 share .py).
    expect(loadLanguages(yamlFile('share.yaml', 'languages:\n  c:\n    extensions: [c, cpp]\n')).find((l) => l.id === 'c')!.extensions).toEqual(['c', 'cpp']);
  });
});

describe('languageForFiles', () => {
  const langs = loadLanguages();
  it('picks the language by extension, ignoring headers', () => {
    expect(languageForFiles(langs, ['a.cpp', 'b.h'])?.id).toBe('cpp');
    expect(languageForFiles(langs, ['Main.java'])?.id).toBe('java');
    expect(languageForFiles(langs, ['x.c'])?.id).toBe('c');
    expect(languageForFiles(langs, ['x.txt'])).toBeUndefined();
    expect(languageForFiles(langs, ['x.py', 'y.cpp'])?.id).toBe('cpp'); // a tie: the higher priority, as problemtools
  });
});

describe('checkLanguages', () => {
  it('reports a version line for each available language and the reason for a disabled one', async () => {
    const langs = loadLanguages();
    langs.push({ ...langs[0]!, id: 'gone', disabled: 'gone-cc not found' });
    const statuses = await checkLanguages(langs);
    const c = statuses.find((s) => s.language.id === 'c')!;
    expect(c.available).toBe(true);
    expect(c.detail).toMatch(/gcc/);
    const gone = statuses.find((s) => s.language.id === 'gone')!;
    expect(gone.available).toBe(false);
    expect(gone.detail).toContain('gone-cc not found');
  });
});
