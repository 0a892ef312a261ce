/**
 * `judged export DIR --data D`: a CCS contest package of the contest in a data dir, read through the
 * Contest API itself (as an admin, on a loopback port for the duration), so the archive says exactly
 * what the API says: api.json, contest.json, state.json, every collection as <endpoint>.json,
 * scoreboard.json, awards.json, event-feed.ndjson, and each submission's files as
 * submissions/<id>/files.zip, and the files objects refer to as <endpoint>/<id>/<filename> (logos,
 * photos, statements, attachments: the contest package layout). For `judged --contest DIR` to read
 * the configuration back it also writes contest.yaml and problemset.yaml (teams.json,
 * organizations.json, groups.json, persons.json and the logos are the API's own); accounts go out as
 * accounts.json without passwords, so an import makes new logins. Submissions and judgements are
 * archived, not imported back.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import type { ProblemSummary, User } from '@judged/shared/protocol';
import { Contest, loadContestDir, type ContestConfig } from './contest/index.ts';
import { loadLanguages } from './languages/index.ts';
import { loadProblemSet } from './problems/index.ts';
import { buildProblemCatalog } from './server/problem-catalog.ts';
import { contestApiReads } from './server/api-deps.ts';
import { Budgets } from './server/budgets.ts';
import { createHttpHandler } from './server/http/handler.ts';
import { loadFeedTokenKey } from './server/http/feed-token.ts';
import { dbPath, openStore } from './store/index.ts';

export class ExportError extends Error {}

const ENDPOINTS = ['judgement-types', 'languages', 'problems', 'groups', 'organizations', 'teams', 'persons', 'accounts', 'submissions', 'judgements', 'runs', 'clarifications', 'awards'] as const;

export interface ExportOptions {
  /** The contest dir the data dir was made from: its groups.json, persons.json, logos and medal counts (not stored in the data dir). */
  contest?: string;
  /** The problems dir it ran with: the PDF statements and attachments (problems/<id>/<filename>). */
  problems?: string;
}

/** FILE references of the API's objects: where each file goes in the package (`<endpoint>/<id>/<filename>`). */
const FILE_PROPERTIES: Record<string, readonly string[]> = { organizations: ['logo'], persons: ['photo'], problems: ['statement', 'attachments'] };

