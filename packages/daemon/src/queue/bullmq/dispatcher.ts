/**
 * The daemon's side of the Redis queue. SQLite stays the single source of truth; Redis only carries
 * work out and results back:
 *
 *   publish    claim the next job in SQLite (fair per team, rejudge lane) as owner "queue:redis" and
 *              add it to "judgings" with id "<judgingId>-<attempt>"; only a few are kept waiting
 *              in Redis (about one per judgehost worker), so the SQLite order is the order judged
 *   progress   each job's BullMQ progress, checked like a result (signature, schema, same judging and
 *              attempt as the job id) before it reaches the store; a forged one is dropped and counted
 *   results    each "results" job is checked (signature, schema) and handed to the store with its
 *              attempt: accepted once, a late or repeated answer ignored (the fence), a forged or
 *              malformed one refused with a log line
 *   leases     the SQLite leases of published jobs are kept while the daemon lives; a dead judgehost
 *              is BullMQ's business (its job stalls and goes to another worker)
 *   reconcile  at start, when Redis comes back, and every RECONCILE_MS: a held judging missing from
 *              Redis (Redis restarted, lost data) is published again; one that failed in Redis
 *              (stalled too often, refused) ends in JE; waiting jobs SQLite no longer holds are removed
 *
 * While Redis is away the daemon goes on accepting submissions (they wait in SQLite) and /healthz and
 * /metrics say the queue is down.
 */
