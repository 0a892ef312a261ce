import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccsContest, ccsRelTime, ccsTime } from './ccs.ts';
import { makeFakeContest, T0, type FakeContest } from '../../../test-utils/fake-contest.ts';
import { Budgets } from '../budgets.ts';
import { basicAuth, startHttpHarness, type HttpHarness } from '../../../test-utils/http-harness.ts';
import { requestUrl } from './handler.ts';
import { renderPrometheus } from './metrics.ts';

let fake: FakeContest;
let h: HttpHarness;
let base: string;

beforeAll(async () => {
  fake = makeFakeContest();
  h = await startHttpHarness(fake.deps, { feedKeepaliveMs: 100 });
  base = h.base;
});

afterAll(() => h.close());

const auth = basicAuth;
const TEAM1 = auth('team1', 'pw-team1');
const TEAM2 = auth('team2', 'pw-team2');
const JURY = auth('jury', 'pw-jury');
const get = (path: string, headers: Record<string, string> = {}) => h.get(path, headers);

const C = '/api/contests/lan26';

describe('CCS formats', () => {
  it('formats TIME and RELTIME', () => {
    expect(ccsTime(T0)).toBe('2026-11-25T09:00:00.000+00:00');
    expect(ccsRelTime(5 * 3600_000)).toBe('5:00:00.000');
    expect(ccsRelTime(61_001)).toBe('0:01:01.001');
    expect(ccsRelTime(-1500)).toBe('-0:00:01.500');
    expect(ccsRelTime(null)).toBeNull();
  });

  it('gives the freeze duration before a start is scheduled, and null for a contest without a freeze', () => {
    const unscheduled = { ...fake.clock, state: 'before' as const, startAtMs: null, endAtMs: null, freezeAtMs: null };
    expect(ccsContest({ ...unscheduled, freezeDurationMs: 3_600_000 }).scoreboard_freeze_duration).toBe('1:00:00.000');
    expect(ccsContest({ ...unscheduled, freezeDurationMs: null }).scoreboard_freeze_duration).toBeNull();
  });
});

