/**
 * What the loader hands to the rest of the daemon: one ProblemPackage per problem directory, already
 * normalised so that callers never look at which package format version the files were written in.
 * Units are written on every numeric field (Ms, MiB, KiB, S).
 */
import type { CompareFlags } from '@judged/shared/default-validator';
import type { Verdict } from '@judged/shared/verdict';
import type { LegacyGroupRules, ScoringRules } from '@judged/shared/problem-score';
import type { ConfigFileError } from '../config-files/diagnostics.ts';
import type { Constants } from './constants.ts';

/** CCS judgement type ids, as on the wire. */
export type VerdictId = Verdict;

/** problem_format_version, normalised. '2023-07-draft' and 'draft' are read as 2025-09. */
export type PackageFormat = 'legacy' | '2025-09';

export interface TimeMultipliers {
  /** Slowest accepted submission x this <= time limit (2025-09 ac_to_time_limit, legacy time_multiplier). */
  acToTimeLimit: number;
  /** Time limit x this <= fastest time_limit_exceeded submission (2025-09 time_limit_to_tle, legacy time_safety_margin). */
  timeLimitToTle: number;
}

export interface ProblemLimits {
  /** The time limit per test case in milliseconds of CPU time. Always set (see timeLimitSource). */
  timeLimitMs: number;
  /**
   * Where timeLimitMs came from. 'default' means the package gives no explicit limit: the limit is the
   * loader's defaultTimeLimitMs until `judged verify` derives one from the accepted submissions with
   * deriveTimeLimitMs() (and may persist it as a DOMjudge `.timelimit` file, which is read next time).
   */
  timeLimitSource: 'problem.yaml' | '.timelimit' | 'domjudge-problem.ini' | 'default';
  timeMultipliers: TimeMultipliers;
  /** 2025-09 time_resolution (derived limits are rounded up to a multiple of it); legacy rounds to 1 s. */
  timeResolutionMs: number;
  memoryMiB: number;
  outputMiB: number;
  codeKiB: number;
  compilationTimeS: number;
  compilationMemoryMiB: number;
  validationTimeS: number;
  validationMemoryMiB: number;
  validationOutputMiB: number;
  /**
   * Size of a test run's /box (a tmpfs of the run, its pages charged to the memory limit):
   * problem.yaml `limits.disk` (a judged extension), default half the memory limit, at least 16 and
   * at most 256 MiB. Optional so hand-made packages (tests) get the default.
   */
  diskMiB?: number;
  /** Multi-pass problems: most passes per test case (2025-09 limits.validation_passes, default 2). */
  validationPasses: number;
}

/** Flags of the default output validator (the "beefed-up diff"), parsed and checked at load time. */
export type { CompareFlags };

/**
 * A program shipped in the package (the custom output validator / interactor). The loader only
 * describes it; the judging engine builds and runs it.
 */
export interface PackageProgram {
  /** Program name: the file's base name or the directory's name. */
  name: string;
  /** Absolute directory holding the program's files (for a single-file program, its parent dir). */
  dir: string;
  /** File names relative to dir, sorted. For a single-file program, just that file. */
  files: string[];
  /**
   * How to build/run it, per the spec's "Programs" section:
   * 'build-run' — dir has a `build` and/or `run` script (run `build` in a copy of dir, then `run`);
   * 'sh' — a POSIX shell script, run with /bin/sh;
   * 'source' — sources in a language judged knows (picked by file extension), built and run as a
   *   submission in that language would be.
   */
  kind: 'build-run' | 'sh' | 'source';
  /** The script for 'sh'; the main source for 'source' when there is one (single file, __main__.py). */
  entry?: string;
}

