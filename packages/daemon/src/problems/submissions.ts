/**
 * Example submissions under submissions/<category>/, each a file or a directory of files, with the
 * verdicts verify should expect: from the category (Kattis names plus DOMjudge's extra ones), or
 * from a DOMjudge `@EXPECTED_RESULTS@: ...` comment, which wins when present.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from './errors.ts';
import { entryKind } from './fsutil.ts';
import { listFiles } from './programs.ts';
import { isVerdict, kattisFolderAllows, verdictFromDomjudge } from '@judged/shared/verdict';
import type { ExampleSubmission, VerdictId } from './types.ts';

/** Folders verify knows: shared's Kattis folder table, plus 2025-09's brute_force (never WA). */
export function categoryVerdicts(folder: string): readonly VerdictId[] | null {
  if (folder === 'brute_force') return ['TLE', 'RTE', 'MLE'];
  return kattisFolderAllows(folder);
}

/** DOMjudge result names (CORRECT, WRONG-ANSWER, ...) or our own ids (AC, WA, ...). */
function resultToVerdict(name: string): VerdictId | null {
  const upper = name.toUpperCase();
  return verdictFromDomjudge(upper) ?? (isVerdict(upper) && upper !== 'JE' ? upper : null);
}

const MARKER = '@EXPECTED_RESULTS@:';

export function loadSubmissions(dir: string, diag: Diagnostics): ExampleSubmission[] {
  const root = path.join(dir, 'submissions');
  const out: ExampleSubmission[] = [];
  if (!fs.existsSync(root)) {
    diag.warn(root, 'no submissions/ directory: verify has nothing to check and no time limit can be derived');
    return out;
  }
  const categories = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => entryKind(root, e) === 'dir' && !/^[.-]/.test(e.name))
    .map((e) => e.name)
    .sort();
  for (const category of categories) {
    const expectedByDir = categoryVerdicts(category);
    if (!expectedByDir) {
      diag.warn(path.join(root, category), `unknown submissions category "${category}" skipped (known: accepted, wrong_answer, time_limit_exceeded, run_time_error, memory_limit_exceeded, output_limit_exceeded, compile_error, rejected, brute_force)`);
      continue;
    }
    const catDir = path.join(root, category);
    for (const e of fs.readdirSync(catDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (/^[.-]/.test(e.name) || /^readme/i.test(e.name)) continue;
      const full = path.join(catDir, e.name);
      const kind = entryKind(catDir, e);
      if (kind === 'other') continue;
      const files = kind === 'dir' ? listFiles(full) : [e.name];
      const subDir = kind === 'dir' ? full : catDir;
      if (files.length === 0) {
        diag.warn(full, 'empty submission directory skipped');
        continue;
      }
      let expected: VerdictId[] = [...expectedByDir];
      let expectedSource: ExampleSubmission['expectedSource'] = 'directory';
      for (const f of files) {
        const fromComment = readExpectedResults(path.join(subDir, f), diag);
        if (fromComment) {
          expected = fromComment;
          expectedSource = '@EXPECTED_RESULTS@';
          break;
        }
      }
      out.push({ id: `${category}/${e.name}`, category, path: full, files, dir: subDir, expected, expectedSource });
    }
  }
  if (!out.some((s) => s.category === 'accepted')) {
    diag.warn(root, 'no accepted submission: the time limit cannot be derived or checked');
  }
  return out;
}

function readExpectedResults(file: string, diag: Diagnostics): VerdictId[] | undefined {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf(MARKER);
    if (at < 0) continue;
    const names = lines[i]!.slice(at + MARKER.length).replace(/\*\/.*$/, '').split(/[\s,]+/).filter(Boolean);
    const verdicts: VerdictId[] = [];
    for (const n of names) {
      const v = resultToVerdict(n);
      if (!v) {
        diag.error(file, `unknown result "${n}" in ${MARKER}`, 'use DOMjudge names (CORRECT, WRONG-ANSWER, TIMELIMIT, RUN-ERROR, COMPILER-ERROR, OUTPUT-LIMIT, MEMORY-LIMIT, NO-OUTPUT) separated by commas', {
          line: i + 1,
        });
        return undefined;
      }
      if (!verdicts.includes(v)) verdicts.push(v);
    }
    if (verdicts.length === 0) {
      diag.error(file, `${MARKER} lists no results`, 'write e.g. "@EXPECTED_RESULTS@: WRONG-ANSWER, TIMELIMIT"', { line: i + 1 });
      return undefined;
    }
    return verdicts;
  }
  return undefined;
}
