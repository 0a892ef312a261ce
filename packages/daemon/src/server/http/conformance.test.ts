/**
 * CCS Contest API 2023-06 conformance: every endpoint, for every role, and every event-feed line,
 * checked against our own strict rendering of the spec's JSON schemas (test-utils/ccs-schemas.ts),
 * against the access endpoint (only the properties it lists, and every listed endpoint served), and
 * for referential integrity (an id a reader sees points at an object that reader can read). Both kinds
 * of contest: pass-fail (ICPC) and score (the score properties as 2023-06 writes them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import * as S from '../../../test-utils/ccs-schemas.ts';
import { imageSize } from '../../contest/package-images.ts';
import { makeFakeContest } from '../../../test-utils/fake-contest.ts';
import { basicAuth, startHttpHarness, type HttpHarness } from '../../../test-utils/http-harness.ts';

const harness: Partial<Record<S.ScoreboardType, HttpHarness>> = {};
beforeAll(async () => {
  for (const type of ['pass-fail', 'score'] as const) harness[type] = await startHttpHarness(makeFakeContest({ score: type === 'score' }).deps, { feedKeepaliveMs: 60_000 });
});
afterAll(async () => {
  for (const h of Object.values(harness)) await h.close();
});

const C = '/api/contests/lan26';

describe('a score contest with an unbounded problem', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttpHarness(makeFakeContest({ score: true, unbounded: true }).deps, { feedKeepaliveMs: 60_000 });
  });
  afterAll(async () => {
    await h.close();
  });
  it('gives max_score on every problem (2023-06 requires it): the unbounded one its expected maximum', async () => {
    const T = S.typedSchemas('score');
    const problems = (await h.get(`${C}/problems`, basicAuth('admin', 'pw-admin'))).body as { id: string; max_score?: number }[];
    check(z.array(T.COLLECTION_SCHEMAS.problems!), problems, 'problems');
    expect(problems.map((p) => [p.id, p.max_score])).toEqual([
      ['hello', 100],
      ['sum', 120],
    ]);
  });
});
const ROLES: Record<string, Record<string, string>> = {
  public: {},
  team: basicAuth('team1', 'pw-team1'),
  judge: basicAuth('jury', 'pw-jury'),
  admin: basicAuth('admin', 'pw-admin'),
};

const check = S.assertValid;

/** Properties of an object as access names them (nested objects as a.b). */
function propertyNames(o: Record<string, unknown>): string[] {
  return Object.keys(o);
}

const REFERENCES: Record<string, Record<string, string>> = {
  teams: { organization_id: 'organizations', group_ids: 'groups' },
  submissions: { language_id: 'languages', problem_id: 'problems', team_id: 'teams' },
  judgements: { submission_id: 'submissions', judgement_type_id: 'judgement-types' },
  runs: { judgement_id: 'judgements', judgement_type_id: 'judgement-types' },
  clarifications: { from_team_id: 'teams', to_team_id: 'teams', reply_to_id: 'clarifications', problem_id: 'problems' },
  awards: { team_ids: 'teams' },
  accounts: { team_id: 'teams', person_id: 'persons' },
  persons: { team_ids: 'teams' },
};

const CASES = (['pass-fail', 'score'] as const).flatMap((type) => Object.keys(ROLES).map((role) => [type, role] as const));

