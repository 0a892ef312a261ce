/**
 * Judgehosts end to end, on a private network this suite builds (lab.ts): Redis on the host's bridge
 * address, the daemon and three judgehosts each in a network namespace of its own. Twelve wall-bound
 * submissions (nap problem) are judged while the suite kills a judgehost with -9 mid-judging,
 * restarts Redis (empty: nothing saved) and kills and restarts the daemon; a forged result is pushed
 * into the queue on the way, and an unsigned progress. Every submission must end with exactly one valid judging and one verdict
 * event, AC; the forged result and progress must be refused. Then Ctrl-C: a judgehost given SIGINT mid-judging
 * finishes that judging, takes no new one and exits 0; given a second SIGINT it hands its judging back
 * at once (another judgehost judges it); a judgehost silent for a while is stale, then gone, and the
 * jury removes a gone one from the list. Afterwards the host has no namespace, link or process of this
 * run left.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../daemon/client.ts';
import { freePort, parseCredentials, repoRoot } from '../daemon/spawn-daemon.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';
import { napSource, writeNapProblem } from '../../packages/daemon/test-utils/nap-problem.ts';
import { judgedBy, judgingsPerSubmission, pushForgedProgress, pushForgedResult } from '../../packages/daemon/test-utils/queue-probe.ts';
import { createLab, toolsMissing, type Lab } from './lab.ts';
import { judgedIn, metric, redisOn, started, until, type Proc } from './procs.ts';

const root = process.getuid?.() === 0;
const SUBMISSIONS = 12;
const offset = Number(process.env.JUDGED_TEST_SLOT_OFFSET ?? 0) / 100;

let lab: Lab;
let work: string;
let redis: Proc;
let daemon: Proc;
const hosts = new Map<string, Proc>();
let redisPort: number;
let daemonPort: number;
const password = randomBytes(12).toString('hex');
let daemonUrl: string;
let queueUrl: string;

function daemonArgs(): string[] {
  return ['--problems', path.join(work, 'problems'), '--data', path.join(work, 'daemon'), '--host', lab.machines.get('d')!.ip, '--port', String(daemonPort), '--workers', '0', '--queue', queueUrl];
}
const env = (slot: number): Record<string, string> => ({ JUDGED_SLOT_BASE: String(slot), JUDGED_QUEUE_LOCK_MS: '3000', JUDGED_NO_PIN: '1', JUDGED_JUDGEHOST_GONE_MS: '15000' });

// The daemon's own slot (its problem data check at every start) is apart from the judgehosts': its
// restart must not touch a slot a judgehost is judging on.
async function startDaemon(): Promise<void> {
  daemon = judgedIn(lab, 'd', daemonArgs(), env(testSlot('judgehostsE2e')));
  await until(async () => (await fetch(`${daemonUrl}/healthz`).catch(() => null))?.status === 200, 90_000, 'the daemon', () => daemon.output());
}

function startJudgehost(name: string, i: number): void {
  const secret = path.join(work, `${name}.secret`);
  fs.copyFileSync(path.join(work, 'daemon/judgehost-secret'), secret);
  fs.chmodSync(secret, 0o600);
  hosts.set(name, judgedIn(lab, name, ['judgehost', '--queue', queueUrl, '--server', daemonUrl, '--name', name, '--secret', secret, '--workers', '1', '--data', path.join(work, name)], env(testSlot('judgehostsE2e') + 1 + i)));
}

let juryAuth = '';
/** The logins the daemon printed at its first start (a restart prints none). */
let creds: ReturnType<typeof parseCredentials>;
/** /metrics answers loopback or the jury; the suite is on the bridge, so it logs in as admin. */
const metrics = async (): Promise<string> => (await fetch(`${daemonUrl}/metrics`, { headers: { authorization: juryAuth } })).text();
const logs = (): string => [`--- daemon\n${daemon?.output()}`, ...[...hosts].map(([n, p]) => `--- ${n}\n${p.output().slice(-3000)}`)].join('\n');

