/**
 * `judged` (the daemon): loads the problems, opens the store and the contest, starts the judging
 * workers, and serves WebSocket (/ws) and HTTP on one port. Prints the address once it is ready.
 *
 *   createDaemon(opts)  -> DaemonHandle   (throws StartupError with a readable message; tests use it)
 *   startDaemon(opts)   -> DaemonHandle | null   (the CLI: prints errors, handles SIGINT/SIGTERM)
 *
 * Order at start: problems (a broken package is reported, the others load) -> contest files (any error
 * stops the start, nothing is written) -> store and contest -> the problems' data against their own
 * validators (a failure stops the start unless --force) -> HTTP/WS -> workers -> "listening".
 * Order at stop: refuse new connections and close the open ones -> stop the workers (a judging that
 * was cut off is queued again at the next start) -> close the store.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { DEFAULT_PORT, MAX_FRAME_BYTES, type Language as WireLanguage } from '@judged/shared/protocol';
import { toProblemSummary } from '@judged/shared/problem';
import { safeBlock, safeLine } from '@judged/shared/terminal-text';
import { ContestConfigError, openContest, type Contest, type InitialCredential } from '../contest/index.ts';
import { checkLanguages, loadLanguages, wireLanguage, type Language } from '../languages/index.ts';
import { formatConfigFileError } from '../config-files/diagnostics.ts';
import { loadProblemSet } from '../problems/index.ts';
import type { Store } from '../store/index.ts';
import { BudgetRefusal, Budgets, type BudgetLimits } from './budgets.ts';
import { Connection, DEFAULT_RATE_LIMITS, type RateLimits } from './connection.ts';
import { FanOut } from './fanout.ts';
import { createHandlers } from './handlers.ts';
import { createHttpHandler } from './http/handler.ts';
import type { ApiGroup, ApiImage, ApiPerson, MedalCounts } from './http/deps.ts';
import { contestApiActions, contestApiReads } from './api-deps.ts';
import { loadFeedTokenKey } from './http/feed-token.ts';
import { createLogger, type Logger } from './log.ts';
import { LoopDelayMonitor } from './loop-delay.ts';
import { buildProblemCatalog, contestProblems, type ProblemCatalog } from './problem-catalog.ts';
import { startTransport, type HttpHandler, type Transport } from './transport.ts';
import { checkProblemData } from './data-check.ts';
import { startJudgingWorkers, type JudgingWorkers } from '../worker/workers.ts';
import type { JudgingEngine } from '../worker/engine.ts';
import { openDaemonQueue, type DaemonQueue } from '../queue/index.ts';
import { parseTimeScale } from '../sandbox/time-scale.ts';
import { DEFAULT_PRINT_PAGES, Printing } from '../printing/service.ts';

export const SERVER_NAME = 'judged/0.1.0';

export interface StartOptions {
  problems?: string;
  contest?: string;
  data?: string;
  host?: string;
  port?: string;
  workers?: string;
  /** Start even when a package's data fails its validators (logged as an error per problem found). */
  force?: boolean;
  /** languages.yaml overriding or extending the built-in languages. */
  languages?: string;
  /** Judge through BullMQ on Redis (redis://, rediss://, unix://) so judgehosts can help; absent: embedded. */
  queue?: string;
  /** The judgehost secret (default: <data>/judgehost-secret, created on the first start with --queue). */
  judgehostSecret?: string;
  /** PEM certificate and key files: serve HTTPS (and wss) instead of HTTP. Both or neither. */
  tlsCert?: string;
  tlsKey?: string;
  /** How many times slower this host runs programs than the limits assume (sandbox/time-scale.ts). */
  timeScale?: string;
  /** The CUPS destination printouts go to (lp -d); absent: they wait in the jury's Print queue. */
  printer?: string;
  /** Pages each team may print (default DEFAULT_PRINT_PAGES). */
  printPages?: string;
  /** Give runners balloons for runs the frozen scoreboard hides (DOMjudge holds them back). */
  balloonsDuringFreeze?: boolean;
}

