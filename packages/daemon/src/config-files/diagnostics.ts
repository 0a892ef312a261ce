/**
 * Errors and warnings of the organizer's config files (problem packages, the problem set, the contest
 * package, languages.yaml), each naming the file, the line and the field, and saying what to do.
 */
import path from 'node:path';

export interface ConfigFileError {
  /** The problem's directory name (short name), or '' for a file of the whole set, contest or languages. */
  problem: string;
  /** Path of the offending file, relative to the Diagnostics' base dir (or absolute if outside it). */
  file: string;
  /** 1-based line, when the parser could place the value. */
  line?: number;
  /** Dotted path of the offending field inside the file, e.g. 'limits.memory'. */
  field?: string;
  message: string;
  /** What the organizer should do about it. */
  hint: string;
}

/** One line an organizer can act on: `file:line: field: message — hint`. */
export function formatConfigFileError(e: ConfigFileError): string {
  const where = e.line ? `${e.file}:${e.line}` : e.file;
  const field = e.field ? `${e.field}: ` : '';
  return `${where}: ${field}${e.message} — ${e.hint}`;
}

/**
 * Collects errors and warnings for one problem (or one set of files). `rel` turns absolute paths into
 * the short form shown to the organizer (relative to baseDir).
 */
export class Diagnostics {
  readonly errors: ConfigFileError[] = [];
  readonly warnings: string[] = [];

  constructor(
    readonly problem: string,
    private readonly baseDir: string,
  ) {}

  rel(file: string): string {
    const r = path.relative(this.baseDir, file);
    return r.startsWith('..') ? file : r;
  }

  error(file: string, message: string, hint: string, extra: { line?: number; field?: string } = {}): void {
    this.errors.push({ problem: this.problem, file: this.rel(file), message, hint, ...extra });
  }

  warn(file: string, message: string): void {
    this.warnings.push(`${this.rel(file)}: ${message}`);
  }
}