describe('Contest API', () => {
  it('describes itself and the contest', async () => {
    expect((await get('/api')).body).toMatchObject({ version: '2023-06' });
    const list = await get('/api/contests');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        id: 'lan26',
        name: 'LAN Contest 2026',
        formal_name: 'LAN Contest 2026',
        start_time: '2026-11-25T09:00:00.000+00:00',
        duration: '5:00:00.000',
        scoreboard_freeze_duration: '1:00:00.000',
        scoreboard_type: 'pass-fail',
        penalty_time: 20,
      },
    ]);
    expect((await get(C)).body.id).toBe('lan26');
    expect((await get(`${C}/state`)).body).toEqual({
      started: '2026-11-25T09:00:00.000+00:00',
      frozen: '2026-11-25T13:00:00.000+00:00',
      ended: null,
      thawed: null,
      finalized: null,
      end_of_updates: null,
    });
  });

  it('lists problems, languages, judgement types and single items', async () => {
    const p = await get(`${C}/problems`);
    expect(p.body).toEqual([
      {
        id: 'hello',
        label: 'A',
        name: 'Hello World',
        ordinal: 1,
        time_limit: 1,
        rgb: '#ff0000',
        test_data_count: 3,
        statement: [{ href: 'contests/lan26/problems/hello/statement/hello.en.pdf', filename: 'hello.en.pdf', mime: 'application/pdf' }],
        attachments: [{ href: 'contests/lan26/problems/hello/attachments/testing_tool.py', filename: 'testing_tool.py', mime: 'text/x-python' }],
      },
      { id: 'sum', label: 'B', name: 'Sum <Two>', ordinal: 2, time_limit: 2, test_data_count: 5 },
    ]);
    expect((await get(`${C}/problems/sum`)).body.label).toBe('B');
    expect((await get(`${C}/problems/nope`)).status).toBe(404);
    expect((await get(`${C}/languages`)).body).toEqual([
      { id: 'cpp', name: 'C++ 17', entry_point_required: false, extensions: ['cpp', 'cc'] },
      { id: 'java', name: 'Java 17', entry_point_required: false, extensions: ['java'] },
    ]);
    const jt = (await get(`${C}/judgement-types`)).body as Array<{ id: string; penalty: boolean; solved: boolean }>;
    expect(jt.find((j) => j.id === 'CE')).toMatchObject({ penalty: false, solved: false });
    expect(jt.find((j) => j.id === 'AC')).toMatchObject({ penalty: false, solved: true });
    expect(jt.find((j) => j.id === 'WA')).toMatchObject({ penalty: true });
  });

  it('hides disabled teams from the public and shows them hidden to the jury', async () => {
    const pub = (await get(`${C}/teams`)).body as Array<{ id: string }>;
    expect(pub.map((t) => t.id)).toEqual(['t1', 't2']);
    const jury = (await get(`${C}/teams`, JURY)).body as Array<{ id: string; hidden: boolean }>;
    // The store's organization ids (the contest package's), else one derived from the name.
    expect(jury.find((t) => t.id === 't3')).toMatchObject({ hidden: true, organization_id: 'uni-secret' });
    const orgs = (await get(`${C}/organizations`)).body as Array<{ id: string }>;
    expect(orgs.map((o) => o.id)).toEqual(['uni-a', 'org-uni-b']);
    expect((await get(`${C}/organizations`, JURY)).body).toHaveLength(3);
  });

  it('shows submissions with their files as a zip reference, not the sources', async () => {
    const subs = (await get(`${C}/submissions`)).body as Array<Record<string, unknown>>;
    expect(subs.map((s) => s.id)).toEqual(['1', '2', '3', '5', '6']);
    expect(subs[0]).not.toHaveProperty('entry_point');
    expect(subs[4]).toMatchObject({ language_id: 'java', entry_point: 'app.Main' });
    expect(subs[0]).toEqual({
      id: '1',
      language_id: 'cpp',
      problem_id: 'hello',
      team_id: 't1',
      time: '2026-11-25T09:30:00.000+00:00',
      contest_time: '0:30:00.000',
      files: [{ href: 'contests/lan26/submissions/1/files', filename: 'files.zip', mime: 'application/zip' }],
    });
  });

  it('hides judgements of submissions after the freeze from the public, not from their team or the jury', async () => {
    const ids = async (h?: Record<string, string>) => ((await get(`${C}/judgements`, h)).body as Array<{ id: string }>).map((j) => j.id);
    expect(await ids()).toEqual(['j1', 'j2']);
    // j5 (t1's, after the freeze) is still running: listed already, to its team and the jury.
    expect(await ids(TEAM1)).toEqual(['j1', 'j2', 'j5']);
    expect(await ids(TEAM2)).toEqual(['j1', 'j2', 'j3']);
    // j0 was replaced by a rejudge: the API shows only the judgement that counts.
    expect(await ids(JURY)).toEqual(['j1', 'j2', 'j3', 'j4', 'j5']);
    expect((await get(`${C}/judgements/j3`)).status).toBe(404);
    const j1 = (await get(`${C}/judgements/j1`)).body;
    expect(j1).toEqual({
      id: 'j1',
      submission_id: '1',
      judgement_type_id: 'AC',
      start_time: '2026-11-25T09:30:01.000+00:00',
      start_contest_time: '0:30:01.000',
      end_time: '2026-11-25T09:30:03.000+00:00',
      end_contest_time: '0:30:03.000',
      max_run_time: 0.12,
    });
    const runs = (await get(`${C}/runs`)).body as Array<Record<string, unknown>>;
    expect(runs.map((r) => r.id)).toEqual(['j1-1', 'j1-2', 'j1-3', 'j2-1', 'j2-2', 'j2-3']);
    expect(runs[4]).toMatchObject({ judgement_id: 'j2', ordinal: 2, judgement_type_id: 'WA', run_time: 0.102 });
    expect(JSON.stringify(runs)).not.toContain('secret judge message');
  });

  it('shows each viewer only the clarifications meant for it', async () => {
    const ids = async (h?: Record<string, string>) => ((await get(`${C}/clarifications`, h)).body as Array<{ id: string }>).map((c) => c.id);
    expect(await ids()).toEqual(['c3']);
    expect(await ids(TEAM1)).toEqual(['c1', 'c2', 'c3']);
    expect(await ids(TEAM2)).toEqual(['c3', 'c4']);
    expect(await ids(JURY)).toEqual(['c1', 'c2', 'c3', 'c4']);
  });

  it('serves the frozen scoreboard to the public and the live one to the jury', async () => {
    const pub = (await get(`${C}/scoreboard`)).body;
    // No event_id: it would tell the public how many (hidden) events there are.
    expect(pub).not.toHaveProperty('event_id');
    expect(pub.time).toBe('2026-11-25T13:30:00.000+00:00');
    expect(pub.contest_time).toBe('4:30:00.000');
    expect(pub.state.frozen).toBe('2026-11-25T13:00:00.000+00:00');
    const t2 = pub.rows.find((r: { team_id: string }) => r.team_id === 't2');
    expect(t2.score).toEqual({ num_solved: 0, total_time: 0, time: null });
    expect(t2.problems[0]).toEqual({ problem_id: 'hello', num_judged: 1, num_pending: 1, solved: false });
    expect(pub.rows[0]).toMatchObject({ rank: 1, team_id: 't1', score: { num_solved: 1, total_time: 30, time: 30 } });
    expect(pub.rows[0].problems[0]).toEqual({ problem_id: 'hello', num_judged: 1, num_pending: 0, solved: true, time: 30 });
    const jury = (await get(`${C}/scoreboard`, JURY)).body;
    const jt2 = jury.rows.find((r: { team_id: string }) => r.team_id === 't2');
    expect(jt2.score).toEqual({ num_solved: 1, total_time: 250 + 20, time: 250 });
  });

  it('refuses wrong or malformed credentials with 401 and a Basic challenge', async () => {
    const wrong = await get(`${C}/teams`, auth('team1', 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="judged"');
    expect(wrong.body.message).toMatch(/wrong username or password/);
    expect((await get(`${C}/teams`, { authorization: 'Bearer abc' })).status).toBe(401);
    expect((await get(`${C}/teams`, { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` })).status).toBe(401);
  });

  it('answers 404 for other contests and unknown endpoints, 405 for writes, and declines foreign paths', async () => {
    expect((await get('/api/contests/other')).status).toBe(404);
    expect((await get(`${C}/bogus`)).status).toBe(404);
    expect((await get(`${C}/%E0%A4%A`)).status).toBe(400);
    const post = await fetch(`${base}${C}/submissions`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const other = await get('/healthz');
    expect(other.status).toBe(404);
    expect(other.text).toBe('not mine');
  });

  it('hides problems from the public before the start', async () => {
    const saved = fake.clock.state;
    fake.clock.state = 'before';
    try {
      expect((await get(`${C}/problems`)).body).toEqual([]);
      expect((await get(`${C}/problems`, JURY)).body).toHaveLength(2);
    } finally {
      fake.clock.state = saved;
    }
  });
});

/** Reads NDJSON lines from a streaming response until `until` says stop. */
async function readFeed(path: string, headers: Record<string, string>, until: (lines: string[]) => boolean, onOpen?: () => void) {
  const ctrl = new AbortController();
  const r = await fetch(base + path, { headers, signal: ctrl.signal });
  expect(r.headers.get('content-type')).toBe('application/x-ndjson');
  const reader = r.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const lines: string[] = [];
  let opened = false;
  const deadline = Date.now() + 10_000;
  while (!until(lines) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    if (!opened && onOpen && lines.some((l) => l.includes('"clarifications"'))) {
      opened = true;
      onOpen();
    }
  }
  ctrl.abort();
  return lines;
}

describe('event feed', () => {
  it('dumps the visible state as NDJSON and ends when stream=false', async () => {
    const r = await get(`${C}/event-feed?stream=false`);
    const events = r.text.trim().split('\n').map((l) => JSON.parse(l));
    const types = [...new Set(events.map((e) => e.type))];
    expect(types).toEqual(['contest', 'state', 'judgement-types', 'languages', 'problems', 'groups', 'organizations', 'teams', 'persons', 'submissions', 'judgements', 'runs', 'clarifications', 'awards']);
    // The state comes last (end_of_updates must be the last event), and only it carries a token.
    expect(events.at(-1)).toMatchObject({ type: 'state', token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/) });
    expect(events.filter((e) => e.token !== undefined)).toHaveLength(1);
    expect(events[0]).toEqual({ type: 'contest', id: null, data: expect.objectContaining({ id: 'lan26' }) });
    expect(events.filter((e) => e.type === 'judgements').map((e) => e.id)).toEqual(['j1', 'j2']);
    expect(events.filter((e) => e.type === 'teams').map((e) => e.id)).toEqual(['t1', 't2']);
  });

  it('follows the event log live with keepalives, and reveals hidden judgements on unfreeze', async () => {
    const before = fake.subscriberCount();
    const lines = await readFeed(
      `${C}/event-feed`,
      {},
      (ls) => ls.some((l) => l.includes('"group-winner-site-b"') && l.includes('"token"')) && ls.filter((l) => l === '').length >= 1,
      () => {
        fake.emit({ kind: 'clarification', clarification: { ...fake.clarifications[3]!, id: 'c9' } }); // t2's question: not for public
        fake.emit({ kind: 'clarification', clarification: { ...fake.clarifications[2]!, id: 'c10', text: 'live!' } });
        fake.clock.scoreboardFrozen = false;
        fake.clock.unfrozenAtMs = T0 + 310 * 60_000;
        fake.emit({ kind: 'clock', clock: { ...fake.clock } });
      },
    );
    fake.clock.scoreboardFrozen = true;
    delete fake.clock.unfrozenAtMs;
    const parsed = lines.filter((l) => l !== '').map((l) => JSON.parse(l));
    const live = parsed.slice(parsed.findIndex((e) => e.token !== undefined) + 1);
    expect(live.map((e) => [e.type, e.id])).toEqual([
      ['clarifications', 'c10'],
      ['contest', null],
      ['state', null],
      ['judgements', 'j3'],
      ['runs', 'j3-1'],
      ['runs', 'j3-2'],
      ['runs', 'j3-3'],
      ['judgements', 'j5'],
      ['runs', 'j5-1'],
      // The thawed board gives t2 (AC at 4:10, hidden until now) silver and its group.
      ['awards', 'silver-medal'],
      ['awards', 'group-winner-site-b'],
    ]);
    expect(live.at(-2).data).toEqual({ id: 'silver-medal', citation: 'Silver medal winner', team_ids: ['t2'] });
    // Tokens are sealed: no seq to count hidden events by, and never the same string twice.
    for (const e of live) expect(e.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(new Set(live.map((e) => e.token)).size).toBe(live.length);
    expect(live[2].data.thawed).toBe('2026-11-25T14:10:00.000+00:00');
    expect(lines).toContain('');
    // The feed unsubscribes once the client goes away.
    for (let i = 0; i < 50 && fake.subscriberCount() > before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fake.subscriberCount()).toBe(before);
  });
});

describe('password guessing', () => {
  it('answers 429 after a burst of failed logins from one address, and recovers with time', async () => {
    let now = 0;
    const budgets = new Budgets({ addressLogins: { burst: 3, perMinute: 60 } }, () => now);
    const own = await startHttpHarness({ ...makeFakeContest().deps, budgets });
    const url = `${own.base}${C}/teams`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(url, { headers: auth('team1', 'guess') })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limited = await fetch(url, { headers: TEAM1 });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect((await fetch(url)).status).toBe(200); // public reads need no login
      now += 1500;
      expect((await fetch(url, { headers: TEAM1 })).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('password guessing in parallel', () => {
  it('takes the budget before the check: of 40 parallel wrong guesses only the burst is checked, and a failure does not reset it', async () => {
    const fake = makeFakeContest().deps;
    let checks = 0;
    const budgets = new Budgets({ addressLogins: { burst: 10, perMinute: 1 } });
    const own = await startHttpHarness({
      ...fake,
      budgets,
      async authenticate(u, p) {
        checks++;
        await new Promise((r) => setTimeout(r, 30)); // scrypt takes a while; the guesses overlap it
        return fake.authenticate(u, p);
      },
    });
    const url = `${own.base}${C}/teams`;
    try {
      const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(url, { headers: auth(`team${i % 3}`, `guess${i}`) }).then((r) => r.status)));
      expect(checks).toBe(10);
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30);
      const r = await fetch(url, { headers: auth('someone-else', 'again') });
      expect(r.status).toBe(429);
      expect(await r.json()).toMatchObject({ message: expect.stringMatching(/too many login attempts from .*: wait \d+ s/) });
      expect(checks).toBe(10);
    } finally {
      await own.close();
    }
  });
});

describe('malformed request targets', () => {
  it('answers 400 for a target that is not a URL', async () => {
    expect(requestUrl('http://[::1')).toBeNull();
    expect(requestUrl('/api/contests')?.pathname).toBe('/api/contests');
  });
});

describe('metrics', () => {
  it('renders the daemon metrics and request counters in Prometheus text format', async () => {
    await get('/api');
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.text).toContain('# TYPE judged_queue_length gauge\njudged_queue_length 1\n');
    expect(r.text).toContain('judged_judgings_total{verdict="WA"} 1\n');
    expect(r.text).toMatch(/judged_http_requests_total\{route="\/api",status="200"\} \d+/);
  });

  it('escapes label values and refuses bad names', () => {
    expect(renderPrometheus([{ name: 'x', help: 'a\nb', type: 'gauge', samples: [{ labels: { l: 'q"\\\n' }, value: NaN }] }])).toBe(
      '# HELP x a\\nb\n# TYPE x gauge\nx{l="q\\"\\\\\\n"} NaN\n',
    );
    expect(() => renderPrometheus([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(/bad-name/);
  });
});

describe('scoreboard page', () => {
  it('is served as self-contained HTML with the WebSocket path filled in', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('var WS_PATH = "/ws";');
    expect(r.text).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    expect((await get('/scoreboard')).status).toBe(200);
  });
});
