/**
 * Compiling in the sandbox: a submission with its language's compile command, and a package's own
 * programs (output validator / interactor) per the package format's "Programs" rules. Package
 * programs are built once per problem version and kept (ProgramCache), shared by every judging.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { programOutput } from '@judged/shared/terminal-text';
import { constantsKey, substituteInFiles, type Constants } from '../problems/constants.ts';
import type { PackageProgram } from '../problems/types.ts';
import { expandCommand } from '@judged/shared/language-command';
import { mainFile, sourceFiles } from '../languages/command.ts';
import { chooseMainClass, listClasses } from '@judged/shared/java-main';
import { languageForFiles } from '../languages/load.ts';
import type { Language } from '../languages/types.ts';
import type { BindMount, RunResult, Sandbox, SandboxLimits } from '../sandbox/types.ts';
import { copyTree, makeDir, newJobDir, readEnds, removeDir } from './workspace.ts';

/** Where the sandbox sees its work dir (sandbox contract: workDir is mounted at /box). */
export const BOX = '/box';
export const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';

/** A failure of the judge itself (missing compiler for a validator, sandbox trouble): verdict JE. */
export class JudgeError extends Error {
  override name = 'JudgeError';
}

export interface CompileLimits {
  timeS: number;
  memoryMiB: number;
}

export function compileSandboxLimits(l: CompileLimits): SandboxLimits {
  return {
    cpuTimeMs: l.timeS * 1000,
    wallTimeMs: l.timeS * 1000 * 2 + 5000,
    memoryKiB: l.memoryMiB * 1024,
    // Compilers run helper processes (cc1plus, ld) and threads (javac, rustc).
    processes: 128,
    // The produced binary is a file in the work dir: a static C++ binary is a few MiB.
    outputKiB: 512 * 1024,
    openFiles: 256,
  };
}

/** Characters of compiler output kept for the team (head and tail of the log, see readEnds). */
export const MAX_COMPILE_OUTPUT = 16 * 1024;

/** /box of a compile (its temporary files and output; charged to the compile's memory limit). */
export const COMPILE_BOX_KIB = 512 * 1024;

export function languageBinds(lang: Language): BindMount[] {
  return (lang.binds ?? []).map((p) => ({ host: p, inside: p }));
}

export function languageEnv(lang: Language): Record<string, string> {
  return { PATH: SYSTEM_PATH, HOME: BOX, TMPDIR: BOX, LANG: 'C.UTF-8', ...lang.env };
}

export interface CompileOutcome {
  ok: boolean;
  /** Compiler stdout+stderr (head and tail when long), shown on CE. */
  output: string;
  result: RunResult | null;
  /** Main file / class the run command needs. */
  main: string;
  mainclass: string;
}

/**
 * Compiles the sources already in `dir` (which becomes the program directory). A language without a
 * compile step is "compiled" by doing nothing. The compiler's own failure is CE (ok=false); a
 * sandbox failure throws.
 */
export async function compileProgram(
  sandbox: Sandbox,
  lang: Language,
  dir: string,
  files: readonly string[],
  limits: CompileLimits,
  entrypoint?: string,
): Promise<CompileOutcome> {
  const main = mainFile(lang, files, lang.id === 'java' ? undefined : entrypoint);
  const needsClass = lang.run.includes('{mainclass}');
  if (!lang.compile) return { ok: true, output: '', result: null, main, mainclass: needsClass ? (entrypoint ?? path.basename(main, path.extname(main))) : '' };
  let mainclass = '';
  const sources = sourceFiles(lang, files);
  const argv = expandCommand(lang.compile, { progdir: BOX, files: sources, main, mainclass, memlimitMiB: limits.memoryMiB, stackKiB: 8192 });
  const logDir = path.dirname(dir);
  const out = path.join(logDir, `compile-${path.basename(dir)}.out`);
  const err = path.join(logDir, `compile-${path.basename(dir)}.err`);
  const result = await sandbox.run({
    argv,
    env: languageEnv(lang),
    workDir: dir,
    stdoutPath: out,
    stderrPath: err,
    limits: compileSandboxLimits(limits),
    binds: languageBinds(lang),
    // /box is the compile's own tmpfs: what it leaves there (the binary, .class files) comes back.
    box: { sizeKiB: COMPILE_BOX_KIB },
    copyOut: 'all',
  });
  // Shown to the team: capped, and no control characters (a compiler echoes the source's bytes).
  const text = programOutput([readEnds(out, 6 * 1024, 2 * 1024), readEnds(err, 6 * 1024, 2 * 1024)].filter((s) => s.trim().length > 0).join('\n'), MAX_COMPILE_OUTPUT);
  fs.rmSync(out, { force: true });
  fs.rmSync(err, { force: true });
  if (result.limitHit === 'time' || result.limitHit === 'wall') {
    return { ok: false, output: `${text}\ncompilation took longer than ${limits.timeS} s`.trim(), result, main, mainclass };
  }
  if (result.limitHit === 'memory') {
    return { ok: false, output: `${text}\ncompilation used more than ${limits.memoryMiB} MiB`.trim(), result, main, mainclass };
  }
  if (result.limitHit === 'output') return { ok: false, output: `${text}\nthe compiled program is too large`.trim(), result, main, mainclass };
  if (result.exitCode !== 0) {
    const why = result.signal !== null ? `compiler killed by signal ${result.signal}` : `compiler exit code ${result.exitCode}`;
    return { ok: false, output: text ? text : why, result, main, mainclass };
  }
  if (needsClass) {
    // The class holding main, from the compiled classes (any file name, any package).
    const choice = chooseMainClass(listClasses(dir), entrypoint);
    if (!choice.ok) return { ok: false, output: `${text}\n${choice.error}`.trim(), result, main, mainclass };
    mainclass = choice.mainclass;
  }
  return { ok: true, output: text, result, main, mainclass };
}

