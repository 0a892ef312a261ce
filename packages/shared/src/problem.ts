/**
 * What a client is shown about a problem: the summary line of the problem list and the full statement.
 * The daemon's package loader builds a ProblemInfo from a Kattis package; everything here is public to
 * logged-in teams once the contest has started (secret test data never appears in these types).
 */
import { z } from 'zod';

/** Ids follow the CCS Contest API's rule, so they can be exported unchanged. */
export const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(ID_PATTERN, 'may contain only letters, digits, "_", "." and "-", and must not start with "." or "-"');

/** A plain file name, no directories: safe to write into a judging directory. */
export const FILE_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
export const FileNameSchema = z
  .string()
  .min(1, 'file name must not be empty')
  .max(128, 'file name must be at most 128 characters')
  .regex(FILE_NAME_PATTERN, 'file name may contain only letters, digits, "_", ".", "+" and "-" (no "/"), and must not start with "." or "-"');

export const ColourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be "#rrggbb"');

export const SampleSchema = z.object({
  /** Test case name from the package (data/sample/<name>.in). */
  name: z.string(),
  input: z.string(),
  /** The expected output (.ans). */
  output: z.string(),
});
export type Sample = z.infer<typeof SampleSchema>;

export const AttachmentSchema = z.object({
  name: FileNameSchema,
  sizeBytes: z.int().nonnegative(),
  mediaType: z.string().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const ProblemScoringSchema = z.object({
  /** Full marks; null: unbounded. */
  maxScore: z.number().nullable(),
  /**
   * Unbounded problems: the score the problem is expected to be worth (the best expected of the
   * package's submissions, ...), for what needs a maximum anyway: the Contest API's max_score.
   */
  expectedMaxScore: z.number().optional(),
  subtasks: z.array(z.object({ name: z.string(), maxScore: z.number().nullable() })),
});
export type ProblemScoring = z.infer<typeof ProblemScoringSchema>;

export const ProblemSummarySchema = z.object({
  id: IdSchema,
  /** Short label on the scoreboard: "A", "B", ... */
  label: z.string().min(1).max(16),
  name: z.string(),
  /** Balloon colour; null when the contest gives none. */
  colour: ColourSchema.nullable(),
  timeLimitMs: z.int().positive(),
  memoryLimitKiB: z.int().positive(),
  outputLimitKiB: z.int().positive().optional(),
  sampleCount: z.int().nonnegative(),
  /** All test cases, samples included (public in the CCS Contest API too). */
  testCount: z.int().nonnegative().optional(),
  /** Scoring problems: full marks (null: unbounded) and the subtasks' points, as the statement gives them. */
  scoring: ProblemScoringSchema.optional(),
});
export type ProblemSummary = z.infer<typeof ProblemSummarySchema>;

/**
 * How the default output validator compares outputs (the package's validator_flags), published so a
 * client can check the samples locally exactly as the judge would (`judge test`).
 */
export const SampleCompareSchema = z.object({
  caseSensitive: z.boolean(),
  spaceChangeSensitive: z.boolean(),
  floatAbsoluteTolerance: z.number().optional(),
  floatRelativeTolerance: z.number().optional(),
});

/** The full statement a team reads: summary fields plus markdown, samples and downloadable files. */
export const ProblemInfoSchema = ProblemSummarySchema.extend({
  /** The samples' comparison rule; null when a custom validator or an interactor judges. */
  sampleCompare: SampleCompareSchema.nullable().optional(),
  markdown: z.string(),
  samples: z.array(SampleSchema),
  attachments: z.array(AttachmentSchema),
  /** Languages with a PDF statement (request it with problemFile statementPdf). */
  statementPdfs: z.array(z.string()).optional(),
});
export type ProblemInfo = z.infer<typeof ProblemInfoSchema>;

export function toProblemSummary(p: ProblemInfo): ProblemSummary {
  const s: ProblemSummary = {
    id: p.id,
    label: p.label,
    name: p.name,
    colour: p.colour,
    timeLimitMs: p.timeLimitMs,
    memoryLimitKiB: p.memoryLimitKiB,
    sampleCount: p.samples.length,
  };
  if (p.outputLimitKiB !== undefined) s.outputLimitKiB = p.outputLimitKiB;
  if (p.testCount !== undefined) s.testCount = p.testCount;
  if (p.scoring !== undefined) s.scoring = { maxScore: p.scoring.maxScore, subtasks: p.scoring.subtasks.map((x) => ({ ...x })) };
  return s;
}
