import path from 'node:path';
import type { ProblemLoadError } from './types.ts';

/** One line an organizer can act on: `file:line: field: message (hint)`. */
export function formatLoadError(e: ProblemLoadError): string {
  const where = e.line ? `${e.file}:${e.line}` : e.file;
  const field = e.field ? `${e.field}: ` : '';
  return `${where}: ${field}${e.message} — ${e.hint}`;
}

/**
 * Collects errors and warnings for one package. `rel` turns absolute paths into the short form shown
 * to the organizer (relative to the problems directory).
 */
export class Diagnostics {
  readonly errors: ProblemLoadError[] = [];
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
