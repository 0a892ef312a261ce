import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cellWidth, fit, progressBar, truncate, wrap } from './text.ts';
import { boxLines, renderMarkdown, texToText } from './markdown.ts';
import { compareOutput, lineDiff } from './output-check.ts';
import { resolveTarget, serverUrl, writeSession, readSession, sessionPath } from './config.ts';
import { checkSourceFile, completePath, guessLanguage } from './files.ts';

describe('text', () => {
  test('fit pads and truncates by cells, wide characters included', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(cellWidth(fit('日本語のチーム', 6))).toBeLessThanOrEqual(6);
    expect(truncate('x', 0)).toBe('');
  });
  test('wrap never exceeds the width', () => {
    const lines = wrap('a quite long sentence with averyveryverylongwordthatmustbreak in it', 10);
    for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(10);
    expect(lines.join(' ')).toContain('sentence');
  });
  test('progress bar marks passed and failed tests', () => {
    expect(progressBar(5, 8, 8, 5)).toBe('[....x   ] 5/8');
    expect(progressBar(3, 8, 8)).toBe('[...     ] 3/8');
    expect(progressBar(8, 8, 4)).toBe('[....] 8/8');
  });
});

describe('markdown', () => {
  test('math becomes readable text', () => {
    expect(texToText('1 \\le n \\le 10^{5}')).toBe('1 ≤ n ≤ 10^5');
    expect(texToText('\\frac{a+b}{2}')).toBe('(a+b)/2');
    expect(texToText('x_{i+1} \\neq \\sqrt{y}')).toBe('x_(i+1) ≠ √y');
  });
  test('headings, lists, code and emphasis; every line within the width', () => {
    const md = '# Title\n\nSome **bold** and *italic* and `code` text that goes on for quite a while to wrap.\n\n1. first item\n2. second item\n\n```\nint main() {}\n```\n';
    for (const w of [20, 40, 78]) {
      const lines = renderMarkdown(md, w);
      for (const l of lines) expect(cellWidth(l.map((s) => s.text).join(''))).toBeLessThanOrEqual(w);
      const text = lines.map((l) => l.map((s) => s.text).join('')).join('\n');
      expect(text).toContain('Title');
      expect(text).toContain('1. first item');
      expect(text).toContain('int main() {}');
      expect(lines.flat().some((s) => s.bold && s.text === 'bold')).toBe(true);
      expect(lines.flat().some((s) => s.italic && s.text === 'italic')).toBe(true);
      expect(lines.flat().some((s) => s.code && s.text === 'code')).toBe(true);
    }
  });
  test('tables and indented code', () => {
    const md = 'Text before.\n\n| n | answer |\n|---|---|\n| 1 | $10^{5}$ |\n| 20 | `x` |\n\n    1/n Σ x_i\n\nAfter.';
    for (const w of [20, 60]) {
      const lines = renderMarkdown(md, w).map((l) => l.map((s) => s.text).join(''));
      for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(w);
      expect(lines.some((l) => /^│ n +│ answer/.test(l) || /^│ n +│ ans/.test(l))).toBe(true);
      expect(lines.some((l) => l.includes('10^5'))).toBe(true);
      expect(lines).toContain('  1/n Σ x_i');
    }
  });
  test('sample boxes are exactly the width asked', () => {
    for (const l of boxLines('Sample 1 input', '3\n1 2 3\n', 30)) expect(cellWidth(l)).toBe(30);
  });
});

