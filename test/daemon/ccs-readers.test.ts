/**
 * The Contest API as the public and a balloon runner read it, against the real daemon (in process,
 * judged by hand through the store's queue) with a contest package that has a hidden team
 * (teams.json `hidden: true`, alone in its organization). On every endpoint, before and during the
 * freeze: a runner's login (HTTP Basic and a WebSocket session token) reads exactly what the public
 * reads; neither ever sees the hidden team, its organization, person, submissions, judgements or
 * runs, nor the result of a run the frozen board hides; every write of a runner is 403. The jury
 * sees the hidden team (so the checks can fail).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemon, type DaemonHandle } from '../../packages/daemon/src/server/start.ts';
import { silentLogger } from '../../packages/daemon/src/server/log.ts';
import { acResult } from '../../packages/daemon/test-utils/store-fixtures.ts';
import { TestClient } from './client.ts';
import { repoRoot } from './spawn-daemon.ts';

const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};

const PW = { team1: 'pass-team-1', team2: 'pass-team-2', team3: 'pass-team-3', boss: 'pass-boss-1', runner: 'pass-runner' } as const;

function contestDir(): string {
  const d = tmp('judged-ccsr-c-');
  // Started an hour ago: 5 hours, the freeze in the last hour (the test freezes at once instead).
  const start = new Date(Date.now() - 3600_000).toISOString();
  fs.writeFileSync(path.join(d, 'contest.yaml'), `id: lan\nname: LAN\nstart_time: ${start}\nduration: 5:00:00\nscoreboard_freeze_duration: 1:00:00\npenalty_time: 20\n`);
  fs.writeFileSync(
    path.join(d, 'organizations.json'),
    JSON.stringify([
      { id: 'uni1', name: 'Uni One' },
      { id: 'uni2', name: 'Uni Two' },
      { id: 'ghostorg', name: 'Ghost Institute' },
    ]),
  );
  fs.writeFileSync(
    path.join(d, 'teams.json'),
    JSON.stringify([
      { id: 't1', name: 'Segfault', organization_id: 'uni1' },
      { id: 't2', name: 'Off by one', organization_id: 'uni2' },
      { id: 't3', name: 'Phantom Squad', organization_id: 'ghostorg', hidden: true },
    ]),
  );
  const acct = (u: string, type: string, team?: string) => `- username: ${u}\n  password: ${PW[u as keyof typeof PW]}\n  type: ${type}\n${team ? `  team_id: ${team}\n` : ''}`;
  fs.writeFileSync(path.join(d, 'accounts.yaml'), acct('team1', 'team', 't1') + acct('team2', 'team', 't2') + acct('team3', 'team', 't3') + acct('boss', 'admin') + acct('runner', 'balloon'));
  return d;
}

let d: DaemonHandle;
let base: string;
const clients: TestClient[] = [];
let runnerToken: string;

beforeAll(async () => {
  const problems = tmp('judged-ccsr-p-');
  fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problems, 'hello'), { recursive: true });
  d = await createDaemon({ problems, contest: contestDir(), data: tmp('judged-ccsr-d-'), port: '0', workers: '1' }, { log: silentLogger, checkData: false, engine: null });
  base = `http://127.0.0.1:${d.port}`;
  const url = `ws://127.0.0.1:${d.port}/ws`;
  for (const u of ['team1', 'team2', 'team3', 'boss', 'runner'] as const) clients.push(await TestClient.login(url, u, PW[u]));
  runnerToken = clients[4]!.session!.token;
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.terminate();
  await d?.close();
  for (const x of dirs) fs.rmSync(x, { recursive: true, force: true });
});

const client = (u: 'team1' | 'team2' | 'team3' | 'boss') => clients[['team1', 'team2', 'team3', 'boss'].indexOf(u)]!;

/** Submits for the team and judges it AC by hand (no workers run). */
async function accepted(team: 'team1' | 'team2' | 'team3'): Promise<string> {
  const source = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), 'utf8');
  const { submission } = await client(team).request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source }] });
  const job = d.store.queue.claim('hand', 60_000)!;
  expect(d.store.queue.complete(job.judgingId, 'hand', acResult()).accepted).toBe(true);
  return submission.id;
}

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
const READERS: Record<string, () => Record<string, string>> = {
  public: () => ({}),
  'runner (Basic)': () => basic('runner', PW.runner),
  'runner (session)': () => ({ authorization: `Bearer ${runnerToken}` }),
};

const C = '/api/contests/lan';
const ENDPOINTS = [
  '/api', `/api/contests`, C, `${C}/state`, `${C}/access`, `${C}/teams`, `${C}/teams/t3`, `${C}/organizations`, `${C}/organizations/ghostorg`, `${C}/persons`,
  `${C}/groups`, `${C}/problems`, `${C}/languages`, `${C}/judgement-types`, `${C}/submissions`, `${C}/judgements`, `${C}/runs`, `${C}/clarifications`,
  `${C}/scoreboard`, `${C}/awards`, `${C}/event-feed?stream=false`,
];

async function get(p: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const r = await fetch(base + p, { headers });
  return { status: r.status, text: await r.text() };
}

/** The event feed's tokens are sealed per reader, and the board says when it was read: compare without them. */
const comparable = (p: string, text: string) =>
  p.includes('event-feed') ? text.replace(/"token":"[^"]*"/g, '"token":"-"') : p.endsWith('/scoreboard') ? text.replace(/"(time|contest_time)":"[^"]*"/g, '"$1":"-"') : text;

