/**
 * The Contest API beyond plain reads, against the fake contest: since_token resume and its refusals,
 * freeze safety of tokens, id filters, group scoreboards, awards, submission zips, writes (POST,
 * PATCH) per role, and the session-token login.
 */
import fs from 'node:fs';
import { unzipSync, zipSync, strToU8, strFromU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import * as S from '../../../test-utils/ccs-schemas.ts';
import { makeFakeContest, T0, type FakeContest } from '../../../test-utils/fake-contest.ts';
import { basicAuth, startHttpHarness, type HttpHarness } from '../../../test-utils/http-harness.ts';

const C = '/api/contests/lan26';
const TEAM1 = basicAuth('team1', 'pw-team1');
const TEAM2 = basicAuth('team2', 'pw-team2');
const JURY = basicAuth('jury', 'pw-jury');
const ADMIN = basicAuth('admin', 'pw-admin');

let h: HttpHarness;
let fake: FakeContest;
async function start(opts: { writable?: boolean } = {}): Promise<void> {
  fake = makeFakeContest();
  h = await startHttpHarness(opts.writable ? { ...fake.deps, actions: fake.actions } : fake.deps, { feedKeepaliveMs: 60_000 });
}
afterEach(() => h?.close());

type Line = { type: string; id: string | null; data: any; token?: string };
async function feed(query: string, headers: Record<string, string> = {}): Promise<{ status: number; lines: Line[]; body: any }> {
  const r = await h.get(`${C}/event-feed?stream=false${query}`, headers);
  if (r.status !== 200) return { status: r.status, lines: [], body: r.body };
  return { status: r.status, lines: r.text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line), body: undefined };
}

describe('since_token', () => {
  it('resumes with exactly the lines after the token, for a token in the middle of one event', async () => {
    await start();
    const first = await feed('', JURY);
    const head = first.lines.at(-1)!.token!;
    fake.emit({ kind: 'clarification', clarification: { ...fake.clarifications[2]!, id: 'c20', text: 'one' } });
    // A judging with runs gives several lines from one event.
    fake.emit({ kind: 'juryJudging', judging: { ...fake.judgings[1]!, id: 'j9' } });
    fake.emit({ kind: 'clarification', clarification: { ...fake.clarifications[2]!, id: 'c21', text: 'two' } });
    const resumed = await feed(`&since_token=${head}`, JURY);
    expect(resumed.status).toBe(200);
    // First the current awards (a view of the board, without tokens), then the events.
    const awards = resumed.lines.filter((l) => l.type === 'awards');
    expect(awards.map((l) => l.id)).toEqual((await h.get(`${C}/awards`, JURY)).body.map((a: { id: string }) => a.id));
    expect(resumed.lines.slice(0, awards.length)).toEqual(awards);
    expect(awards.every((l) => l.token === undefined)).toBe(true);
    const all = { lines: resumed.lines.slice(awards.length) };
    expect(all.lines.map((l) => [l.type, l.id])).toEqual([
      ['clarifications', 'c20'],
      ['judgements', 'j9'],
      ['runs', 'j9-1'],
      ['runs', 'j9-2'],
      ['runs', 'j9-3'],
      ['clarifications', 'c21'],
    ]);
    for (const l of all.lines) expect(S.checkFeedLine(l)).toEqual([]);
    // From each line's token, the resume is exactly the rest.
    for (let i = 0; i < all.lines.length; i++) {
      const rest = await feed(`&since_token=${all.lines[i]!.token}`, JURY);
      expect(rest.lines.filter((l) => l.type !== 'awards').map((l) => [l.type, l.id, l.data])).toEqual(all.lines.slice(i + 1).map((l) => [l.type, l.id, l.data]));
    }
  });

  it('refuses an unknown, altered, or other reader class token with 400', async () => {
    await start();
    const jury = (await feed('', JURY)).lines.at(-1)!.token!;
    const team = (await feed('', TEAM1)).lines.at(-1)!.token!;
    for (const bad of ['1', '102', 'abc', jury.slice(0, -2) + (jury.endsWith('A') ? 'BB' : 'AA')]) {
      const r = await feed(`&since_token=${encodeURIComponent(bad)}`, JURY);
      expect(r.status, bad).toBe(400);
      expect(r.body).toMatchObject({ code: 400, message: expect.stringMatching(/since_token/) });
    }
    // A team cannot resume from the jury's place, nor another team from team 1's, nor the public.
    expect((await feed(`&since_token=${jury}`, TEAM1)).status).toBe(400);
    expect((await feed(`&since_token=${team}`, TEAM2)).status).toBe(400);
    expect((await feed(`&since_token=${team}`)).status).toBe(400);
    expect((await feed(`&since_token=${team}`, TEAM1)).status).toBe(200);
  });

  it('does not let the public count events hidden by the freeze: tokens are sealed, and hidden events give no line', async () => {
    await start();
    const pub = await feed('');
    const head = pub.lines.at(-1)!.token!;
    const juryHead = (await feed('', JURY)).lines.at(-1)!.token!;
    // During the freeze: a judging of t2's new submission (after the freeze) and a private clarification.
    fake.emit({ kind: 'juryJudging', judging: { ...fake.judgings[3]!, id: 'j10' } });
    fake.emit({ kind: 'clarification', clarification: { ...fake.clarifications[3]!, id: 'c30' } });
    fake.emit({ kind: 'clarification', clarification: { ...fake.clarifications[2]!, id: 'c31', text: 'for all' } });
    const after = await feed(`&since_token=${head}`);
    after.lines = after.lines.filter((l) => l.type !== 'awards');
    expect(after.lines.map((l) => [l.type, l.id])).toEqual([['clarifications', 'c31']]);
    // Two resumes from the same place get different token strings: nothing to compare or count.
    const again = await feed(`&since_token=${head}`);
    expect(again.lines.find((l) => l.type !== 'awards')!.token).not.toBe(after.lines[0]!.token);
    expect(after.lines[0]!.token).not.toMatch(/^\d+$/);
    // The jury sees them all.
    const jury = await feed(`&since_token=${juryHead}`, JURY);
    expect(jury.lines.filter((l) => l.id === 'j10' || l.id === 'c30').map((l) => l.id)).toEqual(['j10', 'c30']);
  });
});

