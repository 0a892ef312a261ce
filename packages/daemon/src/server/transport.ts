/**
 * One port for everything: an http.Server that answers GET /healthz itself, hands WebSocket upgrades
 * on /ws to a `ws` server (noServer mode), and passes every other request to the mounted HTTP handler
 * (scoreboard page, Contest API, metrics) when there is one.
 *
 * Oversized frames are refused by ws itself (maxPayload) before they are buffered; we add a close
 * reason that says what the limit is, since ws alone closes with a bare 1009.
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestUrl } from './http/handler.ts';
import type { Logger } from './log.ts';

/** Returns true when it answered the request; false lets the transport answer 404. */
export type HttpHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface TransportOptions {
  host: string;
  port: number;
  /** Largest WebSocket message accepted, in bytes. */
  maxFrameBytes: number;
  log: Logger;
  onConnection: (ws: WebSocket, req: http.IncomingMessage) => void;
  /** Consulted by /healthz; the daemon is ready once problems, store and workers are up. */
  isReady: () => boolean;
  /** What impairs the daemon without stopping it (the Redis queue down), shown by /healthz; null: nothing. */
  health?: () => string | null;
  httpHandler?: HttpHandler;
  /** PEM certificate (chain) and private key: serve HTTPS and wss instead of HTTP and ws. */
  tls?: { cert: Buffer; key: Buffer };
  /** Ping period; a client that has not answered the previous ping is cut off (a pulled cable). Default 30 s. */
  pingIntervalMs?: number;
  /** Open WebSocket connections at most; more are refused with 503 (file descriptors are finite). Default 5000. */
  maxConnections?: number;
  /**
   * Each new TCP socket, before anything is read from it: returns its release (called when it
   * closes or becomes a WebSocket), or a refusal message (the socket is answered 503 and closed).
   */
  admitSocket?: (socket: net.Socket) => { release(): void } | string;
  /** Idle time after which a keep-alive HTTP socket is closed. Default 5 s. */
  keepAliveMs?: number;
}

export interface Transport {
  readonly server: http.Server;
  readonly wss: WebSocketServer;
  /** The bound address (port resolved when 0 was asked for). */
  address(): { host: string; port: number };
  mountHttp(handler: HttpHandler): void;
  /** Stops accepting, closes every socket with 1001 and resolves once the server is closed. */
  close(reason?: string): Promise<void>;
}

export async function startTransport(opts: TransportOptions): Promise<Transport> {
  let httpHandler = opts.httpHandler;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes, clientTracking: true });

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (!requestUrl(req.url)) {
      // A target that is not a URL (e.g. `http://[::1`) is the client's mistake: 400, nothing logged.
      res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' });
      res.end('malformed request target\n');
      return;
    }
    void route(req, res).catch((err: unknown) => {
      opts.log.error('http handler failed', { url: req.url, err });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  };
  // HTTPS when the organizer gives a certificate (the CCS requirements ask for it); WebSockets too then (wss).
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : http.createServer(listener);
  // Slow-loris protection for plain HTTP; upgraded sockets are not subject to these.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = opts.keepAliveMs ?? 5_000;

  const admitted = new WeakMap<net.Socket, { release(): void }>();
  server.on('connection', (socket: net.Socket) => {
    const a = opts.admitSocket?.(socket);
    if (a === undefined) return;
    if (typeof a === 'string') {
      const body = `${a}\n`;
      socket.on('error', () => socket.destroy());
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    admitted.set(socket, a);
    socket.once('close', () => a.release());
  });

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const ready = opts.isReady();
      const problem = ready ? (opts.health?.() ?? null) : null;
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      // Still 200 when degraded: the daemon serves and takes submissions; the body says what is wrong.
      res.end(!ready ? 'starting\n' : problem ? `degraded: ${problem}\n` : 'ok\n');
      return;
    }
    if (httpHandler && (await httpHandler(req, res))) return;
    if (!res.headersSent) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(path === '/ws' ? 'WebSocket endpoint: connect with a WebSocket client\n' : 'not found\n');
    }
  }

  server.on('upgrade', (req, socket, head) => {
    // No longer an HTTP socket: as a WebSocket it is counted by onConnection's own admission.
    admitted.get(socket as net.Socket)?.release();
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (wss.clients.size >= (opts.maxConnections ?? 5000)) {
      opts.log.warn('connection refused: too many open connections', { open: wss.clients.size });
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      addOversizeReason(ws, opts.maxFrameBytes);
      // A protocol error (bad frame bits, oversize) must never become an uncaught exception.
      ws.on('error', (err) => opts.log.debug('websocket error', { err: err.message }));
      opts.onConnection(ws, req);
    });
  });

  // Keepalive: a peer that vanished without closing (cable, suspended laptop) is noticed within two periods.
  const alive = new WeakMap<WebSocket, boolean>();
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, opts.pingIntervalMs ?? 30_000);
  pinger.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    server,
    wss,
    address() {
      const a = server.address() as AddressInfo;
      return { host: a.address, port: a.port };
    },
    mountHttp(handler) {
      httpHandler = handler;
    },
    async close(reason = 'server shutting down') {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.close(1001, reason);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Give clients a moment to answer the close frame, then cut what is left.
      const timer = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections();
      }, 1_000);
      timer.unref();
      server.closeIdleConnections();
      await closed;
      clearTimeout(timer);
      wss.close();
    },
  };
}

/**
 * ws refuses a too-large message with close code 1009 and no reason. Its receiver reports the error
 * before ws closes the socket, so a listener placed first can close with a reason that says what the
 * limit is; ws's own close then finds the socket already closing and does nothing more.
 * (`_receiver` is internal to ws; its version is pinned and the e2e test checks the reason.)
 */
function addOversizeReason(ws: WebSocket, maxBytes: number): void {
  const receiver = (ws as unknown as { _receiver?: NodeJS.EventEmitter })._receiver;
  if (!receiver || typeof receiver.prependListener !== 'function') return;
  receiver.prependListener('error', (err: Error & { code?: string }) => {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && ws.readyState === ws.OPEN) {
      ws.close(1009, `frame too large: the limit is ${maxBytes} bytes`);
    }
  });
}