/** The certificate and key the organizer named, read at start (errors name the file and the option). */
function readTls(opts: StartOptions): { cert: Buffer; key: Buffer } | undefined {
  if (opts.tlsCert === undefined && opts.tlsKey === undefined) return undefined;
  if (opts.tlsCert === undefined || opts.tlsKey === undefined) throw new StartupError('give both --tls-cert and --tls-key (PEM files), or neither');
  const read = (file: string, option: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new StartupError(`${option} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  };
  return { cert: read(opts.tlsCert, '--tls-cert'), key: read(opts.tlsKey, '--tls-key') };
}

export interface DaemonOverrides {
  log?: Logger;
  limits?: RateLimits;
  budgets?: Partial<BudgetLimits>;
  /** Lease length for judging jobs; workers heartbeat at a third of it. */
  leaseMs?: number;
  /** The judging engine; null runs no workers (tests of the server alone). Default: loaded. */
  engine?: JudgingEngine | null;
  /** Visible events beyond which a reconnecting client gets a snapshot instead of a replay. */
  replayLimit?: number;
  /** Check the packages' data with their validators before starting. Default: when judging for real (no engine override). */
  checkData?: boolean;
  /** Sandbox slot for that check (default JUDGED_SLOT_BASE, the first worker's, free until the workers start). */
  checkDataSlot?: number;
}

export interface DaemonHandle {
  url: string;
  host: string;
  port: number;
  store: Store;
  contest: Contest;
  /** Logins generated on the first start with this data dir (empty on later starts). */
  credentials: InitialCredential[];
  close(): Promise<void>;
}

/** A start that cannot go on; `message` says what and how to fix it. */
export class StartupError extends Error {
  override name = 'StartupError';
}

function parsePositiveInt(value: string | undefined, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new StartupError(`${what} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

function parseOption<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new StartupError((err as Error).message);
  }
}

export function defaultWorkerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cores - 1);
}

