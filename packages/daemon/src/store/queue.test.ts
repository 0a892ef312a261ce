import { describe, expect, it } from 'vitest';
import { acResult, manualClock, seededStore, submit, waResult } from '../../test-utils/store-fixtures.ts';

describe('judging queue', () => {
  it('claims oldest first, fresh submissions before rejudges, and each job only once', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now });
    const a = submit(store, 't1');
    clock.advance(10);
    const b = submit(store, 't2');
    const j1 = store.queue.claim('w1', 1000)!;
    expect(j1.submissionId).toBe(a.id);
    expect(j1.files).toEqual([{ name: 'a.cpp', source: 'int main(){}' }]);
    expect(j1.attempt).toBe(1);
    store.queue.complete(j1.judgingId, 'w1', acResult());
    // A rejudge of a is queued earlier than c, but c is a fresh submission: c goes first.
    store.rejudgings.create({ kind: 'submission', submissionId: a.id }, { byUsername: 'jury', autoApply: true });
    clock.advance(10);
    const c = submit(store, 't1', 'sum');
    const order = [store.queue.claim('w1', 1000)!, store.queue.claim('w2', 1000)!, store.queue.claim('w3', 1000)!];
    expect(order.map((j) => j.submissionId)).toEqual([b.id, c.id, a.id]);
    expect(order[2]!.rejudgingId).not.toBeNull();
    expect(store.queue.claim('w4', 1000)).toBeNull();
    store.close();
  });

  it('heartbeat extends the lease; an expired lease is handed to the next worker and the old worker is refused', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now });
    const s = submit(store, 't1');
    const job = store.queue.claim('w1', 1000)!;
    clock.advance(900);
    expect(store.queue.heartbeat(job.judgingId, 'w1')).toBe(true);
    clock.advance(900);
    expect(store.queue.claim('w2', 1000)).toBeNull(); // still leased to w1 (extended)
    expect(store.queue.heartbeat(job.judgingId, 'w2')).toBe(false); // not w2's lease
    clock.advance(1500); // w1 died
    const again = store.queue.claim('w2', 1000)!;
    expect(again.judgingId).toBe(job.judgingId);
    expect(again.attempt).toBe(2);
    expect(store.queue.heartbeat(job.judgingId, 'w1')).toBe(false);
    expect(store.queue.progress(job.judgingId, 'w1', { status: 'running', testIndex: 1, testCount: 3 })).toBe(false);
    expect(store.queue.complete(job.judgingId, 'w1', waResult())).toEqual({ accepted: false, reason: 'lease_lost' });
    expect(store.queue.complete(job.judgingId, 'w2', acResult())).toEqual({ accepted: true });
    expect(store.submissions.jurySubmission(s.id)).toMatchObject({ status: 'judged', verdict: 'AC' });
    // The team was told the job went back to the queue.
    const progress = store.events.eventsSince(0, { role: 'team', teamId: 't1' }).filter((e) => e.event.kind === 'progress');
    expect(progress.map((e) => (e.event as { status: string }).status)).toContain('queued');
    store.close();
  });

  it('never gives a judging two verdicts: a second complete is refused and changes nothing', () => {
    const store = seededStore();
    const s = submit(store, 't1');
    const job = store.queue.claim('w1', 60_000)!;
    expect(store.queue.complete(job.judgingId, 'w1', waResult()).accepted).toBe(true);
    const events = store.events.headSeq();
    expect(store.queue.complete(job.judgingId, 'w1', acResult())).toEqual({ accepted: false, reason: 'already_judged' });
    expect(store.queue.fail(job.judgingId, 'w1', 'boom')).toEqual({ accepted: false, reason: 'already_judged' });
    expect(store.events.headSeq()).toBe(events);
    expect(store.submissions.jurySubmission(s.id)!.verdict).toBe('WA');
    expect(store.db.prepare('SELECT COUNT(*) FROM runs WHERE judging_id = ?').pluck().get(Number(job.judgingId))).toBe(2);
    expect(store.queue.complete('999', 'w1', acResult())).toEqual({ accepted: false, reason: 'not_found' });
    store.close();
  });

  it('rejects a malformed result before writing anything', () => {
    const store = seededStore();
    submit(store, 't1');
    const job = store.queue.claim('w1', 60_000)!;
    expect(() => store.queue.complete(job.judgingId, 'w1', { ...acResult(), verdict: 'OK' as never })).toThrow();
    expect(store.queue.counts()).toEqual({ queued: 0, claimed: 1, done: 0 });
    store.close();
  });

  it('fail() ends the judging in JE with the message for the jury only', () => {
    const store = seededStore();
    const s = submit(store, 't1');
    const job = store.queue.claim('w1', 60_000)!;
    expect(store.queue.fail(job.judgingId, 'w1', 'sandbox: cgroup missing').accepted).toBe(true);
    expect(store.submissions.jurySubmission(s.id)).toMatchObject({ status: 'judged', verdict: 'JE' });
    expect(store.submissions.judging(job.judgingId)).toMatchObject({ verdict: 'JE', judgeError: 'sandbox: cgroup missing' });
    const teamEvents = JSON.stringify(store.events.eventsSince(0, { role: 'team', teamId: 't1' }));
    expect(teamEvents).not.toContain('cgroup');
    store.close();
  });

  it('complete() keeps a judge error alongside the runs that did run', () => {
    const store = seededStore();
    submit(store, 't1');
    const job = store.queue.claim('w1', 60_000)!;
    const r = acResult(2);
    expect(store.queue.complete(job.judgingId, 'w1', { ...r, verdict: 'JE', judgeError: 'output validator crashed on test 2' }).accepted).toBe(true);
    expect(store.submissions.judging(job.judgingId)).toMatchObject({ verdict: 'JE', judgeError: 'output validator crashed on test 2', runs: [{ index: 1 }, { index: 2 }] });
    expect(JSON.stringify(store.events.eventsSince(0, { role: 'team', teamId: 't1' }))).not.toContain('validator crashed');
    store.close();
  });

  it('gives up with JE after maxAttempts lost leases, so one submission cannot stall the queue', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now, maxAttempts: 2 });
    const s = submit(store, 't1');
    store.queue.claim('w1', 100);
    clock.advance(200);
    expect(store.queue.claim('w2', 100)!.attempt).toBe(2);
    clock.advance(200);
    expect(store.queue.claim('w3', 100)).toBeNull();
    expect(store.submissions.jurySubmission(s.id)).toMatchObject({ verdict: 'JE' });
    expect(store.submissions.judgingRow(1)!.judge_error).toMatch(/gave up after 2 attempts/);
    store.close();
  });

  it('names the runs a judge error after the last lost lease drops, in the ended judging\u2019s event', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now, maxAttempts: 1 });
    submit(store, 't1');
    const job = store.queue.claim('w1', 100)!;
    const runs = acResult().runs.map(({ input: _i, expected: _e, got: _g, gotTruncated: _t, ...jury }) => jury);
    store.queue.progress(job.judgingId, 'w1', { status: 'running', testIndex: 1, testCount: 3, run: runs[0]! });
    store.queue.progress(job.judgingId, 'w1', { status: 'running', testIndex: 2, testCount: 3, run: runs[1]! });
    const head = store.events.headSeq();
    clock.advance(200);
    expect(store.queue.claim('w2', 100)).toBeNull();
    const ended = store.events.allEventsSince(head).map((e) => e.event).filter((e) => e.kind === 'juryJudging');
    expect(ended.map((e) => [e.judging.verdict, e.judging.runs.length, e.lostRuns])).toEqual([['JE', 0, [1, 2]]]);
    store.close();
  });

  it('requeueClaimed() puts back what a dead daemon was judging', () => {
    const store = seededStore();
    submit(store, 't1');
    submit(store, 't2');
    const a = store.queue.claim('old/0', 60_000)!;
    store.queue.progress(a.judgingId, 'old/0', { status: 'running', testIndex: 2, testCount: 3 });
    expect(store.queue.requeueClaimed()).toBe(1);
    expect(store.queue.counts()).toEqual({ queued: 2, claimed: 0, done: 0 });
    expect(store.queueItems().map((q) => q.status)).toEqual(['queued', 'queued']);
    expect(store.queue.claim('new/0', 60_000)!.judgingId).toBe(a.judgingId);
    store.close();
  });

  it('fences by attempt: a result for an attempt that was given up is refused, the current one counts once', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now });
    const s = submit(store, 't1');
    const first = store.queue.claim('queue:redis', 1000)!;
    clock.advance(1500); // nobody kept the lease: attempt 2 goes out to the same owner
    const second = store.queue.claim('queue:redis', 1000)!;
    expect([first.attempt, second.attempt]).toEqual([1, 2]);
    expect(store.queue.complete(first.judgingId, 'queue:redis', waResult(), 1)).toEqual({ accepted: false, reason: 'lease_lost' });
    expect(store.queue.fail(first.judgingId, 'queue:redis', 'late', 1)).toEqual({ accepted: false, reason: 'lease_lost' });
    expect(store.queue.complete(second.judgingId, 'queue:redis', acResult(), 2, 'judgehost:b/0')).toEqual({ accepted: true });
    expect(store.queue.complete(second.judgingId, 'queue:redis', acResult(), 2)).toEqual({ accepted: false, reason: 'already_judged' });
    expect(store.submissions.jurySubmission(s.id)).toMatchObject({ verdict: 'AC' });
    expect(store.submissions.judgingRow(Number(second.judgingId))!.worker).toBe('judgehost:b/0');
    store.close();
  });

  it('keeps the Redis dispatcher\'s claims across a restart (held, heartbeatAll) and puts back local ones', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now });
    submit(store, 't1');
    submit(store, 't2');
    const remote = store.queue.claim('queue:redis', 1000)!;
    store.queue.claim('old/0', 1000);
    expect(store.queue.requeueClaimed()).toBe(1);
    expect(store.queue.held('queue:redis')).toEqual([{ judgingId: remote.judgingId, attempt: 1 }]);
    clock.advance(900);
    expect(store.queue.heartbeatAll('queue:redis')).toBe(1);
    clock.advance(900);
    expect(store.queue.claimed(remote.judgingId, 'queue:redis')).toMatchObject({ judgingId: remote.judgingId, attempt: 1 });
    expect(store.queue.claim('w', 1000)!.judgingId).not.toBe(remote.judgingId); // still held
    store.close();
  });

  it('records each run as its test ends (a jury event), keeps its end time at the verdict, and forgets runs of a lost attempt', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now });
    submit(store, 't1');
    const job = store.queue.claim('w1', 1000)!;
    const [r1, r2, r3] = acResult().runs.map(({ input: _i, expected: _e, got: _g, gotTruncated: _t, ...jury }) => jury);
    const head = store.events.headSeq();
    expect(store.queue.progress(job.judgingId, 'w1', { status: 'compiling' })).toBe(true);
    clock.advance(100);
    expect(store.queue.progress(job.judgingId, 'w1', { status: 'running', testIndex: 1, testCount: 3, run: r1! })).toBe(true);
    const events = store.events.allEventsSince(head);
    // The judging's start (jury), the team's progress, then the run (jury only).
    expect(events.map((e) => [e.event.kind, e.audience.roles.join()])).toEqual([
      ['progress', 'team,judge,admin'],
      ['juryJudging', 'judge,admin'],
      ['juryRun', 'judge,admin'],
    ]);
    const startedAt = clock.now() - 100;
    expect(events[2]!.event).toMatchObject({ kind: 'juryRun', judgingId: job.judgingId, rejudgingId: null, run: { index: 1, endedAtMs: startedAt + 100 } });
    expect(store.submissions.judging(job.judgingId)!.runs.map((r) => [r.index, r.endedAtMs])).toEqual([[1, startedAt + 100]]);
    // The lease runs out: the runs so far go with the attempt, and the queued event names them.
    clock.advance(2000);
    const lostAt = store.events.headSeq();
    const again = store.queue.claim('w2', 1000)!;
    expect(store.submissions.judging(job.judgingId)!.runs).toEqual([]);
    expect(store.events.allEventsSince(lostAt).map((e) => e.event).find((e) => e.kind === 'progress')).toMatchObject({ status: 'queued', lostRuns: [1] });
    expect(store.queue.progress(again.judgingId, 'w1', { status: 'running', testIndex: 1, testCount: 3, run: r1! })).toBe(false);
    store.queue.progress(again.judgingId, 'w2', { status: 'running', testIndex: 1, testCount: 3, run: r1! });
    const firstEnd = clock.now();
    clock.advance(50);
    store.queue.progress(again.judgingId, 'w2', { status: 'running', testIndex: 2, testCount: 3, run: r2! });
    clock.advance(50);
    expect(r3).toBeDefined();
    expect(store.queue.complete(again.judgingId, 'w2', acResult()).accepted).toBe(true);
    // The verdict's runs replace the live ones; each keeps when it ended, the last one ended with the judging.
    const done = store.submissions.judging(again.judgingId)!;
    expect(done.runs.map((r) => [r.index, r.endedAtMs])).toEqual([
      [1, firstEnd],
      [2, firstEnd + 50],
      [3, firstEnd + 100],
    ]);
    expect(store.queue.progress(again.judgingId, 'w2', { status: 'running', testIndex: 3, testCount: 3, run: r3! })).toBe(false);
    store.close();
  });

  it('progress updates the queue view and writes cheap progress events', () => {
    const store = seededStore();
    const s = submit(store, 't1');
    const job = store.queue.claim('w1', 60_000)!;
    expect(store.queue.progress(job.judgingId, 'w1', { status: 'compiling' })).toBe(true);
    expect(store.queue.progress(job.judgingId, 'w1', { status: 'running', testIndex: 2, testCount: 3 })).toBe(true);
    expect(store.queueItems()[0]).toMatchObject({ status: 'running', worker: 'w1', testIndex: 2, testCount: 3 });
    expect(store.submissions.teamSubmission(s.id)).toMatchObject({ status: 'running', testIndex: 2, testCount: 3 });
    // Progress skips the fsync; every other commit is durable again afterwards.
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    store.close();
  });
});

