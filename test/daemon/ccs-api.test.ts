/**
 * End to end over the CCS Contest API of a real `judged` (a contest package with two teams in two
 * groups and medal counts, the example problems): a team submits through the API, its files come
 * back as a zip identical to what it sent, the other team and the public cannot read them, the
 * freeze hides results from the other team and the public, jury endpoints stay closed to teams,
 * since_token resumes with exactly the events after the token, and after the thaw and finalize the
 * awards name the winner. Every object read is checked against our 2023-06 schemas. The verdict
 * steps need the judging engine and the sandbox (root); without them the suite is skipped, saying so.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from '../../packages/daemon/test-utils/zip.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as S from '../../packages/daemon/test-utils/ccs-schemas.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';
import { TestClient } from './client.ts';
import { cliPath, parseCredentials, repoRoot, startDaemonProcess, until, type RunningDaemon } from './spawn-daemon.ts';
import { pngOf } from '../../packages/daemon/test-utils/images.ts';
import { loadContestDir } from '../../packages/daemon/src/contest/index.ts';

const asRoot = process.getuid?.() === 0;
const HELLO_PY = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), 'utf8');
const WORLD_PY = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/wrong_answer/world.py'), 'utf8');

function auth(user: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:pw-${user}`).toString('base64')}` };
}
const TEAM1 = auth('team1');
const TEAM2 = auth('team2');
const JURY = auth('judge1');
const ADMIN = auth('admin1');

const LOGO_56 = pngOf(56, 56);
const LOGO_160 = pngOf(160, 160);
const HELLO_PDF = fs.readFileSync(path.join(repoRoot, 'problems/hello/problem_statement/problem.en.pdf'));
const GUESS_TOOL = fs.readFileSync(path.join(repoRoot, 'problems/guess/attachments/testing_tool.py'));

let d: RunningDaemon;
let contestDir: string;
let C: string;

function contestPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-ccs-'));
  const start = new Date(Date.now() - 60_000).toISOString();
  fs.writeFileSync(path.join(dir, 'contest.yaml'), `id: ccs26\nname: CCS API contest\nstart_time: ${start}\nduration: 5:00:00\nscoreboard_freeze_duration: 1:00:00\npenalty_time: 20\nmedals:\n  gold: 1\n  silver: 1\n  bronze: 0\n`);
  fs.writeFileSync(path.join(dir, 'groups.json'), JSON.stringify([{ id: 'north', name: 'North site' }, { id: 'south', name: 'South site' }]));
  fs.writeFileSync(path.join(dir, 'organizations.json'), JSON.stringify([{ id: 'u1', name: 'Uni One' }, { id: 'u2', name: 'Uni Two' }]));
  fs.writeFileSync(
    path.join(dir, 'teams.json'),
    JSON.stringify([
      { id: 't1', name: 'Team One', organization_id: 'u1', group_ids: ['north'] },
      { id: 't2', name: 'Team Two', organization_id: 'u2', group_ids: ['south'] },
    ]),
  );
  fs.writeFileSync(
    path.join(dir, 'persons.json'),
    JSON.stringify([
      { id: 'ann', name: 'Ann One', role: 'contestant', team_ids: ['t1'], email: 'ann@example.test' },
      { id: 'coach', name: 'Coach Two', role: 'coach', team_ids: ['t2'] },
    ]),
  );
  fs.mkdirSync(path.join(dir, 'organizations', 'u1'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'organizations', 'u1', 'logo56x56.png'), LOGO_56);
  fs.writeFileSync(path.join(dir, 'organizations', 'u1', 'logo160x160.png'), LOGO_160);
  const acct = (u: string, type: string, team?: string) => `- username: ${u}\n  password: pw-${u}\n  type: ${type}\n${team ? `  team_id: ${team}\n` : ''}`;
  fs.writeFileSync(path.join(dir, 'accounts.yaml'), acct('team1', 'team', 't1') + acct('team2', 'team', 't2') + acct('judge1', 'judge') + acct('admin1', 'admin'));
  return dir;
}

async function api(p: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<{ status: number; body: any; text: string; raw: Response }> {
  const r = await fetch(`${d.url}${p}`, { ...init, headers: { ...headers, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: r.status, body, text, raw: r };
}

type Line = { type: string; id: string | null; data: any; token?: string };
async function feed(query: string, headers: Record<string, string>): Promise<Line[]> {
  const r = await api(`${C}/event-feed?stream=false${query}`, headers);
  expect(r.status).toBe(200);
  const lines = r.text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
  for (const l of lines) expect(S.checkFeedLine(l), JSON.stringify(l)).toEqual([]);
  return lines;
}

async function submit(headers: Record<string, string>, source: string, problem = 'hello', file = 'hello.py', language = 'python3'): Promise<string> {
  const data = Buffer.from(zipSync({ [file]: strToU8(source) })).toString('base64');
  const r = await api(`${C}/submissions`, headers, { method: 'POST', body: JSON.stringify({ problem_id: problem, language_id: language, files: [{ data, mime: 'application/zip' }] }) });
  expect(r.status, r.text).toBe(201);
  S.assertValid(S.Submission, r.body);
  return r.body.id as string;
}

/** Reads a streaming feed (from the token) line by line until `done` says a line is the last wanted. */
async function readFeedUntil(query: string, headers: Record<string, string>, done: (l: Line) => boolean, timeoutMs = 60_000): Promise<Array<Line & { atMs: number }>> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const out: Array<Line & { atMs: number }> = [];
  try {
    const r = await fetch(`${d.url}${C}/event-feed${query}`, { headers, signal: ac.signal });
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) throw new Error('the feed ended');
      buf += dec.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (text === '') continue;
        const l = JSON.parse(text) as Line;
        expect(S.checkFeedLine(l), text).toEqual([]);
        out.push({ ...l, atMs: Date.now() });
        if (done(l)) return out;
      }
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

