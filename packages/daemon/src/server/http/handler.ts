/**
 * The daemon's public HTTP side, as one request handler the transport mounts:
 *   GET /, /scoreboard       projector scoreboard page (connects to /ws as role public)
 *   GET /api/...             ICPC CCS Contest API (2023-06), read-only subset, HTTP Basic auth
 *   GET /metrics             Prometheus text format
 * Anything else returns false so the transport can answer 404.
 *
 * Authentication: no Authorization header means public; a Basic header is checked against the same
 * accounts as the WebSocket login, and a wrong one is refused (401) rather than silently downgraded.
 */
import type http from 'node:http';
import type { User } from '@judged/shared/protocol';
import { isJury, viewerOf } from '@judged/shared/visibility';
import { Visibility } from './access.ts';
import {
  CCS_API_VERSION,
  ccsClarification,
  ccsContest,
  ccsJudgement,
  ccsJudgementTypes,
  ccsLanguage,
  ccsOrganizations,
  ccsProblem,
  ccsRuns,
  ccsScoreboard,
  ccsState,
  ccsSubmission,
  ccsTeam,
} from './ccs.ts';
import { BudgetRefusal } from '../budgets.ts';
import type { HttpDeps } from './deps.ts';
import { EventFeed } from './event-feed.ts';
import { HttpCounters, renderPrometheus } from './metrics.ts';
import { scoreboardPageHtml } from './scoreboard-page.ts';

export interface HttpHandlerOptions {
  /** Newline keepalive on the event feed (the spec asks for at most 120 s). */
  feedKeepaliveMs?: number;
  feedMaxBufferedBytes?: number;
}

export type PublicHttpHandler = ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>) & {
  /** Ends every open event feed (at shutdown). */
  close(): void;
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, head: boolean, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(head ? undefined : text);
}

function sendText(res: http.ServerResponse, status: number, contentType: string, text: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store' });
  res.end(head ? undefined : text);
}

/** Parses an Authorization header; undefined when absent, throws 401 when malformed. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) throw new HttpError(401, 'Authorization must be HTTP Basic (username:password, base64)', { 'www-authenticate': 'Basic realm="judged"' });
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new HttpError(401, 'Basic credentials must be "username:password"', { 'www-authenticate': 'Basic realm="judged"' });
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The request target as a URL, or null when it is not one (e.g. `http://[::1`): a 400, not a crash. */
export function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

