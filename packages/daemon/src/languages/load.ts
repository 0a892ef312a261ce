/**
 * Languages: the built-in defaults, overridden or extended by a YAML file, with every command's
 * executable resolved to an absolute path the sandbox can see. A language whose executable is
 * missing stays in the list with `disabled` saying why and what to do, so doctor can show it and the
 * server can refuse its submissions with a clear message.
 *
 * languages.yaml:
 *   languages:
 *     cpp:                       # override some fields of a built-in language
 *       compile: [g++, -x, c++, -O2, -std=gnu++23, -static, -o, '{binary}', '{files}']
 *     kotlin:                    # a new language: name, extensions, run and version are required
 *       name: Kotlin
 *       extensions: [kt]
 *       compile: [kotlinc, -d, out.jar, '{files}']
 *       run: [java, -jar, '{progdir}/out.jar']
 *       version: [kotlinc, -version]
 *     rust: false                # remove a language
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Diagnostics, formatConfigFileError } from '../config-files/diagnostics.ts';
import { readYaml } from '../config-files/read.ts';
import { builtinLanguages, SANDBOX_PATH } from './defaults.ts';
import { detectLanguage } from './detect.ts';
import type { Language } from './types.ts';

const argv = z.array(z.string().min(1)).min(1, 'needs at least the program to run');

const languageFields = {
  name: z.string().min(1),
  extensions: z.array(z.string().regex(/^[A-Za-z0-9+_-]+$/, 'an extension without the dot, e.g. cpp')).min(1),
  compile: argv.nullable(),
  run: argv,
  version: argv,
  binds: z.array(z.string().startsWith('/', 'must be an absolute host path')),
  env: z.record(z.string(), z.string()),
  processes: z.int().min(1).max(4096),
  memory_overhead_mb: z.int().min(0).max(65536),
  memory_error_patterns: z.array(
    z.string().refine((s) => {
      try {
        new RegExp(s, 'm');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
  ),
  multi_file: z.boolean(),
  priority: z.int(),
  shebang: z.strictObject({
    extensions: z.array(z.string().regex(/^[A-Za-z0-9+_-]+$/, 'an extension without the dot, e.g. py')).min(1),
    pattern: z.string().refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
  }),
};

const overrideSchema = z.strictObject(languageFields).partial();
const fileSchema = z.strictObject({
  languages: z.record(z.string().regex(/^[a-z0-9][a-z0-9_+-]*$/, 'a language id is lowercase letters, digits, _ + -'), z.unknown()),
});

export class LanguagesConfigError extends Error {
  override name = 'LanguagesConfigError';
}

export interface LoadLanguagesOptions {
  /** Where bare command names are looked up (tests point it elsewhere). Default SANDBOX_PATH. */
  searchPath?: string[];
  /** Skip the toolchain probes that run host programs (rustc --print sysroot). */
  noProbes?: boolean;
}

/**
 * Built-in languages with the overrides of `file` applied, executables resolved. Throws
 * LanguagesConfigError naming the file, line and field when the file is invalid.
 */
export function loadLanguages(file?: string, opts: LoadLanguagesOptions = {}): Language[] {
  const byId = new Map<string, Language>(builtinLanguages().map((l) => [l.id, l]));
  if (file) {
    const diag = new Diagnostics('', path.dirname(path.resolve(file)));
    const read = readYaml(path.resolve(file), fileSchema, diag, (field) => hintFor(field));
    if (!read) throw new LanguagesConfigError(diag.errors.map(formatConfigFileError).join('\n'));
    for (const [id, raw] of Object.entries(read.data.languages)) {
      if (raw === false) {
        byId.delete(id);
        continue;
      }
      // Each entry is checked on its own so an error names the field, not just "invalid entry".
      const parsed = overrideSchema.safeParse(raw);
      if (!parsed.success) {
        throw new LanguagesConfigError(
          parsed.error.issues
            .map((issue) => {
              const where = ['languages', id, ...issue.path];
              const line = read.lineOf(where);
              const field = where.map(String).join('.');
              return `${file}${line ? `:${line}` : ''}: ${field}: ${issue.message} — ${hintFor(field)}`;
            })
            .join('\n'),
        );
      }
      const entry = parsed.data;
      const base = byId.get(id);
      if (!base) {
        const missing = (['name', 'extensions', 'run', 'version'] as const).filter((k) => entry[k] === undefined);
        if (missing.length > 0) {
          const line = read.lineOf(['languages', id]);
          throw new LanguagesConfigError(
            `${file}${line ? `:${line}` : ''}: languages.${id}: a new language needs ${missing.join(', ')} — add them, or use a built-in id (${builtinLanguages().map((l) => l.id).join(', ')})`,
          );
        }
      }
      byId.set(id, merge(id, base, entry));
    }
  }
  const langs = [...byId.values()];
  checkExtensionClashes(langs, file);
  return langs.map((l) => resolveExecutables(l, opts));
}

