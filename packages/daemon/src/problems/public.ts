/**
 * The contestant's view of a problem: nothing from data/secret, no server paths. The server sends
 * this (mapped onto its wire schema) to teams.
 */
import type { Attachment, ProblemPackage, Sample } from './types.ts';

export interface PublicProblem {
  id: string;
  label: string;
  ordinal: number;
  name: string;
  names: Record<string, string>;
  color?: { name?: string; rgb?: string };
  interactive: boolean;
  timeLimitMs: number;
  memoryMiB: number;
  /** Markdown statement per language (PDF-only statements are listed with markdown undefined). */
  statements: { language: string; format: 'md' | 'tex' | 'pdf'; markdown?: string }[];
  samples: Sample[];
  attachments: Pick<Attachment, 'name' | 'sizeBytes'>[];
}

export function toPublicProblem(p: ProblemPackage): PublicProblem {
  return {
    id: p.shortName,
    label: p.label,
    ordinal: p.ordinal,
    name: p.name,
    names: p.names,
    color: p.color,
    interactive: p.type.interactive,
    timeLimitMs: p.limits.timeLimitMs,
    memoryMiB: p.limits.memoryMiB,
    statements: p.statements.map((s) => ({ language: s.language, format: s.format, markdown: s.markdown })),
    samples: p.samples,
    attachments: p.attachments.map((a) => ({ name: a.name, sizeBytes: a.sizeBytes })),
  };
}
