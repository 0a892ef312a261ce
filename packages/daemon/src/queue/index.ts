/**
 * The daemon's judging queue: embedded (SQLite, in-process workers only; the default) or Redis
 * (--queue: BullMQ, for judgehosts on other machines and the daemon's own workers). Whichever it is,
 * the daemon asks the same few things of it.
 */
import os from 'node:os';
import path from 'node:path';
import type { MetricFamily } from '../server/http/deps.ts';
import type { Logger } from '../server/log.ts';
import type { ProblemCatalog } from '../server/problem-catalog.ts';
import type { HttpHandler } from '../server/transport.ts';
import type { Store } from '../store/index.ts';
import type { WorkerStats } from '../worker/workers.ts';
import { parseQueueUrl } from './bullmq/connection.ts';
import { startDispatcher } from './bullmq/dispatcher.ts';
import { servePackage } from './bullmq/packages.ts';
import { startPresence, type JudgehostView } from './bullmq/presence.ts';
import { readOrCreateSecret, SECRET_FILE } from './bullmq/secret.ts';
import { redisSource } from './bullmq/source.ts';
import { embeddedQueue } from './embedded.ts';
import type { JobSource } from './types.ts';

export type { JudgehostView } from './bullmq/presence.ts';

export interface DaemonQueue {
  /** Where the daemon's own workers take jobs. */
  source: JobSource;
  /** New work was queued (a submission, a rejudge). */
  wake(): void;
  /** Why judging is impaired (for /healthz), or null. */
  problem(): string | null;
  metrics(): MetricFamily[];
  judgehosts(): JudgehostView[];
  setJudgehostDisabled(name: string, disabled: boolean): Promise<void>;
  /** Takes a gone judgehost off the list (refused for one alive or stale). */
  removeJudgehost(name: string): Promise<void>;
  /** Package downloads for judgehosts (Redis queue only). */
  http: HttpHandler | null;
  /** The daemon's own workers' stats, shown as a judgehost named "<host>-daemon". */
  attachWorkers(stats: () => WorkerStats | null): void;
  /** Whether the daemon's own workers may take work (false: the jury disabled them as a judgehost). */
  accepting(): boolean;
  stop(): Promise<void>;
}

export interface DaemonQueueOptions {
  /** --queue: redis://, rediss:// or unix://; absent: embedded. */
  url?: string;
  secretFile?: string;
  store: Store;
  catalog: ProblemCatalog;
  dataDir: string;
  leaseMs: number;
  log: Logger;
}

const NO_JUDGEHOSTS = 'there are no judgehosts: this daemon judges locally (start it with --queue redis://... for judgehosts)';