import { Queue, QueueEvents, Worker, type Job, type RedisOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../server/log.ts';
import type { ProblemCatalog } from '../../server/problem-catalog.ts';
import type { ClaimedJob, Store } from '../../store/index.ts';
import { commandClient, readJudgehosts, removeJudgehost, setDisabled, type JudgehostView } from './presence.ts';
import { DISPATCH_OWNER, JOBS_QUEUE, jobIdOf, open, parseJobId, ProgressBodySchema, RESULTS_QUEUE, ResultBodySchema, sign, type JobBody, type Signed } from './protocol.ts';
import { KEY_PREFIX } from './timing.ts';

const TICK_MS = 200;
const RECONCILE_MS = 10_000;
/** A job Redis calls completed whose result has not reached the store this long: JE (see the log). */
const RESULT_GRACE_MS = 30_000;
/** SQLite lease of a published job; renewed every tick while the daemon runs. */
const LEASE_MS = 60_000;

export interface QueueState {
  backend: 'redis';
  target: string;
  up: boolean;
  downSinceMs: number | null;
  /** Judgings published to Redis and not yet answered. */
  held: number;
  published: number;
  republished: number;
  resultsApplied: number;
  resultsIgnored: number;
  resultsRefused: number;
  progressApplied: number;
  /** Progress not signed with the judgehost secret (or for another job): dropped. */
  progressRefused: number;
}

export interface Dispatcher {
  wake(): void;
  state(): QueueState;
  /** The judgehosts as last read from Redis (every couple of seconds). */
  judgehosts(): JudgehostView[];
  setDisabled(name: string, disabled: boolean): Promise<void>;
  /** Takes a gone judgehost off the list; throws when it is not gone (alive or stale) or unknown. */
  remove(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface DispatcherOptions {
  store: Store;
  catalog: ProblemCatalog;
  redis: RedisOptions;
  target: string;
  secret: string;
  log: Logger;
}

export async function startDispatcher(o: DispatcherOptions): Promise<Dispatcher> {
  const { store, log } = o;
  const blocking = { ...o.redis, maxRetriesPerRequest: null };
  const jobs = new Queue<Signed>(JOBS_QUEUE, { connection: blocking, prefix: KEY_PREFIX });
  const events = new QueueEvents(JOBS_QUEUE, { connection: blocking, prefix: KEY_PREFIX });
  const client: Redis = commandClient(o.redis);
  const st: QueueState = { backend: 'redis', target: o.target, up: false, downSinceMs: Date.now(), held: 0, published: 0, republished: 0, resultsApplied: 0, resultsIgnored: 0, resultsRefused: 0, progressApplied: 0, progressRefused: 0 };
  let hosts: JudgehostView[] = [];
  let hostsReadAt = 0;
  let lastReconcile = 0;
  const completedSeen = new Map<string, number>();

  const down = (err: unknown): void => {
    if (st.up) log.error('queue: Redis unreachable; submissions wait in SQLite and are published when it is back', { target: o.target, err: (err as Error).message });
    if (st.up || st.downSinceMs === null) st.downSinceMs = Date.now();
    st.up = false;
  };
  const resultsQueue = new Queue<Signed>(RESULTS_QUEUE, { connection: blocking, prefix: KEY_PREFIX });
  jobs.on('error', down);
  resultsQueue.on('error', down);
  events.on('error', down);
  client.on('error', () => {});

  function body(c: ClaimedJob): JobBody {
    const pkg = o.catalog.pkg(c.problemId);
    const hash = o.catalog.hash(c.problemId);
    if (!pkg || !hash) throw new Error(`problem "${c.problemId}" is not loaded in this daemon`);
    return {
      judgingId: c.judgingId,
      submissionId: c.submissionId,
      attempt: c.attempt,
      problemId: c.problemId,
      packageHash: hash,
      language: c.language,
      files: c.files,
      limits: { timeLimitMs: pkg.limits.timeLimitMs, memoryMiB: pkg.limits.memoryMiB },
      publishedAtMs: Date.now(),
    };
  }

  async function publish(c: ClaimedJob): Promise<void> {
    let b: JobBody;
    try {
      b = body(c);
    } catch (err) {
      store.queue.fail(c.judgingId, DISPATCH_OWNER, (err as Error).message, c.attempt);
      return;
    }
    // The job id makes publishing idempotent: adding an id Redis still has changes nothing.
    await jobs.add('judge', sign(o.secret, 'job', b), { jobId: jobIdOf(c.judgingId, c.attempt), removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
  }

  /**
   * How many jobs to keep waiting in Redis: one per worker of the judgehosts taking work, at least one.
   * Per worker, not per idle worker: a status is up to PRESENCE_EVERY_MS old, and a worker that just
   * finished would otherwise wait for its next status before the daemon gives it a job.
   */
  function wanted(): number {
    let workers = 0;
    for (const h of hosts) if (h.alive && !h.disabled && !h.draining) workers += h.workers;
    return Math.max(1, workers);
  }

  async function reconcile(): Promise<void> {
    lastReconcile = Date.now();
    const held = store.queue.held(DISPATCH_OWNER);
    const heldIds = new Set(held.map((h) => jobIdOf(h.judgingId, h.attempt)));
    const resultsWaiting = (await resultsQueue.getWaitingCount()) > 0;
    for (const h of held) {
      const id = jobIdOf(h.judgingId, h.attempt);
      const job = await jobs.getJob(id);
      if (!job) {
        const c = store.queue.claimed(h.judgingId, DISPATCH_OWNER);
        if (c) {
          await publish(c);
          st.republished++;
          log.info('queue: published again (Redis had lost it)', { judging: h.judgingId, attempt: h.attempt });
        }
        continue;
      }
      const state = await job.getState();
      if (state === 'failed') {
        store.queue.fail(h.judgingId, DISPATCH_OWNER, `the judging failed in the queue: ${job.failedReason ?? 'unknown reason'}`, h.attempt);
        log.warn('queue: judging failed in Redis; recorded as JE', { judging: h.judgingId, reason: job.failedReason });
      } else if (state === 'completed' && !resultsWaiting) {
        const since = completedSeen.get(id) ?? Date.now();
        completedSeen.set(id, since);
        if (Date.now() - since > RESULT_GRACE_MS) {
          store.queue.fail(h.judgingId, DISPATCH_OWNER, 'the judgehost finished but its result never reached the store (refused or lost: see the daemon log)', h.attempt);
          completedSeen.delete(id);
        }
      }
    }
    for (const id of completedSeen.keys()) if (!heldIds.has(id)) completedSeen.delete(id);
    for (const job of await jobs.getJobs(['wait', 'prioritized', 'delayed'])) {
      if (job?.id && !heldIds.has(job.id)) {
        await job.remove().catch(() => {});
        log.info('queue: removed a job SQLite no longer holds (an old attempt or a cancelled judging)', { job: job.id });
      }
    }
  }

  let ticking = false;
  let again = false;
  let stopped = false;
  async function tick(): Promise<void> {
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        store.queue.heartbeatAll(DISPATCH_OWNER);
        try {
          await client.ping();
          if (!st.up) {
            log.info('queue: Redis reachable', { target: o.target, wasDownMs: st.downSinceMs === null ? 0 : Date.now() - st.downSinceMs });
            st.up = true;
            st.downSinceMs = null;
            await reconcile();
          }
          if (Date.now() - hostsReadAt > 1000) {
            hosts = await readJudgehosts(client, log);
            hostsReadAt = Date.now();
          }
          if (Date.now() - lastReconcile > RECONCILE_MS) await reconcile();
          const c = await jobs.getJobCounts('wait', 'prioritized', 'delayed');
          let free = wanted() - ((c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0));
          while (free > 0 && !stopped) {
            const claimed = store.queue.claim(DISPATCH_OWNER, LEASE_MS);
            if (!claimed) break;
            await publish(claimed);
            st.published++;
            free--;
          }
        } catch (err) {
          down(err);
        }
        st.held = store.queue.held(DISPATCH_OWNER).length;
      } while (again && !stopped);
    } finally {
      ticking = false;
    }
  }

  async function applyResult(job: Job<Signed>): Promise<void> {
    const opened = open(o.secret, 'result', job.data, ResultBodySchema);
    if (!opened.ok) {
      st.resultsRefused++;
      log.warn('queue: result refused', { job: job.id, why: opened.why });
      return;
    }
    const b = opened.body;
    const r =
      b.outcome.kind === 'complete'
        ? store.queue.complete(b.judgingId, DISPATCH_OWNER, b.outcome.result, b.attempt, b.worker)
        : store.queue.fail(b.judgingId, DISPATCH_OWNER, `${b.worker}: ${b.outcome.message}`, b.attempt, b.worker);
    if (r.accepted) {
      st.resultsApplied++;
      log.info('queue: result recorded', { judging: b.judgingId, attempt: b.attempt, judgehost: b.judgehost, verdict: b.outcome.kind === 'complete' ? b.outcome.result.verdict : 'JE' });
    } else {
      st.resultsIgnored++;
      log.info('queue: result ignored', { judging: b.judgingId, attempt: b.attempt, judgehost: b.judgehost, reason: r.reason });
    }
    void tick();
  }

  const results = new Worker<Signed>(RESULTS_QUEUE, applyResult, { connection: blocking, prefix: KEY_PREFIX, concurrency: 1, autorun: true });
  results.on('error', down);
  results.on('failed', (job, err) => log.error('queue: applying a result failed', { job: job?.id, err: err.message }));

  events.on('progress', ({ jobId, data }) => {
    const ids = parseJobId(jobId);
    const opened = open(o.secret, 'progress', data, ProgressBodySchema);
    const why = !ids ? 'not a judging job id' : !opened.ok ? opened.why : opened.body.judgingId !== ids.judgingId || opened.body.attempt !== ids.attempt ? 'signed for another judging or attempt' : null;
    if (why !== null || !opened.ok) {
      st.progressRefused++;
      log.warn('queue: progress refused', { job: String(jobId).slice(0, 40), why });
      return;
    }
    if (!store.queue.held(DISPATCH_OWNER).some((h) => h.judgingId === opened.body.judgingId && h.attempt === opened.body.attempt)) return;
    st.progressApplied++;
    store.queue.progress(opened.body.judgingId, DISPATCH_OWNER, opened.body.progress);
  });
  events.on('failed', ({ jobId, failedReason }) => {
    const ids = parseJobId(jobId);
    if (!ids) return;
    const r = store.queue.fail(ids.judgingId, DISPATCH_OWNER, `the judging failed in the queue: ${failedReason}`, ids.attempt);
    if (r.accepted) log.warn('queue: judging failed in Redis; recorded as JE', { judging: ids.judgingId, attempt: ids.attempt, reason: failedReason });
    void tick();
  });

  // A moment for the first connection, so a reachable Redis is not first reported as down.
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 3000);
    client.once('ready', () => {
      clearTimeout(t);
      resolve();
    });
  });
  // Hash every package now, not at the first submission (it reads all of their files once).
  for (const p of o.catalog.list()) o.catalog.hash(p.id);
  await tick();
  const timer = setInterval(() => void tick(), TICK_MS);
  log.info('queue: dispatching judgings to Redis', { target: o.target, up: st.up });

  return {
    wake: () => void tick(),
    state: () => ({ ...st }),
    judgehosts: () => hosts,
    async setDisabled(name, disabled) {
      await setDisabled(client, name, disabled);
      hosts = await readJudgehosts(client, log);
    },
    async remove(name) {
      // Decided on a fresh read: a judgehost that reported a moment ago is not removed.
      const h = (await readJudgehosts(client, log)).find((x) => x.name === name);
      if (!h) throw new Error(`no judgehost named ${name} is listed`);
      if (h.state !== 'gone') throw new Error(`${name} is ${h.state} (seen ${Math.round(h.seenAgoMs / 1000)} s ago): only a gone judgehost can be removed`);
      await removeJudgehost(client, name);
      hosts = await readJudgehosts(client, log);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (ticking) await new Promise((r) => setTimeout(r, 10));
      await Promise.allSettled([results.close(), events.close(), jobs.close(), resultsQueue.close()]);
      client.disconnect();
    },
  };
}