export async function createDaemon(opts: StartOptions, over: DaemonOverrides = {}): Promise<DaemonHandle> {
  const log = over.log ?? createLogger();
  const host = opts.host ?? '127.0.0.1';
  const port = parsePositiveInt(opts.port ?? String(DEFAULT_PORT), '--port', 0, 65535)!;
  // --workers 0 makes sense only when judgehosts do the judging.
  const workerCount = parsePositiveInt(opts.workers, '--workers', opts.queue ? 0 : 1, 256) ?? defaultWorkerCount();
  const tls = readTls(opts);
  const dataDir = path.resolve(opts.data ?? './.judged');
  const timeScale = parseOption(() => parseTimeScale(opts.timeScale));
  const printPages = parsePositiveInt(opts.printPages, '--print-pages', 0, 100_000) ?? DEFAULT_PRINT_PAGES;
  if (opts.printer !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,126}$/.test(opts.printer)) {
    throw new StartupError(`--printer ${JSON.stringify(opts.printer)} is not a CUPS destination name (letters, digits, "_", ".", "-", "@"): see lpstat -p`);
  }
  if (!opts.problems) throw new StartupError('--problems <dir> is required (try: judged --problems ./problems)');

  // Problems: report every broken package, go on with the others.
  const loaded = loadProblemSet(opts.problems);
  for (const e of loaded.errors) log.error('problem package not loaded', { problem: e.problem, detail: formatConfigFileError(e) });
  for (const w of loaded.warnings) log.warn('problem package warning', { detail: w });
  if (loaded.problems.length === 0) {
    throw new StartupError(`no problem package in ${path.resolve(opts.problems)} could be loaded (see the errors above): fix them or point --problems elsewhere`);
  }
  log.info('problems loaded', { count: loaded.problems.length, ids: loaded.problems.map((p) => p.shortName) });
  if (timeScale !== 1) log.warn('time scale: CPU and wall limits x this factor, reported times / it', { timeScale });
  const catalog: ProblemCatalog = buildProblemCatalog(loaded.problems);

  // Languages: only those whose compiler/runtime answers may be submitted.
  let languages: Language[];
  try {
    languages = loadLanguages(opts.languages);
  } catch (err) {
    throw new StartupError(`languages: ${(err as Error).message}`);
  }
  const statuses = await checkLanguages(languages);
  const available = statuses.filter((s) => s.available).map((s) => s.language);
  for (const s of statuses) if (!s.available) log.warn('language not available', { language: s.language.id, detail: s.detail });
  const wireLanguages: WireLanguage[] = available.map(wireLanguage);

  // Contest: all of its files are checked before anything is written.
  fs.mkdirSync(dataDir, { recursive: true });
  let opened: ReturnType<typeof openContest>;
  try {
    opened = openContest({
      dataDir,
      contestDir: opts.contest,
      problems: loaded.problems.map((p) => toProblemSummary(catalog.info(p.shortName)!)),
      languages: available.map((l) => l.id),
      unavailable: new Map(statuses.filter((st) => !st.available).map((st) => [st.language.id, `${st.language.name} is not available on this judge: ${st.detail}`])),
      problemRules: new Map(loaded.problems.map((p) => [catalog.info(p.shortName)!.id, { languages: p.languages, codeKiB: p.limits.codeKiB }])),
      balloonsDuringFreeze: opts.balloonsDuringFreeze ?? false,
    });
  } catch (err) {
    if (err instanceof ContestConfigError) {
      throw new StartupError(`the contest in ${opts.contest} has errors; nothing was started:\n${err.issues.map((i) => `  ${formatConfigFileError(i)}`).join('\n')}`);
    }
    throw err;
  }
  const { contest, store } = opened;
  for (const w of opened.warnings) log.warn('contest warning', { detail: w });
  if (opened.requeued > 0) log.info('judgings queued again after a restart', { count: opened.requeued });

  // Data: each package's test data against its own validators, before anything is written. The
  // workers' first slot is free until the workers start.
  const slotBase = parsePositiveInt(process.env.JUDGED_SLOT_BASE, 'JUDGED_SLOT_BASE', 0, 900) ?? 0;
  if (over.checkData ?? over.engine === undefined) {
    let problemsFound: string[];
    try {
      problemsFound = await checkProblemData(loaded.problems, { languages: available, workRoot: path.join(dataDir, 'work'), slot: over.checkDataSlot ?? slotBase, log, timeScale });
    } catch (err) {
      contest.close();
      store.close();
      throw new StartupError(`cannot check the problem data (the sandbox did not start): ${(err as Error).message}`);
    }
    if (problemsFound.length > 0 && !opts.force) {
      contest.close();
      store.close();
      throw new StartupError(`the test data of some problems fails their own validators; nothing was started:\n${problemsFound.map((l) => `  ${l}`).join('\n')}\nfix the data or the validators, or start anyway with --force`);
    }
    for (const l of problemsFound) log.error('STARTING WITH INVALID PROBLEM DATA (--force)', { detail: l });
    log.info('problem data checked', { problems: loaded.problems.length, failures: problemsFound.length });
  }


  const fanout = new FanOut(
    (e, viewer) => store.events.readerSeq(e, viewer),
    undefined,
    undefined,
    (e, teamIds) => store.events.teamReaderSeqs(e, teamIds),
  );
  const connections = new Set<Connection>();
  const budgets = new Budgets(over.budgets);

  /** Closes the connections whose session ended (logout elsewhere, new password, account disabled). */
  function endSessions(): void {
    for (const c of connections) {
      const token = c.session.token;
      if (token === null) continue;
      const r = store.accounts.resumeSession(token);
      if (!r.ok) {
        c.log.info('session ended: closing its connection', { reason: r.code });
        c.close(4001, r.code === 'account_disabled' ? 'this account was disabled by the organizers' : 'your session ended (logged out, or a new password): log in again');
      }
    }
  }
  // Sessions can also end from outside this process (a tool on the same database): look now and then.
  const sessionSweep = setInterval(endSessions, 10_000);
  sessionSweep.unref();
  let ready = false;
  let workers: JudgingWorkers | null = null;
  let queue: DaemonQueue | null = null;
  const cleanups: Array<() => void | Promise<void>> = [];

  const handlers = createHandlers({
    contest,
    store,
    problems: catalog,
    languages: () => wireLanguages,
    serverName: SERVER_NAME,
    wakeWorkers: () => {
      queue?.wake();
      workers?.wake();
    },
    connections: () => connections,
    endSessions,
    replayLimit: over.replayLimit,
    queue: () => queue,
    printing: new Printing(store, { printer: opts.printer ?? null, maxPages: printPages }),
  });

  let transport: Transport;
  try {
    transport = await startTransport({
      host,
      port,
      tls,
      maxFrameBytes: MAX_FRAME_BYTES,
      log,
      isReady: () => ready,
      health: () => queue?.problem() ?? null,
      maxConnections: budgets.limits.totalConnections,
      keepAliveMs: budgets.limits.httpKeepAliveMs,
      admitSocket(socket) {
        const address = socket.remoteAddress ?? '?';
        try {
          return budgets.admitSocket(address, () => socket.destroy());
        } catch (err) {
          if (!(err instanceof BudgetRefusal)) throw err;
          log.debug('connection refused', { address, reason: err.message });
          return err.message;
        }
      },
      onConnection(ws, req) {
        const address = req.socket.remoteAddress ?? '?';
        let admission;
        try {
          admission = budgets.admit(address, () => ws.close(4008, 'too many connections waiting for their hello: yours was the oldest'));
        } catch (err) {
          if (!(err instanceof BudgetRefusal)) throw err;
          log.debug('connection refused', { address, reason: err.message });
          ws.close(1013, err.message.slice(0, 120));
          return;
        }
        const conn = new Connection(ws, {
          handlers,
          fanout,
          log,
          limits: over.limits ?? DEFAULT_RATE_LIMITS,
          maxFrameBytes: MAX_FRAME_BYTES,
          remote: `${address}:${req.socket.remotePort ?? '?'}`,
          address,
          budgets,
          admission,
        });
        connections.add(conn);
        ws.on('close', () => connections.delete(conn));
      },
    });
  } catch (err) {
    contest.close();
    store.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new StartupError(`port ${port} on ${host} is already in use: stop the other judged or pick another --port`);
    if (e.code === 'EADDRNOTAVAIL') throw new StartupError(`${host} is not an address of this machine: use --host 0.0.0.0 for every interface or one of its addresses`);
    throw err;
  }

  cleanups.push(store.events.onEvent((e) => fanout.enqueue(e)));
  cleanups.push(() => clearInterval(sessionSweep));
  const loopDelay = new LoopDelayMonitor();
  cleanups.push(() => loopDelay.stop());
  contest.startClock();

  const leaseMs = over.leaseMs ?? 30_000;
  try {
    queue = await openDaemonQueue({ url: opts.queue, secretFile: opts.judgehostSecret, store, catalog, dataDir, leaseMs, log });
  } catch (err) {
    await transport.close('server failed to start');
    contest.close();
    store.close();
    throw new StartupError(`--queue: ${(err as Error).message}`);
  }
  const http = httpHandler({
    contest,
    store,
    languages: available,
    catalog,
    fanout,
    loopDelay,
    connections,
    budgets,
    workers: () => workers,
    queue,
    groups: () => store.accounts.groups(),
    medals: opened.medals,
    persons: opened.persons,
    logos: opened.logos,
    feedTokenKey: loadFeedTokenKey(dataDir),
    log,
  });
  const judgehostHttp = queue.http;
  transport.mountHttp(judgehostHttp ? async (req, res) => (await judgehostHttp(req, res)) || http(req, res) : http);
  cleanups.push(() => http.close?.());

  workers = workerCount === 0 ? null : await startJudgingWorkers({
    source: queue.source,
    packages: async (job) => {
      const pkg = catalog.pkg(job.problemId);
      if (!pkg) throw new Error(`problem package "${job.problemId}" is not loaded in this daemon (check --problems)`);
      return pkg;
    },
    languages: available,
    dataDir,
    workers: workerCount,
    log,
    heartbeatMs: Math.max(100, Math.floor(leaseMs / 3)),
    slotBase,
    engine: over.engine,
    accepting: () => queue?.accepting() ?? true,
    timeScale,
  });
  if (workers) queue.attachWorkers(() => workers?.stats() ?? null);

  const addr = transport.address();
  ready = true;
  let closing: Promise<void> | null = null;
  return {
    url: `${tls ? 'https' : 'http'}://${addr.host}:${addr.port}`,
    host: addr.host,
    port: addr.port,
    store,
    contest,
    credentials: opened.credentials,
    close() {
      closing ??= (async () => {
        ready = false;
        for (const c of cleanups) await c();
        await transport.close('server shutting down');
        await workers?.stop();
        await queue?.stop();
        contest.close();
        store.close();
      })();
      return closing;
    },
  };
}