export async function exportContest(dataDir: string, outDir: string, opts: ExportOptions = {}): Promise<{ files: number; submissions: number }> {
  if (!fs.existsSync(dbPath(dataDir))) throw new ExportError(`${dataDir} holds no contest (no ${path.basename(dbPath(dataDir))}): give the --data dir judged ran with`);
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) throw new ExportError(`${outDir} is not empty: export into a new or empty directory`);
  let extras: Pick<ContestConfig, 'groups' | 'medals' | 'persons' | 'logos'> = { groups: [], medals: null, persons: [], logos: {} };
  if (opts.contest) {
    const load = loadContestDir(opts.contest);
    if (!load.ok) throw new ExportError(`${opts.contest}: ${load.errors.map((e) => e.message).join('; ')}`);
    extras = load.config;
  }
  let problemFiles: ReturnType<typeof buildProblemCatalog>['publishedFiles'] | undefined;
  if (opts.problems) {
    const loaded = loadProblemSet(opts.problems);
    if (loaded.problems.length === 0) throw new ExportError(`${opts.problems}: no problem package could be loaded`);
    const catalog = buildProblemCatalog(loaded.problems);
    problemFiles = (id) => catalog.publishedFiles(id);
  }
  const store = openStore(dataDir);
  const server = http.createServer();
  try {
    const contest = new Contest(store);
    const problems = (): ProblemSummary[] =>
      store.settings
        .problems()
        .filter((p) => p.active)
        .map((p) => ({ id: p.id, label: p.label, name: p.name, colour: p.colour, timeLimitMs: p.timeLimitMs ?? 1000, memoryLimitKiB: 1, sampleCount: 0, testCount: p.testCount ?? 0 }));
    const password = crypto.randomBytes(24).toString('base64url');
    const admin: User = { username: 'judged-export', role: 'admin', teamId: null, displayName: 'judged export' };
    const handler = createHttpHandler({
      ...contestApiReads({
        contest,
        store,
        problems,
        languages: loadLanguages(),
        // Groups as stored (an admin may have edited them); a data dir from before groups were stored
        // (schema 9) and not started since has none, and then those of the contest dir are used.
        groups: () => {
          const stored = store.accounts.groups();
          return stored.length > 0 ? stored : extras.groups;
        },
        medals: extras.medals,
        persons: extras.persons,
        logos: extras.logos,
        ...(problemFiles ? { problemFiles } : {}),
        feedTokenKey: loadFeedTokenKey(path.dirname(dbPath(dataDir))),
      }),
      // Only this export's one-time login: the archive is the admin's view, without passwords.
      authenticate: (u, p) => (u === admin.username && p === password ? admin : null),
      budgets: new Budgets(),
      metrics: () => [],
    });
    server.on('request', (req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    const headers = { authorization: `Basic ${Buffer.from(`${admin.username}:${password}`).toString('base64')}` };
    const get = async (p: string): Promise<Buffer> => {
      const r = await fetch(`${base}${p}`, { headers });
      if (r.status !== 200) throw new ExportError(`GET /api${p}: ${r.status} ${await r.text()}`);
      return Buffer.from(await r.arrayBuffer());
    };
    const c = `/contests/${encodeURIComponent(contest.clock().contestId)}`;
    let files = 0;
    const write = (name: string, data: Buffer | string): void => {
      const file = path.join(outDir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
      files++;
    };
    fs.mkdirSync(outDir, { recursive: true });
    write('api.json', await get(''));
    const contestJson = await get(c);
    write('contest.json', contestJson);
    write('state.json', await get(`${c}/state`));
    for (const e of ENDPOINTS) {
      const body = await get(`${c}/${e}`);
      write(`${e}.json`, body);
      // The files the objects refer to, where a contest package keeps them.
      for (const o of FILE_PROPERTIES[e] ? (JSON.parse(body.toString('utf8')) as Array<Record<string, unknown> & { id: string }>) : []) {
        for (const prop of FILE_PROPERTIES[e]!) {
          for (const ref of (o[prop] as Array<{ href: string; filename: string }> | undefined) ?? []) {
            if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(ref.filename) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(o.id)) throw new ExportError(`${e} ${o.id}: ${ref.filename} is not a file name to write`);
            write(`${e}/${o.id}/${ref.filename}`, await get(`/${ref.href}`));
          }
        }
      }
    }
    write('scoreboard.json', await get(`${c}/scoreboard`));
    write('event-feed.ndjson', await get(`${c}/event-feed?stream=false`));
    const subs = JSON.parse((await get(`${c}/submissions`)).toString('utf8')) as Array<{ id: string }>;
    for (const s of subs) write(`submissions/${s.id}/files.zip`, await get(`${c}/submissions/${encodeURIComponent(s.id)}/files`));

    // The files `judged --contest` reads (teams.json, organizations.json, groups.json are above).
    const cj = JSON.parse(contestJson.toString('utf8')) as Record<string, unknown>;
    const yaml: Record<string, unknown> = { id: cj.id, name: cj.name, formal_name: cj.formal_name, start_time: cj.start_time, duration: cj.duration };
    if (cj.penalty_time !== undefined) yaml.penalty_time = cj.penalty_time;
    if (cj.scoreboard_freeze_duration) yaml.scoreboard_freeze_duration = cj.scoreboard_freeze_duration;
    // A score contest's board rules (the API says only the type; the rest is judged's own contest.yaml keys).
    const rules = store.settings.get()?.scoreboard;
    if (rules?.type === 'score') {
      yaml.scoreboard_type = 'score';
      yaml.score_mode = rules.scoreMode;
      if (Object.keys(rules.problemScoreModes).length > 0) yaml.score_modes = rules.problemScoreModes;
      yaml.score_tie_break = rules.tieBreak;
    }
    if (extras.medals) yaml.medals = extras.medals;
    write('contest.yaml', YAML.stringify(yaml));
    const probs = JSON.parse((await get(`${c}/problems`)).toString('utf8')) as Array<{ id: string; label: string; rgb?: string }>;
    write('problemset.yaml', YAML.stringify({ problems: probs.map((p) => ({ label: p.label, 'short-name': p.id, ...(p.rgb ? { rgb: p.rgb } : {}) })) }));
    handler.close();
    return { files, submissions: subs.length };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    store.close();
  }
}

/** The CLI's entry: prints what it wrote, or the reason it could not. */
export async function runExport(outDir: string, opts: { data?: string; contest?: string; problems?: string }): Promise<number> {
  try {
    const r = await exportContest(path.resolve(opts.data ?? './.judged'), path.resolve(outDir), { ...(opts.contest ? { contest: opts.contest } : {}), ...(opts.problems ? { problems: opts.problems } : {}) });
    process.stdout.write(`exported ${r.files} files (${r.submissions} submissions) to ${outDir}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ExportError)) throw err;
    process.stderr.write(`judged export: ${err.message}\n`);
    return 1;
  }
}
