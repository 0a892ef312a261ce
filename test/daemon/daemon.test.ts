/**
 * End to end: a real `judged` process (temp --data, the example problems, a free loopback port) and
 * real WebSocket clients. Covers login and submit, isolation between teams, refusal of malformed and
 * huge frames without harm to the daemon, resume after a dropped connection, and a crash (kill -9)
 * followed by a restart on the same data dir. Verdict checks need the judging engine and the sandbox
 * (root); they are skipped, saying why, where those are missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, TestClient } from './client.ts';
import { parseCredentials, repoRoot, startDaemonProcess, until, type Credential, type RunningDaemon } from './spawn-daemon.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const HELLO_PY = fs.readFileSync(path.join(repoRoot, 'problems/hello/submissions/accepted/hello.py'), 'utf8');
const engineReady =
  fs.existsSync(path.join(repoRoot, 'packages/daemon/src/judging/engine.ts')) &&
  fs.existsSync(path.join(repoRoot, 'packages/daemon/src/sandbox/index.ts')) &&
  process.getuid?.() === 0;

let d: RunningDaemon;
let creds: Map<string, Credential>;
const open: TestClient[] = [];

function cred(name: string): Credential {
  const c = creds.get(name);
  if (!c) throw new Error(`the daemon printed no login for ${name}:\n${d.output()}`);
  return c;
}

async function login(name: string, daemon = d): Promise<TestClient> {
  const c = await TestClient.login(daemon.wsUrl, name, cred(name).password);
  open.push(c);
  return c;
}

async function anonymous(daemon = d): Promise<TestClient> {
  const c = await TestClient.connect(daemon.wsUrl);
  open.push(c);
  return c;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<ProtocolError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProtocolError);
  expect((err as ProtocolError).code).toBe(code);
  return err as ProtocolError;
}

beforeAll(async () => {
  d = await startDaemonProcess({ workers: 1, slotBase: testSlot('daemonE2e') });
  creds = parseCredentials(d.output());
});

afterAll(async () => {
  for (const c of open) c.terminate();
  const code = await d?.stop();
  // A clean shutdown on SIGTERM exits 0.
  expect(code).toBe(0);
  if (d) fs.rmSync(d.data, { recursive: true, force: true });
});

describe('judged end to end', () => {
  it('prints the address and the demo logins, and answers /healthz', async () => {
    expect(d.output()).toContain(`judged listening on http://127.0.0.1:${d.port} — connect with: pnpm judge --server 127.0.0.1:${d.port} --user team1`);
    expect([...creds.keys()]).toEqual(expect.arrayContaining(['admin', 'judge', 'team1', 'team2']));
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });

  it('serves the scoreboard page, the Contest API and /metrics on the same port', async () => {
    const page = await fetch(`${d.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const contests = await fetch(`${d.url}/api/contests`);
    expect(contests.status).toBe(200);
    expect(JSON.stringify(await contests.json())).toContain('demo');
    const metrics = await (await fetch(`${d.url}/metrics`)).text();
    expect(metrics).toMatch(/^judged_ws_connections \d+$/m);
    expect(metrics).toMatch(/^judged_queue_jobs\{state="queued"\} \d+$/m);
    expect((await fetch(`${d.url}/no-such-page`)).status).toBe(404);
  });

  it('lets a team log in, read a statement with samples, submit, and follow its submission', async () => {
    const team = await login('team1');
    const hello = await team.request('hello', { protocolVersion: 1 });
    expect(hello.limits.maxSourceBytes).toBe(256 * 1024);
    const sub0 = await team.request('subscribe', { sinceSeq: null });
    expect(sub0.mode).toBe('snapshot');
    const { problems } = await team.request('problems', {});
    expect(problems.map((p) => p.id)).toContain('hello');
    const { problem } = await team.request('statement', { problemId: 'hello' });
    expect(problem.samples.length).toBeGreaterThan(0);
    const { languages } = await team.request('languages', {});
    expect(languages.map((l) => l.id)).toContain('python3');

    const { submission } = await team.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source: HELLO_PY }] });
    expect(submission.status).toBe('queued');
    const ev = await team.waitEvent((e) => e.kind === 'submission' && e.submission.id === submission.id);
    expect(ev.seq).toBeGreaterThan(sub0.headSeq);
    const mine = await team.request('submissions', {});
    expect(mine.submissions.map((s) => s.id)).toContain(submission.id);
    expect(team.invalidFrames).toEqual([]);
  });

  it.skipIf(!engineReady)('judges a submission: the team sees progress, the verdict, and the scoreboard change', async () => {
    const team = await login('team3');
    const watcher = await anonymous();
    await watcher.request('subscribe', { sinceSeq: null });
    await team.request('subscribe', { sinceSeq: null });
    const { submission } = await team.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source: HELLO_PY }] });
    const verdict = await team.waitEvent((e) => e.kind === 'verdict' && e.verdict.submissionId === submission.id, { timeoutMs: 120_000 });
    if (verdict.event.kind === 'verdict' && verdict.event.verdict.verdict !== 'AC') {
      const judge = await login('judge');
      const full = await judge.request('jurySubmission', { submissionId: submission.id });
      expect.fail(`expected AC, got ${verdict.event.verdict.verdict}: ${JSON.stringify(full.judgings[0], null, 1)}`);
    }
    const board = await watcher.waitEvent((e) => e.kind === 'scoreboard' && e.rows.some((r) => r.teamId === 'team3' && r.solved === 1), { timeoutMs: 30_000 });
    expect(board.event.kind).toBe('scoreboard');
    const { scoreboard } = await watcher.request('scoreboard', {});
    expect(scoreboard.rows.find((r) => r.teamId === 'team3')?.solved).toBe(1);

    // A rejudge by the jury goes through the workers again and keeps the old judging, invalidated.
    const judge = await login('judge');
    await judge.request('subscribe', { sinceSeq: null });
    const { rejudgingId, submissionCount } = await judge.request('rejudge', { scope: { kind: 'submission', submissionId: submission.id }, reason: 'e2e' });
    expect(submissionCount).toBe(1);
    const rejudged = await judge.waitEvent((e) => e.kind === 'juryJudging' && e.judging.rejudgingId === rejudgingId && e.judging.verdict !== null, { timeoutMs: 120_000 });
    expect(rejudged.event.kind === 'juryJudging' && rejudged.event.judging.verdict).toBe('AC');
    // Pending review: the old judging still counts; applying makes the new one the valid one.
    const review = await judge.request('rejudging', { rejudgingId });
    expect(review.items).toEqual([expect.objectContaining({ submissionId: submission.id, oldVerdict: 'AC', newVerdict: 'AC', newStatus: 'done' })]);
    let full = await judge.request('jurySubmission', { submissionId: submission.id });
    expect(full.judgings.find((j) => j.valid)?.rejudgingId).toBeNull();
    await expectCode(team.request('decideRejudging', { rejudgingId, action: 'apply' }), 'forbidden');
    const { rejudging } = await judge.request('decideRejudging', { rejudgingId, action: 'apply' });
    expect(rejudging).toMatchObject({ state: 'applied', decidedBy: 'judge', changedCount: 0 });
    full = await judge.request('jurySubmission', { submissionId: submission.id });
    expect(full.judgings).toHaveLength(2);
    expect(full.judgings.filter((j) => j.valid)).toEqual([expect.objectContaining({ rejudgingId })]);
  }, 180_000);

  it.skipIf(!engineReady)("shows the team the validator's teammessage and a full-feedback secret test, never the judgemessage", async () => {
    const team = await login('team4');
    await team.request('subscribe', { sinceSeq: null });
    // Right on the sample (4), wrong on the secret odd case (999999999): parity's data has full_feedback.
    const source = 'n = int(input())\nprint("even" if n % 2 == 0 or n > 10**8 else "odd")\n';
    const { submission } = await team.request('submit', { problemId: 'parity', language: 'python3', files: [{ name: 'p.py', source }] });
    const ev = await team.waitEvent((e) => e.kind === 'verdict' && e.verdict.submissionId === submission.id, { timeoutMs: 120_000 });
    if (ev.event.kind !== 'verdict') throw new Error('not a verdict');
    const v = ev.event.verdict;
    expect(v.verdict).toBe('WA');
    expect(v.teamMessage).toBe('the answer is one word, even or odd');
    const failed = v.tests.find((t) => t.verdict === 'WA');
    expect(failed).toMatchObject({ sample: false, input: '999999999\n', expected: 'odd\n', got: 'even\n' });
    expect(v.tests.some((t) => t.sample && t.verdict === 'AC')).toBe(true);
    const { verdicts } = await team.request('submissions', {});
    expect(verdicts.find((x) => x.submissionId === submission.id)?.teamMessage).toBe(v.teamMessage);
    // The validator's judgemessage ("expected "odd", got ...") is the jury's only.
    expect(JSON.stringify(team.events)).not.toContain('expected \\"odd\\"');
    const judge = await login('judge');
    const full = await judge.request('jurySubmission', { submissionId: submission.id });
    const run = full.judgings[0]!.runs.find((r) => r.verdict === 'WA')!;
    expect(run.judgeMessage).toMatch(/^expected "odd", got "even"/);
    expect(run.teamMessage).toBe('the answer is one word, even or odd');
  }, 180_000);

  it("never shows one team another team's source or submissions", async () => {
    const t1 = await login('team1');
    const t2 = await login('team2');
    await t2.request('subscribe', { sinceSeq: null });
    const secret = '# team1 secret ' + Math.random();
    const { submission } = await t1.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source: `${secret}\n${HELLO_PY}` }] });

    await expectCode(t2.request('jurySubmission', { submissionId: submission.id }), 'forbidden');
    await expectCode(t2.request('jurySubmissions', {}), 'forbidden');
    await expectCode(t2.request('queue', {}), 'forbidden');
    const theirs = await t2.request('submissions', {});
    expect(theirs.submissions.map((s) => s.id)).not.toContain(submission.id);
    const snap = await t2.request('subscribe', { sinceSeq: null });
    expect(JSON.stringify(snap)).not.toContain(secret);
    // Had team2 been sent team1's event, it would have arrived before the answers above (one socket, in order).
    const judge = await login('judge');
    const full = await judge.request('jurySubmission', { submissionId: submission.id });
    expect(full.files[0]!.source).toContain(secret);
    expect(JSON.stringify(t2.events)).not.toContain(secret);
    expect(t2.events.some((e) => e.event.kind === 'submission' && e.event.submission.id === submission.id)).toBe(false);
  });

  it('refuses malformed frames with an error naming the problem and keeps serving', async () => {
    const c = await anonymous();
    c.sendRaw('{not json');
    expect((await c.waitStrayError()).code).toBe('bad_frame');
    c.sendRaw('[1,2,3]');
    expect((await c.waitStrayError()).code).toBe('bad_frame');
    c.sendRaw(JSON.stringify({ id: 1, type: 'fly' }));
    expect(((await c.waitStrayError()) as { message: string }).message).toMatch(/unknown request type 'fly'/);
    c.sendRaw(Buffer.from([1, 2, 3]));
    expect((await c.waitStrayError()).message).toMatch(/JSON text/);
    // Deeply nested JSON (a stack-overflow attempt) is just another bad frame.
    c.sendRaw('['.repeat(400_000) + ']'.repeat(400_000));
    expect((await c.waitStrayError()).code).toBe('bad_frame');
    c.sendRaw(JSON.stringify({ id: 7, type: 'clock', extra: { a: { b: { c: ['x'.repeat(1000)] } } } }));
    // A known request with a bad field: the answer carries the id and names the field.
    const err = await expectCode(c.request('subscribe', { sinceSeq: -5 } as never), 'bad_request');
    expect(err.frame.field).toBe('sinceSeq');
    await expectCode(c.request('problems', {}), 'unauthenticated');
    await expectCode(c.request('login', { username: 'team1', password: 'wrong' }), 'bad_credentials');
    const { clock } = await c.request('clock', {});
    expect(clock.state).toBe('running');
    expect(c.invalidFrames).toEqual([]);
  });

  it('refuses a source over the size limit with a clear message', async () => {
    const t = await login('team2');
    const big = 'x'.repeat(300 * 1024);
    const err = await expectCode(t.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'a.py', source: big }] }), 'source_too_large');
    expect(err.message).toMatch(/limit is 256\.0 KiB/);
  });

  it('closes a connection that sends a 10 MB frame, with a reason, and keeps serving others', async () => {
    const bystander = await login('team4');
    const c = await anonymous();
    c.sendRaw('x'.repeat(10 * 1024 * 1024));
    const { code, reason } = await c.closed;
    expect(code).toBe(1009);
    expect(reason).toMatch(/frame too large: the limit is \d+ bytes/);
    const { clock } = await bystander.request('clock', {});
    expect(clock.contestId).toBe('demo');
    const fresh = await anonymous();
    await fresh.request('hello', { protocolVersion: 1 });
  });

  it('rate-limits a flood of frames on one connection and recovers', async () => {
    const c = await anonymous();
    const answers = await Promise.allSettled(Array.from({ length: 120 }, () => c.request('clock', {}, 10_000)));
    // Every request is answered: by the clock or by a rate_limited error carrying its id.
    const limited = answers.flatMap((a) => (a.status === 'rejected' && a.reason instanceof ProtocolError ? [a.reason.frame] : []));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((e) => e.code === 'rate_limited' && typeof e.id === 'number')).toBe(true);
    expect(limited[0]!.retryAfterMs).toBeGreaterThan(0);
    expect(limited.length + answers.filter((a) => a.status === 'fulfilled').length).toBe(120);
    await new Promise((r) => setTimeout(r, 2500));
    await c.request('clock', {});
  });

  it('catches a reconnecting client up with the events it missed', async () => {
    const watcher = await login('team1');
    await watcher.request('subscribe', { sinceSeq: null });
    const submitter = await login('team1');
    const first = await submitter.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'a.py', source: HELLO_PY }] });
    await watcher.waitEvent((e) => e.kind === 'submission' && e.submission.id === first.submission.id);
    const lastSeq = watcher.lastSeq;
    const token = watcher.session!.token;
    await watcher.terminate();

    const missed = await submitter.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'b.py', source: HELLO_PY }] });
    const back = await anonymous();
    await back.resume(token);
    const sub = await back.request('subscribe', { sinceSeq: lastSeq });
    expect(sub.mode).toBe('replay');
    const ev = await back.waitEvent((e) => e.kind === 'submission' && e.submission.id === missed.submission.id);
    expect(ev.seq).toBeGreaterThan(lastSeq);
    expect(back.events.every((e) => e.seq > lastSeq)).toBe(true);
    // Live events keep flowing after the replay.
    const live = await submitter.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'c.py', source: HELLO_PY }] });
    await back.waitEvent((e) => e.kind === 'submission' && e.submission.id === live.submission.id);
  });

  it('lets an admin disable a team, which ends its connections and logins', async () => {
    const admin = await login('admin');
    const { team } = await admin.request('addTeam', { teamId: 'late', name: 'Late Team', organization: null, username: 'late', password: 'late-password-1' });
    expect(team.enabled).toBe(true);
    const late = await TestClient.login(d.wsUrl, 'late', 'late-password-1');
    open.push(late);
    await admin.request('setTeamEnabled', { teamId: 'late', enabled: false });
    expect((await late.closed).code).toBe(4003);
    const again = await anonymous();
    await expectCode(again.request('login', { username: 'late', password: 'late-password-1' }), 'account_disabled');
    await expectCode((await login('team1')).request('setTeamEnabled', { teamId: 'team2', enabled: false }), 'forbidden');
  });
});

describe('judged after a crash', () => {
  it('keeps every submission and session across kill -9 (mid-judging when it can judge) and a restart', async () => {
    const first = await startDaemonProcess({ workers: 1, slotBase: testSlot('daemonRestart') });
    let second: RunningDaemon | undefined;
    try {
      const logins = parseCredentials(first.output());
      const t = await TestClient.login(first.wsUrl, 'team1', logins.get('team1')!.password);
      await t.request('subscribe', { sinceSeq: null });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { submission } = await t.request('submit', { problemId: 'hello', language: 'python3', files: [{ name: 'hello.py', source: HELLO_PY }] });
        ids.push(submission.id);
      }
      if (engineReady) {
        // Kill while the first submission is being judged.
        await t.waitEvent((e) => e.kind === 'progress' && e.submissionId === ids[0] && e.status !== 'queued', { timeoutMs: 60_000 });
      }
      await first.kill9();
      t.terminate();

      second = await startDaemonProcess({ workers: 1, data: first.data, slotBase: testSlot('daemonRestart') });
      const back = await TestClient.connect(second.wsUrl);
      const resumed = await back.resume(t.session!.token);
      expect(resumed.user.username).toBe('team1');
      const { submissions } = await back.request('submissions', {});
      expect(submissions.map((s) => s.id)).toEqual(expect.arrayContaining(ids));
      if (engineReady) {
        const judged = async (): Promise<boolean> => {
          const now = await back.request('submissions', {});
          return ids.every((id) => now.submissions.find((s) => s.id === id)?.status === 'judged');
        };
        await until(judged, 120_000, 'the queued submissions to be judged after the restart');
        const judge = await TestClient.login(second.wsUrl, 'judge', logins.get('judge')!.password);
        for (const id of ids) {
          const full = await judge.request('jurySubmission', { submissionId: id });
          const valid = full.judgings.filter((j) => j.valid);
          expect(valid).toHaveLength(1);
          expect(valid[0]!.verdict).toBe('AC');
        }
        judge.terminate();
      }
      back.terminate();
      expect(await second.stop()).toBe(0);
    } finally {
      await second?.kill9();
      await first.kill9();
      fs.rmSync(first.data, { recursive: true, force: true });
    }
  }, 300_000);
});
