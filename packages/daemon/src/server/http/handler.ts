/**
 * The daemon's public HTTP side, as one request handler the transport mounts:
 *   GET /, /scoreboard       projector scoreboard page (connects to /ws as role public)
 *   /api/...                 ICPC CCS Contest API (2023-06): reads, the event feed, POST submissions
 *                            and clarifications, PATCH the contest (docs/http.md lists every endpoint)
 *   GET /metrics             Prometheus text format
 * Anything else returns false so the transport can answer 404.
 *
 * Authentication: no Authorization header means public; a Basic header is checked against the same
 * accounts as the WebSocket login, and a wrong one is refused (401) rather than silently downgraded;
 * a Bearer header carries a WebSocket login's session token.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { User } from '@judged/shared/protocol';
import { isJury, viewerOf } from '@judged/shared/visibility';
import { Visibility } from './access.ts';
import { ActionError, patchContest, postClarification, postSubmission, putSubmission } from './actions.ts';
import { apiSubmissionId, CCS_API_VERSION, ccsContest, ccsScoreboard, ccsState, CCS_PROPERTIES, Organizations, type FileRef } from './ccs.ts';
import { accessOf, isCollection, offered, readCollection, readerBoard, type Collection } from './collections.ts';
import { BudgetRefusal } from '../budgets.ts';
import { toApiError } from '../api-error.ts';
import type { HttpDeps } from './deps.ts';
import { EventFeed } from './event-feed.ts';
import { FeedTokens } from './feed-token.ts';
import { HttpCounters, renderPrometheus } from './metrics.ts';
import { scoreboardPageHtml } from './scoreboard-page.ts';
import { zipSubmission } from './submission-zip.ts';

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

/** Largest request body (a POSTed submission: the base64 zip of at most 256 KiB of sources). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Every API response may be read by browser tools on other origins (the spec asks for it). */
const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-max-age': '600',
};

/** Query options that are not id filters. */
const OPTIONS_QUERY = new Set(['stream', 'since_token', 'group_id']);

/** Protocol error codes of the daemon's refusals, as HTTP statuses. */
const STATUS_OF: Record<string, number> = {
  bad_request: 400,
  unknown_language: 400,
  source_too_large: 400,
  forbidden: 403,
  contest_not_running: 403,
  account_disabled: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unauthenticated: 401,
  session_invalid: 401,
  bad_credentials: 401,
};

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the request body must be JSON');
  }
}

/** `?team_id=t1&problem_id=` filters: every ID property named must equal the value ('' is null). */
function filterById(items: Array<Record<string, unknown>>, type: string, query: URLSearchParams): Array<Record<string, unknown>> {
  const filters = [...query.entries()].filter(([k]) => !OPTIONS_QUERY.has(k));
  if (filters.length === 0) return items;
  const props = CCS_PROPERTIES[type] ?? [];
  for (const [k] of filters) {
    if (!k.endsWith('_id') || !props.includes(k)) throw new HttpError(400, `${type} can be filtered by ${props.filter((p) => p.endsWith('_id')).join(', ') || 'nothing'}, not by ${k}`);
  }
  return items.filter((o) => filters.every(([k, v]) => (o[k] === null || o[k] === undefined ? v === '' : String(o[k]) === v)));
}