describe('compare (the judge default output validator)', () => {
  test('tokens, case, whitespace, missing and extra output', async () => {
    expect(await compareOutput('6\n', '6')).toEqual({ ok: true });
    expect((await compareOutput('Yes\n', 'yes\n')).ok).toBe(true);
    expect((await compareOutput('Yes\n', 'yes\n', { caseSensitive: true })).ok).toBe(false);
    expect((await compareOutput('1 2\n3\n', '1\n2 3')).ok).toBe(true);
    expect((await compareOutput('1\n2\n', '1\n3\n')).ok).toBe(false);
    expect((await compareOutput('1\n', '1\n2\n')).ok).toBe(false);
    expect((await compareOutput('1 2\n', '1\n')).ok).toBe(false);
  });
  test('float tolerance, absolute or relative', async () => {
    expect((await compareOutput('0.333333\n', '0.3333\n')).ok).toBe(false);
    expect((await compareOutput('0.333333\n', '0.3333\n', { floatAbsoluteTolerance: 1e-3 })).ok).toBe(true);
    expect((await compareOutput('1000000\n', '1000001\n', { floatRelativeTolerance: 1e-5 })).ok).toBe(true);
    expect((await compareOutput('1000000\n', '1000100\n', { floatRelativeTolerance: 1e-5 })).ok).toBe(false);
  });
  test('line diff shows the first difference', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nx\nc\n')).toEqual(['  1  a', '- 2  b', '+ 2  x', '  3  c']);
  });
});

describe('config', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'judge-cfg-'));
  test('server URL forms', () => {
    expect(serverUrl('host:9000')).toBe('ws://host:9000/ws');
    expect(serverUrl('ws://10.0.0.1:9000')).toBe('ws://10.0.0.1:9000/ws');
    expect(serverUrl('ws://h:1/ws')).toBe('ws://h:1/ws');
    expect(serverUrl('localhost')).toMatch(/^ws:\/\/localhost:\d+\/ws$/);
  });
  test('precedence: flag > environment > config file; the token only for the same server and user', () => {
    const dir = tmp();
    const env = { JUDGE_CONFIG_DIR: dir } as NodeJS.ProcessEnv;
    writeSession({ server: 'a:1', user: 'alice', token: 't'.repeat(20) }, env);
    expect(fs.statSync(sessionPath(env)).mode & 0o777).toBe(0o600);
    expect(readSession(env).user).toBe('alice');
    expect(resolveTarget({}, env)).toMatchObject({ server: 'a:1', user: 'alice', token: 't'.repeat(20) });
    expect(resolveTarget({}, { ...env, JUDGE_SERVER: 'b:2', JUDGE_USER: 'bob' })).toMatchObject({ server: 'b:2', user: 'bob', token: undefined });
    expect(resolveTarget({ server: 'c:3', user: 'carol' }, { ...env, JUDGE_SERVER: 'b:2', JUDGE_USER: 'bob' })).toMatchObject({ server: 'c:3', user: 'carol', userFrom: 'flag' });
    expect(resolveTarget({}, { ...env, JUDGE_PASSWORD: 'pw' }).password).toBe('pw');
    fs.writeFileSync(sessionPath(env), '{not json');
    expect(readSession(env)).toEqual({});
  });
});

describe('files', () => {
  test('completion, language guess and source checks', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-files-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'a.cpp'), 'int main(){}');
    fs.writeFileSync(path.join(dir, 'src', 'ab.py'), 'print(1)');
    fs.writeFileSync(path.join(dir, 'bin'), Buffer.from([0x7f, 0x45, 0, 1]));
    fs.writeFileSync(path.join(dir, 'empty.c'), '');
    expect(completePath('sr', dir).completed).toBe('src/');
    expect(completePath('src/a', dir)).toEqual({ completed: 'src/a', matches: ['src/a.cpp', 'src/ab.py'] });
    expect(completePath('src/ab', dir).completed).toBe('src/ab.py');
    const langs = [{ id: 'cpp', extensions: ['cpp', 'cc'] }, { id: 'python3', extensions: ['py'] }];
    expect(guessLanguage('x/a.CC', langs)?.id).toBe('cpp');
    expect(guessLanguage('a.rb', langs)).toBeNull();
    expect(checkSourceFile(path.join(dir, 'src', 'a.cpp')).ok).toBe(true);
    expect(checkSourceFile(path.join(dir, 'bin')).problems[0]).toMatch(/binary/);
    expect(checkSourceFile(path.join(dir, 'empty.c')).problems[0]).toMatch(/empty/);
    const old = path.join(dir, 'src', 'ab.py');
    fs.utimesSync(old, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const c = checkSourceFile(old);
    expect(c.ok).toBe(true);
    expect(c.problems[0]).toMatch(/last saved 60 min ago/);
  });
});
