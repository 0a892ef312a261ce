/**
 * Example submissions under submissions/<category>/, each a file or a directory of files, with the
 * verdicts verify should expect: from the category (Kattis names plus DOMjudge's extra ones), or
 * from a DOMjudge `@EXPECTED_RESULTS@: ...` comment, which wins when present.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from './errors.ts';
import { listFiles } from './programs.ts';
import type { ExampleSubmission, VerdictId } from './types.ts';

export const CATEGORY_VERDICTS: Record<string, VerdictId[]> = {
  accepted: ['AC'],
  wrong_answer: ['WA'],
  time_limit_exceeded: ['TLE'],
  run_time_error: ['RTE'],
  memory_limit_exceeded: ['MLE'],
  output_limit_exceeded: ['OLE'],
  compile_error: ['CE'],
  rejected: ['WA', 'TLE', 'RTE', 'MLE', 'OLE'],
  brute_force: ['TLE', 'RTE', 'MLE'],
};

/** DOMjudge result names (and our own ids) to verdict ids. */
const RESULT_NAMES: Record<string, VerdictId> = {
  CORRECT: 'AC',
  ACCEPTED: 'AC',
  'WRONG-ANSWER': 'WA',
  'NO-OUTPUT': 'WA',
  TIMELIMIT: 'TLE',
  'RUN-ERROR': 'RTE',
  'COMPILER-ERROR': 'CE',
  'OUTPUT-LIMIT': 'OLE',
  'MEMORY-LIMIT': 'MLE',
  AC: 'AC',
  WA: 'WA',
  TLE: 'TLE',
  RTE: 'RTE',
  CE: 'CE',
  OLE: 'OLE',
  MLE: 'MLE',
};

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
    .filter((e) => e.isDirectory() && !/^[.-]/.test(e.name))
    .map((e) => e.name)
    .sort();
  for (const category of categories) {
    const expectedByDir = CATEGORY_VERDICTS[category];
    if (!expectedByDir) {
      diag.warn(path.join(root, category), `unknown submissions category "${category}" skipped (known: ${Object.keys(CATEGORY_VERDICTS).join(', ')})`);
      continue;
    }
    const catDir = path.join(root, category);
    for (const e of fs.readdirSync(catDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (/^[.-]/.test(e.name) || /^readme/i.test(e.name)) continue;
      const full = path.join(catDir, e.name);
      const files = e.isDirectory() ? listFiles(full) : [e.name];
      const subDir = e.isDirectory() ? full : catDir;
      if (files.length === 0) {
        diag.warn(full, 'empty submission directory skipped');
        continue;
      }
      let expected = expectedByDir;
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
      const v = RESULT_NAMES[n.toUpperCase()];
      if (!v) {
        diag.error(file, `unknown result "${n}" in ${MARKER}`, `use DOMjudge names (${Object.keys(RESULT_NAMES).slice(0, 8).join(', ')}) separated by commas`, {
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