export interface TestCase {
  /** Name per the spec: path under data/ without extension, e.g. 'secret/group1/03-max'. */
  name: string;
  /** 'sample' or 'secret' (the top-level group). */
  kind: 'sample' | 'secret';
  /** Group path under data/, e.g. 'secret/group1' ('sample' / 'secret' for top-level cases). */
  group: string;
  /** 1-based position in judging order across the whole problem (samples first). */
  ordinal: number;
  inputPath: string;
  answerPath: string;
  /** Legacy interactive samples: the `.interaction` transcript shown instead of in/ans. */
  interactionPath?: string;
  /** 2025-09 `<case>.files/` directory: files copied into the submission's working directory. */
  filesDir?: string;
  /** Extra argv for the output validator (legacy validator_flags + output_validator_flags, 2025-09 output_validator_args). */
  outputValidatorArgs: string[];
  /** 2025-09 `args`: extra argv for the submission itself. */
  args: string[];
  /**
   * Arguments for the input validators (legacy input_validator_flags, 2025-09 input_validator_args):
   * `all` for every validator, `byName` for one validator by its program name (which then gets only
   * those; validators in neither get none).
   */
  inputValidatorArgs: InputValidatorArgs;
  /** The default validator's comparison for this case (parsed from outputValidatorArgs). */
  compare: CompareFlags;
  /** Whether a team may see this case's data on failure (samples: yes; secret: no unless full_feedback). */
  fullFeedback: boolean;
  hint?: string;
  description?: string;
}

export interface InputValidatorArgs {
  all: string[];
  byName?: Record<string, string[]>;
}

/** A case of data/invalid_input, invalid_output or valid_output: checks the validators, never judged. */
export interface ValidationCase {
  kind: 'invalid_input' | 'invalid_output' | 'valid_output';
  /** Path under data/ without extension, e.g. 'invalid_input/negative'. */
  name: string;
  inputPath: string;
  /** invalid_output / valid_output: the answer file and the output the output validator judges. */
  answerPath?: string;
  outputPath?: string;
  inputValidatorArgs: InputValidatorArgs;
  outputValidatorArgs: string[];
  compare: CompareFlags;
}

export interface TestGroup {
  /** Path under data/, e.g. 'secret', 'secret/group1'. */
  name: string;
  /** The group's config file if it has its own (testdata.yaml or test_group.yaml), absolute path. */
  configPath?: string;
}

export interface Statement {
  /** ISO 639 language code from the file name ('en' when the name has none). */
  language: string;
  format: 'md' | 'tex' | 'pdf';
  path: string;
  /**
   * Markdown for the terminal client: the .md file with constants and {{nextsample}} /
   * {{remainingsamples}} resolved, or a best-effort conversion of the .tex file; samples appended.
   * Absent for PDF statements.
   */
  markdown?: string;
}

/** problem.pdf / problem.<lang>.pdf in the statement directory: served to teams as it is. */
export interface PdfStatement {
  language: string;
  path: string;
  sizeBytes: number;
}

/** A file of the samples zip teams download: its name in the zip and where it is. */
export interface SampleFile {
  name: string;
  path: string;
}

export interface Sample {
  name: string;
  /** Contents, for display (cut at maxSampleBytes with a note when larger). */
  input: string;
  /** The expected output (.ans). */
  output: string;
  /** Interactive problems: the `.interaction` transcript, when the package has one. */
  interaction?: string;
}

export interface Attachment {
  name: string;
  path: string;
  sizeBytes: number;
}

export interface ExampleSubmission {
  /** Path relative to submissions/, e.g. 'accepted/hello.cpp' or 'accepted/multi' (a directory). */
  id: string;
  /** The submissions/ subdirectory it sits in, e.g. 'accepted', 'wrong_answer'. */
  category: string;
  /** Absolute path of the file, or of the directory for a multi-file submission. */
  path: string;
  /** Source files relative to `dir`, sorted. */
  files: string[];
  /** Directory the files are in (the submission dir itself, or the category dir for single files). */
  dir: string;
  /**
   * Verdicts the final result may have. From a DOMjudge `@EXPECTED_RESULTS@:` comment when present,
   * else from the category. Verify passes when the final verdict is one of these.
   */
  expected: VerdictId[];
  /** Precedence: a `@EXPECTED_RESULTS@` comment, then 2025-09 submissions.yaml, then the folder. */
  expectedSource: 'directory' | 'submissions.yaml' | '@EXPECTED_RESULTS@';
  /** 2025-09 submissions.yaml `language` (a language code), when given; else judge by extension. */
  language?: string;
  /** 2025-09 submissions.yaml `entrypoint` (e.g. the Java main class), when given. */
  entrypoint?: string;
  /** 2025-09 submissions.yaml `score` requirements (scoring problems), for the submission and per group. */
  score?: ScoreExpectation;
}