describe.each(CASES)('a %s contest, as %s', (type, role) => {
  const headers = ROLES[role]!;
  const T = S.typedSchemas(type);
  let h: HttpHarness;
  beforeAll(() => {
    h = harness[type]!;
  });

  it('serves api info, contests, state and scoreboard as the schemas say', async () => {
    const api = await h.get('/api', headers);
    expect(api.status).toBe(200);
    check(S.ApiInfo, api.body, '/api');
    const contests = await h.get('/api/contests', headers);
    check(z.array(S.Contest), contests.body, '/api/contests');
    const contest = (await h.get(C, headers)).body;
    check(S.Contest, contest, C);
    expect(contest.scoreboard_type).toBe(type);
    check(S.State, (await h.get(`${C}/state`, headers)).body, 'state');
    const board = await h.get(`${C}/scoreboard`, headers);
    expect(board.status).toBe(200);
    check(T.Scoreboard, board.body, 'scoreboard');
    if (type === 'score') {
      // Team 2's partial 40 on sum shows as points, and so does its judgement (pass-fail hello: 100 or 0).
      const t2 = board.body.rows.find((r: { team_id: string }) => r.team_id === 't2');
      expect(t2.problems.find((p: { problem_id: string }) => p.problem_id === 'sum')).toMatchObject({ score: 40, num_judged: 1 });
      const scores = ((await h.get(`${C}/judgements`, headers)).body as { id: string; score: number }[]).map((j) => [j.id, j.score]);
      expect(scores).toEqual(expect.arrayContaining([['j7', 40]]));
      expect(((await h.get(`${C}/problems`, headers)).body as { max_score: number }[]).map((p) => p.max_score)).toEqual([100, 100]);
    }
  });

  it('serves every endpoint access lists, with only the properties it lists, every object valid and referentially intact', async () => {
    const access = await h.get(`${C}/access`, headers);
    expect(access.status).toBe(200);
    check(S.Access, access.body, 'access');
    const endpoints = new Map<string, Set<string>>((access.body.endpoints as { type: string; properties: string[] }[]).map((e) => [e.type, new Set(e.properties)]));
    for (const must of ['contest', 'state', 'problems', 'teams', 'submissions', 'judgements', 'runs', 'clarifications', 'scoreboard', 'event-feed', 'awards', 'groups', 'organizations', 'languages', 'judgement-types']) {
      expect(endpoints.has(must), `access lists ${must}`).toBe(true);
    }
    const seen = new Map<string, Map<string, unknown>>();
    for (const [type, schema] of Object.entries(T.COLLECTION_SCHEMAS)) {
      const r = await h.get(`${C}/${type}`, headers);
      if (!endpoints.has(type)) {
        expect(r.status, `${type} is not in access, so not served`).toBe(404);
        continue;
      }
      expect(r.status, type).toBe(200);
      check(z.array(schema), r.body, type);
      const props = endpoints.get(type)!;
      const byId = new Map<string, unknown>();
      for (const o of r.body as Record<string, unknown>[]) {
        for (const p of propertyNames(o)) expect(props.has(p), `${type}.${p} is listed in access`).toBe(true);
        byId.set(o.id as string, o);
        const one = await h.get(`${C}/${type}/${encodeURIComponent(o.id as string)}`, headers);
        expect(one.status).toBe(200);
        expect(one.body).toEqual(o);
      }
      seen.set(type, byId);
    }
    for (const [type, refs] of Object.entries(REFERENCES)) {
      for (const o of seen.get(type)?.values() ?? []) {
        for (const [prop, target] of Object.entries(refs)) {
          const v = (o as Record<string, unknown>)[prop];
          for (const ref of v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]) {
            expect(seen.get(target)?.has(ref as string), `${type} ${(o as { id: string }).id}.${prop} = ${ref} is readable in ${target}`).toBe(true);
          }
        }
      }
    }
    const board = await h.get(`${C}/scoreboard`, headers);
    for (const row of board.body.rows) expect(seen.get('teams')?.has(row.team_id), `scoreboard team ${row.team_id}`).toBe(true);
  });

  it('sends every event-feed line in the 2023-06 shape, referring only to objects sent before or in the feed', async () => {
    const r = await h.get(`${C}/event-feed?stream=false`, headers);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = r.text.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(10);
    const types = new Set<string>();
    const sent = new Map<string, Set<string>>();
    for (const l of lines) {
      const e = JSON.parse(l);
      const errs = S.checkFeedLine(e, type);
      expect(errs, l).toEqual([]);
      types.add(e.type);
      if (e.data === null || e.id === null) continue;
      for (const [prop, target] of Object.entries(REFERENCES[e.type] ?? {})) {
        const v = e.data[prop];
        for (const ref of v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]) expect(sent.get(target)?.has(ref), `${l}: ${prop} ${ref} was sent before`).toBe(true);
      }
      if (!sent.has(e.type)) sent.set(e.type, new Set());
      sent.get(e.type)!.add(e.id);
    }
    for (const t of ['contest', 'judgement-types', 'languages', 'state', 'teams', 'submissions', 'judgements', 'runs', 'awards']) expect(types.has(t), `feed has ${t}`).toBe(true);
  });

  it('serves every file an object refers to (logos, photos, statements, attachments) at its href, as the reference says', async () => {
    const refs: { where: string; ref: { href: string; mime: string; hash?: string; width?: number; height?: number } }[] = [];
    const FILE_PROPS: Record<string, string[]> = { organizations: ['logo'], persons: ['photo'], problems: ['statement', 'attachments'] };
    for (const [type, props] of Object.entries(FILE_PROPS)) {
      for (const o of (await h.get(`${C}/${type}`, headers)).body as Record<string, unknown>[]) {
        for (const p of props) for (const ref of (o[p] as typeof refs[number]['ref'][] | undefined) ?? []) refs.push({ where: `${type} ${o.id}.${p}`, ref });
      }
    }
    // The fake contest has logos, photos, a statement and an attachment; every reader sees some.
    expect(refs.length, 'file references').toBeGreaterThanOrEqual(role === 'judge' || role === 'admin' ? 7 : 5);
    for (const { where, ref } of refs) {
      const r = await fetch(new URL(ref.href, `${h.base}/api/`), { headers });
      expect(r.status, `${where}: ${ref.href}`).toBe(200);
      expect(r.headers.get('content-type'), where).toBe(ref.mime);
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(Number(r.headers.get('content-length')), where).toBe(bytes.length);
      if (ref.hash !== undefined) expect(createHash('md5').update(bytes).digest('hex'), `${where} hash`).toBe(ref.hash);
      if (ref.mime.startsWith('image/')) expect(imageSize(bytes), `${where}: the size the image says`).toMatchObject({ mime: ref.mime, width: ref.width, height: ref.height });
    }
  });

  it('serves each submission it lists as a zip of its files, or refuses them to readers who may not have them', async () => {
    const subs = (await h.get(`${C}/submissions`, headers)).body as { id: string; team_id: string; files: { href: string; mime: string }[] }[];
    expect(subs.length).toBeGreaterThan(0);
    for (const s of subs) {
      expect(s.files).toHaveLength(1);
      expect(s.files[0]!.mime).toBe('application/zip');
      const zip = await fetch(new URL(s.files[0]!.href, `${h.base}/api/`), { headers });
      const mayRead = role === 'judge' || role === 'admin' || (role === 'team' && s.team_id === 't1');
      expect(zip.status, `${role} reading ${s.files[0]!.href}`).toBe(mayRead ? 200 : 403);
      if (mayRead) expect(zip.headers.get('content-type')).toBe('application/zip');
      await zip.arrayBuffer();
    }
  });
});

it('lets browser tools read the API (CORS)', async () => {
  const h = harness['pass-fail']!;
  const r = await h.get(`${C}/state`, { origin: 'http://example.test' });
  expect(r.headers.get('access-control-allow-origin')).toBe('*');
  const pre = await fetch(`${h.base}${C}/submissions`, { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' } });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
  expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/authorization/);
});
