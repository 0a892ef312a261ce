/**
 * Problem statements (statement/ in 2025-09, problem_statement/ in legacy): found per language,
 * rendered to Markdown for the terminal client with the samples appended, plus the sample data a
 * contestant may see.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { printable } from '@judged/shared/printable';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import { substituteConstants, substituteTexConstants, type Constants } from './constants.ts';
import { markdownMathToText, NEXT_SAMPLE, REMAINING_SAMPLES, texToMarkdown } from './tex.ts';
import type { PackageFormat, PdfStatement, Sample, SampleFile, Statement, TestCase } from './types.ts';

export interface FoundStatements {
  statements: Statement[];
  /** Names found inside LaTeX statements (\problemname or %% plainproblemname), by language. */
  texNames: Record<string, string>;
  /** Every PDF statement by language, kept even where a text statement is what the terminal shows. */
  pdfs: PdfStatement[];
}

const STATEMENT_FILE = /^problem(?:\.([a-z]{2,3}(?:-[A-Z]{2})?))?\.(md|tex|pdf)$/;

export function findStatements(
  dir: string,
  format: PackageFormat,
  diag: Diagnostics,
  samples: Sample[],
  constants: Constants,
): FoundStatements {
  const primary = path.join(dir, format === 'legacy' ? 'problem_statement' : 'statement');
  const other = path.join(dir, format === 'legacy' ? 'statement' : 'problem_statement');
  let sdir = primary;
  if (!fs.existsSync(primary) && fs.existsSync(other)) {
    diag.warn(other, `a ${format} package keeps its statement in ${path.basename(primary)}/; read from ${path.basename(other)}/ anyway`);
    sdir = other;
  }
  const found: FoundStatements = { statements: [], texNames: {}, pdfs: [] };
  if (!fs.existsSync(sdir)) {
    diag.warn(primary, 'no problem statement: teams will see only the name, limits and samples');
    return found;
  }
  const byLang = new Map<string, Statement[]>();
  for (const f of fs.readdirSync(sdir).sort()) {
    const m = STATEMENT_FILE.exec(f);
    if (!m) continue;
    const language = m[1] ?? 'en';
    const fmt = m[2] as Statement['format'];
    if (fmt === 'md' && format === 'legacy') diag.warn(path.join(sdir, f), 'Markdown statements are a 2025-09 feature; shown anyway');
    const st: Statement = { language, format: fmt, path: path.join(sdir, f) };
    if (fmt === 'pdf') found.pdfs.push({ language, path: st.path, sizeBytes: fs.statSync(st.path).size });
    if (fmt === 'md') {
      const text = fs.readFileSync(st.path, 'utf8');
      st.markdown = withSamples(markdownMathToText(substituteConstants(text, constants)), samples, '{{nextsample}}', '{{remainingsamples}}');
    } else if (fmt === 'tex') {
      const conv = texToMarkdown(substituteTexConstants(fs.readFileSync(st.path, 'utf8'), constants));
      const name = texName(conv.plainProblemName ?? conv.problemName, st.path, diag);
      if (name) found.texNames[language] = name;
      st.markdown = withSamples(conv.markdown, samples, NEXT_SAMPLE, REMAINING_SAMPLES);
    }
    const list = byLang.get(language) ?? [];
    list.push(st);
    byLang.set(language, list);
  }
  // One statement per language: Markdown over LaTeX over PDF (what renders best in a terminal).
  const rank = { md: 0, tex: 1, pdf: 2 };
  for (const [, list] of byLang) {
    list.sort((a, b) => rank[a.format] - rank[b.format]);
    found.statements.push(list[0]!);
  }
  found.statements.sort((a, b) => (a.language === 'en' ? -1 : b.language === 'en' ? 1 : a.language < b.language ? -1 : 1));
  if (found.statements.length === 0) {
    diag.warn(sdir, 'no problem.<language>.{md,tex,pdf} found; teams will see only the name, limits and samples');
  }
  return found;
}

function renderSample(s: Sample, n: number): string {
  if (s.interaction !== undefined) {
    const lines = s.interaction
      .split('\n')
      .filter(Boolean)
      .map((l) => (l.startsWith('<') ? `judge: ${l.slice(1)}` : l.startsWith('>') ? `you:   ${l.slice(1)}` : l));
    return `### Sample interaction ${n}\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`;
  }
  return `### Sample input ${n}\n\n\`\`\`\n${s.input.replace(/\n$/, '')}\n\`\`\`\n\n### Sample output ${n}\n\n\`\`\`\n${s.output.replace(/\n$/, '')}\n\`\`\`\n`;
}

