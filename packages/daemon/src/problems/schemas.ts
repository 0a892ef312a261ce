/**
 * zod schemas of the YAML files in a problem package (legacy and 2025-09 keys side by side: the
 * loader decides which apply from problem_format_version) and of problemset.yaml.
 */
import { z } from 'zod';
import { printable } from '@judged/shared/printable';

const positive = z.number().positive();
const positiveInt = z.int().positive();
const stringOrList = z.union([z.string(), z.array(z.string())]);

export const limitsSchema = z.object({
  // legacy
  time_multiplier: z.number().min(1).optional(),
  time_safety_margin: z.number().min(1).optional(),
  // 2025-09
  time_multipliers: z
    .object({
      ac_to_time_limit: z.number().min(1).optional(),
      time_limit_to_tle: z.number().min(1).optional(),
    })
    .optional(),
  time_limit: positive.optional(),
  time_resolution: positive.optional(),
  // both
  memory: positiveInt.optional(),
  output: positiveInt.optional(),
  code: positiveInt.optional(),
  compilation_time: positive.optional(),
  compilation_memory: positiveInt.optional(),
  validation_time: positive.optional(),
  validation_memory: positiveInt.optional(),
  validation_output: positiveInt.optional(),
  validation_passes: z.int().min(2).optional(),
  // judged's own: size of a run's /box in MiB (its tmpfs; docs/sandbox.md). Other judges ignore it.
  disk: positiveInt.optional(),
});
export const LIMIT_KEYS = Object.keys(limitsSchema.shape);

export const problemYamlSchema = z.object({
  problem_format_version: z.string().optional(),
  type: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  name: z.union([printable(z.string().min(1)), z.record(z.string(), printable(z.string().min(1)))]).optional(),
  uuid: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  author: z.string().optional(),
  credits: z.unknown().optional(),
  source: z.unknown().optional(),
  source_url: z.string().optional(),
  license: z.string().optional(),
  rights_owner: z.string().optional(),
  embargo_until: z.unknown().optional(),
  limits: limitsSchema.optional(),
  validation: z.string().optional(),
  validator_flags: z.string().optional(),
  grading: z.unknown().optional(),
  keywords: stringOrList.optional(),
  languages: stringOrList.optional(),
  allow_file_writing: z.boolean().optional(),
  constants: z
    .record(
      z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'constant names are letters, digits and _ (not starting with a digit)'),
      z.union([z.number(), z.string(), z.object({ value: z.union([z.number(), z.string()]) }).catchall(z.union([z.number(), z.string()]))]),
    )
    .optional(),
});
export type ProblemYaml = z.output<typeof problemYamlSchema>;
export const PROBLEM_KEYS = Object.keys(problemYamlSchema.shape);

/** Flags in legacy testdata.yaml are a string, or a map {name, flags}. */
const legacyFlags = z.union([z.string(), z.object({ name: z.string().optional(), flags: z.string().optional() })]);
const argList = z.array(z.union([z.string(), z.number()]).transform(String));
/** 2025-09 input_validator_args: one list for every input validator, or validator name -> list. */
const inputValidatorArgs = z.union([argList, z.record(z.string(), argList)]);

/** Legacy testdata.yaml and 2025-09 test_group.yaml, one schema (keys differ, none clash). */
export const testGroupSchema = z.object({
  // legacy testdata.yaml
  on_reject: z.enum(['break', 'continue']).optional(),
  grading: z.enum(['default', 'custom']).optional(),
  grader_flags: z.string().optional(),
  input_validator_flags: legacyFlags.optional(),
  output_validator_flags: legacyFlags.optional(),
  accept_score: z.unknown().optional(),
  reject_score: z.unknown().optional(),
  range: z.unknown().optional(),
  // 2025-09 test_group.yaml
  max_score: z.unknown().optional(),
  score_aggregation: z.unknown().optional(),
  static_validation_score: z.unknown().optional(),
  require_pass: z.unknown().optional(),
  args: argList.optional(),
  input_validator_args: inputValidatorArgs.optional(),
  static_validator_args: z.unknown().optional(),
  output_validator_args: argList.optional(),
  input_visualizer_args: z.unknown().optional(),
  output_visualizer_args: z.unknown().optional(),
  full_feedback: z.boolean().optional(),
});
export type TestGroupYaml = z.output<typeof testGroupSchema>;
export const TEST_GROUP_KEYS = Object.keys(testGroupSchema.shape);

/** 2025-09 per-test-case <case>.yaml. */
export const testCaseSchema = z.object({
  args: argList.optional(),
  input_validator_args: inputValidatorArgs.optional(),
  output_validator_args: argList.optional(),
  input_visualizer_args: z.unknown().optional(),
  output_visualizer_args: z.unknown().optional(),
  full_feedback: z.boolean().optional(),
  hint: z.string().optional(),
  description: z.string().optional(),
});
export const TEST_CASE_KEYS = Object.keys(testCaseSchema.shape);

const rgb = z.string().regex(/^#?[0-9a-fA-F]{6}$/, 'expected a colour like "#ff8800"');

/** CCS problemset.yaml as DOMjudge imports it (letter/short-name), plus the newer label/id spelling. */
export const problemsetSchema = z.object({
  problems: z.array(
    z
      .object({
        letter: z.union([z.string(), z.number()]).transform(String).pipe(printable(z.string().min(1).max(16, 'a label is at most 16 characters'))).optional(),
        label: z.union([z.string(), z.number()]).transform(String).pipe(printable(z.string().min(1).max(16, 'a label is at most 16 characters'))).optional(),
        'short-name': z.string().optional(),
        short_name: z.string().optional(),
        id: z.string().optional(),
        color: printable(z.string()).optional(),
        rgb: rgb.optional(),
      })
      .refine((p) => p['short-name'] ?? p.short_name ?? p.id, {
        message: 'each problem needs short-name (the package directory name)',
      }),
  ),
});

/** generators/manifest.yaml: test data made at install or test time instead of being committed. */
export const generatorManifestSchema = z.object({
  generate: z
    .array(
      z.object({
        /** argv run in the generators/ directory; the temporary output directory is appended. */
        run: z.array(z.string()).min(1),
        /** Directory (relative to the package) the outputs go to, e.g. data/secret. */
        into: z.string().min(1),
        /** File names the command writes into its output directory. */
        files: z.array(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a plain file name')).min(1),
      }),
    )
    .min(1),
});

const verdictList = z.array(z.enum(['AC', 'WA', 'TLE', 'RTE']));

/**
 * 2025-09 submissions/submissions.yaml: glob -> requirements. Keys naming test groups inside an
 * entry (per-group requirements) are allowed and not interpreted.
 */
export const submissionsYamlSchema = z.record(
  z.string(),
  z
    .object({
      language: z.string().optional(),
      entrypoint: z.string().optional(),
      authors: z.unknown().optional(),
      model_solution: z.boolean().optional(),
      permitted: verdictList.optional(),
      required: verdictList.optional(),
      score: z.unknown().optional(),
      message: z.string().optional(),
      use_for_time_limit: z.union([z.boolean(), z.enum(['lower', 'upper'])]).optional(),
    })
    .catchall(z.unknown()),
);