describe('rejudging', () => {
  it('keeps the old judging, switches the valid one when the new one ends, and tells the team only if the verdict changed', () => {
    const store = seededStore();
    const s = submit(store, 't1');
    const first = store.queue.claim('w1', 60_000)!;
    store.queue.complete(first.judgingId, 'w1', waResult());
    const r = store.rejudgings.create({ kind: 'all' }, { byUsername: 'judge1', reason: 'bad data', autoApply: true });
    expect(r.rejudging.submissionCount).toBe(1);
    // While the rejudge runs, the old verdict stands.
    expect(store.submissions.jurySubmission(s.id)).toMatchObject({ status: 'judged', verdict: 'WA' });
    const second = store.queue.claim('w1', 60_000)!;
    expect(second.rejudgingId).toBe(r.rejudging.id);
    const verdictsBefore = store.events.eventsSince(0, { role: 'team', teamId: 't1' }).filter((e) => e.event.kind === 'verdict').length;
    store.queue.complete(second.judgingId, 'w1', acResult());
    const judgings = store.submissions.judgingsOf(s.id);
    expect(judgings.map((j) => [j.id, j.valid, j.verdict])).toEqual([
      [second.judgingId, true, 'AC'],
      [first.judgingId, false, 'WA'],
    ]);
    const verdictsAfter = store.events.eventsSince(0, { role: 'team', teamId: 't1' }).filter((e) => e.event.kind === 'verdict').length;
    expect(verdictsAfter).toBe(verdictsBefore + 1);
    // Same verdict again: no new team verdict event.
    store.rejudgings.create({ kind: 'submission', submissionId: s.id }, { byUsername: 'judge1', autoApply: true });
    const third = store.queue.claim('w1', 60_000)!;
    store.queue.complete(third.judgingId, 'w1', acResult());
    expect(store.events.eventsSince(0, { role: 'team', teamId: 't1' }).filter((e) => e.event.kind === 'verdict').length).toBe(verdictsAfter);
    expect(store.db.prepare('SELECT COUNT(*) FROM judgings WHERE submission_id = ? AND valid = 1').pluck().get(Number(s.id))).toBe(1);
    store.close();
  });

  it('a rejudge ending in JE does not replace the valid verdict', () => {
    const store = seededStore();
    const s = submit(store, 't1');
    const first = store.queue.claim('w1', 60_000)!;
    store.queue.complete(first.judgingId, 'w1', acResult());
    store.rejudgings.create({ kind: 'problem', problemId: 'hello' }, { byUsername: 'j', autoApply: true });
    const second = store.queue.claim('w1', 60_000)!;
    store.queue.fail(second.judgingId, 'w1', 'worker crashed');
    expect(store.submissions.jurySubmission(s.id)).toMatchObject({ verdict: 'AC', judgingId: first.judgingId });
    store.close();
  });

  it('cancels an unfinished judging: its worker\u2019s late result is refused', () => {
    const store = seededStore();
    const s = submit(store, 't1');
    const first = store.queue.claim('w1', 60_000)!;
    store.rejudgings.create({ kind: 'submission', submissionId: s.id }, { byUsername: 'j', autoApply: true });
    expect(store.queue.complete(first.judgingId, 'w1', acResult())).toEqual({ accepted: false, reason: 'lease_lost' });
    const second = store.queue.claim('w2', 60_000)!;
    expect(second.judgingId).not.toBe(first.judgingId);
    store.queue.complete(second.judgingId, 'w2', waResult());
    expect(store.submissions.jurySubmission(s.id)).toMatchObject({ verdict: 'WA', judgingId: second.judgingId });
    store.close();
  });

  it('filters by current verdict', () => {
    const store = seededStore();
    submit(store, 't1');
    submit(store, 't2');
    store.queue.complete(store.queue.claim('w', 1e6)!.judgingId, 'w', acResult());
    store.queue.complete(store.queue.claim('w', 1e6)!.judgingId, 'w', waResult());
    expect(store.rejudgings.create({ kind: 'all' }, { verdicts: ['WA'], byUsername: 'j', autoApply: true }).rejudging.submissionCount).toBe(1);
    store.close();
  });
});

