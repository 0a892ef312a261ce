/**
 * The scoring rules of a scoring problem, read from its test data groups' config files into the
 * shapes @judged/shared/problem-score judges with: 2025-09 test_group.yaml (max_score,
 * score_aggregation, require_pass) and legacy testdata.yaml (on_reject, grader_flags, accept_score,
 * reject_score, range, plus problem.yaml `grading`). Whatever the spec forbids or judged cannot do is
 * an error naming the file and field.
 */
import path from 'node:path';
import type { GroupRules2025, LegacyGroupRules, ScoringRules } from '@judged/shared/problem-score';
import type { Diagnostics } from '../config-files/diagnostics.ts';
import type { OwnGroupConfig } from './testdata.ts';
import type { TestGroupYaml } from './schemas.ts';
import type { PackageFormat, TestCase, TestGroup } from './types.ts';

export interface ScoringContext {
  dir: string;
  format: PackageFormat;
  scoring: boolean;
  /** Legacy `validation: custom score`. */
  validatorScores: boolean;
  groups: TestGroup[];
  testCases: TestCase[];
  ownConfigs: Map<string, OwnGroupConfig>;
  /** Each group's settings in force (testdata.ts's inheritance), by group name. */
  configs: ReadonlyMap<string, TestGroupYaml>;
  /** problem.yaml `grading` (legacy). */
  grading: unknown;
  problemYaml: { file: string; lineOf(path: readonly PropertyKey[]): number | undefined };
  diag: Diagnostics;
}

const KEYS_2025 = ['max_score', 'score_aggregation', 'require_pass'] as const;
const KEYS_LEGACY = ['accept_score', 'reject_score', 'range', 'grader_flags'] as const;
const GRADER_FLAGS = new Set(['worst_error', 'no_errors', 'first_error', 'always_accept', 'sum', 'avg', 'min', 'max', 'ignore_sample', 'accept_if_any_accepted']);

export function loadScoringRules(ctx: ScoringContext): ScoringRules | undefined {
  if (!ctx.scoring) {
    for (const [, own] of ctx.ownConfigs) {
      for (const k of ctx.format === 'legacy' ? KEYS_LEGACY.filter((x) => x !== 'grader_flags') : KEYS_2025) {
        if (own.yaml[k] === undefined) continue;
        if (ctx.format === 'legacy') ctx.diag.warn(own.file, `${k} is only for scoring problems; ignored`);
        else ctx.diag.error(own.file, `pass-fail problems must not specify ${k}`, 'remove the key, or make the problem `type: scoring`', { field: k, line: own.lineOf([k]) });
      }
    }
    return undefined;
  }
  return ctx.format === 'legacy' ? legacyRules(ctx) : rules2025(ctx);
}

/**
 * The group tree a pass-fail problem's verdict is graded on, as problemtools grades it: every
 * directory of data/ a group with its on_reject and grader_flags (inherited as testdata.ts says), and
 * problem.yaml `grading.on_reject` over them all (first_error is break; grade is refused, as
 * problemtools refuses it for pass-fail). 2025-09 packages have neither key: every group breaks and the
 * first rejection decides. undefined when a setting is refused (the error is in ctx.diag).
 */
export function loadPassFailTree(ctx: ScoringContext): LegacyGroupRules | undefined {
  const errorsBefore = ctx.diag.errors.length;
  const overrides: Partial<LegacySettings> = {};
  const g = ctx.grading;
  if (ctx.format === 'legacy' && g !== null && typeof g === 'object' && !Array.isArray(g) && 'on_reject' in g) {
    const v = (g as Record<string, unknown>).on_reject;
    const at = { field: 'grading.on_reject', line: ctx.problemYaml.lineOf(['grading', 'on_reject']) };
    if (v === 'first_error') overrides.onReject = 'break';
    else if (v === 'grade') ctx.diag.error(ctx.problemYaml.file, "grading.on_reject: grade is only for scoring problems (problemtools refuses it for pass-fail)", 'write `on_reject: continue` in data/testdata.yaml to judge every case, or remove the key', at);
    else ctx.diag.error(ctx.problemYaml.file, `grading.on_reject must be first_error or grade, got ${JSON.stringify(v)}`, 'remove the key (pass-fail groups break at the first rejection)', at);
  }
  const root = legacyTree(ctx, ctx.format === 'legacy', overrides);
  return ctx.diag.errors.length > errorsBefore ? undefined : root;
}

// --------------------------------------------------------------------------------------------------