async function verdictOf(submissionId: string): Promise<string> {
  let verdict: string | null = null;
  await until(async () => {
    const j = (await api(`${C}/judgements?submission_id=${submissionId}`, JURY)).body as Array<{ judgement_type_id: string | null }>;
    verdict = j.find((x) => x.judgement_type_id)?.judgement_type_id ?? null;
    return verdict !== null;
  }, 60_000, `a verdict for submission ${submissionId}`);
  return verdict!;
}

describe.skipIf(!asRoot)('CCS Contest API of a running judged', () => {
  beforeAll(async () => {
    contestDir = contestPackage();
    // Start-up runs every package's data validators: slow on a loaded machine.
    d = await startDaemonProcess({ contest: contestDir, workers: 1, slotBase: testSlot('daemonCcsApi'), readyTimeoutMs: 110_000 });
    C = '/api/contests/ccs26';
  });

  afterAll(async () => {
    expect(await d?.stop()).toBe(0);
    if (d) fs.rmSync(d.data, { recursive: true, force: true });
    fs.rmSync(contestDir, { recursive: true, force: true });
  });

  let accepted: string;

  it('takes a submission through the API, judges it, and gives its files back as the same zip content', async () => {
    accepted = await submit(TEAM1, HELLO_PY);
    expect(await verdictOf(accepted)).toBe('AC');
    const runs = (await api(`${C}/runs`, JURY)).body;
    S.assertValid(S.listOf(S.Run), runs);
    expect(runs.length).toBeGreaterThan(0);
    const sub = (await api(`${C}/submissions/${accepted}`, TEAM1)).body;
    const zip = await fetch(new URL(sub.files[0].href, `${d.url}/api/`), { headers: TEAM1 });
    expect(zip.status).toBe(200);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files)).toEqual(['hello.py']);
    expect(strFromU8(files['hello.py']!)).toBe(HELLO_PY);
    // Not for the other team, nor the public.
    expect((await fetch(new URL(sub.files[0].href, `${d.url}/api/`), { headers: TEAM2 })).status).toBe(403);
    expect((await fetch(new URL(sub.files[0].href, `${d.url}/api/`))).status).toBe(403);
  });

  it('serves persons, the package logos, the PDF statement and attachments at their hrefs, byte for byte', async () => {
    const persons = (await api(`${C}/persons`)).body;
    S.assertValid(S.listOf(S.Person), persons);
    expect(persons).toEqual([
      { id: 'ann', icpc_id: null, team_ids: ['t1'], name: 'Ann One', title: null, role: 'contestant' },
      { id: 'coach', icpc_id: null, team_ids: ['t2'], name: 'Coach Two', title: null, role: 'coach' },
    ]);
    expect((await api(`${C}/persons/ann`, JURY)).body.email).toBe('ann@example.test');
    const u1 = (await api(`${C}/organizations/u1`)).body;
    S.assertValid(S.Organization, u1);
    expect((await api(`${C}/teams/t1`)).body.organization_id).toBe('u1');
    const bytes = async (href: string, headers: Record<string, string> = {}) => {
      const r = await fetch(new URL(href, `${d.url}/api/`), { headers });
      expect(r.status, href).toBe(200);
      return Buffer.from(await r.arrayBuffer());
    };
    expect(u1.logo.map((l: { filename: string; width: number }) => [l.filename, l.width])).toEqual([
      ['logo160x160.png', 160],
      ['logo56x56.png', 56],
    ]);
    expect((await bytes(u1.logo[1].href)).equals(LOGO_56)).toBe(true);
    const hello = (await api(`${C}/problems/hello`)).body;
    expect(hello.statement).toEqual([{ href: `contests/ccs26/problems/hello/statement/hello.en.pdf`, filename: 'hello.en.pdf', mime: 'application/pdf' }]);
    expect((await bytes(hello.statement[0].href)).equals(HELLO_PDF)).toBe(true);
    const guess = (await api(`${C}/problems/guess`, TEAM2)).body;
    expect(guess.attachments.map((a: { filename: string }) => a.filename)).toEqual(['testing_tool.py']);
    expect((await bytes(guess.attachments[0].href, TEAM2)).equals(GUESS_TOOL)).toBe(true);
  });

  it('takes a shadow CCS\u2019s PUT with its own submission id, judges it, and refuses the id a second time', async () => {
    const data = Buffer.from(zipSync({ 'world.py': strToU8(WORLD_PY) })).toString('base64');
    const body = { id: '1000001', problem_id: 'hello', language_id: 'python3', team_id: 't2', time: new Date().toISOString(), files: [{ data }] };
    const r = await api(`${C}/submissions/1000001`, ADMIN, { method: 'PUT', body: JSON.stringify(body) });
    expect(r.status, r.text).toBe(201);
    S.assertValid(S.Submission, r.body);
    expect(r.body).toMatchObject({ id: '1000001', team_id: 't2' });
    expect(await verdictOf('1000001')).toBe('WA');
    const again = await api(`${C}/submissions/1000001`, ADMIN, { method: 'PUT', body: JSON.stringify(body) });
    expect([again.status, again.body.message]).toEqual([409, expect.stringMatching(/submission 1000001 already exists/)]);
    expect((await api(`${C}/submissions/1000002`, TEAM2, { method: 'PUT', body: JSON.stringify({ ...body, id: '1000002' }) })).status).toBe(403);
    // Team 2 sees its own submission and its zip; team 1 does not get the zip.
    const zip = unzipSync(new Uint8Array(await (await fetch(new URL(r.body.files[0].href, `${d.url}/api/`), { headers: TEAM2 })).arrayBuffer()));
    expect(strFromU8(zip['world.py']!)).toBe(WORLD_PY);
    expect((await fetch(new URL(r.body.files[0].href, `${d.url}/api/`), { headers: TEAM1 })).status).toBe(403);

    // A proxy's own kind of id (not a number): kept as the submission's id in the API, everywhere.
    const named = await api(`${C}/submissions/site2-1`, ADMIN, { method: 'PUT', body: JSON.stringify({ ...body, id: 'site2-1' }) });
    expect(named.status, named.text).toBe(201);
    expect(named.body.id).toBe('site2-1');
    expect(await verdictOf('site2-1')).toBe('WA');
    expect((await api(`${C}/submissions/site2-1`, TEAM2)).body).toEqual(named.body);
    const judgement = (await api(`${C}/judgements?submission_id=site2-1`, JURY)).body;
    expect(judgement).toHaveLength(1);
    const zip2 = unzipSync(new Uint8Array(await (await fetch(new URL(named.body.files[0].href, `${d.url}/api/`), { headers: TEAM2 })).arrayBuffer()));
    expect(strFromU8(zip2['world.py']!)).toBe(WORLD_PY);
    const again2 = await api(`${C}/submissions/site2-1`, ADMIN, { method: 'PUT', body: JSON.stringify({ ...body, id: 'site2-1' }) });
    expect([again2.status, again2.body.message]).toEqual([409, expect.stringMatching(/submission site2-1 already exists/)]);
    const lines = await feed('', JURY);
    expect(lines.filter((l) => l.type === 'judgements' && l.data?.submission_id === 'site2-1')).toHaveLength(1);
    expect(lines.some((l) => l.type === 'submissions' && l.id === 'site2-1')).toBe(true);
  });

  it('publishes each run to the public as its test ends, and a rejudging under review to the jury alone', async () => {
    // Five tests (two samples, three secret), each taking a while: the runs must come one by one.
    const slow = 'import time\ntime.sleep(0.4)\nprint("odd" if int(input()) % 2 else "even")\n';
    const head = (await feed('', {})).at(-1)!.token!;
    const reading = readFeedUntil(`?since_token=${head}`, {}, (l) => l.type === 'judgements' && l.data?.judgement_type_id != null);
    const id = await submit(TEAM1, slow, 'parity', 'mod.py');
    const lines = (await reading).filter((l) => l.type !== 'awards');
    const judgementId = lines.find((l) => l.type === 'judgements')!.id!;
    const mine = lines.filter((l) => l.type === 'submissions' ? l.id === id : l.type === 'judgements' ? l.id === judgementId : l.data?.judgement_id === judgementId);
    // The submission, the judgement begun (no verdict, no end), each run as it ended, the judgement ended (with all runs again).
    const ended = mine.findIndex((l) => l.type === 'judgements' && l.data.end_time !== null);
    expect(mine[0]).toMatchObject({ type: 'submissions', id });
    expect(mine[1]).toMatchObject({ type: 'judgements', data: { submission_id: id, judgement_type_id: null, end_time: null } });
    const live = mine.slice(2, ended);
    expect(live.map((l) => [l.type, l.data.ordinal, l.data.judgement_type_id])).toEqual([1, 2, 3, 4, 5].map((n) => ['runs', n, 'AC']));
    // Each run came when its test ended (the runs took 0.4 s each), before the judgement ended.
    expect(live.at(-1)!.atMs - live[0]!.atMs).toBeGreaterThan(3 * 300);
    const endTime = Date.parse(mine[ended]!.data.end_time);
    const runTimes = live.map((l) => Date.parse(l.data.time));
    expect(runTimes).toEqual([...runTimes].sort((a, b) => a - b));
    expect(runTimes.at(-1)!).toBeLessThanOrEqual(endTime);
    expect(runTimes[0]!).toBeLessThan(runTimes.at(-1)! - 3 * 300);
    expect(mine[ended]!.data.judgement_type_id).toBe('AC');
    // REST says the same: the runs keep the times they ended at.
    const runs = (await api(`${C}/runs?judgement_id=${judgementId}`)).body as Array<{ ordinal: number; time: string }>;
    expect(runs.map((r) => [r.ordinal, Date.parse(r.time)])).toEqual(live.map((l) => [l.data.ordinal, Date.parse(l.data.time)]));

    // A rejudging under review: its judging shows to nobody through the API, not even as a deletion.
    const admin = await TestClient.login(d.wsUrl, 'admin1', 'pw-admin1');
    try {
      const token = (await feed('', {})).at(-1)!.token!;
      const teamToken = (await feed('', TEAM1)).at(-1)!.token!;
      const { rejudgingId } = await admin.request('rejudge', { scope: { kind: 'submission', submissionId: id } });
      await until(async () => (await admin.request('rejudging', { rejudgingId })).rejudging.doneCount === 1, 60_000, 'the rejudging to end');
      for (const [who, t] of [[{}, token], [TEAM1, teamToken]] as const) {
        const after = (await feed(`&since_token=${t}`, who)).filter((l) => l.type !== 'awards');
        expect(after).toEqual([]);
        expect((await api(`${C}/judgements?submission_id=${id}`, who)).body.map((j: { id: string }) => j.id)).toEqual([judgementId]);
      }
      expect((await api(`${C}/judgements?submission_id=${id}`, JURY)).body.map((j: { id: string }) => j.id)).toEqual([judgementId]);
      await admin.request('decideRejudging', { rejudgingId, action: 'cancel' });
    } finally {
      admin.terminate();
    }
  });

  it('names the Java class the judge ran as the entry point, not the file name', async () => {
    const source = fs.readFileSync(path.join(repoRoot, 'problems/javanames/submissions/accepted/solution.java'), 'utf8');
    const id = await submit(TEAM1, source, 'javanames', 'solution.java', 'java');
    expect(await verdictOf(id)).toBe('AC');
    const sub = (await api(`${C}/submissions/${id}`)).body;
    S.assertValid(S.Submission, sub);
    expect(sub.entry_point).toBe('Main');
  });

  it('keeps the jury endpoints closed to teams, and serves groups from groups.json', async () => {
    expect((await api(`${C}/accounts`, TEAM2)).status).toBe(404);
    const accounts = (await api(`${C}/accounts`, ADMIN)).body;
    S.assertValid(S.listOf(S.Account), accounts);
    expect(JSON.stringify(accounts)).not.toContain('pw-');
    expect((await api(`${C}/groups`)).body).toEqual([{ id: 'north', name: 'North site' }, { id: 'south', name: 'South site' }]);
    expect((await api(`${C}/teams/t1`)).body.group_ids).toEqual(['north']);
    const access = (await api(`${C}/access`, TEAM2)).body;
    S.assertValid(S.Access, access);
    expect(access.endpoints.map((e: { type: string }) => e.type)).not.toContain('accounts');
  });

  it('hides results during the freeze from the other team and the public, not from the team itself', async () => {
    const admin = await TestClient.login(d.wsUrl, 'admin1', 'pw-admin1');
    try {
      await admin.request('contestControl', { action: 'freezeNow' });
    } finally {
      admin.terminate();
    }
    const wrong = await submit(TEAM1, WORLD_PY);
    expect(await verdictOf(wrong)).toBe('WA');
    const ids = async (h: Record<string, string>) => ((await api(`${C}/judgements?submission_id=${wrong}`, h)).body as Array<{ id: string }>).length;
    expect(await ids(TEAM1)).toBe(1);
    expect(await ids(TEAM2)).toBe(0);
    expect(await ids({})).toBe(0);
    const pubBoard = (await api(`${C}/scoreboard`)).body;
    S.assertValid(S.Scoreboard, pubBoard);
    expect(pubBoard.rows.find((r: { team_id: string }) => r.team_id === 't1').problems.find((p: { problem_id: string }) => p.problem_id === 'hello')).toMatchObject({ solved: true });
    // The feed of team 2 has no line about it either.
    const t2 = await feed('', TEAM2);
    expect(t2.some((l) => l.type === 'judgements' && l.data?.submission_id === wrong)).toBe(false);
  });

  it('resumes the event feed with exactly the events after a token', async () => {
    const before = await feed('', JURY);
    const token = before.at(-1)!.token!;
    const q = await api(`${C}/clarifications`, TEAM2, { method: 'POST', body: JSON.stringify({ text: 'Is the output case sensitive?', problem_id: 'hello' }) });
    expect(q.status, q.text).toBe(201);
    const a = await api(`${C}/clarifications`, JURY, { method: 'POST', body: JSON.stringify({ text: 'Yes.', reply_to_id: q.body.id }) });
    expect(a.status, a.text).toBe(201);
    const after = (await feed(`&since_token=${token}`, JURY)).filter((l) => l.type !== 'awards');
    // The question, the question again (now answered), the answer.
    expect(after.map((l) => [l.type, l.id])).toEqual([
      ['clarifications', q.body.id],
      ['clarifications', q.body.id],
      ['clarifications', a.body.id],
    ]);
    // From each line's token, exactly the lines after it.
    for (let i = 0; i < after.length; i++) {
      const rest = (await feed(`&since_token=${after[i]!.token}`, JURY)).filter((l) => l.type !== 'awards');
      expect(rest.map((l) => [l.id, l.data])).toEqual(after.slice(i + 1).map((l) => [l.id, l.data]));
    }
    expect((await api(`${C}/event-feed?stream=false&since_token=${token}`, TEAM2)).status).toBe(400);
  });

  it('awards the winner and medals after the thaw and finalize', async () => {
    const admin = await TestClient.login(d.wsUrl, 'admin1', 'pw-admin1');
    try {
      // End the contest in two seconds, still frozen (the freeze now starts a second before the end).
      const startAtMs = Date.parse((await api(C)).body.start_time);
      await admin.request('setContestTimes', { startAtMs, durationMs: Date.now() - startAtMs + 2000, freezeDurationMs: 1000 });
      await until(async () => (await api(`${C}/state`)).body.ended !== null, 10_000, 'the contest to end');
      // The thaw through the API (contest_thaw), then the results are final.
      const thaw = await api(C, ADMIN, { method: 'PATCH', body: JSON.stringify({ id: 'ccs26', scoreboard_thaw_time: new Date().toISOString() }) });
      expect(thaw.status, thaw.text).toBe(200);
      S.assertValid(S.Contest, thaw.body);
      expect((await api(`${C}/state`)).body.thawed).not.toBeNull();
      await admin.request('contestControl', { action: 'finalize' });
    } finally {
      admin.terminate();
    }
    const state = (await api(`${C}/state`)).body;
    S.assertValid(S.State, state);
    expect(state.finalized).not.toBeNull();
    for (const who of [{}, TEAM2, JURY]) {
      const awards = (await api(`${C}/awards`, who)).body as Array<{ id: string; team_ids: string[] }>;
      S.assertValid(S.listOf(S.Award), awards);
      const byId = new Map(awards.map((a) => [a.id, a.team_ids]));
      expect(byId.get('winner')).toEqual(['t1']);
      expect(byId.get('gold-medal')).toEqual(['t1']);
      expect(byId.get('first-to-solve-hello')).toEqual(['t1']);
      expect(byId.get('group-winner-north')).toEqual(['t1']);
      expect(byId.get('group-winner-south')).toEqual([]);
    }
    const lines = await feed('', {});
    expect(lines.at(-1)).toMatchObject({ type: 'state', data: { end_of_updates: expect.any(String) } });
  });

  it('exports the finished contest as a CCS contest package that judged --contest reads back', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-export-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', cliPath, 'export', out, '--data', d.data, '--contest', contestDir, '--problems', path.join(repoRoot, 'problems')], { encoding: 'utf8', cwd: repoRoot });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/exported \d+ files \(6 submissions\)/);
      expect(strFromU8(unzipSync(new Uint8Array(fs.readFileSync(path.join(out, 'submissions', 'site2-1', 'files.zip'))))['world.py']!)).toBe(WORLD_PY);
      // The files the objects refer to, where a contest package keeps them (<endpoint>/<id>/<filename>).
      expect(fs.readFileSync(path.join(out, 'organizations/u1/logo56x56.png')).equals(LOGO_56)).toBe(true);
      expect(fs.readFileSync(path.join(out, 'problems/hello/hello.en.pdf')).equals(HELLO_PDF)).toBe(true);
      expect(fs.readFileSync(path.join(out, 'problems/guess/testing_tool.py')).equals(GUESS_TOOL)).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'persons.json'), 'utf8')).map((p: { id: string }) => p.id)).toEqual(['ann', 'coach']);
      const lines = fs.readFileSync(path.join(out, 'event-feed.ndjson'), 'utf8').split('\n').filter((l) => l !== '');
      for (const l of lines) expect(S.checkFeedLine(JSON.parse(l)), l).toEqual([]);
      const awards = JSON.parse(fs.readFileSync(path.join(out, 'awards.json'), 'utf8')) as Array<{ id: string; team_ids: string[] }>;
      expect(awards.find((a) => a.id === 'winner')?.team_ids).toEqual(['t1']);
      S.assertValid(S.Scoreboard, JSON.parse(fs.readFileSync(path.join(out, 'scoreboard.json'), 'utf8')));
      const zip = unzipSync(new Uint8Array(fs.readFileSync(path.join(out, 'submissions', accepted, 'files.zip'))));
      expect(strFromU8(zip['hello.py']!)).toBe(HELLO_PY);
      expect(fs.readFileSync(path.join(out, 'accounts.json'), 'utf8')).not.toContain('pw-');
      // Import back: the configuration files load as a contest package.
      const back = loadContestDir(out);
      if (!back.ok) throw new Error(JSON.stringify(back.errors));
      expect(back.config.contest).toMatchObject({ contestId: 'ccs26', name: 'CCS API contest', durationMs: expect.any(Number), penaltyTimeMin: 20 });
      expect(back.config.teams.map((t) => [t.id, t.groupIds])).toEqual([
        ['t1', ['north']],
        ['t2', ['south']],
      ]);
      expect(back.config.medals).toEqual({ gold: 1, silver: 1, bronze: 0 });
      expect(back.config.problemset?.map((p) => p.shortName)).toContain('hello');

      // And a judged started on it serves the same contest configuration (new logins: no passwords were exported).
      const d2 = await startDaemonProcess({ contest: out, workers: 1, slotBase: testSlot('daemonCcsImport'), readyTimeoutMs: 110_000 });
      try {
        const get = async (p: string, headers: Record<string, string> = {}) => {
          const x = await fetch(`${d2.url}${p}`, { headers });
          expect(x.status, p).toBe(200);
          return x.json() as Promise<any>;
        };
        const before = async (p: string) => (await api(p, JURY)).body;
        const logins = parseCredentials(d2.output());
        expect([...logins.values()].filter((c) => c.role === 'team').length).toBe(2);
        const admin = [...logins.values()].find((c) => c.role === 'admin')!;
        const ADMIN2 = { authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` };
        const contest = await get(C, ADMIN2);
        S.assertValid(S.Contest, contest);
        const old = await before(C);
        expect(contest).toEqual(old);
        for (const e of ['groups', 'organizations', 'teams', 'persons', 'problems', 'languages', 'judgement-types']) {
          const now = await get(`${C}/${e}`, ADMIN2);
          expect(now, e).toEqual(await before(`${C}/${e}`));
        }
        const logo = (await get(`${C}/organizations/u1`, ADMIN2)).logo[1];
        expect(Buffer.from(await (await fetch(new URL(logo.href, `${d2.url}/api/`), { headers: ADMIN2 })).arrayBuffer()).equals(LOGO_56)).toBe(true);
        // Submissions are archived in the package, not imported as the new contest's.
        expect(await get(`${C}/submissions`, ADMIN2)).toEqual([]);
      } finally {
        expect(await d2.stop()).toBe(0);
        fs.rmSync(d2.data, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);

  it('takes the WebSocket session token as a Bearer login', async () => {
    const c = await TestClient.login(d.wsUrl, 'team1', 'pw-team1');
    try {
      const r = await api(`${C}/submissions/${accepted}/files`, { authorization: `Bearer ${c.session!.token}` });
      expect(r.status).toBe(200);
    } finally {
      c.terminate();
    }
  });
});

describe.skipIf(!asRoot)('CCS Contest API across a judging attempt lost to a crash', () => {
  let dir: string;
  beforeAll(async () => {
    dir = contestPackage();
    d = await startDaemonProcess({ contest: dir, workers: 1, slotBase: testSlot('daemonCcsLostRuns'), readyTimeoutMs: 110_000 });
    C = '/api/contests/ccs26';
  });
  afterAll(async () => {
    expect(await d?.stop()).toBe(0);
    if (d) fs.rmSync(d.data, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('deletes the runs the lost attempt published, so a feed reader ends with exactly the runs /runs has', async () => {
    const slow = 'import time\ntime.sleep(0.4)\nprint("odd" if int(input()) % 2 else "even")\n';
    const head = (await feed('', {})).at(-1)!.token!;
    let runsSeen = 0;
    const reading = readFeedUntil(`?since_token=${head}`, {}, (l) => l.type === 'runs' && l.data !== null && ++runsSeen === 2);
    const id = await submit(TEAM1, slow, 'parity', 'mod.py');
    const before = await reading;
    // The daemon dies with the judging half done; the restart judges it again from the first test.
    await d.kill9();
    d = await startDaemonProcess({ contest: dir, data: d.data, workers: 1, slotBase: testSlot('daemonCcsLostRuns'), readyTimeoutMs: 110_000 });
    expect(await verdictOf(id)).toBe('AC');
    const after = await feed(`&since_token=${before.at(-1)!.token!}`, {});
    const judgementId = before.find((l) => l.type === 'judgements')!.id!;
    const mine = (l: Line) => l.type === 'runs' && l.id!.startsWith(`${judgementId}-`);
    // Each run published before the crash is deleted, and comes again from the new attempt.
    const published = before.filter(mine).map((l) => l.id!);
    expect(published.length).toBeGreaterThanOrEqual(2);
    const lines = after.filter(mine);
    for (const runId of published) {
      const deleted = lines.findIndex((l) => l.id === runId && l.data === null);
      expect(deleted, `${runId} deleted`).toBeGreaterThanOrEqual(0);
      expect(lines.findIndex((l, i) => i > deleted && l.id === runId && l.data !== null), `${runId} again`).toBeGreaterThan(deleted);
    }
    // Folding every line as a client does leaves exactly what /runs says.
    const view = new Map<string, unknown>();
    for (const l of [...before, ...after].filter(mine)) {
      if (l.data === null) view.delete(l.id!);
      else view.set(l.id!, l.data);
    }
    const rest = (await api(`${C}/runs?judgement_id=${judgementId}`)).body as Array<{ id: string; ordinal: number }>;
    expect(rest.map((r) => r.ordinal)).toEqual([1, 2, 3, 4, 5]);
    expect(new Map(rest.map((r) => [r.id, r]))).toEqual(view);
  }, 300_000);
});

// Only without root: as root nothing may skip (the cgroup v2 guest run checks that).
if (!asRoot) {
  describe('CCS Contest API of a running judged', () => {
    it.skip('skipped: judging needs the sandbox, which needs root (CI runs as root)', () => {});
  });
}