describe.skipIf(!root)('judgehosts over BullMQ on Redis', () => {
  beforeAll(async () => {
    const missing = toolsMissing();
    if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run scripts/test-tools.sh as root`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-judgehosts-'));
    writeNapProblem(path.join(work, 'problems'), 6);
    lab = createLab(`jh${process.pid % 100000}`, 180 + offset, ['d', 'h1', 'h2', 'h3']);
    redisPort = await freePort();
    daemonPort = 7700;
    queueUrl = `redis://:${password}@${lab.hostIp}:${redisPort}`;
    daemonUrl = `http://${lab.machines.get('d')!.ip}:${daemonPort}`;
    redis = redisOn(lab.hostIp, redisPort, password);
    await startDaemon();
    creds = parseCredentials(daemon.output());
    const admin = creds.get('admin')!;
    juryAuth = `Basic ${Buffer.from(`admin:${admin.password}`).toString('base64')}`;
    ['h1', 'h2', 'h3'].forEach((n, i) => startJudgehost(n, i));
    await until(async () => (await metrics()).match(/judged_judgehost_up\{judgehost="h[123]"\} 1/g)?.length === 3, 120_000, 'three judgehosts up', logs);
  }, 240_000);

  afterAll(async () => {
    const running = [...started].filter((p) => p.exitCode === null && p.signalCode === null);
    await Promise.all(running.map((p) => new Promise((r) => {
      p.once('exit', r);
      p.kill('SIGKILL');
    })));
    lab?.destroy();
    // The kernel removes a namespace's veth end a moment after the namespace.
    await until(() => lab.leftovers().length === 0, 10_000, 'the lab to be gone', () => lab.leftovers().join('\n')).catch(() => {});
    expect(lab?.leftovers() ?? []).toEqual([]);
    expect([...started].filter((p) => p.exitCode === null && p.signalCode === null).map((p) => p.pid)).toEqual([]);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('judges every submission exactly once through kill -9 of a judgehost, a Redis restart and a daemon restart', async () => {
    const teams = ['team1', 'team2', 'team3', 'team4'];
    const clients = await Promise.all(teams.map((t) => TestClient.login(`ws://${lab.machines.get('d')!.ip}:${daemonPort}/ws`, t, creds.get(t)!.password)));
    // The jury sees the judgehosts and disables one: it says so and takes no new work until enabled.
    const jury = await TestClient.login(`ws://${lab.machines.get('d')!.ip}:${daemonPort}/ws`, 'judge', creds.get('judge')!.password);
    const seen = await jury.request('judgehosts', {});
    expect(seen.queue).toEqual({ backend: 'redis', up: true, problem: null });
    expect(seen.judgehosts.filter((h) => h.alive && h.doctor === 'ok').map((h) => h.name)).toEqual(['h1', 'h2', 'h3']);
    await jury.request('setJudgehostEnabled', { name: 'h3', enabled: false });
    await until(() => hosts.get('h3')!.output().includes('judgehost disabled by the jury'), 15_000, 'h3 to see it is disabled', logs);
    expect(metric(await metrics(), 'judged_judgehost_disabled', 'judgehost="h3"')).toBe(1);
    await jury.request('setJudgehostEnabled', { name: 'h3', enabled: true });
    await until(() => hosts.get('h3')!.output().includes('judgehost enabled again by the jury'), 15_000, 'h3 enabled again', logs);
    jury.terminate();

    const ids: string[] = [];
    for (let i = 0; i < SUBMISSIONS; i++) {
      const c = clients[i % clients.length]!;
      ids.push((await c.request('submit', { problemId: 'nap', language: 'python3', files: [{ name: 'nap.py', source: `${napSource(250)}# ${i}\n` }] })).submission.id);
    }
    for (const c of clients) c.terminate();

    // A forged result (not signed with the judgehost secret) for the first submission is refused.
    await pushForgedResult({ host: lab.hostIp, port: redisPort, password });
    await until(async () => metric(await metrics(), 'judged_queue_results_total', 'outcome="refused"') === 1, 30_000, 'the forged result refused', logs);
    expect(daemon.output()).toMatch(/"msg":"queue: result refused".*bad signature/);
    // Unsigned progress on a job in Redis is refused and counted; signed progress from the judgehosts is recorded.
    await pushForgedProgress({ host: lab.hostIp, port: redisPort, password });
    await until(async () => metric(await metrics(), 'judged_queue_progress_total', 'outcome="refused"') === 1, 30_000, 'the forged progress refused', logs);
    expect(daemon.output()).toMatch(/"msg":"queue: progress refused".*not a signed message/);
    expect(metric(await metrics(), 'judged_queue_progress_total', 'outcome="recorded"')).toBeGreaterThan(0);

    // kill -9 a judgehost while it judges: its job stalls and another judgehost takes it.
    await until(async () => metric(await metrics(), 'judged_judgehost_busy', 'judgehost="h2"') === 1, 60_000, 'h2 judging', logs);
    await hosts.get('h2')!.kill9();
    await until(async () => metric(await metrics(), 'judged_judgehost_state', 'judgehost="h2",state="stale"') === 1, 20_000, 'h2 stale', logs);

    // Redis restarted with nothing saved: the daemon says so, then publishes what is pending again.
    await until(async () => (metric(await metrics(), 'judged_queue_results_total', 'outcome="recorded"') ?? 0) >= 3, 90_000, 'three verdicts', logs);
    await redis.kill9();
    await until(async () => (await (await fetch(`${daemonUrl}/healthz`)).text()).startsWith('degraded: queue'), 15_000, '/healthz to say the queue is down', logs);
    expect(metric(await metrics(), 'judged_queue_up')).toBe(0);
    redis = redisOn(lab.hostIp, redisPort, password);
    await until(async () => metric(await metrics(), 'judged_queue_up') === 1, 30_000, 'the queue back up', logs);

    // The daemon killed and started again on the same data: it reconciles with what Redis holds.
    await until(async () => (metric(await metrics(), 'judged_queue_results_total', 'outcome="recorded"') ?? 0) >= 2, 90_000, 'verdicts after the Redis restart', logs);
    await daemon.kill9();
    await new Promise((r) => setTimeout(r, 2000));
    const before = daemon.output();
    await startDaemon();

    const dbFile = path.join(work, 'daemon', 'judged.sqlite');
    const judged = (): number => judgingsPerSubmission(dbFile).filter((r) => r.valid === 1 && r.verdicts !== null && !r.verdicts.split(',').includes('')).length;
    await until(() => judgingsPerSubmission(dbFile).every((r) => r.verdicts !== null) && judged() === SUBMISSIONS, 150_000, 'every submission judged', () => `${before}\n${logs()}`);
    await daemon.stop();
    const rows = judgingsPerSubmission(dbFile);
    expect(rows.map((r) => r.id)).toEqual(ids);
    for (const r of rows) expect(r, `submission ${r.id}`).toEqual({ id: r.id, judgings: 1, valid: 1, verdicts: 'AC', judgeErrors: null, verdictEvents: 1 });
    // The judging really went round the faults: h2 died mid-judging, Redis lost its jobs.
    expect(`${before}${daemon.output()}`).toMatch(/published again \(Redis had lost it\)/);
  }, 420_000);
  it('drains on Ctrl-C: the running judging finishes, no new one is taken, exit 0; a second Ctrl-C hands it back at once', async () => {
    await startDaemon();
    const team = await TestClient.login(`ws://${lab.machines.get('d')!.ip}:${daemonPort}/ws`, 'team1', creds.get('team1')!.password);
    const dbFile = path.join(work, 'daemon', 'judged.sqlite');
    // Only h1 judges: h2 died in the first case, h3 goes now (idle, so its drain ends at once).
    expect(await hosts.get('h3')!.stop('SIGINT', 15_000)).toBe(0);
    // Each judging naps 7 x 1.2 s: long enough to see it run on through the drain.
    const submit = async (i: number): Promise<string> => (await team.request('submit', { problemId: 'nap', language: 'python3', files: [{ name: 'nap.py', source: `${napSource(1200)}# drain ${i}\n` }] })).submission.id;
    const first = await submit(1);
    const second = await submit(2);
    await until(async () => metric(await metrics(), 'judged_judgehost_busy', 'judgehost="h1"') === 1, 60_000, 'h1 judging', logs);
    const h1 = hosts.get('h1')!;
    const exited = h1.stop('SIGINT', 60_000);
    await until(() => h1.output().includes('draining: finishing the running judgings'), 10_000, 'h1 draining', logs);
    expect(await exited).toBe(0);
    // h1 finished what it held and took nothing new: the second submission is still unjudged.
    expect(judgedBy(dbFile).get(first)).toMatch(/^h1\//);
    expect(judgedBy(dbFile).has(second)).toBe(false);
    expect(h1.output()).toMatch(/"msg":"judgehost stopped"/);

    // h2 (started again) judges the second; a third is cut off by a second Ctrl-C and handed back.
    startJudgehost('h2', 1);
    await until(() => judgedBy(dbFile).has(second), 90_000, 'the second submission judged by h2', logs);
    const third = await submit(3);
    await until(async () => metric(await metrics(), 'judged_judgehost_busy', 'judgehost="h2"') === 1, 60_000, 'h2 judging the third', logs);
    const h2 = hosts.get('h2')!;
    const cutAt = Date.now();
    const gone = h2.stop('SIGINT', 30_000);
    await until(() => h2.output().includes('draining'), 10_000, 'h2 draining', logs);
    h2.proc.kill('SIGINT');
    expect(await gone).toBe(0);
    // Handed back, not judged to the end (that takes 8 s): it exits well before, and without a result.
    expect(Date.now() - cutAt).toBeLessThan(5_000);
    expect(h2.output()).toMatch(/handing the running judgings back to the queue/);
    expect(judgedBy(dbFile).has(third)).toBe(false);
    startJudgehost('h3', 2);
    await until(() => judgedBy(dbFile).has(third), 90_000, 'the third submission judged by h3', logs);
    team.terminate();
    expect(judgedBy(dbFile).get(third)).toMatch(/^h3\//);

    // h1 stopped long enough ago is gone; the jury removes it, but not the alive h3.
    await until(async () => metric(await metrics(), 'judged_judgehost_state', 'judgehost="h1",state="gone"') === 1, 40_000, 'h1 gone', logs);
    expect(metric(await metrics(), 'judged_judgehost_last_seen_seconds', 'judgehost="h1"')).toBeGreaterThanOrEqual(15);
    const jury = await TestClient.login(`ws://${lab.machines.get('d')!.ip}:${daemonPort}/ws`, 'judge', creds.get('judge')!.password);
    await expect(jury.request('removeJudgehost', { name: 'h3' })).rejects.toThrow(/h3 is alive.*only a gone judgehost/);
    const left = await jury.request('removeJudgehost', { name: 'h1' });
    expect(left.judgehosts.map((h) => h.name)).not.toContain('h1');
    expect(left.judgehosts.find((h) => h.name === 'h3')).toMatchObject({ state: 'alive', alive: true });
    jury.terminate();
    expect(metric(await metrics(), 'judged_judgehost_up', 'judgehost="h1"')).toBeNull();
    await daemon.stop();
    const rows = judgingsPerSubmission(dbFile).filter((r) => [first, second, third].includes(r.id));
    for (const r of rows) expect(r, `submission ${r.id}`).toEqual({ id: r.id, judgings: 1, valid: 1, verdicts: 'AC', judgeErrors: null, verdictEvents: 1 });
  }, 300_000);
});
