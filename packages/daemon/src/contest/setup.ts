/**
 * Creating or resuming the contest in a data dir: the demo contest when no contest dir is given,
 * else the CCS contest package; then the problem set snapshot, the queue recovery after a restart,
 * and the clock.
 */
import path from 'node:path';
import type { ProblemSummary } from '@judged/shared/protocol';
import { hashPassword, openStore, randomPassword, type Store, type StoreOptions } from '../store/index.ts';
import type { ConfigFileError } from '../config-files/diagnostics.ts';
import { ContestConfigError, loadContestDir, type ContestConfig } from './config.ts';
import { Contest, type ContestOptions } from './contest.ts';

/** A login made up by judged; shown once (the daemon prints it), stored only as a hash. */
export interface InitialCredential {
  username: string;
  password: string;
  role: 'team' | 'judge' | 'admin' | 'balloon';
  teamId: string | null;
}

export const DEMO_TEAMS = 4;

/** The demo contest: starts at `nowMs`, 5 hours, freeze in the last hour, an admin, a judge and a few teams. */
export function demoConfig(nowMs: number): ContestConfig {
  const teams = Array.from({ length: DEMO_TEAMS }, (_, i) => ({ id: `team${i + 1}`, name: `Demo Team ${i + 1}`, organizationId: 'demo', hidden: false, groupIds: [], location: `Table ${i + 1}` }));
  return {
    source: 'demo',
    contest: { contestId: 'demo', name: 'Demo contest', startAtMs: nowMs, durationMs: 5 * 3600_000, freezeDurationMs: 3600_000, penaltyTimeMin: 20 },
    problemset: null,
    organizations: [{ id: 'demo', name: 'Demo University', formalName: null, country: null }],
    teams,
    accounts: [],
    groups: [],
    persons: [],
    logos: {},
    medals: null,
    digest: 'demo',
    warnings: [],
  };
}

export interface OpenContestOptions extends ContestOptions, Pick<StoreOptions, 'maxAttempts' | 'busyTimeoutMs'> {
  /** --data: where judged.sqlite lives (or ':memory:' in tests). */
  dataDir: string;
  /** --contest: a CCS contest package; absent: the demo contest. */
  contestDir?: string;
  /** The problem set as the problem loader made it (labels and colours from --problems' problemset.yaml). */
  problems: readonly ProblemSummary[];
  now?: () => number;
}

export interface OpenedContest {
  contest: Contest;
  store: Store;
  /** True when this start created the contest (first start with this data dir). */
  created: boolean;
  /** Logins judged generated on creation: print once. Empty on a resumed start. */
  credentials: InitialCredential[];
  warnings: string[];
  /** Judgings put back in the queue because the previous daemon died while running them. */
  requeued: number;
  /** The groups as stored at the start (groups.json, with the teams' edits since). */
  groups: ContestConfig['groups'];
  /**
   * contest.yaml's medal counts, for the Contest API; read from the contest dir at every start (not
   * stored in the data dir), so null when a stored contest is resumed without it.
   */
  medals: ContestConfig['medals'];
  /** persons.json and the organizations' logos, read like groups (empty when resumed without the dir). */
  persons: ContestConfig['persons'];
  logos: ContestConfig['logos'];
}

/**
 * Applies the contest dir's problemset.yaml (labels, colours, order; unlisted problems left out) to
 * the loaded problems. Problems listed but not loaded are errors.
 */
export function applyProblemset(problems: readonly ProblemSummary[], config: ContestConfig): { problems: ProblemSummary[]; errors: ConfigFileError[]; warnings: string[] } {
  if (!config.problemset) return { problems: [...problems], errors: [], warnings: [] };
  const byId = new Map(problems.map((p) => [p.id, p]));
  const file = path.join(path.basename(config.source), 'problemset.yaml');
  const out: ProblemSummary[] = [];
  const errors: ConfigFileError[] = [];
  for (const [i, e] of config.problemset.entries()) {
    const p = byId.get(e.shortName);
    if (!p) {
      errors.push({
        problem: '',
        file,
        field: `problems.${i}.short-name`,
        message: `problem "${e.shortName}" is not among the loaded problems (${[...byId.keys()].join(', ') || 'none'})`,
        hint: 'fix short-name to the package directory name, or add the package to --problems',
      });
      continue;
    }
    out.push({ ...p, label: e.label, colour: e.colour ?? p.colour });
  }
  const listed = new Set(config.problemset.map((e) => e.shortName));
  const warnings = problems.filter((p) => !listed.has(p.id)).map((p) => `${file}: problem "${p.id}" is not listed: left out of the contest`);
  return { problems: out, errors, warnings };
}