interface HttpMountDeps {
  contest: Contest;
  store: Store;
  languages: readonly Language[];
  groups: () => ApiGroup[];
  medals: MedalCounts | null;
  persons: ApiPerson[];
  logos: Record<string, ApiImage[]>;
  feedTokenKey: Buffer;
  log: Logger;
  catalog: ProblemCatalog;
  fanout: FanOut;
  loopDelay: LoopDelayMonitor;
  connections: Set<Connection>;
  budgets: Budgets;
  workers: () => JudgingWorkers | null;
  queue: DaemonQueue;
}

/** The public scoreboard page, Contest API and /metrics. */
function httpHandler(d: HttpMountDeps): HttpHandler & { close?: () => void } {
  return createHttpHandler({
    ...contestApiReads({
      contest: d.contest,
      store: d.store,
      problems: () => {
        const byId = new Map(d.catalog.list().map((p) => [p.id, p]));
        return contestProblems(d.store.settings.problems(), (id) => byId.get(id));
      },
      languages: d.languages,
      groups: d.groups,
      medals: d.medals,
      persons: d.persons,
      logos: d.logos,
      problemFiles: (id) => d.catalog.publishedFiles(id),
      feedTokenKey: d.feedTokenKey,
    }),
    budgets: d.budgets,
    actions: contestApiActions({ contest: d.contest, store: d.store, budgets: d.budgets, log: d.log, wake: () => d.workers()?.wake() }),
    metrics: () => {
      const q = d.store.queue.counts();
      const lag = d.loopDelay.read();
      const w = d.workers();
      return [
        { name: 'judged_queue_jobs', help: 'Judging jobs by state', type: 'gauge', samples: [
          { labels: { state: 'queued' }, value: q.queued },
          { labels: { state: 'claimed' }, value: q.claimed },
          { labels: { state: 'done' }, value: q.done },
        ] },
        { name: 'judged_workers', help: 'Judging workers', type: 'gauge', samples: [{ value: w?.count ?? 0 }] },
        { name: 'judged_workers_busy', help: 'Judging workers judging right now', type: 'gauge', samples: [{ value: w?.busy() ?? 0 }] },
        ...d.queue.metrics(),
        { name: 'judged_ws_connections', help: 'Open WebSocket connections', type: 'gauge', samples: [{ value: d.connections.size }] },
        { name: 'judged_ws_subscribers', help: 'WebSocket connections receiving live events', type: 'gauge', samples: [{ value: d.fanout.size }] },
        { name: 'judged_events_published_total', help: 'Events fanned out', type: 'counter', samples: [{ value: d.fanout.stats.published }] },
        { name: 'judged_event_sends_total', help: 'Event frames sent to clients', type: 'counter', samples: [{ value: d.fanout.stats.sends }] },
        { name: 'judged_fanout_publish_ms', help: 'Time to send one event to every client that may see it (recent events)', type: 'gauge', samples: [
          { labels: { quantile: '0.5' }, value: d.fanout.publishMs.quantile(0.5) },
          { labels: { quantile: '0.99' }, value: d.fanout.publishMs.quantile(0.99) },
        ] },
        { name: 'judged_fanout_broadcast_ms', help: 'Time to send one public event (a scoreboard change) to every client (recent events)', type: 'gauge', samples: [
          { labels: { quantile: '0.5' }, value: d.fanout.broadcastMs.quantile(0.5) },
          { labels: { quantile: '0.99' }, value: d.fanout.broadcastMs.quantile(0.99) },
        ] },
        { name: 'judged_fanout_broadcast_cpu_ms', help: "The daemon's CPU time for those fan-outs (load on the host does not stretch it, unlike judged_fanout_broadcast_ms)", type: 'gauge', samples: [
          { labels: { quantile: '0.5' }, value: d.fanout.broadcastCpuMs.quantile(0.5) },
          { labels: { quantile: '0.99' }, value: d.fanout.broadcastCpuMs.quantile(0.99) },
        ] },
        { name: 'judged_event_commit_lag_ms', help: 'Time from an event being written to its fan-out starting (transaction and commit)', type: 'gauge', samples: [
          { labels: { quantile: '0.5' }, value: d.fanout.commitLagMs.quantile(0.5) },
          { labels: { quantile: '0.99' }, value: d.fanout.commitLagMs.quantile(0.99) },
        ] },
        { name: 'judged_event_loop_delay_ms', help: 'How late the event loop ran timers since the previous scrape (what every event and answer waits behind)', type: 'gauge', samples: [
          { labels: { quantile: '0.5' }, value: lag.p50 },
          { labels: { quantile: '0.99' }, value: lag.p99 },
          { labels: { quantile: '1' }, value: lag.max },
        ] },
        { name: 'judged_slow_clients_dropped_total', help: 'Clients disconnected for not keeping up', type: 'counter', samples: [{ value: d.fanout.stats.dropped }] },
        { name: 'judged_process_resident_bytes', help: 'Resident memory of the daemon', type: 'gauge', samples: [{ value: process.memoryUsage.rss() }] },
      ];
    },
  });
}