describe('filters, groups and awards', () => {
  it('filters arrays by ID properties (empty = null) and refuses others', async () => {
    await start();
    const subs = await h.get(`${C}/submissions?team_id=t1`, JURY);
    expect(subs.body.map((s: { id: string }) => s.id)).toEqual(['1', '5', '6']);
    const both = await h.get(`${C}/submissions?team_id=t1&problem_id=sum`, JURY);
    expect(both.body.map((s: { id: string }) => s.id)).toEqual(['5', '6']);
    const toAll = await h.get(`${C}/clarifications?to_team_id=&from_team_id=`, JURY);
    expect(toAll.body.map((c: { id: string }) => c.id)).toEqual(['c3']);
    expect((await h.get(`${C}/judgements?submission_id=1`, JURY)).body.map((j: { id: string }) => j.id)).toEqual(['j1']);
    const bad = await h.get(`${C}/submissions?language=cpp`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/team_id/);
  });

  it('serves group scoreboards ranked on their own, and 400 for an unknown group', async () => {
    await start();
    const b = await h.get(`${C}/scoreboard?group_id=site-b`, JURY);
    expect(b.status).toBe(200);
    expect(b.body.rows.map((r: { rank: number; team_id: string }) => [r.rank, r.team_id])).toEqual([[1, 't2']]);
    expect((await h.get(`${C}/scoreboard?group_id=nope`)).status).toBe(400);
  });

  it('awards winner, medals, first to solve and group winners from the reader’s own board', async () => {
    await start();
    const award = async (id: string, headers: Record<string, string> = {}) => (await h.get(`${C}/awards/${id}`, headers)).body.team_ids;
    // Public, frozen: t2's AC at 4:10 is hidden, so t2 has no medal and site-b no winner yet.
    expect(await award('winner')).toEqual(['t1']);
    expect(await award('gold-medal')).toEqual(['t1']);
    expect(await award('silver-medal')).toEqual([]);
    expect(await award('first-to-solve-hello')).toEqual(['t1']);
    expect(await award('group-winner-site-b')).toEqual([]);
    // The jury sees the live board (t3 is hidden, so not on it).
    expect(await award('silver-medal', JURY)).toEqual(['t2']);
    expect(await award('group-winner-site-b', JURY)).toEqual(['t2']);
    // Before the start the public learns no problem ids through first-to-solve awards.
    fake.clock.state = 'before';
    const ids = (await h.get(`${C}/awards`)).body.map((a: { id: string }) => a.id);
    expect(ids.some((id: string) => id.startsWith('first-to-solve'))).toBe(false);
  });
});