export function createHttpHandler(deps: HttpDeps, opts: HttpHandlerOptions = {}): PublicHttpHandler {
  const feeds = new Set<EventFeed>();
  const counters = new HttpCounters();
  const tokens = new FeedTokens(deps.feedTokenKey);
  const keepaliveMs = opts.feedKeepaliveMs ?? 60_000;
  const maxBuffered = opts.feedMaxBufferedBytes ?? 16 * 1024 * 1024;

  // Password guessing over HTTP shares the WebSocket login budgets (per address, per account); the
  // token is taken before the check, so parallel wrong guesses are refused, not all checked.
  async function authenticate(req: http.IncomingMessage): Promise<User | null> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (bearer) {
      // A session of the WebSocket login (the judge client's token) works here too.
      const user = deps.sessionUser(bearer[1]!);
      if (!user) throw new HttpError(401, 'the session expired or was ended: log in again', { 'www-authenticate': 'Basic realm="judged"' });
      return user;
    }
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

  function collection(name: Collection, vis: Visibility): Array<Record<string, unknown> & { id: string }> {
    if (!offered(name, vis)) throw new HttpError(404, `no endpoint ${name} for this account`);
    return readCollection(name, deps, vis);
  }

  function submissionFiles(res: http.ServerResponse, vis: Visibility, id: string, head: boolean): void {
    const s = deps.submissions().find((x) => apiSubmissionId(x) === id);
    if (!s || !vis.submission(s)) throw new HttpError(404, `no submission with id '${id}' (or you may not see it)`);
    if (!vis.submissionFiles(s)) throw new HttpError(403, 'only the team that made a submission and the jury may read its files');
    const zip = zipSubmission(deps.submissionFiles(s.id), s.submittedAtMs);
    res.writeHead(200, {
      ...CORS,
      'content-type': 'application/zip',
      'content-length': String(zip.length),
      'content-disposition': `attachment; filename="submission-${id}.zip"`,
      'cache-control': 'private, max-age=3600',
    });
    res.end(head ? undefined : Buffer.from(zip.buffer, zip.byteOffset, zip.length));
  }

  /**
   * A file an object refers to (a logo, a photo, a statement, an attachment): served only when the
   * reader can read the object and it lists the file, so the file follows the object's access rule
   * (a hidden team's organization, a problem before the start: 404 as the object itself).
   */
  async function referencedFile(res: http.ServerResponse, vis: Visibility, parts: string[], head: boolean): Promise<string | null> {
    const [, , what, id, prop, filename] = parts as [string, string, string, string, string, string];
    const route = { organizations: 'logo', persons: 'photo', problems: 'statement' } as Record<string, string>;
    if (!(route[what] === prop || (what === 'problems' && prop === 'attachments'))) return null;
    const item = collection(what as Collection, vis).find((i) => i.id === id);
    const ref = (item?.[prop] as FileRef[] | undefined)?.find((r) => r.filename === filename);
    if (!ref) throw new HttpError(404, `no ${what} ${id} with ${prop} '${filename}' (or you may not see it)`);
    const headers = { ...CORS, 'content-type': ref.mime, 'content-disposition': `inline; filename="${filename.replace(/[^A-Za-z0-9_.-]/g, '_')}"`, 'cache-control': 'private, max-age=600', 'x-content-type-options': 'nosniff' };
    let bytes: Buffer | undefined;
    if (what === 'organizations') bytes = new Organizations(deps.organizations()).logo(id, filename)?.bytes;
    else if (what === 'persons') bytes = deps.persons().find((p) => p.id === id)?.photos.find((p) => p.filename === filename)?.bytes;
    if (bytes) {
      res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      res.end(head ? undefined : bytes);
      return `${what}/{id}/${prop}`;
    }
    const file = what === 'problems' ? deps.problemFiles(id)[prop as 'statement' | 'attachments'].find((f) => f.filename === filename) : undefined;
    if (!file) throw new HttpError(404, `${what} ${id} has no ${prop} '${filename}'`);
    // Read from the package as it is now (opened before the headers, so a vanished file is a 404).
    let fd: number;
    try {
      fd = fs.openSync(file.path, 'r');
    } catch {
      throw new HttpError(404, `${what} ${id}: ${filename} is no longer in the problem package`);
    }
    const size = fs.fstatSync(fd).size;
    res.writeHead(200, { ...headers, 'content-length': String(size) });
    if (head) {
      fs.closeSync(fd);
      res.end();
    } else {
      fs.createReadStream('', { fd }).pipe(res);
    }
    return `${what}/{id}/${prop}`;
  }

  function actionsOf(): NonNullable<HttpDeps['actions']> {
    if (!deps.actions) throw new HttpError(405, 'this API is read-only', { allow: 'GET, HEAD' });
    return deps.actions;
  }

  async function write(req: http.IncomingMessage, res: http.ServerResponse, user: User | null, parts: string[]): Promise<string> {
    const method = req.method!;
    const what = parts[2];
    actionsOf();
    if (!user) throw new HttpError(401, `${method} needs an account (HTTP Basic or a session token)`, { 'www-authenticate': 'Basic realm="judged"' });
    // A runner's login may read what the public reads and nothing more: no write of any kind.
    if (user.role === 'balloon') throw new HttpError(403, `a balloon runner's account reads the Contest API as the public does and may change nothing (${method} /api/${parts.join('/')})`);
    const clock = deps.clock();
    const base = `/api/contests/${encodeURIComponent(clock.contestId)}`;
    if (method === 'PATCH' && parts.length === 2) {
      const out = patchContest(actionsOf(), user, clock, await readBody(req), Date.now());
      sendJson(res, 200, out, false, CORS);
      return 'contest';
    }
    if (method === 'POST' && parts.length === 3 && what === 'submissions') {
      const out = await postSubmission(actionsOf(), user, clock.contestId, await readBody(req));
      sendJson(res, 201, out, false, { ...CORS, location: `${base}/submissions/${encodeURIComponent(out.id)}` });
      return 'submissions';
    }
    if (method === 'POST' && parts.length === 3 && what === 'clarifications') {
      const out = postClarification(actionsOf(), user, await readBody(req));
      sendJson(res, 201, out, false, { ...CORS, location: `${base}/clarifications/${encodeURIComponent(out.id)}` });
      return 'clarifications';
    }
    if (method === 'PUT' && parts.length === 4 && what === 'submissions') {
      const out = await putSubmission(actionsOf(), user, clock.contestId, parts[3]!, await readBody(req));
      sendJson(res, 201, out, false, { ...CORS, location: `${base}/submissions/${encodeURIComponent(out.id)}` });
      return 'submissions/{id}';
    }
    if (method === 'PUT' && parts.length === 4 && what === 'clarifications') {
      throw new HttpError(405, 'judged assigns clarification ids itself: POST instead of PUT', { allow: 'GET, HEAD, POST' });
    }
    throw new HttpError(405, `${method} is not allowed on /api/${parts.join('/')}`, { allow: 'GET, HEAD' });
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, parts: string[], query: URLSearchParams, head: boolean): Promise<string> {
    const user = await authenticate(req);
    const reading = req.method === 'GET' || head;
    if (!reading) {
      if (parts[0] !== 'contests' || parts[1] !== deps.clock().contestId) throw new HttpError(404, `no endpoint /api/${parts.join('/')}`);
      return write(req, res, user, parts);
    }
    const clock = deps.clock();
    const vis = new Visibility(viewerOf(user), clock, deps.teams());
    const json = (body: unknown, name: string): string => {
      sendJson(res, 200, body, head, CORS);
      return name;
    };
    if (parts.length === 0) return json({ version: CCS_API_VERSION, version_url: `https://ccs-specs.icpc.io/${CCS_API_VERSION}/contest_api`, provider: { name: 'judged' } }, '');
    if (parts[0] !== 'contests') throw new HttpError(404, `no endpoint /api/${parts.join('/')}`);
    if (parts.length === 1) return json([ccsContest(clock)], 'contests');
    if (parts[1] !== clock.contestId) throw new HttpError(404, `no contest '${parts[1]}'; this daemon runs '${clock.contestId}'`);
    const what = parts[2];
    if (what === undefined && parts.length === 2) return json(ccsContest(clock), 'contest');
    if (parts.length === 3 && what === 'access') return json(accessOf(vis, deps.actions !== undefined), 'access');
    if (parts.length === 3 && what === 'state') return json(ccsState(clock), 'state');
    if (parts.length === 3 && what === 'scoreboard') {
      const groupId = query.get('group_id') ?? undefined;
      const board = readerBoard(deps, vis, groupId);
      if (!board) throw new HttpError(400, `no group '${groupId}' (see /groups)`);
      return json(ccsScoreboard(board, clock), 'scoreboard');
    }
    if (parts.length === 3 && what === 'event-feed') {
      if (head) {
        res.writeHead(200, { ...CORS, 'content-type': 'application/x-ndjson' });
        res.end();
        return 'event-feed';
      }
      const stream = query.get('stream') !== 'false';
      const feed = new EventFeed(deps, vis.viewer, tokens, res, { stream, keepaliveMs, maxBufferedBytes: maxBuffered }, () => feeds.delete(feed));
      const sinceToken = query.get('since_token');
      const since = sinceToken === null ? null : feed.openToken(sinceToken);
      if (sinceToken !== null && since === null) throw new HttpError(400, 'since_token is not a token this feed gave you: reconnect without it to get the full state');
      for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
      feeds.add(feed);
      feed.start(since);
      return 'event-feed';
    }
    if (parts.length === 5 && what === 'submissions' && parts[4] === 'files') {
      submissionFiles(res, vis, parts[3]!, head);
      return 'submissions/{id}/files';
    }
    if (parts.length === 6 && isCollection(what)) {
      const route = await referencedFile(res, vis, parts, head);
      if (route) return route;
    }
    if ((parts.length === 3 || parts.length === 4) && isCollection(what)) {
      const items = collection(what, vis);
      if (parts.length === 3) return json(filterById(items, what, query), what);
      const item = items.find((i) => i.id === parts[3]);
      if (!item) throw new HttpError(404, `no ${what} with id '${parts[3]}' (or you may not see it)`);
      return json(item, `${what}/{id}`);
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
      if (isApi && req.method === 'OPTIONS') {
        // CORS preflight: browsers ask before a POST or an Authorization header.
        res.writeHead(204, CORS);
        res.end();
      } else if (!isApi && req.method !== 'GET' && !head) {
        throw new HttpError(405, 'read-only: only GET and HEAD are allowed', { allow: 'GET, HEAD' });
      } else if (path === '/' || path === '/scoreboard') {
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
      const e = asHttpError(err);
      counters.add(route, e.status);
      if (!res.headersSent) sendJson(res, e.status, { code: e.status, message: e.message }, head, isApi ? { ...CORS, ...e.headers } : e.headers);
      else res.end();
    }
    return true;
  };

  return Object.assign(handler, {
    close() {
      for (const f of [...feeds]) f.close();
    },
  });
}

/** Our refusals as HTTP errors; anything else is a bug and is thrown on. */
function asHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ActionError) return new HttpError(err.status, err.message);
  const api = toApiError(err);
  if (api) {
    const headers: Record<string, string> = api.retryAfterMs ? { 'retry-after': String(Math.ceil(api.retryAfterMs / 1000)) } : {};
    return new HttpError(STATUS_OF[api.code] ?? 400, api.message, headers);
  }
  throw err;
}