function printBanner(h: DaemonHandle, contestGiven: boolean): void {
  const shownHost = h.host === '0.0.0.0' || h.host === '::' ? os.hostname() : h.host;
  const addr = `${shownHost}:${h.port}`;
  const team = h.credentials.find((c) => c.role === 'team')?.username ?? 'team1';
  const lines = [`judged listening on ${h.url.startsWith('https:') ? 'https' : 'http'}://${addr} — connect with: pnpm judge --server ${addr} --user ${team}`];
  if (h.credentials.length > 0) {
    lines.push(contestGiven ? 'generated logins (shown once; only hashes are stored):' : 'demo contest logins (shown once; only hashes are stored):');
    for (const c of h.credentials) lines.push(`  ${c.role.padEnd(5)}  ${c.username.padEnd(12)}  ${c.password}`);
  } else if (!contestGiven) {
    lines.push('demo contest resumed from the data dir: its logins were printed at its first start');
  }
  // Names come from the contest files (refused there when they hold controls); cleaned all the same.
  process.stdout.write(lines.map((l) => safeLine(l)).join('\n') + '\n');
}

/** The CLI's entry: starts, prints the address, and shuts down cleanly on SIGINT/SIGTERM. */
export async function startDaemon(opts: StartOptions): Promise<DaemonHandle | null> {
  const log = createLogger();
  let handle: DaemonHandle;
  try {
    handle = await createDaemon(opts, { log });
  } catch (err) {
    if (err instanceof StartupError) {
      // The message may quote the contest files or packages: terminal-safe, line breaks kept.
      process.stderr.write(`judged: ${safeBlock(err.message)}\n`);
    } else {
      log.error('judged failed to start', { err });
    }
    process.exitCode = 1;
    return null;
  }
  printBanner(handle, opts.contest !== undefined);
  log.info('ready', { url: handle.url });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      log.warn('second signal: exiting at once', { signal });
      process.exit(130);
    }
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.error('shutdown took more than 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    handle.close().then(
      () => {
        log.info('stopped');
        clearTimeout(force);
      },
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return handle;
}