describe('submission files', () => {
  it('serves the sources as a zip with the files at its root, to the team and the jury only', async () => {
    await start();
    const get = async (id: string, headers: Record<string, string>) => fetch(`${h.base}${C}/submissions/${id}/files`, { headers });
    const own = await get('6', TEAM1);
    expect(own.status).toBe(200);
    const files = unzipSync(new Uint8Array(await own.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['Main.java', 'Util.java']);
    expect(strFromU8(files['Main.java']!)).toBe('// Main.java of submission 6\n');
    expect((await get('6', TEAM2)).status).toBe(403);
    expect((await get('6', {})).status).toBe(403);
    expect((await get('6', JURY)).status).toBe(200);
    // t3 is hidden: its submission does not exist for a team.
    expect((await get('4', TEAM1)).status).toBe(404);
  });
});

function zipB64(files: Record<string, string>): string {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])))).toString('base64');
}

describe('writes', () => {
  it('is read-only without actions', async () => {
    await start();
    const r = await h.send('POST', `${C}/submissions`, {}, TEAM1);
    expect(r.status).toBe(405);
    expect((await h.get(`${C}/access`, TEAM1)).body.capabilities).toEqual([]);
  });

  it('lets a team POST a submission whose zip comes back identical, and refuses what it may not set', async () => {
    await start({ writable: true });
    expect((await h.get(`${C}/access`, TEAM1)).body.capabilities).toEqual(['team_submit', 'team_clar']);
    const source = '#include <cstdio>\nint main(){puts("hi");}\n';
    const r = await h.send('POST', `${C}/submissions`, { problem_id: 'hello', language_id: 'cpp', files: [{ data: zipB64({ 'a.cpp': source }), mime: 'application/zip' }] }, TEAM1);
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`${C}/submissions/${r.body.id}`);
    S.Submission.parse(r.body);
    expect(r.body).toMatchObject({ team_id: 't1', problem_id: 'hello' });
    const zip = await fetch(new URL(r.body.files[0].href, `${h.base}/api/`), { headers: TEAM1 });
    expect(strFromU8(unzipSync(new Uint8Array(await zip.arrayBuffer()))['a.cpp']!)).toBe(source);

    const base = { problem_id: 'hello', language_id: 'cpp', files: [{ data: zipB64({ 'a.cpp': source }) }] };
    const refused = async (body: unknown, headers = TEAM1) => {
      const x = await h.send('POST', `${C}/submissions`, body, headers);
      return [x.status, x.body.message];
    };
    expect(await refused({ ...base, time: '2026-11-25T10:00:00Z' })).toEqual([400, expect.stringMatching(/time may not be given/)]);
    expect(await refused({ ...base, id: 'x' })).toEqual([400, expect.stringMatching(/id may not be given/)]);
    expect(await refused({ ...base, team_id: 't2' })).toEqual([403, expect.stringMatching(/not your team/)]);
    expect(await refused({ ...base, files: [{ data: Buffer.from('not a zip').toString('base64') }] })).toEqual([400, expect.stringMatching(/not a readable zip/)]);
    expect(await refused({ ...base, files: [{ data: zipB64({ 'dir/a.cpp': source }) }] })).toEqual([400, expect.stringMatching(/root of the zip/)]);
    expect(await refused({ ...base, files: [{ data: zipB64({ 'a.cpp': 'x'.repeat(300 * 1024) }) }] })).toEqual([400, expect.stringMatching(/larger than/)]);
    expect(await refused({ ...base, problem_id: 'nope' })).toEqual([404, expect.stringMatching(/no problem/)]);
    expect(await refused(base, {})).toEqual([401, expect.stringMatching(/needs an account/)]);
    expect(await refused(base, JURY)).toEqual([403, expect.stringMatching(/team account/)]);
    // PUT is the admin's (admin_submit): a team cannot PUT, not even for itself.
    expect(await refusedPut('7', { ...base, id: '7', team_id: 't1', time: '2026-11-25T12:00:00Z' }, TEAM1)).toEqual([403, expect.stringMatching(/admin/)]);
    expect(await refusedPut('7', { ...base, id: '7', team_id: 't1', time: '2026-11-25T12:00:00Z' }, JURY)).toEqual([403, expect.stringMatching(/admin/)]);
    expect((await h.send('PUT', `${C}/clarifications/c9`, { text: 'x' }, ADMIN)).status).toBe(405);
  });

  async function refusedPut(id: string, body: unknown, headers = ADMIN): Promise<[number, string]> {
    const x = await h.send('PUT', `${C}/submissions/${id}`, body, headers);
    return [x.status, x.body?.message];
  }

  it('lets an admin PUT a submission with its own id (shadowing), with the spec\u2019s refusals', async () => {
    await start({ writable: true });
    const files = [{ data: zipB64({ 's.cpp': '// shadowed' }) }];
    const body = { id: '1000001', problem_id: 'sum', language_id: 'cpp', team_id: 't2', time: '2026-11-25T12:00:00.000+00:00', files };
    const r = await h.send('PUT', `${C}/submissions/1000001`, body, ADMIN);
    expect(r.status, r.text).toBe(201);
    S.Submission.parse(r.body);
    expect(r.headers.get('location')).toBe(`${C}/submissions/1000001`);
    expect(r.body).toMatchObject({ id: '1000001', team_id: 't2', time: '2026-11-25T12:00:00.000+00:00', contest_time: '3:00:00.000' });
    expect((await h.get(`${C}/submissions/1000001`, JURY)).body).toEqual(r.body);
    // The same id again, or one judged gave already: a conflict that says so.
    expect(await refusedPut('1000001', body)).toEqual([409, expect.stringMatching(/submission 1000001 already exists/)]);
    expect(await refusedPut('1', { ...body, id: '1' })).toEqual([409, expect.stringMatching(/submission 1 already exists/)]);
    // The body's id is the URL's (409), and required; time and team_id are required; contest_time is judged's.
    expect(await refusedPut('1000002', body)).toEqual([409, expect.stringMatching(/does not match the URL/)]);
    const { id: _id, ...noId } = body;
    expect(await refusedPut('1000002', noId)).toEqual([400, expect.stringMatching(/id is required/)]);
    expect(await refusedPut('1000002', { ...body, id: '1000002', time: undefined })).toEqual([400, expect.stringMatching(/time is required/)]);
    expect(await refusedPut('1000002', { ...body, id: '1000002', team_id: undefined })).toEqual([400, expect.stringMatching(/team_id is required/)]);
    expect(await refusedPut('1000002', { ...body, id: '1000002', contest_time: '3:00:00' })).toEqual([400, expect.stringMatching(/contest_time may not be given/)]);
    expect(await refusedPut('-site', { ...body, id: '-site' })).toEqual([400, expect.stringMatching(/is not an ID/)]);
    // Any ID will do (a proxy's site prefix); judged keeps it as the submission's id in the API.
    const named = await h.send('PUT', `${C}/submissions/site1-7`, { ...body, id: 'site1-7' }, ADMIN);
    expect([named.status, named.body.id, named.body.files[0].href]).toEqual([201, 'site1-7', 'contests/lan26/submissions/site1-7/files']);
    expect(await refusedPut('1000002', { ...body, id: '1000002', problem_id: 'nope' })).toEqual([404, expect.stringMatching(/no problem/)]);
    expect((await h.send('PUT', `${C}/submissions/1000002`, { ...body, id: '1000002' })).status).toBe(401);
    // POST still may not name an id, even as an admin.
    expect((await h.send('POST', `${C}/submissions`, body, ADMIN)).body.message).toMatch(/id may not be given/);
  });

  it('lets an admin submit for a team at a given time', async () => {
    await start({ writable: true });
    const r = await h.send('POST', `${C}/submissions`, { problem_id: 'sum', language_id: 'cpp', team_id: 't2', time: '2026-11-25T12:00:00.000+00:00', files: [{ data: zipB64({ 's.cpp': '//' }) }] }, ADMIN);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ team_id: 't2', time: '2026-11-25T12:00:00.000+00:00', contest_time: '3:00:00.000' });
  });

  it('takes clarifications from teams and the jury, as the spec lets each', async () => {
    await start({ writable: true });
    const q = await h.send('POST', `${C}/clarifications`, { text: 'Is n even?', problem_id: 'sum' }, TEAM1);
    expect(q.status).toBe(201);
    S.Clarification.parse(q.body);
    expect(q.body).toMatchObject({ from_team_id: 't1', to_team_id: null, problem_id: 'sum' });
    expect((await h.send('POST', `${C}/clarifications`, { text: 'x', to_team_id: 't2' }, TEAM1)).status).toBe(400);
    const a = await h.send('POST', `${C}/clarifications`, { text: 'Yes.', reply_to_id: q.body.id, to_team_id: 't1' }, JURY);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ reply_to_id: q.body.id, to_team_id: 't1', from_team_id: null });
    expect((await h.send('POST', `${C}/clarifications`, { text: 'to t2 alone' , to_team_id: 't2' }, JURY)).status).toBe(400);
    expect((await h.send('POST', `${C}/clarifications`, { text: 'x' })).status).toBe(401);
  });

  it('lets only an admin PATCH the start time (not close to it) and thaw after the end', async () => {
    await start({ writable: true });
    expect((await h.get(`${C}/access`, ADMIN)).body.capabilities).toEqual(['contest_start', 'contest_thaw', 'admin_submit', 'admin_clar']);
    // Started: the start can no longer move.
    const moved = await h.send('PATCH', C, { id: 'lan26', start_time: '2030-01-01T10:00:00Z' }, ADMIN);
    expect(moved.status).toBe(403);
    expect((await h.send('PATCH', C, { id: 'other', start_time: null }, ADMIN)).status).toBe(409);
    expect((await h.send('PATCH', C, { id: 'lan26', start_time: null }, JURY)).status).toBe(403);
    // Not ended yet: no thaw.
    expect((await h.send('PATCH', C, { id: 'lan26', scoreboard_thaw_time: '2026-11-25T14:10:00Z' }, ADMIN)).status).toBe(403);
    fake.clock.state = 'over';
    const thaw = await h.send('PATCH', C, { id: 'lan26', scoreboard_thaw_time: '2026-11-25T14:10:00Z' }, ADMIN);
    expect(thaw.status).toBe(200);
    S.Contest.parse(thaw.body);
    expect(fake.clock.scoreboardFrozen).toBe(false);
    // Before the start, far enough ahead: moved.
    fake.clock.state = 'before';
    fake.clock.startAtMs = Date.now() + 3600_000;
    const at = new Date(Date.now() + 7200_000).toISOString();
    const ok = await h.send('PATCH', C, { id: 'lan26', start_time: at }, ADMIN);
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.body.start_time)).toBe(Date.parse(at));
    const soon = await h.send('PATCH', C, { id: 'lan26', start_time: new Date(Date.now() + 5000).toISOString() }, ADMIN);
    expect(soon.status).toBe(403);
    expect(JSON.stringify(soon.body)).toMatch(/start_time: the new start is only \d s from now: a start must be at least 30 s ahead/);
    expect(T0).toBeGreaterThan(0);
  });
});