/** Opens the contest in opts.dataDir, creating it on the first start. Throws ContestConfigError for bad contest files. */
export function openContest(opts: OpenContestOptions): OpenedContest {
  const now = opts.now ?? Date.now;
  const warnings: string[] = [];
  let config: ContestConfig;
  if (opts.contestDir !== undefined) {
    const load = loadContestDir(opts.contestDir);
    if (!load.ok) throw new ContestConfigError(load.errors);
    config = load.config;
  } else {
    config = demoConfig(now());
  }
  warnings.push(...config.warnings);
  const ps = applyProblemset(opts.problems, config);
  if (ps.errors.length > 0) throw new ContestConfigError(ps.errors);
  warnings.push(...ps.warnings);

  const store = openStore(opts.dataDir, { now, maxAttempts: opts.maxAttempts, busyTimeoutMs: opts.busyTimeoutMs });
  try {
    let created = false;
    let credentials: InitialCredential[] = [];
    const existing = store.settings.get();
    if (!existing) {
      credentials = createContest(store, config);
      created = true;
    } else if (existing.source !== config.source) {
      warnings.push(
        `this data dir holds the contest "${existing.name}" from ${existing.source}; it was started with ${config.source === 'demo' ? 'no --contest' : `--contest ${config.source}`} now: the stored contest is used (start with a fresh --data to load another)`,
      );
    } else if (existing.sourceDigest !== config.digest) {
      warnings.push(`the contest files in ${config.source} changed since this data dir was created; the stored contest is used (start with a fresh --data to load them again)`);
    }
    store.settings.syncProblems(ps.problems);
    const fromDir = existing === undefined || existing === null || existing.source === config.source;
    // groups.json into the store: all of it on creation, and to a data dir made before groups were
    // stored, the groups it lacks (stored groups keep their teams: an admin may have edited them).
    if (fromDir) store.accounts.syncGroups(config.groups);
    const requeued = store.queue.requeueClaimed();
    store.accounts.pruneSessions();
    const contest = new Contest(store, opts);
    contest.tick();
    return { contest, store, created, credentials, warnings, requeued, groups: store.accounts.groups(), medals: fromDir ? config.medals : null, persons: fromDir ? config.persons : [], logos: fromDir ? config.logos : {} };
  } catch (err) {
    store.close();
    throw err;
  }
}

/** Writes the contest, organizations, teams and accounts in one transaction; returns generated logins. */
function createContest(store: Store, config: ContestConfig): InitialCredential[] {
  const generated: InitialCredential[] = [];
  const accounts = config.accounts.map((a) => ({ ...a }));
  const usernames = new Set(accounts.map((a) => a.username));
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 2; usernames.has(name); i++) name = `${base}${i}`;
    usernames.add(name);
    return name;
  };
  if (!accounts.some((a) => a.role === 'admin')) {
    const c: InitialCredential = { username: fresh('admin'), password: randomPassword(), role: 'admin', teamId: null };
    generated.push(c);
  }
  if (config.source === 'demo') {
    generated.push({ username: fresh('judge'), password: randomPassword(), role: 'judge', teamId: null });
    generated.push({ username: fresh('runner'), password: randomPassword(), role: 'balloon', teamId: null });
  }
  const teamsWithLogin = new Set(accounts.filter((a) => a.role === 'team').map((a) => a.teamId));
  for (const t of config.teams) {
    if (!teamsWithLogin.has(t.id)) generated.push({ username: fresh(t.id), password: randomPassword(), role: 'team', teamId: t.id });
  }
  // scrypt is slow on purpose: hash before taking the write lock.
  const hashed = [
    ...accounts.map((a) => ({ username: a.username, role: a.role, teamId: a.teamId, displayName: a.displayName, hash: hashPassword(a.password) })),
    ...generated.map((g) => ({ username: g.username, role: g.role, teamId: g.teamId, displayName: null as string | null, hash: hashPassword(g.password) })),
  ];
  const teamNames = new Map(config.teams.map((t) => [t.id, t.name]));
  store.tx(() => {
    const c = config.contest;
    store.settings.create({
      contestId: c.contestId,
      name: c.name,
      startAtMs: c.startAtMs,
      durationMs: c.durationMs,
      freezeDurationMs: c.freezeDurationMs,
      penaltyTimeMin: c.penaltyTimeMin,
      ...(c.scoreboard ? { scoreboard: c.scoreboard } : {}),
      source: config.source,
      sourceDigest: config.digest,
    });
    for (const o of config.organizations) store.accounts.upsertOrganization(o);
    for (const t of config.teams) store.accounts.addTeam({ id: t.id, name: t.name, organizationId: t.organizationId, hidden: t.hidden, location: t.location });
    for (const a of hashed) {
      store.accounts.addAccount({
        username: a.username,
        passwordHash: a.hash,
        role: a.role,
        teamId: a.teamId,
        displayName: a.displayName ?? (a.teamId ? (teamNames.get(a.teamId) ?? a.username) : a.username),
      });
    }
  });
  return generated;
}
