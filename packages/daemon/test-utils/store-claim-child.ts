/**
 * Concurrency-test worker (run by concurrency.test.ts): claims and completes jobs from the store in
 * argv[2] as worker argv[3] until the queue is empty, printing each judging it completed.
 */
import fs from 'node:fs';
import { openStore } from '../src/store/index.ts';
import { acResult } from './store-fixtures.ts';

const [dir, worker] = process.argv.slice(2);
if (!dir || !worker) throw new Error('usage: store-claim-child.ts <data dir> <worker id>');
const store = openStore(dir, { busyTimeoutMs: 30_000 });
for (;;) {
  const job = store.queue.claim(worker, 60_000);
  if (!job) break;
  store.queue.progress(job.judgingId, worker, { status: 'running', testIndex: 1, testCount: 3 });
  const r = store.queue.complete(job.judgingId, worker, acResult());
  if (!r.accepted) throw new Error(`completion of my own claim refused: ${JSON.stringify(r)}`);
  fs.writeSync(1, `${job.judgingId}\n`);
}
store.close();
