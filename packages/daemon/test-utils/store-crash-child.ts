/**
 * Crash-test worker (run by crash.test.ts, not by the daemon): opens the store in argv[2] and loops
 * forever submitting, claiming, completing and sometimes rejudging, printing a line only after each
 * commit returned ("S <submissionId>", "C <judgingId> <verdict>"). The test SIGKILLs it mid-write and
 * checks the database against what was printed. With argv[3] = 'batched' submissions go through the
 * contest's group commit (submitBatched, ten at a time).
 */
import fs from 'node:fs';
import { Contest } from '../src/contest/contest.ts';
import { acResult, seededStore, submit, waResult } from './store-fixtures.ts';

const dir = process.argv[2];
const batched = process.argv[3] === 'batched';
if (!dir) throw new Error('usage: store-crash-child.ts <data dir> [batched]');
const store = seededStore(dir);
store.queue.requeueClaimed();
const say = (line: string): void => {
  fs.writeSync(1, `${line}\n`);
};
say('READY');
const worker = `w${process.pid}`;
const contest = batched ? new Contest(store) : null;
for (let i = 0; ; i++) {
  let s: { id: string };
  if (contest) {
    const batch = await Promise.all(
      Array.from({ length: 10 }, (_, k) => contest.submitBatched(k % 2 ? 't1' : 't2', { problemId: k % 3 ? 'hello' : 'sum', language: 'cpp', files: [{ name: 'a.cpp', source: 'int main(){}' }] })),
    );
    for (const b of batch) say(`S ${b.id}`);
    s = batch[batch.length - 1]!;
  } else {
    s = submit(store, i % 2 ? 't1' : 't2', i % 3 ? 'hello' : 'sum');
    say(`S ${s.id}`);
  }
  const job = store.queue.claim(worker, 60_000);
  if (job) {
    store.queue.progress(job.judgingId, worker, { status: 'running', testIndex: 1, testCount: 3 });
    // A stale worker's result must never land.
    const stale = store.queue.complete(job.judgingId, 'someone-else', acResult());
    if (stale.accepted) throw new Error('a result from a worker without the lease was accepted');
    const result = i % 4 === 0 ? waResult() : acResult();
    const r = store.queue.complete(job.judgingId, worker, result);
    if (r.accepted) say(`C ${job.judgingId} ${result.verdict}`);
  }
  if (i % 25 === 24) {
    store.rejudgings.create({ kind: 'submission', submissionId: s.id }, { byUsername: 'crash', autoApply: true });
    say(`R ${s.id}`);
  }
}
