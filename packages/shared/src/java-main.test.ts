/**
 * The Java main class from compiled classes: real javac output (skipped where javac is missing)
 * and hostile class files (a contestant can submit a file named X.class).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseMainClass, listClasses, readClassFile } from './java-main.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-java-main-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const hasJavac = (() => {
  try {
    execFileSync('javac', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let n = 0;
/** Compiles the sources (name -> text) with javac -d . and returns the directory. */
function compiled(sources: Record<string, string>): string {
  const dir = path.join(root, String(n++));
  for (const [f, text] of Object.entries(sources)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  execFileSync('javac', ['-d', '.', ...Object.keys(sources)], { cwd: dir, stdio: 'pipe' });
  return dir;
}
const MAIN = 'public static void main(String[] args) { System.out.println(1); }';

describe.skipIf(!hasJavac)('the main class of compiled classes', () => {
  it('any file name, a package-private class', () => {
    const dir = compiled({ 'solution.java': `class Main { ${MAIN} }\nclass Helper { int f() { return 1; } }\n` });
    expect(chooseMainClass(listClasses(dir))).toEqual({ ok: true, mainclass: 'Main' });
    expect(listClasses(dir).find((c) => c.name === 'Main')?.sourceFile).toBe('solution.java');
  });
  it('a package declaration gives the qualified name', () => {
    const dir = compiled({ 'src/x.java': `package contest.a;\nclass Sol { ${MAIN} }\n` });
    expect(chooseMainClass(listClasses(dir))).toEqual({ ok: true, mainclass: 'contest.a.Sol' });
  });
  it('a static nested class with main', () => {
    const dir = compiled({ 'Outer.java': `public class Outer { static class Inner { ${MAIN} } }\n` });
    expect(chooseMainClass(listClasses(dir))).toEqual({ ok: true, mainclass: 'Outer$Inner' });
  });
  it('only public static void main(String[]) counts', () => {
    const dir = compiled({
      'A.java': [
        'class A { static void main(String[] a) {} }',
        'class B { public void main(String[] a) {} }',
        'class C { public static int main(String[] a) { return 0; } }',
        'class D { public static void main(String a) {} }',
        'class E { public static void main() {} }',
      ].join('\n'),
    });
    const r = chooseMainClass(listClasses(dir));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/no class declares public static void main\(String\[\]\)/);
  });
  it('several mains: the entry point decides (class, simple name or file), else a compile error naming them', () => {
    const dir = compiled({ 'first.java': `package p;\nclass One { ${MAIN} }\n`, 'second.java': `package p;\nclass Two { ${MAIN} }\n` });
    const classes = listClasses(dir);
    const none = chooseMainClass(classes);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.error).toMatch(/several classes declare .*p\.One, p\.Two .*entry point/);
    expect(chooseMainClass(classes, 'p.Two')).toEqual({ ok: true, mainclass: 'p.Two' });
    expect(chooseMainClass(classes, 'One')).toEqual({ ok: true, mainclass: 'p.One' });
    expect(chooseMainClass(classes, 'second.java')).toEqual({ ok: true, mainclass: 'p.Two' });
    expect(chooseMainClass(classes, 'p/first.java')).toEqual({ ok: true, mainclass: 'p.One' });
    const wrong = chooseMainClass(classes, 'Three');
    expect(!wrong.ok && wrong.error).toMatch(/entry point Three has no class .*found in: p\.One, p\.Two/);
  });
});

describe('hostile class files', () => {
  it('refuses what is not a class file, truncated files and bad constant pools', () => {
    expect(() => readClassFile(Buffer.from('hello'))).toThrow(/truncated|not a class/);
    expect(() => readClassFile(Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 0, 5]))).toThrow(/truncated/);
    expect(() => readClassFile(Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 0, 2, 99]))).toThrow(/tag 99/);
    // this_class pointing at a constant that is not a class.
    const bad = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 0, 2, 1, 0, 1, 0x41, 0, 0x21, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => readClassFile(bad)).toThrow(/not a class constant/);
  });
  it.skipIf(!hasJavac)('skips garbage and symlinked class files next to real ones', () => {
    const dir = compiled({ 'M.java': `class M { ${MAIN} }\n` });
    fs.writeFileSync(path.join(dir, 'Junk.class'), Buffer.alloc(100, 0xff));
    const outside = compiled({ 'Evil.java': `class Evil { ${MAIN} }\n` });
    fs.symlinkSync(path.join(outside, 'Evil.class'), path.join(dir, 'Evil.class'));
    fs.symlinkSync(outside, path.join(dir, 'linked'));
    expect(listClasses(dir).map((c) => c.name)).toEqual(['M']);
  });
});