export async function openDaemonQueue(o: DaemonQueueOptions): Promise<DaemonQueue> {
  if (!o.url) {
    return {
      source: embeddedQueue(o.store, o.leaseMs),
      wake: () => {},
      problem: () => null,
      metrics: () => [],
      judgehosts: () => [],
      setJudgehostDisabled: () => Promise.reject(new Error(NO_JUDGEHOSTS)),
      removeJudgehost: () => Promise.reject(new Error(NO_JUDGEHOSTS)),
      http: null,
      attachWorkers: () => {},
      accepting: () => true,
      stop: async () => {},
    };
  }
  const target = parseQueueUrl(o.url);
  const secretFile = path.resolve(o.secretFile ?? path.join(o.dataDir, SECRET_FILE));
  const secret = readOrCreateSecret(secretFile);
  o.log.info('queue: judgehost secret', { file: secretFile, hint: 'copy this file to every judgehost (chmod 600)' });
  const dispatcher = await startDispatcher({ store: o.store, catalog: o.catalog, redis: target.redis, target: target.display, secret, log: o.log });
  const name = `${os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 50)}-daemon`;
  const source = await redisSource({ redis: target.redis, secret, name, log: o.log });
  const startedAtMs = Date.now();
  let presence: ReturnType<typeof startPresence> | null = null;
  return {
    source,
    wake: () => dispatcher.wake(),
    problem() {
      const s = dispatcher.state();
      return s.up ? null : `queue ${s.target} unreachable since ${new Date(s.downSinceMs ?? Date.now()).toISOString()} (submissions wait in SQLite)`;
    },
    metrics() {
      const s = dispatcher.state();
      const hosts = dispatcher.judgehosts();
      const per = (value: (h: JudgehostView) => number) => hosts.map((h) => ({ labels: { judgehost: h.name }, value: value(h) }));
      return [
        { name: 'judged_queue_up', help: 'Whether the Redis queue answers (1) or not (0)', type: 'gauge', samples: [{ labels: { target: s.target }, value: s.up ? 1 : 0 }] },
        { name: 'judged_queue_published', help: 'Judgings published to Redis and not yet answered', type: 'gauge', samples: [{ value: s.held }] },
        { name: 'judged_queue_published_total', help: 'Judging attempts published to Redis (again: after Redis lost them)', type: 'counter', samples: [
          { labels: { kind: 'first' }, value: s.published },
          { labels: { kind: 'again' }, value: s.republished },
        ] },
        { name: 'judged_queue_results_total', help: 'Results from the queue: recorded, ignored (late or repeated attempt), refused (forged or malformed)', type: 'counter', samples: [
          { labels: { outcome: 'recorded' }, value: s.resultsApplied },
          { labels: { outcome: 'ignored' }, value: s.resultsIgnored },
          { labels: { outcome: 'refused' }, value: s.resultsRefused },
        ] },
        { name: 'judged_queue_progress_total', help: 'Progress messages from the queue: recorded, refused (forged, malformed or for another job)', type: 'counter', samples: [
          { labels: { outcome: 'recorded' }, value: s.progressApplied },
          { labels: { outcome: 'refused' }, value: s.progressRefused },
        ] },
        { name: 'judged_judgehost_up', help: 'Judgehost alive (its status is fresh)', type: 'gauge', samples: per((h) => (h.alive ? 1 : 0)) },
        { name: 'judged_judgehost_state', help: 'Judgehost lifecycle: 1 for the state it is in (alive, stale: no status for a few seconds, gone: none for a minute)', type: 'gauge', samples: hosts.flatMap((h) => (['alive', 'stale', 'gone'] as const).map((state) => ({ labels: { judgehost: h.name, state }, value: h.state === state ? 1 : 0 }))) },
        { name: 'judged_judgehost_last_seen_seconds', help: 'Seconds since the judgehost last wrote its status', type: 'gauge', samples: per((h) => Math.round(h.seenAgoMs / 100) / 10) },
        { name: 'judged_judgehost_disabled', help: 'Judgehost disabled by the jury', type: 'gauge', samples: per((h) => (h.disabled ? 1 : 0)) },
        { name: 'judged_judgehost_doctor_ok', help: 'The judgehost passed its sandbox check at start', type: 'gauge', samples: per((h) => (h.doctor === 'ok' ? 1 : 0)) },
        { name: 'judged_judgehost_workers', help: 'Judging workers on the judgehost', type: 'gauge', samples: per((h) => h.workers) },
        { name: 'judged_judgehost_busy', help: 'Judgehost workers judging right now', type: 'gauge', samples: per((h) => h.busy) },
        { name: 'judged_judgehost_judgings_total', help: 'Judgings the judgehost finished', type: 'counter', samples: per((h) => h.done) },
        { name: 'judged_judgehost_errors_total', help: 'Judge errors on the judgehost', type: 'counter', samples: per((h) => h.errors) },
      ];
    },
    judgehosts: () => dispatcher.judgehosts(),
    setJudgehostDisabled: (n, d) => dispatcher.setDisabled(n, d),
    removeJudgehost: (n) => dispatcher.remove(n),
    http: (req, res) => servePackage(req, res, o.catalog, secret, o.log),
    attachWorkers(stats) {
      presence = startPresence(target.redis, () => {
        const w = stats();
        return { name, doctor: w ? 'ok' : 'sandbox not available', workers: w?.workers ?? 0, busy: w?.busy ?? 0, current: w?.current ?? [], done: w?.done ?? 0, errors: w?.errors ?? 0, startedAtMs, seenAtMs: Date.now(), draining: false };
      }, o.log);
    },
    accepting: () => !presence?.disabled(),
    async stop() {
      await presence?.stop();
      await source.close();
      await dispatcher.stop();
    },
  };
}