describe('persons, logos, statements and attachments', () => {
  const ids = async (path: string, headers: Record<string, string> = {}) => ((await h.get(`${C}/${path}`, headers)).body as { id: string }[]).map((o) => o.id);

  it('shows persons of visible teams only, linked only to visible teams, and their email and sex to the jury alone', async () => {
    await start();
    for (const who of [{}, TEAM1, TEAM2]) {
      expect(await ids('persons', who)).toEqual(['ann', 'cody', 'sam']);
      const cody = (await h.get(`${C}/persons/cody`, who)).body;
      expect(cody.team_ids).toEqual(['t1']);
      expect(cody).not.toHaveProperty('email');
      expect((await h.get(`${C}/persons/ann`, who)).body).not.toHaveProperty('sex');
      expect((await h.get(`${C}/persons/hugo`, who)).status).toBe(404);
      const access = (await h.get(`${C}/access`, who)).body as { endpoints: { type: string; properties: string[] }[] };
      expect(access.endpoints.find((e) => e.type === 'persons')!.properties).not.toContain('email');
    }
    expect(await ids('persons', JURY)).toEqual(['ann', 'cody', 'hugo', 'sam']);
    expect((await h.get(`${C}/persons/cody`, JURY)).body).toMatchObject({ team_ids: ['t1', 't3'], email: 'cody@example.test', sex: null, role: 'coach' });
    // The hidden contestant's photo is as closed as the person.
    const photo = (await h.get(`${C}/persons/hugo`, JURY)).body.photo[0].href as string;
    expect((await fetch(new URL(photo, `${h.base}/api/`), { headers: JURY })).status).toBe(200);
    expect((await fetch(new URL(photo, `${h.base}/api/`))).status).toBe(404);
    expect((await fetch(new URL(photo, `${h.base}/api/`), { headers: TEAM1 })).status).toBe(404);
  });

  it('serves logos with the size the image says, and not those of a hidden team\u2019s organization', async () => {
    await start();
    const uniA = (await h.get(`${C}/organizations/uni-a`)).body;
    S.Organization.parse(uniA);
    expect(uniA.logo.map((l: { filename: string; width: number; height: number }) => [l.filename, l.width, l.height])).toEqual([
      ['logo160x160.png', 160, 160],
      ['logo56x56.png', 56, 56],
    ]);
    expect(uniA.country).toBe('NLD');
    const secret = (await h.get(`${C}/organizations/uni-secret`, JURY)).body;
    // A country that is not ISO 3166-1 alpha-3 is left out.
    expect(secret).not.toHaveProperty('country');
    const href = secret.logo[0].href as string;
    expect(href).toBe('contests/lan26/organizations/uni-secret/logo/logo.png');
    expect((await fetch(new URL(href, `${h.base}/api/`), { headers: JURY })).status).toBe(200);
    for (const who of [{}, TEAM1]) expect((await fetch(new URL(href, `${h.base}/api/`), { headers: who })).status).toBe(404);
    // Only listed files: no other name, no path out of the object.
    for (const p of ['organizations/uni-a/logo/logo.png', 'organizations/uni-a/logo/..%2F..%2Fsubmissions', 'organizations/uni-a/country_flag/logo56x56.png', 'teams/t1/photo/logo56x56.png']) {
      expect((await h.get(`${C}/${p}`, JURY)).status, p).toBe(404);
    }
  });

  it('serves the statement and attachments once the contest has started (to the jury always), only the files listed', async () => {
    await start();
    const hello = (await h.get(`${C}/problems/hello`)).body;
    const statement = await fetch(new URL(hello.statement[0].href, `${h.base}/api/`));
    expect(statement.status).toBe(200);
    expect(statement.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await statement.arrayBuffer()).equals(fs.readFileSync(fake.problemFiles.statement[0]!.path))).toBe(true);
    const tool = await fetch(new URL(hello.attachments[0].href, `${h.base}/api/`), { headers: TEAM1 });
    expect(await tool.text()).toBe(fs.readFileSync(fake.problemFiles.attachments[0]!.path, 'utf8'));
    for (const p of ['problems/hello/attachments/..%2F..%2F..%2F..%2Fetc%2Fpasswd', 'problems/hello/attachments/hello.en.pdf', 'problems/sum/statement/hello.en.pdf', 'problems/hello/package/hello.zip']) {
      expect((await h.get(`${C}/${p}`, JURY)).status, p).toBe(404);
    }
    // Before the start: neither the problem nor its files, for the public and teams; the jury has them.
    fake.clock.state = 'before';
    for (const who of [{}, TEAM1]) {
      expect((await h.get(`${C}/problems`, who)).body).toEqual([]);
      for (const ref of [hello.statement[0], hello.attachments[0]]) expect((await fetch(new URL(ref.href, `${h.base}/api/`), { headers: who })).status).toBe(404);
    }
    expect((await fetch(new URL(hello.statement[0].href, `${h.base}/api/`), { headers: JURY })).status).toBe(200);
    const juryFeed = (await feed('', JURY)).lines.find((l) => l.type === 'problems' && l.id === 'hello');
    expect(juryFeed?.data.statement).toEqual(hello.statement);
    expect((await feed('', TEAM1)).lines.some((l) => l.type === 'problems')).toBe(false);
  });
});