const HIDDEN = /"t3"|Phantom|ghostorg|Ghost Institute/;

async function readAll(frozenSubmission: string | null): Promise<void> {
  for (const p of ENDPOINTS) {
    const pub = await get(p, {});
    for (const [who, headers] of Object.entries(READERS)) {
      const r = await get(p, headers());
      expect(r.status, `${who} ${p}`).toBe(pub.status);
      expect(comparable(p, r.text), `${who} ${p}`).toBe(comparable(p, pub.text));
      // A 404 names the id asked for; the answer must not say more (the same as for an unknown id).
      expect(r.text.replace(/t3|ghostorg/g, 'ID'), `${who} ${p}`).not.toMatch(HIDDEN);
      if (p.endsWith('/t3') || p.endsWith('/ghostorg')) {
        expect(r.status).toBe(404);
        expect(r.text.replace(/t3|ghostorg/g, 'ID')).toBe((await get(p.replace(/t3$|ghostorg$/, 'nosuchid'), headers())).text.replace('nosuchid', 'ID'));
      }
      if (frozenSubmission !== null && (p.endsWith('/judgements') || p.endsWith('/runs') || p.includes('event-feed'))) {
        // The frozen run exists (a submission) but its judgement does not, for these readers.
        const lines = p.includes('event-feed') ? r.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: unknown }) : (JSON.parse(r.text) as unknown[]).map((data) => ({ type: p.split('/').pop()!, data }));
        const judgements = lines.filter((l) => l.type === 'judgements' && l.data !== null).map((l) => l.data as { submission_id: string });
        expect(judgements.some((j) => j.submission_id === frozenSubmission), `${who} ${p}`).toBe(false);
      }
    }
  }
}

describe('the Contest API for the public and a balloon runner', () => {
  it('before the freeze: the same as the public on every endpoint, and nothing of the hidden team', async () => {
    await accepted('team1');
    const ghost = await accepted('team3');
    // The jury does see the hidden team, its organization and its run.
    const jury = basic('boss', PW.boss);
    expect((await get(`${C}/teams/t3`, jury)).text).toMatch(/Phantom Squad/);
    expect((await get(`${C}/organizations`, jury)).text).toMatch(/Ghost Institute/);
    expect(JSON.parse((await get(`${C}/submissions`, jury)).text)).toHaveLength(2);
    // A hidden team's own account still sees its own submission.
    expect(JSON.parse((await get(`${C}/submissions`, basic('team3', PW.team3))).text).map((x: { id: string }) => x.id)).toContain(ghost);
    expect((await get(`${C}/teams/t3`, {})).status).toBe(404);
    expect(JSON.parse((await get(`${C}/submissions`, {})).text)).toHaveLength(1);
    // Every other team reads no more of t3 than the public does.
    for (const p of ENDPOINTS) expect((await get(p, basic('team2', PW.team2))).text.replace(/t3|ghostorg/g, 'ID'), `team2 ${p}`).not.toMatch(HIDDEN);
    await readAll(null);
  });

  it('during the freeze: a run the board hides shows no judgement to them, still the same as the public', async () => {
    await client('boss').request('contestControl', { action: 'freezeNow' });
    const frozen = await accepted('team2');
    expect(JSON.parse((await get(`${C}/judgements`, basic('boss', PW.boss))).text).some((j: { submission_id: string }) => j.submission_id === frozen)).toBe(true);
    await readAll(frozen);
  });

  it('every write of a runner is 403, with Basic and with its session token', async () => {
    const source = Buffer.from('print("hi")').toString('base64');
    const writes: Array<[string, string, unknown]> = [
      ['POST', `${C}/submissions`, { problem_id: 'hello', language_id: 'python3', files: [{ data: source }] }],
      ['PUT', `${C}/submissions/777`, { id: '777', team_id: 't1', problem_id: 'hello', language_id: 'python3', files: [{ data: source }] }],
      ['POST', `${C}/clarifications`, { text: 'runner here' }],
      ['PUT', `${C}/clarifications/9`, { id: '9', text: 'x' }],
      ['PATCH', C, { id: 'lan', start_time: null }],
      ['PATCH', C, { id: 'lan', scoreboard_thaw_time: new Date().toISOString() }],
      ['DELETE', `${C}/teams/t1`, null],
    ];
    const before = { subs: d.store.submissions.all().length, clars: d.store.clarifications.all().length, clock: JSON.stringify(d.contest.clock().startAtMs) };
    for (const [who, headers] of Object.entries(READERS).filter(([w]) => w !== 'public')) {
      for (const [method, p, body] of writes) {
        const r = await fetch(base + p, { method, headers: { ...headers(), 'content-type': 'application/json' }, ...(body === null ? {} : { body: JSON.stringify(body) }) });
        expect(r.status, `${who} ${method} ${p}: ${await r.clone().text()}`).toBe(403);
        expect(await r.text()).toMatch(/balloon runner/);
      }
    }
    expect({ subs: d.store.submissions.all().length, clars: d.store.clarifications.all().length, clock: JSON.stringify(d.contest.clock().startAtMs) }).toEqual(before);
    // Its access endpoint offers no capability.
    expect(JSON.parse((await get(`${C}/access`, basic('runner', PW.runner))).text).capabilities).toEqual([]);
  });
});
