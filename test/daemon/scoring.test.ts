/**
 * End to end, a score contest: a real `judged` on contests/ioi-demo (scoreboard_type: score,
 * subtask-sum) with problems/stretch. Two teams submit partial solutions; the team sees its points
 * per subtask with each test's verdict, the public board ranks by score live, the same after a
 * restart on the same data dir, and the projector page and the Contest API show the scores.
 * Needs root and the sandbox for judging; skipped, saying why, otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreboardRow } from '../../packages/shared/src/protocol.ts';
import { chromium } from 'playwright-core';
import { TestClient } from './client.ts';
import { parseCredentials, repoRoot, startDaemonProcess, until, type Credential, type RunningDaemon } from './spawn-daemon.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';
import { DEFAULT_SUPERVISOR } from '../../packages/daemon/src/sandbox/index.ts';

const canJudge = process.getuid?.() === 0 && fs.existsSync(DEFAULT_SUPERVISOR);
const source = (id: string) => fs.readFileSync(path.join(repoRoot, 'problems/stretch/submissions', id), 'utf8');

let d: RunningDaemon;
let creds: Map<string, Credential>;
const open: TestClient[] = [];

async function login(name: string, daemon = d): Promise<TestClient> {
  const c = await TestClient.login(daemon.wsUrl, name, creds.get(name)!.password);
  open.push(c);
  return c;
}

/** Submits and waits for the team's verdict event; returns it. */
async function submit(team: TestClient, id: string) {
  const { submission } = await team.request('submit', { problemId: 'stretch', language: 'python3', files: [{ name: path.basename(id), source: source(id) }] });
  const ev = await team.waitEvent((e) => e.kind === 'verdict' && e.verdict.submissionId === submission.id, { timeoutMs: 180_000 });
  if (ev.event.kind !== 'verdict') throw new Error('not a verdict');
  return ev.event.verdict;
}

const ranking = (rows: readonly ScoreboardRow[]) => rows.map((r) => [r.rank, r.teamId, r.score, r.cells[0]!.subtaskScores ?? null]);

/** The projector page's rows (team, total, the first cell's subtasks) once `ready` holds; null without Chromium. */
async function projectorRows(ready: string): Promise<string[][] | null> {
  if (!fs.existsSync('/usr/bin/chromium')) return null;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(d.url);
    await page.waitForFunction(`document.querySelectorAll('#rows tr').length === 3 && ${ready}`, null, { timeout: 20_000 });
    return await page.$$eval('#rows tr', (trs) => trs.map((tr) => [tr.getAttribute('data-team-id') ?? '', tr.querySelector('td.solved')!.textContent ?? '', tr.querySelector('td.cell .n')?.textContent ?? '']));
  } finally {
    await browser.close();
  }
}

const basic = (name: string) => ({ authorization: `Basic ${Buffer.from(`${name}:${creds.get(name)!.password}`).toString('base64')}` });
async function apiGet<T>(what: string, headers: Record<string, string> = {}): Promise<T> {
  const r = await fetch(`${d.url}/api/contests/ioi-demo${what}`, { headers });
  expect(r.status, what).toBe(200);
  return (await r.json()) as T;
}
type ApiBoard = { rows: { team_id: string; score: { score: number }; problems: { problem_id: string; score: number }[] }[] };
const apiTotals = (b: ApiBoard) => b.rows.map((r) => [r.team_id, r.score.score]);

beforeAll(async () => {
  if (!canJudge) return;
  d = await startDaemonProcess({ workers: 1, slotBase: testSlot('daemonScoring'), contest: path.join(repoRoot, 'contests/ioi-demo') });
  // /healthz may answer before the banner with the logins is out.
  await until(() => parseCredentials(d.output()).has('admin'), 10_000, 'the generated logins');
  creds = parseCredentials(d.output());
  const admin = await login('admin');
  await admin.request('contestControl', { action: 'startNow' });
}, 120_000);