describe('logins', () => {
  it('takes a WebSocket session token as Bearer, and refuses an unknown one', async () => {
    await start();
    expect((await h.get(`${C}/submissions/6/files`, { authorization: 'Bearer session-team1' })).status).toBe(200);
    expect((await h.get(`${C}/submissions/6/files`, { authorization: 'Bearer session-nobody' })).status).toBe(401);
  });
});

describe('runs as tests end, rejudgings under review, hidden teams', () => {
  const run = (index: number) => ({ ...fake.judgings[1]!.runs[0]!, index, endedAtMs: T0 + 31 * 60_000 + index * 1000 });
  /** The lines each reader gets for the events `emit` appends (after the opening state). */
  async function linesAfter(emit: () => void): Promise<Record<string, Array<[string, string | null, unknown]>>> {
    const who = { public: {}, team1: TEAM1, team2: TEAM2, jury: JURY };
    const tokens = Object.fromEntries(await Promise.all(Object.entries(who).map(async ([k, hd]) => [k, (await feed('', hd)).lines.at(-1)!.token!] as const)));
    emit();
    const out: Record<string, Array<[string, string | null, unknown]>> = {};
    for (const [k, hd] of Object.entries(who)) {
      const lines = (await feed(`&since_token=${tokens[k]}`, hd)).lines.filter((l) => l.type !== 'awards');
      for (const l of lines) expect(S.checkFeedLine(l)).toEqual([]);
      out[k] = lines.map((l) => [l.type, l.id, l.data === null ? null : l.type === 'runs' ? l.data.ordinal : l.type === 'judgements' ? l.data.end_time : l.data.id]);
    }
    return out;
  }

  it('sends each run of a first judging as its test ends, with its own time; the freeze hides them from others', async () => {
    await start();
    const running = { ...fake.judgings[1]!, id: 'j20', valid: false, endedAtMs: null, verdict: null, maxTimeMs: null, runs: [] };
    const got = await linesAfter(() => {
      fake.emit({ kind: 'juryJudging', judging: running });
      fake.emit({ kind: 'juryRun', judgingId: 'j20', submissionId: '1', rejudgingId: null, run: run(1) });
      fake.emit({ kind: 'juryRun', judgingId: 'j20', submissionId: '1', rejudgingId: null, run: run(2) });
      // Submission 5 (t1) came after the freeze: only its team and the jury see its runs.
      fake.emit({ kind: 'juryRun', judgingId: 'j21', submissionId: '5', rejudgingId: null, run: run(1) });
    });
    const shown: Array<[string, string | null, unknown]> = [
      ['judgements', 'j20', null],
      ['runs', 'j20-1', 1],
      ['runs', 'j20-2', 2],
    ];
    expect(got.public).toEqual(shown);
    expect(got.team2).toEqual(shown);
    expect(got.team1).toEqual([...shown, ['runs', 'j21-1', 1]]);
    expect(got.jury).toEqual([...shown, ['runs', 'j21-1', 1]]);
    const line = (await feed('', {})).lines; // the opening state of a later reader: no running judging of the fake
    expect(line.some((l) => l.id === 'j20')).toBe(false);
  });

  it('deletes the runs of a lost attempt for whoever was sent them, and runs an ended judging no longer has', async () => {
    await start();
    const running = { ...fake.judgings[1]!, id: 'j20', valid: false, endedAtMs: null, verdict: null, maxTimeMs: null, runs: [] };
    const review = { ...running, id: 'j22', rejudgingId: 'r1' };
    fake.judgings.push(running, review);
    const got = await linesAfter(() => {
      fake.emit({ kind: 'juryRun', judgingId: 'j20', submissionId: '1', rejudgingId: null, run: run(1) });
      fake.emit({ kind: 'juryRun', judgingId: 'j20', submissionId: '1', rejudgingId: null, run: run(2) });
      // The worker died: its job went back to the queue and those runs were dropped.
      fake.emit({ kind: 'progress', submissionId: '1', judgingId: 'j20', status: 'queued', testIndex: null, testCount: 3, lostRuns: [1, 2] });
      // The next attempt: run 1 again (the same id, created anew).
      fake.emit({ kind: 'juryRun', judgingId: 'j20', submissionId: '1', rejudgingId: null, run: run(1) });
      // Submission 5 (after the freeze): its lost run is deleted for its team and the jury only.
      fake.emit({ kind: 'juryRun', judgingId: 'j5', submissionId: '5', rejudgingId: null, run: run(2) });
      fake.emit({ kind: 'progress', submissionId: '5', judgingId: 'j5', status: 'queued', testIndex: null, testCount: 3, lostRuns: [1, 2] });
      // A rejudging's runs never went out live, so its lost attempt deletes nothing.
      fake.emit({ kind: 'progress', submissionId: '1', judgingId: 'j22', status: 'queued', testIndex: null, testCount: 3, lostRuns: [1] });
      // The judging ends as a judge error without runs (the last attempt was lost too): run 1 goes first.
      fake.emit({ kind: 'juryJudging', judging: { ...running, valid: true, endedAtMs: T0 + 40 * 60_000, verdict: 'JE', maxTimeMs: 0 }, lostRuns: [1] });
    });
    const shown: Array<[string, string | null, unknown]> = [
      ['runs', 'j20-1', 1],
      ['runs', 'j20-2', 2],
      ['runs', 'j20-1', null],
      ['runs', 'j20-2', null],
      ['runs', 'j20-1', 1],
    ];
    const ended: Array<[string, string | null, unknown]> = [
      ['runs', 'j20-1', null],
      ['judgements', 'j20', '2026-11-25T09:40:00.000+00:00'],
    ];
    expect(got.public).toEqual([...shown, ...ended]);
    expect(got.team2).toEqual([...shown, ...ended]);
    const own: Array<[string, string | null, unknown]> = [
      ['runs', 'j5-2', 2],
      ['runs', 'j5-1', null],
      ['runs', 'j5-2', null],
    ];
    expect(got.team1).toEqual([...shown, ...own, ...ended]);
    expect(got.jury).toEqual([...shown, ...own, ...ended]);
  });

  it('never shows a rejudging under review, not even as a deletion; an applied one replaces the judgement', async () => {
    await start();
    let applied = false;
    fake.deps.rejudgingApplied = () => applied;
    const pending = { ...fake.judgings[1]!, id: 'j30', valid: false, rejudgingId: 'r1' };
    const underReview = await linesAfter(() => {
      fake.emit({ kind: 'juryRun', judgingId: 'j30', submissionId: '1', rejudgingId: 'r1', run: run(1) });
      fake.emit({ kind: 'juryJudging', judging: pending });
    });
    for (const who of ['public', 'team1', 'team2', 'jury']) expect(underReview[who], who).toEqual([]);
    // Applied: it counts, and the one it replaced (itself an earlier rejudging's) is deleted with its runs.
    applied = true;
    const replaced = { ...fake.judgings[1]!, valid: false, rejudgingId: 'r0' };
    const after = await linesAfter(() => {
      fake.emit({ kind: 'juryJudging', judging: replaced });
      fake.emit({ kind: 'juryJudging', judging: { ...pending, valid: true } });
    });
    expect(after.public!.slice(0, 4)).toEqual([
      ['runs', 'j1-1', null],
      ['runs', 'j1-2', null],
      ['runs', 'j1-3', null],
      ['judgements', 'j1', null],
    ]);
    expect(after.public![4]).toEqual(['judgements', 'j30', expect.any(String)]);
  });

  it('takes a team\u2019s persons off before the team, and its organization after it, when it becomes hidden; back in order when shown', async () => {
    await start();
    const t1 = fake.teams.find((t) => t.id === 't1')!;
    const shownT1 = { ...t1 };
    const hiding = await linesAfter(() => {
      t1.enabled = false;
      fake.emit({ kind: 'team', team: { ...t1 }, before: shownT1 });
    });
    // Cody coaches t1 and the hidden t3: with t1 gone, nobody but the jury may see him.
    for (const who of ['public', 'team2']) {
      expect(hiding[who], who).toEqual([
        ['persons', 'ann', null],
        ['persons', 'cody', null],
        ['teams', 't1', null],
        ['organizations', 'uni-a', null],
      ]);
    }
    const shown: Array<[string, string | null, unknown]> = [
      ['organizations', 'uni-a', 'uni-a'],
      ['teams', 't1', 't1'],
      ['persons', 'ann', 'ann'],
      ['persons', 'cody', 'cody'],
    ];
    expect(hiding.jury).toEqual(shown);
    const showing = await linesAfter(() => {
      t1.enabled = true;
      fake.emit({ kind: 'team', team: { ...t1 }, before: { ...t1, enabled: false } });
    });
    for (const who of ['public', 'team2', 'jury']) expect(showing[who], who).toEqual(shown);
  });

  it('tells nobody but the jury of a hidden team, and deletes a team when it becomes hidden', async () => {
    await start();
    const hiddenNew = { id: 't9', name: 'Ghost', organization: 'Ghost Org', enabled: false };
    const t2 = fake.teams.find((t) => t.id === 't2')!;
    const got = await linesAfter(() => {
      fake.emit({ kind: 'team', team: hiddenNew, before: null });
      fake.emit({ kind: 'team', team: { ...hiddenNew, name: 'Ghost 2' }, before: hiddenNew });
      fake.emit({ kind: 'team', team: { ...fake.teams.find((t) => t.id === 't3')! } }); // an older log: no `before`
      fake.emit({ kind: 'team', team: { ...t2, enabled: false }, before: t2 });
    });
    // Bravo's organization goes with it (no other team has it).
    for (const who of ['public', 'team1', 'team2']) expect(got[who], who).toEqual([['teams', 't2', null], ['organizations', 'org-uni-b', null]]);
    // The jury: each team after its organization, before its persons.
    expect(got.jury).toEqual([
      ['organizations', 'org-ghost-org', 'org-ghost-org'],
      ['teams', 't9', 't9'],
      ['organizations', 'org-ghost-org', 'org-ghost-org'],
      ['teams', 't9', 't9'],
      ['organizations', 'uni-secret', 'uni-secret'],
      ['teams', 't3', 't3'],
      ['persons', 'cody', 'cody'],
      ['persons', 'hugo', 'hugo'],
      ['organizations', 'org-uni-b', 'org-uni-b'],
      ['teams', 't2', 't2'],
    ]);
    // Nor do the other endpoints or the board name the hidden team t3 (or its organization).
    for (const path of ['teams', 'organizations', 'persons', 'submissions', 'scoreboard', 'awards', 'groups', 'clarifications', 'judgements', 'runs']) {
      const text = (await h.get(`${C}/${path}`)).text;
      expect(text, path).not.toMatch(/"t3"|Uni Secret|uni-secret|Hugo|hugo/);
    }
    const all = (await feed('')).lines.map((l) => JSON.stringify(l)).join('\n');
    expect(all).not.toMatch(/"t3"|Uni Secret|uni-secret|Hugo|hugo/);
  });
});
