/**
 * Judgement types, as the ICPC CCS specification names them (AC, WA, TLE, MLE, RTE, OLE, CE, JE), and
 * the two foreign vocabularies we meet: DOMjudge's result strings (imports, exports, jury habits) and
 * the Kattis problem package's submissions/<folder>/ names (expected verdicts for `judged verify`).
 *
 * One table holds everything about a verdict so the id, its name, its penalty rule and its colour can
 * never drift apart.
 */
import { z } from 'zod';

export const VERDICTS = ['AC', 'WA', 'TLE', 'MLE', 'RTE', 'OLE', 'CE', 'JE'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VerdictSchema = z.enum(VERDICTS);

/** Colour names an ANSI terminal (Ink / chalk) understands. */
export type AnsiColour = 'green' | 'red' | 'yellow' | 'magenta' | 'cyan' | 'blue' | 'gray';

export interface VerdictInfo {
  id: Verdict;
  /** CCS judgement-type name. */
  name: string;
  /** The run solves the problem. */
  solved: boolean;
  /** A rejected run of this kind adds penalty time if the problem is solved later (CE and JE do not). */
  penalty: boolean;
  /** Hex colour for web pages (projector scoreboard). */
  colour: string;
  /** Colour hint for terminals. */
  ansi: AnsiColour;
  /** DOMjudge's result string, or null where DOMjudge has none. */
  domjudge: string | null;
  /** Kattis submissions/ folder holding programs expected to get exactly this verdict, or null. */
  kattisFolder: string | null;
}

export const VERDICT_INFO: Readonly<Record<Verdict, VerdictInfo>> = {
  AC: { id: 'AC', name: 'Accepted', solved: true, penalty: false, colour: '#2e9d44', ansi: 'green', domjudge: 'CORRECT', kattisFolder: 'accepted' },
  WA: { id: 'WA', name: 'Wrong Answer', solved: false, penalty: true, colour: '#d32f2f', ansi: 'red', domjudge: 'WRONG-ANSWER', kattisFolder: 'wrong_answer' },
  TLE: { id: 'TLE', name: 'Time Limit Exceeded', solved: false, penalty: true, colour: '#e08a00', ansi: 'yellow', domjudge: 'TIMELIMIT', kattisFolder: 'time_limit_exceeded' },
  MLE: { id: 'MLE', name: 'Memory Limit Exceeded', solved: false, penalty: true, colour: '#8e44ad', ansi: 'magenta', domjudge: 'MEMORY-LIMIT', kattisFolder: 'memory_limit_exceeded' },
  RTE: { id: 'RTE', name: 'Run-Time Error', solved: false, penalty: true, colour: '#c2185b', ansi: 'magenta', domjudge: 'RUN-ERROR', kattisFolder: 'run_time_error' },
  OLE: { id: 'OLE', name: 'Output Limit Exceeded', solved: false, penalty: true, colour: '#6d4c41', ansi: 'yellow', domjudge: 'OUTPUT-LIMIT', kattisFolder: 'output_limit_exceeded' },
  CE: { id: 'CE', name: 'Compile Error', solved: false, penalty: false, colour: '#1976d2', ansi: 'blue', domjudge: 'COMPILER-ERROR', kattisFolder: 'compile_error' },
  JE: { id: 'JE', name: 'Judging Error', solved: false, penalty: false, colour: '#607d8b', ansi: 'gray', domjudge: null, kattisFolder: null },
};

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}

/** Whether a judged run of this verdict adds penalty time (ICPC: every rejection except CE and JE). */
export function countsAsPenalty(v: Verdict): boolean {
  return VERDICT_INFO[v].penalty;
}

/**
 * DOMjudge result strings to CCS ids. NO-OUTPUT is a wrong answer in the CCS mapping (the program ran
 * fine and printed nothing).
 */
export const DOMJUDGE_TO_VERDICT: Readonly<Record<string, Verdict>> = {
  'CORRECT': 'AC',
  'WRONG-ANSWER': 'WA',
  'NO-OUTPUT': 'WA',
  'TIMELIMIT': 'TLE',
  'RUN-ERROR': 'RTE',
  'COMPILER-ERROR': 'CE',
  'OUTPUT-LIMIT': 'OLE',
  'MEMORY-LIMIT': 'MLE',
};

/** Accepts DOMjudge's spelling in either case ("correct", "WRONG-ANSWER"); null when unknown. */
export function verdictFromDomjudge(result: string): Verdict | null {
  return DOMJUDGE_TO_VERDICT[result.trim().toUpperCase()] ?? null;
}

export function verdictToDomjudge(v: Verdict): string | null {
  return VERDICT_INFO[v].domjudge;
}

/** Kattis submissions/ folders naming exactly one expected verdict. */
export const KATTIS_FOLDER_TO_VERDICT: Readonly<Record<string, Verdict>> = {
  accepted: 'AC',
  wrong_answer: 'WA',
  time_limit_exceeded: 'TLE',
  run_time_error: 'RTE',
  memory_limit_exceeded: 'MLE',
  output_limit_exceeded: 'OLE',
  compile_error: 'CE',
};

export function verdictFromKattisFolder(folder: string): Verdict | null {
  return KATTIS_FOLDER_TO_VERDICT[folder] ?? null;
}

/**
 * The verdicts a program in a Kattis submissions/<folder>/ may get, or null for a folder that is not a
 * verdict folder. Besides the one-verdict folders, newer packages use `rejected`: any rejection other
 * than a compile error.
 */
export function kattisFolderAllows(folder: string): readonly Verdict[] | null {
  if (folder === 'rejected') return ['WA', 'TLE', 'MLE', 'RTE', 'OLE'];
  // problemtools has no memory verdict: a program over the memory limit is a run-time error there,
  // and packages written for it keep such programs in run_time_error/ (its own hello example does).
  if (folder === 'run_time_error') return ['RTE', 'MLE'];
  const v = verdictFromKattisFolder(folder);
  return v ? [v] : null;
}
