/**
 * A language the judge can compile and run. Commands are argv arrays run inside the sandbox, with
 * placeholders: {files} (all source files), {main} (the main source file), {mainclass} (Java),
 * {binary} (the compiled program's path inside the work dir), {memlimit_mb}.
 */
export interface Language {
  /** Stable id used on the wire and in submissions: c, cpp, python3, java, javascript, rust ... */
  id: string;
  name: string;
  /** Source file extensions without the dot, e.g. ['cpp', 'cc', 'cxx']. */
  extensions: string[];
  /** Absent for interpreted languages that need no compile step. */
  compile?: string[];
  run: string[];
  /** argv that prints the compiler/runtime version (used by `judged doctor`). */
  version: string[];
}

export interface LanguageStatus {
  language: Language;
  available: boolean;
  /** First line of the version output when available, else why it is disabled and what to do. */
  detail: string;
}
