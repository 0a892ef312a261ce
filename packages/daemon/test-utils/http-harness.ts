/**
 * Test helper: the public HTTP handler on a loopback port, with small fetch helpers and the fake
 * contest's logins as Basic headers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpDeps } from '../src/server/http/deps.ts';
import { createHttpHandler, type HttpHandlerOptions, type PublicHttpHandler } from '../src/server/http/handler.ts';

export function basicAuth(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}

export interface HttpHarness {
  base: string;
  handler: PublicHttpHandler;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  send(method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

async function reply(r: Response): Promise<Reply> {
  const text = await r.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, body, headers: r.headers, text };
}

export async function startHttpHarness(deps: HttpDeps, opts: HttpHandlerOptions = {}): Promise<HttpHarness> {
  const handler = createHttpHandler(deps, opts);
  const server = http.createServer((req, res) => {
    void handler(req, res).then((answered) => {
      if (!answered) {
        res.writeHead(404);
        res.end('not mine');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    handler,
    get: async (path, headers = {}) => reply(await fetch(base + path, { headers })),
    send: async (method, path, body, headers = {}) =>
      reply(await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) })),
    close: async () => {
      handler.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