function withSamples(text: string, samples: Sample[], nextToken: string, remainingToken: string): string {
  let next = 0;
  let out = text.split(nextToken).reduce((acc, part, i) => {
    if (i === 0) return part;
    const s = samples[next];
    const rendered = s ? renderSample(s, ++next) : '';
    return acc + rendered + part;
  });
  const rest = () => {
    const parts: string[] = [];
    while (next < samples.length) parts.push(renderSample(samples[next]!, ++next));
    return parts.join('\n');
  };
  if (out.includes(remainingToken)) out = out.split(remainingToken).join(rest());
  const tail = rest();
  return (out.trimEnd() + (tail ? `\n\n${tail}` : '') + '\n').replace(/\n{3,}/g, '\n\n');
}

export function readSamples(testCases: TestCase[], extraInteractions: string[], interactive: boolean, maxBytes: number): Sample[] {
  const out: Sample[] = [];
  for (const t of testCases) {
    if (t.kind !== 'sample') continue;
    const shown = shownFiles(t);
    const s: Sample = { name: t.name, input: readCapped(shown.input, maxBytes), output: readCapped(shown.answer, maxBytes) };
    // Interactive: .in/.ans are the judge's files, never shown to teams; show the transcript only.
    if (interactive) {
      s.input = '';
      s.output = '';
      s.interaction = t.interactionPath ? readCapped(t.interactionPath, maxBytes) : '(no sample interaction provided)';
    }
    out.push(s);
  }
  for (const file of extraInteractions) {
    out.push({ name: `sample/${path.basename(file, '.interaction')}`, input: '', output: '', interaction: readCapped(file, maxBytes) });
  }
  return out;
}

/**
 * The sample files a team may download (the samples zip): `<case>.in` and `<case>.ans` as shown in the
 * statement, or for an interactive problem only the `.interaction` transcripts (its .in/.ans are the
 * judge's). Names are relative to data/sample.
 */
export function sampleFiles(testCases: TestCase[], extraInteractions: string[], interactive: boolean): SampleFile[] {
  const out: SampleFile[] = [];
  for (const t of testCases) {
    if (t.kind !== 'sample') continue;
    const name = t.name.replace(/^sample\//, '');
    if (interactive) {
      if (t.interactionPath) out.push({ name: `${name}.interaction`, path: t.interactionPath });
      continue;
    }
    const shown = shownFiles(t);
    out.push({ name: `${name}.in`, path: shown.input }, { name: `${name}.ans`, path: shown.answer });
  }
  for (const file of extraInteractions) out.push({ name: path.basename(file), path: file });
  return out;
}

/**
 * The files a team is shown for a test case (a sample, or a secret case with full_feedback), by the
 * 2025-09 display variants: .in.statement over .in; .ans.statement over .out over .ans.
 */
export function shownFiles(t: Pick<TestCase, 'inputPath' | 'answerPath'>): { input: string; answer: string } {
  const base = t.inputPath.slice(0, -'.in'.length);
  return {
    input: firstExisting([`${base}.in.statement`, t.inputPath]),
    answer: firstExisting([`${base}.ans.statement`, `${base}.out`, t.answerPath]),
  };
}

function firstExisting(files: string[]): string {
  return files.find((f) => fs.existsSync(f)) ?? files[files.length - 1]!;
}

function readCapped(file: string, maxBytes: number): string {
  const size = fs.statSync(file).size;
  if (size <= maxBytes) return fs.readFileSync(file, 'utf8');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(maxBytes);
    fs.readSync(fd, buf, 0, maxBytes, 0);
    return `${buf.toString('utf8')}\n… (${size - maxBytes} more bytes not shown)\n`;
  } finally {
    fs.closeSync(fd);
  }
}

const NAME = printable(z.string());

/**
 * A name from a LaTeX statement, held to the rule of every other name (printable.ts): its line
 * breaks and runs of spaces (a long \problemname wraps in the source) become one space; anything
 * else a terminal would act on refuses the package, as in problem.yaml's `name`.
 */
function texName(raw: string | undefined, file: string, diag: Diagnostics): string | undefined {
  const name = raw?.replace(/[ \t\r\n]+/g, ' ').trim();
  if (!name) return undefined;
  const r = NAME.safeParse(name);
  if (r.success) return name;
  diag.error(file, `the problem name in the statement ${r.error.issues[0]!.message}`, 'remove it from \\problemname (or %% plainproblemname), or give `name` in problem.yaml');
  return undefined;
}