afterAll(async () => {
  for (const c of open) c.terminate();
  if (d) {
    await d.stop();
    fs.rmSync(d.data, { recursive: true, force: true });
  }
});

describe.skipIf(!canJudge)('a score contest end to end', () => {
  it('ranks two teams by their subtask scores, live and after a restart', async () => {
    const watcher = await TestClient.connect(d.wsUrl);
    open.push(watcher);
    await watcher.request('hello', { protocolVersion: 1 });
    await watcher.request('subscribe', { sinceSeq: null });
    const t1 = await login('team1');
    const t2 = await login('team2');
    await t1.request('subscribe', { sinceSeq: null });
    await t2.request('subscribe', { sinceSeq: null });

    const v1 = await submit(t1, 'wrong_answer/sum_only.py');
    expect([v1.verdict, v1.score?.score, v1.score?.maxScore]).toEqual(['AC', 15, 100]);
    expect(v1.score!.groups.map((g) => [g.name, g.score, g.maxScore, g.skipped ?? false])).toEqual([
      ['secret/01-tiny', 0, 20, true],
      ['secret/02-medium', 15, 30, false],
      ['secret/03-large', 0, 50, true],
    ]);
    // Each test's verdict, never its data; skipped tests have none.
    expect(v1.score!.groups[0]!.tests.every((t) => t.verdict === null)).toBe(true);
    expect(v1.score!.groups[1]!.tests.map((t) => t.verdict)).toEqual(['AC', 'AC', 'AC']);
    expect(JSON.stringify(v1.score)).not.toMatch(/firstRejection/);

    // Team 2: 57.5 (20 + 0 + 37.5), then 15 (0 + 15 + 0): subtask-sum keeps 20 + 15 + 37.5 = 72.5.
    expect((await submit(t2, 'wrong_answer/empty_ok.py')).score?.score).toBe(57.5);
    expect((await submit(t2, 'wrong_answer/sum_only.py')).score?.score).toBe(15);
    await watcher.waitEvent((e) => e.kind === 'scoreboard' && e.rows.some((r) => r.teamId === 'team2' && r.score === 72.5), { timeoutMs: 30_000 });
    let board = (await watcher.request('scoreboard', {})).scoreboard;
    expect(board.type).toBe('score');
    expect(ranking(board.rows)).toEqual([
      [1, 'team2', 72.5, [20, 15, 37.5]],
      [2, 'team1', 15, [0, 15, 0]],
      [3, 'team3', 0, null],
    ]);

    expect((await submit(t1, 'accepted/kadane.py')).score?.score).toBe(100);
    await watcher.waitEvent((e) => e.kind === 'scoreboard' && e.rows.some((r) => r.teamId === 'team1' && r.score === 100), { timeoutMs: 30_000 });
    board = (await watcher.request('scoreboard', {})).scoreboard;
    const live = ranking(board.rows);
    expect(live).toEqual([
      [1, 'team1', 100, [20, 30, 50]],
      [2, 'team2', 72.5, [20, 15, 37.5]],
      [3, 'team3', 0, null],
    ]);
    expect(board.rows[0]!.cells[0]!.solved).toBe(true);
    expect(board.problems[0]).toMatchObject({ id: 'stretch', maxScore: 100, subtasks: [{ name: 'secret/01-tiny', maxScore: 20 }, { name: 'secret/02-medium', maxScore: 30 }, { name: 'secret/03-large', maxScore: 50 }] });
    expect(board.problems[1]).toMatchObject({ id: 'hello', maxScore: 100 });

    // The team's own submission list and the problem list carry the scores too.
    const mine = await t2.request('submissions', {});
    expect(mine.submissions.map((s) => s.score).sort()).toEqual([15, 57.5]);
    const { problems } = await t2.request('problems', {});
    // In the contest's order with its labels (contests/ioi-demo/problemset.yaml, not problems/'s own).
    expect(problems.map((p) => [p.id, p.label])).toEqual([
      ['stretch', 'A'],
      ['hello', 'B'],
    ]);
    expect((await t2.request('statement', { problemId: 'stretch' })).problem.label).toBe('A');
    expect((await apiGet<{ id: string; label: string }[]>('/problems')).map((p) => [p.id, p.label])).toEqual([
      ['stretch', 'A'],
      ['hello', 'B'],
    ]);
    expect(problems.find((p) => p.id === 'stretch')!.scoring).toEqual({ maxScore: 100, subtasks: board.problems[0]!.subtasks });

    // The Contest API: score in the scoreboard rows and cells, and in the judgements.
    const api = await apiGet<ApiBoard>('/scoreboard');
    expect(api.rows.map((r) => [r.team_id, r.score.score, r.problems[0]!.score])).toEqual([
      ['team1', 100, 100],
      ['team2', 72.5, 72.5],
      ['team3', 0, 0],
    ]);
    const judgements = await apiGet<{ judgement_type_id: string; score?: number }[]>('/judgements');
    expect(judgements.map((j) => [j.judgement_type_id, j.score])).toEqual([
      ['AC', 15],
      ['AC', 57.5],
      ['AC', 15],
      ['AC', 100],
    ]);

    // The projector page shows the points, with each cell's subtasks.
    const page = await projectorRows(`document.querySelector('#rows tr td.solved')?.textContent === '100'`);
    if (page) {
      expect(page).toEqual([
        ['team1', '100', '20+30+50'],
        ['team2', '72.5', '20+15+37.5'],
        ['team3', '0', ''],
      ]);
    }

    // Restart on the same data dir: the board is rebuilt from the store, the same.
    for (const c of open.splice(0)) c.terminate();
    expect(await d.stop()).toBe(0);
    d = await startDaemonProcess({ workers: 1, slotBase: testSlot('daemonScoring'), contest: path.join(repoRoot, 'contests/ioi-demo'), data: d.data });
    const after = await TestClient.connect(d.wsUrl);
    open.push(after);
    await after.request('hello', { protocolVersion: 1 });
    expect(ranking((await after.request('scoreboard', {})).scoreboard.rows)).toEqual(live);
  }, 600_000);
  it('keeps the public board (ws, projector, Contest API) at the pre-freeze scores while the team sees its own, until the thaw', async () => {
    // Continues on the restarted daemon: team1 100, team2 72.5, team3 nothing yet.
    const admin = await login('admin');
    const watcher = await TestClient.connect(d.wsUrl);
    open.push(watcher);
    await watcher.request('hello', { protocolVersion: 1, client: 'judged-scoreboard-page' });
    await watcher.request('subscribe', { sinceSeq: null });
    const t3 = await login('team3');
    await t3.request('subscribe', { sinceSeq: null });
    await admin.request('contestControl', { action: 'freezeNow' });
    await watcher.waitEvent((e) => e.kind === 'clock' && e.clock.scoreboardFrozen);
    const before = (await watcher.request('scoreboard', {})).scoreboard;
    expect(before.frozen).toBe(true);
    const beforeApi = apiTotals(await apiGet<ApiBoard>('/scoreboard'));
    expect(beforeApi).toEqual([
      ['team1', 100],
      ['team2', 72.5],
      ['team3', 0],
    ]);

    // Team 3 during the freeze: 57.5 then 15, subtask-sum 20 + 15 + 37.5 = 72.5; it sees each score.
    const v1 = await submit(t3, 'wrong_answer/empty_ok.py');
    const v2 = await submit(t3, 'wrong_answer/sum_only.py');
    expect([v1.score?.score, v2.score?.score]).toEqual([57.5, 15]);
    expect((await t3.request('submissions', {})).submissions.map((s) => s.score).sort()).toEqual([15, 57.5]);
    const hidden = [v1.submissionId, v2.submissionId];
    type ApiJudgement = { submission_id: string; score?: number };
    const ofTeam3 = (js: ApiJudgement[]) => js.filter((j) => hidden.includes(j.submission_id)).map((j) => j.score);
    expect(ofTeam3(await apiGet<ApiJudgement[]>('/judgements', basic('team3')))).toEqual([57.5, 15]);
    // The jury's board (the admin's) is live.
    await until(async () => (await admin.request('scoreboard', {})).scoreboard.rows.some((r) => r.teamId === 'team3' && r.score === 72.5), 30_000, 'the jury board to count team3');

    // The public board keeps team3 at 0, its two runs pending; no public event carries a score of team 3.
    const frozen = (await watcher.request('scoreboard', {})).scoreboard;
    expect(ranking(frozen.rows)).toEqual(ranking(before.rows));
    const cell = frozen.rows.find((r) => r.teamId === 'team3')!.cells[0]!;
    expect([cell.score, cell.pending]).toEqual([0, 2]);
    expect(watcher.events.some((f) => f.event.kind === 'scoreboard' && f.event.rows.some((r) => r.teamId === 'team3' && (r.score ?? 0) > 0))).toBe(false);
    expect(apiTotals(await apiGet<ApiBoard>('/scoreboard'))).toEqual(beforeApi);
    expect(apiTotals(await apiGet<ApiBoard>('/scoreboard', basic('team2')))).toEqual(beforeApi);
    expect(ofTeam3(await apiGet<ApiJudgement[]>('/judgements'))).toEqual([]);
    expect(ofTeam3(await apiGet<ApiJudgement[]>('/judgements', basic('team2')))).toEqual([]);
    const page = await projectorRows(`document.querySelector('#rows tr[data-team-id=team3] td.cell .box.pending') !== null`);
    if (page) expect(page.map((r) => r.slice(0, 2))).toEqual([
      ['team1', '100'],
      ['team2', '72.5'],
      ['team3', '0'],
    ]);

    // The thaw shows them: team3 ties team2 at 72.5 and ranks after it (its last improvement is later).
    await admin.request('contestControl', { action: 'unfreeze' });
    await watcher.waitEvent((e) => e.kind === 'scoreboard' && e.rows.some((r) => r.teamId === 'team3' && r.score === 72.5), { timeoutMs: 30_000 });
    const thawed = (await watcher.request('scoreboard', {})).scoreboard;
    // Ties are broken by the minute of the last improvement: team3's is later, unless both fell in
    // the same contest minute (a fast run), where the two share rank 2 in no fixed order.
    const minuteOf = (id: string) => thawed.rows.find((r) => r.teamId === id)!.lastAcMin!;
    expect(minuteOf('team3')).toBeGreaterThanOrEqual(minuteOf('team2'));
    const tied = minuteOf('team3') === minuteOf('team2');
    const inOrder = <T extends unknown[]>(rows: T[], teamAt: number): T[] => (tied ? [rows[0]!, ...rows.slice(1).sort((a, b) => String(a[teamAt]).localeCompare(String(b[teamAt])))] : rows);
    expect(inOrder(ranking(thawed.rows), 1)).toEqual([
      [1, 'team1', 100, [20, 30, 50]],
      [2, 'team2', 72.5, [20, 15, 37.5]],
      [tied ? 2 : 3, 'team3', 72.5, [20, 15, 37.5]],
    ]);
    expect(inOrder(apiTotals(await apiGet<ApiBoard>('/scoreboard')), 0)).toEqual([
      ['team1', 100],
      ['team2', 72.5],
      ['team3', 72.5],
    ]);
    expect(ofTeam3(await apiGet<ApiJudgement[]>('/judgements'))).toEqual([57.5, 15]);
    const after = await projectorRows(`document.querySelector('#rows tr[data-team-id=team3] td.solved')?.textContent === '72.5'`);
    if (after) expect(inOrder(after.map((r) => r.slice(0, 2)), 0)).toEqual([
      ['team1', '100'],
      ['team2', '72.5'],
      ['team3', '72.5'],
    ]);
  }, 600_000);
});
