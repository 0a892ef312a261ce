/**
 * Java's main class, found in the compiled classes as DOMjudge does (it loads each class and looks
 * for `public static void main(String[])`), so a submission may use any file name, a public or
 * package-private class and a package. Read from the class files' own bytes (JVM spec §4): the
 * constant pool, the class name, the methods and the SourceFile attribute, nothing else.
 *
 * The classes were written by a sandboxed compile of a contestant's sources (or submitted as
 * files), so every read is bounds-checked, symlinks are never followed and the walk is capped.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ClassInfo {
  /** Binary name with dots, e.g. `pkg.Main` or `Outer$Inner`. */
  name: string;
  /** The SourceFile attribute (`solution.java`), when javac wrote one. */
  sourceFile?: string;
  /** Declares `public static void main(String[])`. */
  hasMain: boolean;
}

const ACC_PUBLIC = 0x0001;
const ACC_STATIC = 0x0008;
const MAIN_DESCRIPTOR = '([Ljava/lang/String;)V';
/** Bytes each constant-pool tag takes after the tag byte (JVM spec table 4.4-B). */
const CP_SIZE: Record<number, number> = { 3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2 };

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('truncated class file');
  }
  u1(): number {
    this.need(1);
    return this.buf.readUInt8(this.pos++);
  }
  u2(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u4(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** Parses one class file. Throws on anything that is not a well-formed class file. */
export function readClassFile(buf: Buffer): ClassInfo {
  const r = new Reader(buf);
  if (r.u4() !== 0xcafebabe) throw new Error('not a class file');
  r.skip(4); // minor, major version
  const count = r.u2();
  const utf8 = new Map<number, string>();
  const classRef = new Map<number, number>();
  for (let i = 1; i < count; i++) {
    const tag = r.u1();
    if (tag === 1) {
      // Modified UTF-8; names of classes and methods decode the same as UTF-8 unless they hold NUL
      // or supplementary characters, which no class name a launcher accepts does.
      utf8.set(i, r.bytes(r.u2()).toString('utf8'));
    } else if (tag === 7) {
      classRef.set(i, r.u2());
    } else if (CP_SIZE[tag] !== undefined) {
      r.skip(CP_SIZE[tag]!);
      if (tag === 5 || tag === 6) i++; // long and double take two slots
    } else {
      throw new Error(`unknown constant pool tag ${tag}`);
    }
  }
  const text = (idx: number): string => {
    const s = utf8.get(idx);
    if (s === undefined) throw new Error(`constant ${idx} is not a string`);
    return s;
  };
  r.skip(2); // access flags
  const self = classRef.get(r.u2());
  if (self === undefined) throw new Error('this_class is not a class constant');
  const name = text(self).replace(/\//g, '.');
  r.skip(2); // super class
  r.skip(2 * r.u2()); // interfaces
  const skipAttributes = (): void => {
    for (let n = r.u2(); n > 0; n--) {
      r.skip(2);
      r.skip(r.u4());
    }
  };
  for (let n = r.u2(); n > 0; n--) {
    r.skip(6); // field access, name, descriptor
    skipAttributes();
  }
  let hasMain = false;
  for (let n = r.u2(); n > 0; n--) {
    const access = r.u2();
    const mname = text(r.u2());
    const desc = text(r.u2());
    skipAttributes();
    if (mname === 'main' && desc === MAIN_DESCRIPTOR && (access & (ACC_PUBLIC | ACC_STATIC)) === (ACC_PUBLIC | ACC_STATIC)) hasMain = true;
  }
  let sourceFile: string | undefined;
  for (let n = r.u2(); n > 0; n--) {
    const aname = text(r.u2());
    const len = r.u4();
    if (aname === 'SourceFile' && len === 2) sourceFile = text(r.u2());
    else r.skip(len);
  }
  return { name, hasMain, ...(sourceFile !== undefined ? { sourceFile } : {}) };
}

const MAX_CLASS_FILES = 10_000;
const MAX_CLASS_BYTES = 16 * 1024 * 1024;

/** Every readable class file under `dir` (recursively, symlinks not followed), by binary name. */
export function listClasses(dir: string): ClassInfo[] {
  const out: ClassInfo[] = [];
  let seen = 0;
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (seen >= MAX_CLASS_FILES) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.class')) {
        seen++;
        try {
          const st = fs.lstatSync(p);
          if (!st.isFile() || st.size > MAX_CLASS_BYTES) continue;
          out.push(readClassFile(fs.readFileSync(p)));
        } catch {
          // Not a class file the JVM could load either: it cannot be the main class.
        }
      }
    }
  };
  walk(dir);
  return out;
}

export type MainClassChoice = { ok: true; mainclass: string } | { ok: false; error: string };

const SIGNATURE = 'public static void main(String[])';

/**
 * The class to run. With an entry point (submissions.yaml `entrypoint`, or what the team named at
 * submit): the class of that name (with or without its package), or the one compiled from that
 * file. Without: the only class declaring main; none or several is a compile error saying which.
 */
export function chooseMainClass(classes: readonly ClassInfo[], entrypoint?: string): MainClassChoice {
  const mains = classes.filter((c) => c.hasMain);
  if (entrypoint) {
    const base = path.basename(entrypoint);
    const hits = base.endsWith('.java')
      ? mains.filter((c) => c.sourceFile === base)
      : mains.filter((c) => c.name === entrypoint || c.name.split('.').pop() === entrypoint);
    if (hits.length === 1) return { ok: true, mainclass: hits[0]!.name };
    if (hits.length > 1) return { ok: false, error: `the entry point ${entrypoint} matches several classes with ${SIGNATURE}: ${hits.map((c) => c.name).join(', ')} — name the class with its package` };
    return { ok: false, error: `the entry point ${entrypoint} has no class with ${SIGNATURE}${mains.length ? ` (found in: ${mains.map((c) => c.name).join(', ')})` : ''}` };
  }
  if (mains.length === 1) return { ok: true, mainclass: mains[0]!.name };
  if (mains.length === 0) return { ok: false, error: `no class declares ${SIGNATURE} — add one (any class name and file name work)` };
  return { ok: false, error: `several classes declare ${SIGNATURE}: ${mains.map((c) => c.name).join(', ')} — keep one, or name the entry point` };
}
