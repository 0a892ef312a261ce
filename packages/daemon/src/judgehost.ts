/**
 * `judged judgehost`: judging for a daemon on another machine. At start it checks its host as
 * `judged doctor` does and refuses to take work on a broken sandbox; then it runs one worker per
 * spare core, each in its own sandbox slot, taking jobs from the daemon's Redis queue, fetching
 * problem packages from the daemon by content hash (cached, verified), and sending progress and
 * results back through the queue. Ctrl-C drains (running judgings finish); a second Ctrl-C hands
 * them back to the queue at once.
 */
import os from 'node:os';
import path from 'node:path';
import { collectReport, renderReport } from './doctor.ts';
import { checkLanguages, loadLanguages } from './languages/index.ts';
import { parseQueueUrl } from './queue/bullmq/connection.ts';
import { PackageCache } from './queue/bullmq/packages.ts';
import { startPresence } from './queue/bullmq/presence.ts';
import { JudgehostNameSchema } from './queue/bullmq/protocol.ts';
import { readSecret } from './queue/bullmq/secret.ts';
import { redisSource, type RedisWorkJob } from './queue/bullmq/source.ts';
import { createLogger } from './server/log.ts';
import { defaultWorkerCount } from './server/start.ts';
import { startJudgingWorkers } from './worker/workers.ts';
import { parseTimeScale } from './sandbox/time-scale.ts';

export interface JudgehostOptions {
  queue: string;
  server: string;
  name?: string;
  secret: string;
  workers?: string;
  data: string;
  languages?: string;
  timeScale?: string;
}

function fail(message: string): number {
  process.stderr.write(`judged judgehost: ${message}\n`);
  return 1;
}

/** Runs until stopped; resolves with the exit code. */
export async function runJudgehost(o: JudgehostOptions): Promise<number> {
  const log = createLogger();
  const name = o.name ?? os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  if (!JudgehostNameSchema.safeParse(name).success) return fail(`--name "${name}": use letters, digits, ".", "_" or "-" (at most 63)`);
  let target;
  let secret;
  try {
    target = parseQueueUrl(o.queue);
    secret = readSecret(path.resolve(o.secret));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (!/^https?:\/\/[^/]+\/?$/.test(o.server)) return fail(`--server "${o.server}": write the daemon's address as http://HOST:PORT`);
  const workerCount = o.workers === undefined ? defaultWorkerCount() : Number(o.workers);
  if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > 256) return fail(`--workers must be a whole number from 1 to 256, got "${o.workers}"`);
  let timeScale;
  try {
    timeScale = parseTimeScale(o.timeScale);
  } catch (err) {
    return fail((err as Error).message);
  }
  const slotBase = Number(process.env.JUDGED_SLOT_BASE ?? 0);
  if (!Number.isInteger(slotBase) || slotBase < 0 || slotBase > 900) return fail(`JUDGED_SLOT_BASE must be 0..900, got "${process.env.JUDGED_SLOT_BASE}"`);

  // The sandbox check on the first worker's slot (free until the workers start).
  const report = await collectReport(slotBase, o.languages);
  if (!report.ok) {
    process.stderr.write(renderReport(report));
    return fail('this host cannot judge (see the checks above): fix them and start again');
  }
  let languages;
  try {
    languages = loadLanguages(o.languages);
  } catch (err) {
    return fail(`languages: ${(err as Error).message}`);
  }
  const available = (await checkLanguages(languages)).filter((s) => s.available).map((s) => s.language);
  const dataDir = path.resolve(o.data);
  const cache = new PackageCache({ server: o.server, secret, name, dir: path.join(dataDir, 'packages'), log });
  const source = await redisSource({ redis: target.redis, secret, name, log });
  const startedAtMs = Date.now();
  let draining = false;
  let workers: Awaited<ReturnType<typeof startJudgingWorkers>> = null;
  const presence = startPresence(target.redis, () => {
    const s = workers?.stats();
    return { name, doctor: 'ok', workers: s?.workers ?? 0, busy: s?.busy ?? 0, current: s?.current ?? [], done: s?.done ?? 0, errors: s?.errors ?? 0, startedAtMs, seenAtMs: Date.now(), draining };
  }, log);
  workers = await startJudgingWorkers({
    source,
    async packages(job) {
      const pkg = await cache.get(job.problemId, job.packageHash ?? '');
      const want = (job as RedisWorkJob).limits;
      if (want && (pkg.limits.timeLimitMs !== want.timeLimitMs || pkg.limits.memoryMiB !== want.memoryMiB)) {
        throw new Error(`package ${job.problemId} loads with other limits here (${pkg.limits.timeLimitMs} ms, ${pkg.limits.memoryMiB} MiB) than on the daemon (${want.timeLimitMs} ms, ${want.memoryMiB} MiB)`);
      }
      return pkg;
    },
    languages: available,
    dataDir,
    workers: workerCount,
    log,
    heartbeatMs: 2000,
    slotBase,
    timeScale,
    accepting: () => !presence.disabled() && !draining,
  });
  if (!workers) {
    await presence.stop();
    await source.close();
    return fail('the sandbox could not be opened for the workers (see the log)');
  }
  log.info('judgehost ready', { name, queue: target.display, server: o.server, workers: workerCount, languages: available.map((l) => l.id) });

  return new Promise<number>((resolve) => {
    const finish = async (): Promise<void> => {
      await presence.stop();
      await source.close();
      log.info('judgehost stopped', { name });
      resolve(0);
    };
    const onSignal = (signal: string): void => {
      if (!draining) {
        draining = true;
        log.info('draining: finishing the running judgings (Ctrl-C again hands them back now)', { signal, busy: workers!.busy() });
        void workers!.stop({ drain: true }).then(finish);
      } else {
        log.warn('handing the running judgings back to the queue', { signal });
        void workers!.stop();
      }
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
}