/** An inclusive score range; an exact score is [x, x]. */
export type ScoreRange = [number, number];

export interface ScoreExpectation {
  total?: ScoreRange;
  /** By group name (relative to data/, e.g. secret/group1). */
  groups?: Record<string, ScoreRange>;
}

export interface ProblemType {
  interactive: boolean;
  scoring: boolean;
  multiPass: boolean;
  submitAnswer: boolean;
}

export interface ProblemPackage {
  /** Absolute path of the package directory. */
  dir: string;
  /** The directory name; the problem's stable id. */
  shortName: string;
  /** Contest label: A, B, C... by directory order, or from problemset.yaml. */
  label: string;
  /** 0-based position in the problem set. */
  ordinal: number;
  /** Balloon colour from problemset.yaml (name and/or #rrggbb). */
  color?: { name?: string; rgb?: string };
  format: PackageFormat;
  /** Display name: English if present, else the first language's. */
  name: string;
  /** Names by language code. */
  names: Record<string, string>;
  uuid?: string;
  type: ProblemType;
  limits: ProblemLimits;
  /** 'default': the judge's own diff with TestCase.compare; 'custom': run outputValidator. */
  validation: 'default' | 'custom';
  outputValidator?: PackageProgram;
  /**
   * include/<language>/ (and include/default/): files copied into every submission of that language
   * before compiling, overwriting the team's files of the same name. Language codes as in the spec
   * (cpp, python3, java, ...), 'default' for all languages without their own directory.
   */
  includedCode: { language: string; dir: string; files: string[] }[];
  /** problem.yaml constants (2025-09), substituted in programs, included code and example submissions. */
  constants: Constants;
  /** input_validators/ programs (exit 42 = valid input) for `judged verify` to check the data with. */
  inputValidators: PackageProgram[];
  /** data/invalid_input, invalid_output, valid_output cases (for `judged verify` and the start check). */
  validationCases: ValidationCase[];
  /** Test groups in judging order (sample first, then secret and its subgroups, depth first). */
  groups: TestGroup[];
  /** Every test case in judging order: data/sample first, then data/secret, each lexicographic. */
  testCases: TestCase[];
  /** Scoring problems: how test results become a score (2025-09 or legacy rules); absent for pass-fail. */
  scoring?: ScoringRules;
  /**
   * Pass-fail problems: the group tree the verdict is graded on (on_reject, grader_flags), the same
   * walk and default grader as legacy scores (@judged/shared/problem-score); absent for scoring.
   */
  passFail?: LegacyGroupRules;
  /** Unbounded scoring problems: the score they are expected to be worth (expected-max-score.ts). */
  expectedMaxScore?: number;
  /** Contestant-visible sample data (the only test data a team may see). */
  samples: Sample[];
  /** The samples zip's files (statement.ts sampleFiles). */
  sampleFiles: SampleFile[];
  statements: Statement[];
  pdfStatements: PdfStatement[];
  attachments: Attachment[];
  submissions: ExampleSubmission[];
  /** 2025-09 `languages` (language codes) or null for all. */
  languages: string[] | null;
  /** Oddities that do not stop the package from loading (unknown keys, ignored files ...). */
  warnings: string[];
}

export interface LoadOptions {
  /** Time limit used when the package gives none (ms). Default 1000. */
  defaultTimeLimitMs?: number;
  defaultMemoryMiB?: number;
  defaultOutputMiB?: number;
  /** Run generators/manifest.yaml generators for missing generated data first. Default true. */
  generate?: boolean;
  /** Largest sample shown inline (bytes). Default 64 KiB. */
  maxSampleBytes?: number;
}

export interface LoadResult {
  problems: ProblemPackage[];
  errors: ConfigFileError[];
  /** Every warning of the set and of each package (also on ProblemPackage.warnings), as `file: message`. */
  warnings: string[];
}