function rules2025(ctx: ScoringContext): ScoringRules | undefined {
  const { diag } = ctx;
  const errorsBefore = diag.errors.length;
  const sampleOwn = ctx.ownConfigs.get('sample');
  for (const k of KEYS_2025) {
    if (sampleOwn?.yaml[k] !== undefined) diag.error(sampleOwn.file, `${k} is not permitted in data/sample`, 'remove the key (sample never scores)', { field: k, line: sampleOwn.lineOf([k]) });
  }
  const secretDir = path.join(ctx.dir, 'data', 'secret');
  const direct = ctx.groups.filter((g) => g.name.startsWith('secret/') && !g.name.slice('secret/'.length).includes('/'));
  const groupNames = direct.filter((g) => ctx.ownConfigs.has(g.name)).map((g) => g.name);
  for (const [name, own] of ctx.ownConfigs) {
    if (name.startsWith('secret/') && !groupNames.includes(name)) {
      diag.error(own.file, 'test_group.yaml below a test data group: groups do not nest', 'keep test_group.yaml only in data/secret and its direct subdirectories', {});
    }
  }
  if (groupNames.length > 0) {
    for (const g of direct) {
      if (!groupNames.includes(g.name)) diag.error(path.join(ctx.dir, 'data', g.name), 'every subdirectory of data/secret must be a test data group once one is', 'add a test_group.yaml (with max_score) to it, or move its cases into a group', {});
    }
    const loose = ctx.testCases.filter((t) => t.group === 'secret');
    if (loose.length > 0) diag.error(loose[0]!.inputPath, 'data/secret holds test data groups and test cases directly', 'move the test case into a group: secret has either groups or cases, never both', {});
  }

  const read = (name: string, isSecret: boolean, cases: string[]): GroupRules2025 => {
    const own = ctx.ownConfigs.get(name);
    const y = own?.yaml ?? {};
    const file = own?.file ?? path.join(ctx.dir, 'data', name, 'test_group.yaml');
    const line = (k: string) => own?.lineOf([k]);
    let maxScore: number | null = isSecret ? 100 : null;
    if (y.max_score !== undefined) {
      if (y.max_score === 'unbounded') maxScore = null;
      else if (typeof y.max_score === 'number' && Number.isInteger(y.max_score) && y.max_score >= 0) maxScore = y.max_score;
      else diag.error(file, `max_score must be a non-negative integer or unbounded, got ${JSON.stringify(y.max_score)}`, 'write e.g. `max_score: 30`', { field: 'max_score', line: line('max_score') });
    }
    let aggregation: GroupRules2025['aggregation'] = isSecret ? 'sum' : 'pass-fail';
    if (y.score_aggregation !== undefined) {
      if (y.score_aggregation === 'pass-fail' || y.score_aggregation === 'sum' || y.score_aggregation === 'min') aggregation = y.score_aggregation;
      else diag.error(file, `score_aggregation must be pass-fail, sum or min, got ${JSON.stringify(y.score_aggregation)}`, 'write e.g. `score_aggregation: min`', { field: 'score_aggregation', line: line('score_aggregation') });
    }
    let requirePass: string[] = [];
    const rp = y.require_pass;
    if (typeof rp === 'string') requirePass = [rp];
    else if (Array.isArray(rp) && rp.every((x) => typeof x === 'string')) requirePass = rp as string[];
    else if (rp !== undefined) diag.error(file, 'require_pass must be a group name or a list of them', 'write e.g. `require_pass: [sample, secret/group1]`', { field: 'require_pass', line: line('require_pass') });
    for (const r of requirePass) {
      const ok = r === 'sample' || (!isSecret && groupNames.includes(r) && r < name);
      if (!ok) {
        diag.error(file, `require_pass names ${JSON.stringify(r)}, ${isSecret ? 'but secret may only require sample' : 'which is neither sample nor a test data group coming before this one'}`, 'name sample or an earlier group, e.g. secret/group1', { field: 'require_pass', line: line('require_pass') });
      }
    }
    if (maxScore === null && aggregation === 'pass-fail') diag.error(file, 'a pass-fail group needs a bounded max_score', 'give `max_score: <points>`', { field: 'max_score', line: line('max_score') });
    return { name, maxScore, aggregation, requirePass, cases };
  };

  const secretCases = ctx.testCases.filter((t) => t.kind === 'secret').map((t) => t.name);
  const secret = read('secret', true, secretCases);
  const groups = groupNames.map((g) => read(g, false, ctx.testCases.filter((t) => t.group === g || t.group.startsWith(`${g}/`)).map((t) => t.name)));
  const secretFile = ctx.ownConfigs.get('secret')?.file ?? path.join(secretDir, 'test_group.yaml');
  for (const g of groups) {
    const own = ctx.ownConfigs.get(g.name)!;
    if (g.maxScore === null && secret.maxScore !== null) {
      diag.error(own.file, `group ${g.name} has no max_score (unbounded) but secret's is ${secret.maxScore}`, 'give the group `max_score: <its points>` (groups may be unbounded only when secret is `max_score: unbounded`)', { field: 'max_score', line: own.lineOf(['max_score']) });
    }
    if (secret.aggregation === 'pass-fail' && g.aggregation !== 'pass-fail') {
      diag.error(own.file, `secret has pass-fail aggregation, so group ${g.name} must too`, 'set `score_aggregation: pass-fail` here, or change secret\'s', { field: 'score_aggregation', line: own.lineOf(['score_aggregation']) });
    }
    for (const r of g.requirePass) {
      const dep = groups.find((x) => x.name === r);
      if (dep && dep.aggregation !== 'pass-fail') diag.error(own.file, `require_pass names ${r}, whose aggregation is ${dep.aggregation}`, 'a required group must have `score_aggregation: pass-fail`', { field: 'require_pass', line: own.lineOf(['require_pass']) });
    }
    if (g.cases.length === 0) diag.error(own.file, `test data group ${g.name} has no test cases`, 'add NAME.in + NAME.ans pairs to it', {});
  }
  if (groups.length > 0 && secret.maxScore !== null && secret.aggregation === 'sum') {
    const total = groups.reduce((a, g) => a + (g.maxScore ?? 0), 0);
    if (total > secret.maxScore) {
      diag.error(secretFile, `the groups' max_score add up to ${total}, above secret's max_score ${secret.maxScore}: full marks would be a judge error`, `give secret \`max_score: ${total}\` or lower the groups'`, { field: 'max_score' });
    }
  }
  if (diag.errors.length > errorsBefore) return undefined;
  return { format: '2025-09', secret, groups, sample: ctx.testCases.filter((t) => t.kind === 'sample').map((t) => t.name) };
}

