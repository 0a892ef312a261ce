/**
 * A language the judge can compile and run. Commands are argv arrays run inside the sandbox, with
 * placeholders expanded by the judging engine (languages/command.ts):
 *   {files}        every source file of the language, as separate arguments (compile only)
 *   {main}         the main source file's name (relative to {progdir})
 *   {mainclass}    Java: the fully qualified class holding main()
 *   {progdir}      the program's directory inside the sandbox: the compile work dir while compiling,
 *                  a read-only mount of the compiled result while running
 *   {binary}       {progdir}/a.out
 *   {memlimit_mb}  the problem's memory limit in MiB (what a contestant was promised)
 *   {stack_kib}    usable stack in KiB for runtimes that must be told (node --stack-size)
 * Compile runs with the source files in the work dir; anything it leaves there is the program.
 */
export interface Language {
  /** Stable id used on the wire and in submissions: c, cpp, python3, java, javascript, rust ... */
  id: string;
  name: string;
  /** Source file extensions without the dot, e.g. ['cpp', 'cc', 'cxx']. */
  extensions: string[];
  /** Absent for languages that need no compile step. */
  compile?: string[];
  run: string[];
  /** argv that prints the compiler/runtime version (used by `judged doctor`). */
  version: string[];
  /** Host directories mounted read-only at the same path for compile and run (toolchains outside /usr). */
  binds?: string[];
  /** Extra environment for compile and run (PATH is always set to the system directories). */
  env?: Record<string, string>;
  /** Processes + threads a run may have at once (runtimes like the JVM start their own threads). */
  processes: number;
  /**
   * MiB the sandbox adds to the problem's memory limit for the runtime's own needs (JVM metaspace,
   * code cache). The program's heap is still capped at the problem's limit by its run command.
   */
  memoryOverheadMiB: number;
  /** Regular expressions: a failed run whose stderr matches one ran out of memory (MLE, not RTE). */
  memoryErrorPatterns: string[];
  /** Whether a submission may have several files. */
  multiFile: boolean;
  /** Tie-breaker of language detection (higher wins), as problemtools' `priority`. */
  priority?: number;
  /**
   * Detection only (languages/detect.ts): a file with one of these extensions counts for this
   * language only when its first line matches `pattern` (problemtools' shebang_files + shebang).
   */
  shebang?: { extensions: string[]; pattern: string };
  /** Why the language cannot be used on this host (missing compiler); absent when usable. */
  disabled?: string;
}

export interface LanguageStatus {
  language: Language;
  available: boolean;
  /** First line of the version output when available, else why it is disabled and what to do. */
  detail: string;
}