function hintFor(field: string): string {
  if (field.endsWith('compile') || field.endsWith('run') || field.endsWith('version')) {
    return 'give a list of arguments, e.g. [g++, -O2, -o, "{binary}", "{files}"]';
  }
  if (/^languages\.[^.]+$/.test(field)) return 'give a map of fields, or false to remove the language';
  if (field.includes('memory_error_patterns')) return 'give JavaScript regular expressions as strings';
  return 'see docs/judging.md (languages.yaml) for the fields a language takes';
}

function merge(id: string, base: Language | undefined, o: z.infer<typeof overrideSchema>): Language {
  const compile = o.compile === null ? undefined : (o.compile ?? base?.compile);
  return {
    id,
    name: o.name ?? base!.name,
    extensions: o.extensions ?? base!.extensions,
    ...(compile ? { compile } : {}),
    run: o.run ?? base!.run,
    version: o.version ?? base!.version,
    binds: o.binds ?? base?.binds,
    env: o.env ?? base?.env,
    processes: o.processes ?? base?.processes ?? 16,
    memoryOverheadMiB: o.memory_overhead_mb ?? base?.memoryOverheadMiB ?? 0,
    memoryErrorPatterns: o.memory_error_patterns ?? base?.memoryErrorPatterns ?? [],
    multiFile: o.multi_file ?? base?.multiFile ?? true,
    ...((o.priority ?? base?.priority) !== undefined ? { priority: o.priority ?? base?.priority } : {}),
    ...((o.shebang ?? base?.shebang) ? { shebang: o.shebang ?? base?.shebang } : {}),
  };
}

/** Languages may share an extension (python2 and python3: .py) when detection can tell them apart: distinct priorities. */
function checkExtensionClashes(langs: Language[], file?: string): void {
  const owner = new Map<string, Language>();
  for (const l of langs) {
    for (const ext of l.extensions) {
      const prev = owner.get(ext);
      if (prev && (prev.priority === undefined || l.priority === undefined || prev.priority === l.priority)) {
        throw new LanguagesConfigError(
          `${file ?? 'built-in languages'}: extension .${ext} belongs to both ${prev.id} and ${l.id} — give each extension to one language, or give both a different priority (detection, as in problemtools)`,
        );
      }
      owner.set(ext, l);
    }
  }
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Finds a toolchain that lives outside the system directories through a probe that works on the
 * host (rustup's proxy knows its real toolchain). Returns the real executable and the directory to
 * mount, or undefined.
 */
function probeToolchain(name: string): { exe: string; bind: string } | undefined {
  if (name !== 'rustc') return undefined;
  try {
    const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const exe = path.join(sysroot, 'bin', 'rustc');
    return sysroot.startsWith('/') && isExecutable(exe) ? { exe, bind: sysroot } : undefined;
  } catch {
    return undefined;
  }
}

function resolveExecutables(lang: Language, opts: LoadLanguagesOptions): Language {
  const searchPath = opts.searchPath ?? SANDBOX_PATH;
  const binds = [...(lang.binds ?? [])];
  const resolved = new Map<string, string>();
  const problems: string[] = [];
  const resolve = (cmd: string[] | undefined): string[] | undefined => {
    if (!cmd) return cmd;
    const exe = cmd[0]!;
    // A placeholder (e.g. {binary}) is the program itself, made by the compile step.
    if (exe.startsWith('{')) return cmd;
    if (resolved.has(exe)) return [resolved.get(exe)!, ...cmd.slice(1)];
    let found: string | undefined;
    if (exe.includes('/')) {
      if (isExecutable(exe)) found = exe;
      else problems.push(`${exe} does not exist or is not executable`);
    } else {
      for (const dir of [...searchPath, ...binds.map((b) => path.join(b, 'bin'))]) {
        if (isExecutable(path.join(dir, exe))) {
          found = path.join(dir, exe);
          break;
        }
      }
      if (!found && !opts.noProbes) {
        const probe = probeToolchain(exe);
        if (probe) {
          found = probe.exe;
          binds.push(probe.bind);
        }
      }
      if (!found) {
        problems.push(
          `${exe} not found in ${searchPath.join(':')} (the sandbox sees only system directories) — install it there, or give an absolute path and its directory under binds in languages.yaml`,
        );
      }
    }
    if (found) resolved.set(exe, found);
    return found ? [found, ...cmd.slice(1)] : cmd;
  };
  const out: Language = {
    ...lang,
    compile: resolve(lang.compile),
    run: resolve(lang.run)!,
    version: resolve(lang.version)!,
    binds: binds.length > 0 ? binds : undefined,
  };
  if (!out.compile) delete out.compile;
  if (!out.binds) delete out.binds;
  if (!out.env) delete out.env;
  if (problems.length > 0) out.disabled = [...new Set(problems)].join('; ');
  return out;
}

/**
 * The language of a program from its files (names relative to `dir`), detected as problemtools
 * does (languages/detect.ts); first lines are read from `dir` when given.
 */
export function languageForFiles(langs: readonly Language[], files: readonly string[], dir?: string): Language | undefined {
  return detectLanguage(
    langs,
    files.map((name) => ({ name, ...(dir ? { firstLine: firstLine(path.join(dir, name)) } : {}) })),
  );
}

function firstLine(file: string): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(256);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return buf.subarray(0, n).toString('utf8').split('\n')[0]!;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}