// --------------------------------------------------------------------------------------------------

interface LegacySettings {
  onReject: 'break' | 'continue';
  graderFlags: string[];
  acceptScore: number;
  rejectScore: number;
  range: [number, number];
}

function legacyRules(ctx: ScoringContext): ScoringRules | undefined {
  const errorsBefore = ctx.diag.errors.length;
  const root = legacyTree(ctx, true, problemGrading(ctx));
  if (ctx.diag.errors.length > errorsBefore) return undefined;
  return { format: 'legacy', root, validatorScores: ctx.validatorScores };
}

/**
 * The legacy group tree (scoring and pass-fail problems alike). `graderKeys`: read grader_flags
 * (legacy packages); the score keys are read for scoring problems only (pass-fail warns elsewhere).
 */
function legacyTree(ctx: ScoringContext, graderKeys: boolean, overrides: Partial<LegacySettings>): LegacyGroupRules {
  const { diag } = ctx;
  const defaults: LegacySettings = { onReject: 'break', graderFlags: [], acceptScore: 1, rejectScore: 0, range: [-Infinity, Infinity] };

  // The settings in force in each group (testdata.ts owns the key-by-key inheritance); a bad value
  // is reported once, by the file that wrote it, and the groups inheriting it keep the default.
  const reported = new Set<string>();
  const settingsOf = (name: string): LegacySettings => {
    const y = ctx.configs.get(name) ?? {};
    const own = ctx.ownConfigs.get(name);
    const wrote = (k: keyof typeof y) => own !== undefined && own.yaml[k] !== undefined;
    const err = (k: string, message: string, fix: string) => {
      if (own && wrote(k as keyof typeof y)) diag.error(own.file, message, fix, { field: k, line: own.lineOf([k]) });
    };
    const s: LegacySettings = { ...defaults, graderFlags: [] };
    if (y.on_reject !== undefined) s.onReject = y.on_reject;
    if (y.grader_flags !== undefined && graderKeys) {
      s.graderFlags = y.grader_flags.split(/\s+/).filter(Boolean);
      if (own && wrote('grader_flags')) for (const f of s.graderFlags) if (!GRADER_FLAGS.has(f)) diag.warn(own.file, `grader_flags: unknown flag "${f}" ignored (the default grader knows ${[...GRADER_FLAGS].join(', ')})`);
    }
    for (const k of ['accept_score', 'reject_score'] as const) {
      const v = y[k];
      if (v === undefined || !ctx.scoring) continue;
      if (typeof v === 'number' && Number.isFinite(v)) s[k === 'accept_score' ? 'acceptScore' : 'rejectScore'] = v;
      else err(k, `${k} must be a number, got ${JSON.stringify(v)}`, `write e.g. \`${k}: 25\``);
    }
    if (y.range !== undefined && ctx.scoring) {
      const r = parseRange(y.range);
      if (r) s.range = r;
      else err('range', `range must be two numbers "MIN MAX" (inf allowed) with MIN <= MAX, got ${JSON.stringify(y.range)}`, 'write e.g. `range: 0 100`');
    }
    Object.assign(s, overrides);
    // problemtools: ignore_sample only in data/ itself (the flag is inherited, so its groups must set
    // their own grader_flags), and never with on_reject: break, which may leave secret data unjudged.
    if (s.graderFlags.includes('ignore_sample')) {
      const origin = [...ctx.ownConfigs.entries()].filter(([n, o]) => o.yaml.grader_flags !== undefined && (n === '' || name === n || name.startsWith(`${n}/`))).at(-1);
      const at = origin ? { field: 'grader_flags', line: origin[1].lineOf(['grader_flags']) } : { field: 'grader_flags' };
      const file = origin?.[1].file ?? path.join(ctx.dir, 'data');
      const error =
        name !== ''
          ? [`grader_flags: ignore_sample is only allowed in data/testdata.yaml, and group ${name} has it${origin?.[0] === name ? '' : ' (inherited: its groups must set their own grader_flags)'}`, 'give the groups under data/ their own grader_flags without ignore_sample']
          : s.onReject === 'break'
            ? ['grader_flags: ignore_sample with on_reject: break may leave secret data unjudged', 'set `on_reject: continue` in data/testdata.yaml']
            : null;
      if (error && !reported.has(file)) {
        reported.add(file);
        diag.error(file, error[0]!, error[1]!, at);
      }
    }
    return s;
  };

  const build = (name: string): LegacyGroupRules => {
    const s = settingsOf(name);
    const prefix = name === '' ? '' : `${name}/`;
    const items: { key: string; item: LegacyGroupRules['items'][number] }[] = [];
    for (const g of ctx.groups) {
      const rest = g.name.slice(prefix.length);
      if (g.name.startsWith(prefix) && rest !== '' && !rest.includes('/')) items.push({ key: rest, item: { kind: 'group', group: build(g.name) } });
    }
    for (const t of ctx.testCases) if (t.group === name) items.push({ key: t.name.slice(prefix.length), item: { kind: 'case', name: t.name } });
    items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { name, ...s, items: items.map((i) => i.item) };
  };
  return build('');
}