/** A built package program, ready to run from a read-only mount. */
export interface BuiltProgram {
  /** Host directory to mount read-only at `inside`. */
  dir: string;
  inside: string;
  /** argv inside the sandbox (without the validator's own arguments). */
  argv: string[];
  env: Record<string, string>;
  binds: BindMount[];
}

export const VALIDATOR_DIR = '/validator';

function fingerprint(p: PackageProgram, constants: Constants): string {
  const h = crypto.createHash('sha256');
  h.update(p.dir);
  h.update(constantsKey(constants));
  for (const f of p.files) {
    h.update(f);
    try {
      h.update(fs.readFileSync(path.join(p.dir, f)));
    } catch {
      h.update('missing');
    }
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Builds package programs once and keeps them until close(). Concurrent requests for the same program
 * share one build. A failed build is not cached, so fixing the package and rejudging works.
 */
export class ProgramCache {
  private readonly built = new Map<string, Promise<BuiltProgram>>();
  private readonly root: string;

  constructor(
    workRoot: string,
    private readonly languages: () => Language[],
  ) {
    // Unique per engine: two engines on one work root (verify next to a daemon) must not delete each
    // other's builds on close().
    this.root = newJobDir(workRoot, 'programs');
  }

  /** The built program; `constants` (the problem's) are substituted in its files first. */
  get(program: PackageProgram, sandbox: Sandbox, limits: CompileLimits, constants: Constants): Promise<BuiltProgram> {
    const key = fingerprint(program, constants);
    let p = this.built.get(key);
    if (!p) {
      p = this.build(program, sandbox, limits, constants, key);
      this.built.set(key, p);
      p.catch(() => this.built.delete(key));
    }
    return p;
  }

  /** The language a package program's sources are in, as a submission's would be found. */
  private lang(program: PackageProgram): Language {
    const files = program.entry ? [program.entry] : program.files;
    const lang = languageForFiles(this.languages(), files, program.dir);
    if (!lang) throw new JudgeError(`the program ${program.name} (${files.join(', ')}) is in no language configured on this judge`);
    if (lang.disabled) throw new JudgeError(`the program ${program.name} needs ${lang.name}: ${lang.disabled}`);
    return lang;
  }

  private async build(program: PackageProgram, sandbox: Sandbox, limits: CompileLimits, constants: Constants, key: string): Promise<BuiltProgram> {
    const parent = newJobDir(this.root, `${program.name.replace(/[^\w.-]/g, '_')}-${key}`);
    const dir = makeDir(path.join(parent, 'prog'), true);
    copyTree(program.dir, dir);
    substituteInFiles(dir, program.files, constants);
    try {
      if (program.kind === 'build-run') {
        if (fs.existsSync(path.join(dir, 'build'))) {
          fs.chmodSync(path.join(dir, 'build'), 0o755);
          const log = path.join(parent, 'build.log');
          const r = await sandbox.run({ argv: [`${BOX}/build`], env: { PATH: SYSTEM_PATH, HOME: BOX, TMPDIR: BOX }, workDir: dir, stdoutPath: log, stderrPath: log, limits: compileSandboxLimits(limits), box: { sizeKiB: COMPILE_BOX_KIB }, copyOut: 'all' });
          if (r.exitCode !== 0 || r.limitHit) throw new JudgeError(`building ${program.name} failed (${r.limitHit ?? `exit ${r.exitCode}`}): ${readEnds(log, 4000, 2000)}`);
        }
        if (!fs.existsSync(path.join(dir, 'run'))) throw new JudgeError(`${program.name}: build-run program has no run script after build`);
        fs.chmodSync(path.join(dir, 'run'), 0o755);
        return { dir, inside: VALIDATOR_DIR, argv: [`${VALIDATOR_DIR}/run`], env: { PATH: SYSTEM_PATH, HOME: BOX, TMPDIR: BOX }, binds: [] };
      }
      if (program.kind === 'sh') {
        return { dir, inside: VALIDATOR_DIR, argv: ['/bin/sh', `${VALIDATOR_DIR}/${program.entry}`], env: { PATH: SYSTEM_PATH, HOME: BOX, TMPDIR: BOX, LANG: 'C.UTF-8' }, binds: [] };
      }
      const lang = this.lang(program);
      const files = program.files;
      const c = await compileProgram(sandbox, lang, dir, files, limits, program.entry);
      if (!c.ok) throw new JudgeError(`compiling ${program.name} failed: ${c.output.slice(0, 4000)}`);
      const argv = expandCommand(lang.run, { progdir: VALIDATOR_DIR, files: [], main: program.entry ?? c.main, mainclass: c.mainclass, memlimitMiB: limits.memoryMiB, stackKiB: 65536 });
      return { dir, inside: VALIDATOR_DIR, argv, env: languageEnv(lang), binds: languageBinds(lang) };
    } catch (err) {
      removeDir(parent);
      throw err;
    }
  }

  close(): void {
    removeDir(this.root);
    this.built.clear();
  }
}
