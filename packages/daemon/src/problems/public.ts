/**
 * The contestant's view of a problem as the shared wire type ProblemInfo: nothing from data/secret,
 * no server paths.
 */
import type { ProblemInfo } from '@judged/shared/problem';
import type { ProblemPackage } from './types.ts';
import { scoringSummary } from '@judged/shared/problem-score';

/** Balloon colour names organizers write in problemset.yaml, to the #rrggbb the wire wants. */
const NAMED: Record<string, string> = {
  black: '#000000', white: '#ffffff', red: '#ff0000', green: '#008000', lime: '#00ff00', blue: '#0000ff',
  yellow: '#ffff00', orange: '#ffa500', purple: '#800080', pink: '#ffc0cb', cyan: '#00ffff', magenta: '#ff00ff',
  silver: '#c0c0c0', gray: '#808080', grey: '#808080', gold: '#ffd700', brown: '#a52a2a', navy: '#000080',
  teal: '#008080', maroon: '#800000', olive: '#808000', violet: '#ee82ee', turquoise: '#40e0d0', beige: '#f5f5dc',
  lightblue: '#add8e6', lightgreen: '#90ee90', darkgreen: '#006400', darkblue: '#00008b', indigo: '#4b0082',
};

export function colourToRgb(c: ProblemPackage['color']): string | null {
  if (!c) return null;
  if (c.rgb) return c.rgb.toLowerCase();
  return c.name ? (NAMED[c.name.toLowerCase().replace(/[\s_-]/g, '')] ?? null) : null;
}

/**
 * Interactive samples carry the `.interaction` transcript as `input` (lines starting `<` come from
 * the judge, `>` from the team) and an empty `output`: their .in/.ans are the judge's files.
 */
export function toProblemInfo(p: ProblemPackage, language = 'en'): ProblemInfo {
  const statement = p.statements.find((s) => s.language === language) ?? p.statements[0];
  const markdown =
    statement?.markdown ??
    (statement ? `The statement of this problem is a PDF (${statement.language}): save it with \`p\` in the Statement screen or \`judge statement ${p.label} --pdf\`.\n` : 'No statement provided.\n');
  return {
    id: p.shortName,
    label: p.label,
    name: p.names[language] ?? p.name,
    colour: colourToRgb(p.color),
    timeLimitMs: p.limits.timeLimitMs,
    memoryLimitKiB: p.limits.memoryMiB * 1024,
    outputLimitKiB: p.limits.outputMiB * 1024,
    sampleCount: p.samples.length,
    testCount: p.testCases.length,
    ...(p.scoring ? { scoring: { ...scoringSummary(p.scoring), ...(p.expectedMaxScore !== undefined ? { expectedMaxScore: p.expectedMaxScore } : {}) } } : {}),
    markdown,
    samples: p.samples.map((s) => ({ name: s.name, input: s.interaction ?? s.input, output: s.interaction !== undefined ? '' : s.output })),
    // For `judge test`: the rule the judge applies to the samples, when it is the default validator.
    sampleCompare: p.validation === 'default' && !p.type.interactive ? (p.testCases.find((t) => t.kind === 'sample')?.compare ?? null) : null,
    attachments: p.attachments.map((a) => ({ name: a.name, sizeBytes: a.sizeBytes })),
    ...(p.pdfStatements.length > 0 ? { statementPdfs: p.pdfStatements.map((s) => s.language) } : {}),
  };
}