/** problem.yaml `grading` of a legacy package: objective max only; its old-style defaults override every group. */
function problemGrading(ctx: ScoringContext): Partial<LegacySettings> {
  const g = ctx.grading;
  const out: Partial<LegacySettings> = {};
  if (g === undefined || g === null) return out;
  const file = ctx.problemYaml.file;
  const at = (k: string) => ({ field: `grading.${k}`, line: ctx.problemYaml.lineOf(['grading', k]) });
  if (typeof g !== 'object' || Array.isArray(g)) {
    ctx.diag.error(file, 'grading must be a map', 'write e.g. `grading: {objective: max}`', { field: 'grading', line: ctx.problemYaml.lineOf(['grading']) });
    return out;
  }
  const y = g as Record<string, unknown>;
  for (const k of Object.keys(y)) {
    if (!['objective', 'show_test_data_groups', 'accept_score', 'reject_score', 'range', 'on_reject'].includes(k)) ctx.diag.warn(file, `unknown key "grading.${k}" ignored`);
  }
  if (y.objective !== undefined && y.objective !== 'max') {
    ctx.diag.error(file, `grading.objective ${JSON.stringify(y.objective)} is not supported by judged (scores are maximised)`, 'use `objective: max` (or leave it out), or judge the problem elsewhere', at('objective'));
  }
  for (const k of ['accept_score', 'reject_score'] as const) {
    if (y[k] === undefined) continue;
    if (typeof y[k] === 'number') out[k === 'accept_score' ? 'acceptScore' : 'rejectScore'] = y[k] as number;
    else ctx.diag.error(file, `grading.${k} must be a number`, `write e.g. \`${k}: 1\``, at(k));
  }
  if (y.range !== undefined) {
    const r = parseRange(y.range);
    if (r) out.range = r;
    else ctx.diag.error(file, 'grading.range must be two numbers "MIN MAX"', 'write e.g. `range: 0 100`', at('range'));
  }
  if (y.on_reject !== undefined) {
    if (y.on_reject === 'first_error') out.onReject = 'break';
    else if (y.on_reject === 'grade') out.onReject = 'continue';
    else ctx.diag.error(file, `grading.on_reject must be first_error or grade, got ${JSON.stringify(y.on_reject)}`, 'write `on_reject: grade` to judge every case', at('on_reject'));
  }
  return out;
}

function parseRange(v: unknown): [number, number] | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.trim().split(/\s+/);
  if (parts.length !== 2) return undefined;
  const num = (t: string) => (/^[+-]?inf$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN);
  const [a, b] = parts.map(num) as [number, number];
  if (Number.isNaN(a) || Number.isNaN(b) || a > b) return undefined;
  return [a, b];
}