describe('burst', () => {
  it('accepts 300 submissions sent back to back, each in its own transaction', () => {
    const store = seededStore();
    const ids = new Set<string>();
    for (let i = 0; i < 300; i++) ids.add(submit(store, i % 2 ? 't1' : 't2', i % 3 ? 'hello' : 'sum').id);
    expect(ids.size).toBe(300);
    expect(store.queue.counts().queued).toBe(300);
    store.close();
  });
});

describe('judging queue: fairness between teams', () => {
  it("serves teams in turn: a 60-submission burst delays another team's submission by at most one judging per worker", () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now });
    store.tx(() => store.accounts.addTeam({ id: 't3', name: 'Team Three' }));
    const burst = Array.from({ length: 60 }, () => submit(store, 't1'));
    // Two workers start on the burst, then two other teams submit.
    const first = [store.queue.claim('w1', 60_000)!, store.queue.claim('w2', 60_000)!];
    expect(first.map((j) => j.submissionId)).toEqual([burst[0]!.id, burst[1]!.id]);
    clock.advance(5);
    const b = submit(store, 't2');
    clock.advance(5);
    const c = submit(store, 't3');
    const order: string[] = [];
    const t1Claimed = first.map((j) => Number(j.submissionId));
    for (let i = 0; i < 8; i++) {
      clock.advance(100);
      const job = store.queue.claim(`w${(i % 2) + 1}`, 60_000)!;
      order.push(job.teamId);
      if (job.teamId === 't1') t1Claimed.push(Number(job.submissionId));
      expect(store.queue.complete(job.judgingId, job.workerId, acResult()).accepted).toBe(true);
    }
    // t1's next job had been waiting since its last turn (before t2 arrived): at most one more t1
    // judging per worker goes first, then the teams alternate.
    expect(order.slice(0, 4).sort()).toEqual(['t1', 't1', 't2', 't3'].sort());
    expect(order.indexOf('t2')).toBeLessThanOrEqual(2);
    expect(order.indexOf('t3')).toBeLessThanOrEqual(3);
    expect(order.slice(4)).toEqual(['t1', 't1', 't1', 't1']);
    // Within a team the oldest submission goes first.
    expect(t1Claimed).toEqual(burst.slice(0, t1Claimed.length).map((s) => Number(s.id)));
    expect([b.id, c.id].every((id) => store.submissions.jurySubmission(id)?.verdict === 'AC')).toBe(true);
    store.close();
  });

  it('rejudges wait in their own lane and never take a team turn from fresh submissions', () => {
    const clock = manualClock();
    const store = seededStore(':memory:', { now: clock.now });
    const a = submit(store, 't2');
    const ja = store.queue.claim('w1', 60_000)!;
    store.queue.complete(ja.judgingId, 'w1', acResult());
    clock.advance(10);
    store.rejudgings.create({ kind: 'submission', submissionId: a.id }, { byUsername: 'jury', autoApply: true });
    const burst = Array.from({ length: 5 }, () => submit(store, 't1'));
    clock.advance(10);
    const b = submit(store, 't2');
    const order = Array.from({ length: 7 }, () => {
      clock.advance(10);
      const j = store.queue.claim('w1', 60_000)!;
      store.queue.complete(j.judgingId, 'w1', acResult());
      return j.rejudgingId === null ? j.submissionId : `rejudge ${j.submissionId}`;
    });
    // t2's fresh submission b goes second (its last fresh turn was long ago), the rejudge last.
    expect(order).toEqual([burst[0]!.id, b.id, burst[1]!.id, burst[2]!.id, burst[3]!.id, burst[4]!.id, `rejudge ${a.id}`]);
    store.close();
  });
});
