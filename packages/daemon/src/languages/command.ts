/**
 * A submission's source files and main file (the Java main class comes from the compiled classes:
 * @judged/shared/java-main; placeholders are expanded by @judged/shared/language-command).
 */
import path from 'node:path';
import type { Language } from './types.ts';

/** The files a compile command gets as {files}: the language's sources, sorted. */
export function sourceFiles(lang: Language, files: readonly string[]): string[] {
  return files.filter((f) => lang.extensions.includes(path.extname(f).slice(1))).sort();
}

/**
 * The main source file: the entrypoint when given (a file name, or for Java a class name), the only
 * source file, a conventional name (main.*, Main.java, __main__.py), else the first source
 * alphabetically.
 */
export function mainFile(lang: Language, files: readonly string[], entrypoint?: string): string {
  const sources = sourceFiles(lang, files);
  if (entrypoint) {
    const hit = sources.find((f) => f === entrypoint || path.basename(f, path.extname(f)) === entrypoint.split('.').pop());
    if (hit) return hit;
  }
  if (sources.length <= 1) return sources[0] ?? files[0] ?? '';
  const conventional = sources.find((f) => /^(main\.[^.]+|Main\.java|__main__\.py)$/.test(path.basename(f)));
  return conventional ?? sources[0]!;
}