function isLoopback(req: http.IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

const COLLECTIONS = [
  'judgement-types',
  'languages',
  'problems',
  'groups',
  'organizations',
  'teams',
  'submissions',
  'judgements',
  'runs',
  'clarifications',
] as const;
type Collection = (typeof COLLECTIONS)[number];

export function createHttpHandler(deps: HttpDeps, opts: HttpHandlerOptions = {}): PublicHttpHandler {
  const feeds = new Set<EventFeed>();
  const counters = new HttpCounters();
  const keepaliveMs = opts.feedKeepaliveMs ?? 60_000;
  const maxBuffered = opts.feedMaxBufferedBytes ?? 16 * 1024 * 1024;

  // Password guessing over HTTP shares the WebSocket login budgets (per address, per account); the
  // token is taken before the check, so parallel wrong guesses are refused, not all checked.
  async function authenticate(req: http.IncomingMessage): Promise<User | null> {
    const creds = parseBasicAuth(req.headers.authorization);
    if (!creds) return null;
    const addr = req.socket.remoteAddress ?? 'unknown';
    let user: User | null;
    try {
      user = await deps.budgets.guardLogin(addr, creds.username, async () => deps.authenticate(creds.username, creds.password));
    } catch (err) {
      if (!(err instanceof BudgetRefusal)) throw err;
      const s = String(Math.max(1, Math.ceil(err.waitMs / 1000)));
      throw new HttpError(429, err.message, { 'retry-after': s });
    }
    if (!user) throw new HttpError(401, 'wrong username or password', { 'www-authenticate': 'Basic realm="judged"' });
    return user;
  }

  function collection(name: Collection, vis: Visibility): Array<{ id: string }> {
    const clock = vis.clock;
    switch (name) {
      case 'judgement-types':
        return ccsJudgementTypes();
      case 'languages':
        return deps.languages().map(ccsLanguage);
      case 'problems':
        return vis.problems() ? deps.problems().map((p, i) => ccsProblem(p, i + 1) as { id: string }) : [];
      case 'groups':
        return [];
      case 'organizations':
        return ccsOrganizations(deps.teams().filter((t) => vis.team(t)));
      case 'teams':
        return deps.teams().filter((t) => vis.team(t)).map(ccsTeam);
      case 'submissions':
        return deps.submissions().filter((s) => vis.submission(s)).map(ccsSubmission);
      case 'judgements':
      case 'runs': {
        const subs = new Map(deps.submissions().map((s) => [s.id, s]));
        const visible = deps.judgings().filter((j) => vis.judgement(j, subs.get(j.submissionId)));
        return name === 'judgements' ? visible.map((j) => ccsJudgement(j, clock)) : visible.flatMap((j) => ccsRuns(j, clock));
      }
      case 'clarifications':
        return deps.clarifications().filter((c) => vis.clarification(c)).map(ccsClarification);
    }
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, parts: string[], query: URLSearchParams, head: boolean): Promise<string> {
    const user = await authenticate(req);
    const clock = deps.clock();
    const vis = new Visibility(viewerOf(user), clock, deps.teams());
    if (parts.length === 0) {
      sendJson(res, 200, { version: CCS_API_VERSION, version_url: `https://ccs-specs.icpc.io/${CCS_API_VERSION}/contest_api`, name: 'judged' }, head);
      return '';
    }
    if (parts[0] !== 'contests') throw new HttpError(404, `no endpoint /api/${parts.join('/')}`);
    if (parts.length === 1) {
      sendJson(res, 200, [ccsContest(clock)], head);
      return 'contests';
    }
    if (parts[1] !== clock.contestId) throw new HttpError(404, `no contest '${parts[1]}'; this daemon runs '${clock.contestId}'`);
    const what = parts[2];
    if (what === undefined && parts.length === 2) {
      sendJson(res, 200, ccsContest(clock), head);
      return 'contest';
    }
    if (parts.length === 3 && what === 'state') {
      sendJson(res, 200, ccsState(clock), head);
      return 'state';
    }
    if (parts.length === 3 && what === 'scoreboard') {
      sendJson(res, 200, ccsScoreboard(deps.scoreboard(vis.scoreboardView()), clock, String(deps.headSeq?.() ?? 0)), head);
      return 'scoreboard';
    }
    if (parts.length === 3 && what === 'event-feed') {
      if (head) {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.end();
        return 'event-feed';
      }
      const stream = query.get('stream') !== 'false';
      const feed = new EventFeed(deps, vis.viewer, res, { stream, keepaliveMs, maxBufferedBytes: maxBuffered }, () => feeds.delete(feed));
      feeds.add(feed);
      feed.start();
      return 'event-feed';
    }
    if ((parts.length === 3 || parts.length === 4) && (COLLECTIONS as readonly string[]).includes(what ?? '')) {
      const items = collection(what as Collection, vis);
      if (parts.length === 3) {
        sendJson(res, 200, items, head);
        return what!;
      }
      const item = items.find((i) => i.id === parts[3]);
      if (!item) throw new HttpError(404, `no ${what} with id '${parts[3]}' (or you may not see it)`);
      sendJson(res, 200, item, head);
      return `${what}/{id}`;
    }
    throw new HttpError(404, `no endpoint /api/${parts.join('/')}`);
  }

  async function metrics(req: http.IncomingMessage, res: http.ServerResponse, head: boolean): Promise<void> {
    if (!deps.metricsPublic && !isLoopback(req)) {
      const user = await authenticate(req);
      if (!isJury(user)) {
        throw new HttpError(401, 'metrics: give jury credentials (HTTP Basic) or scrape from this host', { 'www-authenticate': 'Basic realm="judged"' });
      }
    }
    const families = [...deps.metrics(), counters.family()];
    sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', renderPrometheus(families), head);
  }

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const url = requestUrl(req.url);
    if (!url) {
      counters.add('bad-target', 400);
      sendJson(res, 400, { code: 400, message: 'malformed request target' }, req.method === 'HEAD');
      return true;
    }
    const path = url.pathname;
    const isApi = path === '/api' || path.startsWith('/api/');
    const known = isApi || path === '/' || path === '/scoreboard' || path === '/metrics';
    if (!known) return false;
    const head = req.method === 'HEAD';
    let route = isApi ? 'api' : path;
    try {
      if (req.method !== 'GET' && !head) throw new HttpError(405, 'read-only: only GET and HEAD are allowed', { allow: 'GET, HEAD' });
      if (path === '/' || path === '/scoreboard') {
        sendText(res, 200, 'text/html; charset=utf-8', scoreboardPageHtml({ wsPath: deps.wsPath ?? '/ws' }), head);
      } else if (path === '/metrics') {
        await metrics(req, res, head);
      } else {
        let parts: string[];
        try {
          parts = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
        } catch {
          throw new HttpError(400, 'malformed percent-encoding in the path');
        }
        const name = await api(req, res, parts, url.searchParams, head);
        route = name ? `/api/${name}` : '/api';
      }
      counters.add(route, res.statusCode);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      counters.add(route, err.status);
      if (!res.headersSent) sendJson(res, err.status, { code: err.status, message: err.message }, head, err.headers);
    }
    return true;
  };

  return Object.assign(handler, {
    close() {
      for (const f of [...feeds]) f.close();
    },
  });
}
