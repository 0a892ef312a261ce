/**
 * Expands a language command's placeholders (see types.ts) into the argv the sandbox runs, and finds
 * a submission's main file (the Java main class comes from the compiled classes: java-main.ts).
 */
import path from 'node:path';
import type { Language } from './types.ts';

export interface CommandVars {
  /** The program's directory inside the sandbox. */
  progdir: string;
  /** Source files of the language, relative to progdir (compile only). */
  files: string[];
  main: string;
  mainclass: string;
  memlimitMiB: number;
  stackKiB: number;
}

export function expandCommand(cmd: readonly string[], v: CommandVars): string[] {
  const out: string[] = [];
  for (const arg of cmd) {
    if (arg === '{files}') {
      out.push(...v.files);
      continue;
    }
    out.push(
      arg.replace(/\{(progdir|binary|main|mainclass|memlimit_mb|stack_kib)\}/g, (_, name: string) => {
        switch (name) {
          case 'progdir':
            return v.progdir;
          case 'binary':
            return `${v.progdir}/a.out`;
          case 'main':
            return v.main;
          case 'mainclass':
            return v.mainclass;
          case 'memlimit_mb':
            return String(v.memlimitMiB);
          default:
            return String(v.stackKiB);
        }
      }),
    );
  }
  return out;
}

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
