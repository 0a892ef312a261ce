/**
 * A small WebSocket client for end-to-end tests and benchmarks (the TUI has its own, with resume and
 * UI state). Speaks the protocol from @judged/shared/protocol: request() sends `{id, type, ...}` and
 * resolves with the ok frame's result or rejects with a ProtocolError carrying the error frame; events
 * are collected and can be awaited with waitEvent().
 *
 *   const c = await TestClient.connect('ws://127.0.0.1:7700/ws');
 *   await c.request('hello', { protocolVersion: 1 });
 *   const { session } = await c.request('login', { username: 'team1', password });
 *   await c.request('subscribe', { sinceSeq: null });
 *   const ev = await c.waitEvent((e) => e.kind === 'verdict');
 */
import { createRequire } from 'node:module';
import type { WebSocket as WebSocketType } from '../../packages/daemon/node_modules/@types/ws/index.d.ts';
import {
  parseServerFrame,
  PROTOCOL_VERSION,
  type ContestEvent,
  type ErrorFrame,
  type EventFrame,
  type RequestInput,
  type RequestType,
  type ResultOf,
  type ServerFrame,
  type Session,
} from '../../packages/shared/src/protocol.ts';

// The repo root does not depend on ws; borrow the daemon package's copy (same pinned version).
const requireFromDaemon = createRequire(new URL('../../packages/daemon/package.json', import.meta.url));
export const WebSocket = requireFromDaemon('ws') as typeof WebSocketType;
type WebSocket = WebSocketType;

export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(readonly frame: ErrorFrame) {
    super(`${frame.code}: ${frame.message}`);
  }
  get code(): string {
    return this.frame.code;
  }
}

/** 'ok' when the request succeeds, else the error frame's code (anything else is rethrown). */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
}

/** The ProtocolError a request is refused with; a request that succeeds (or fails otherwise) fails the test. */
export async function refusal(p: Promise<unknown>): Promise<ProtocolError> {
  const err = await p.then(
    () => new Error('the request was not refused'),
    (e: unknown) => e,
  );
  if (err instanceof ProtocolError) return err;
  throw err;
}

interface Waiter {
  match: (f: EventFrame) => boolean;
  resolve: (f: EventFrame) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class TestClient {
  /** Every event frame received, in order (none kept with keepEvents: false). */
  readonly events: EventFrame[] = [];
  /** Error frames that answered no request of ours (id null), e.g. a refused malformed frame. */
  readonly strayErrors: ErrorFrame[] = [];
  /** Frames that failed parseServerFrame (should stay empty: the server must send valid frames). */
  readonly invalidFrames: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;
  private readonly pending = new Map<number | string, { resolve: (r: unknown) => void; reject: (e: Error) => void; type: string }>();
  private waiters: Waiter[] = [];
  /** The session of the last login/resume made through login() or resume(). */
  session: Session | null = null;
  /** Called with every event as it arrives (benchmarks measure latency here). */
  onEvent: ((f: EventFrame, receivedAt: number) => void) | null = null;

  /**
   * validate: check every server frame against the protocol schemas (default). Benchmarks turn it off
   * so that zod in the measuring process does not dominate what is measured.
   */
  private constructor(
    readonly ws: WebSocket,
    private readonly validate = true,
    /** Benchmarks with thousands of clients keep none: the retained frames made the clients' GC what was measured. */
    private readonly keepEvents = true,
  ) {
    ws.on('message', (data) => this.onMessage(String(data)));
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        const err = new Error(`connection closed (${code} ${String(reason)})`);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        for (const w of this.waiters) {
          clearTimeout(w.timer);
          w.reject(err);
        }
        this.waiters = [];
        resolve({ code, reason: String(reason) });
      }),
    );
    ws.on('error', () => {
      // 'close' follows and settles everything
    });
  }

  /** localAddress: connect from this loopback address (e.g. 127.0.0.7), to stand for another machine. */
  static connect(url: string, timeoutMs = 10_000, opts: { validate?: boolean; localAddress?: string; keepEvents?: boolean } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { maxPayload: 4 * 1024 * 1024, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`could not connect to ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(new TestClient(ws, opts.validate ?? true, opts.keepEvents ?? true));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Connects, says hello, and logs in (or resumes with a token). */
  static async login(url: string, username: string, password: string, opts: { validate?: boolean; localAddress?: string; keepEvents?: boolean } = {}): Promise<TestClient> {
    const c = await TestClient.connect(url, 10_000, opts);
    await c.request('hello', { protocolVersion: PROTOCOL_VERSION, client: 'test-client' });
    c.session = (await c.request('login', { username, password })).session;
    return c;
  }

  /** Resumes a session (after a reconnect) and remembers it. */
  async resume(token: string): Promise<Session> {
    this.session = (await this.request('resume', { token })).session;
    return this.session;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Last event seq seen (0 before any). */
  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  request<T extends RequestType>(type: T, body: Omit<RequestInput<T>, 'type'>, timeoutMs = 30_000): Promise<ResultOf<T>> {
    const id = this.nextId++;
    return new Promise<ResultOf<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to '${type}' (id ${id}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        type,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as ResultOf<T>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ ...body, id, type }));
    });
  }

  /** Sends raw text or bytes, e.g. a malformed frame. */
  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The first event (already received or still to come) after `afterSeq` that matches. */
  waitEvent(match: (e: ContestEvent, f: EventFrame) => boolean, opts: { afterSeq?: number; timeoutMs?: number } = {}): Promise<EventFrame> {
    const after = opts.afterSeq ?? 0;
    const m = (f: EventFrame): boolean => f.seq > after && match(f.event, f);
    const found = this.events.find(m);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: m,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`no matching event within ${opts.timeoutMs ?? 30_000} ms; got kinds: ${this.events.map((e) => e.event.kind).join(',')}`));
        }, opts.timeoutMs ?? 30_000),
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for the next error frame with id null (an answer to a frame that had no readable id). */
  async waitStrayError(timeoutMs = 5_000): Promise<ErrorFrame> {
    const start = this.strayErrors.length;
    const end = Date.now() + timeoutMs;
    while (this.strayErrors.length === start) {
      if (Date.now() > end) throw new Error('no error frame arrived');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.strayErrors[start]!;
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }

  /** Drops the TCP connection without a close handshake (a pulled cable). */
  terminate(): Promise<{ code: number; reason: string }> {
    this.ws.terminate();
    return this.closed;
  }

  private onMessage(text: string): void {
    let f: ServerFrame;
    if (this.validate) {
      const parsed = parseServerFrame(text);
      if (!parsed.ok) {
        this.invalidFrames.push(text.slice(0, 500));
        return;
      }
      f = parsed.frame;
    } else {
      f = JSON.parse(text) as ServerFrame;
    }
    if (f.type === 'event') {
      if (this.keepEvents) this.events.push(f);
      this.onEvent?.(f, performance.now());
      const hit = this.waiters.filter((w) => w.match(f));
      if (hit.length > 0) {
        this.waiters = this.waiters.filter((w) => !hit.includes(w));
        for (const w of hit) {
          clearTimeout(w.timer);
          w.resolve(f);
        }
      }
      return;
    }
    const p = f.id === null ? undefined : this.pending.get(f.id);
    if (!p) {
      if (f.type === 'error') this.strayErrors.push(f);
      return;
    }
    this.pending.delete(f.id!);
    if (f.type === 'ok') p.resolve(f.result);
    else p.reject(new ProtocolError(f));
  }
}

/**
 * Logs a daemon's users in with the passwords it made (its `credentials`); every client made here
 * or pushed to `clients` is terminated by `cleanup`.
 */
export function daemonLogins(d: { port: number; credentials: readonly { username: string; password: string }[] }, cleanup: Array<() => Promise<void> | void>) {
  const url = `ws://127.0.0.1:${d.port}/ws`;
  const pw = new Map(d.credentials.map((c) => [c.username, c.password]));
  const clients: TestClient[] = [];
  cleanup.push(() => void clients.forEach((c) => c.terminate()));
  const login = async (u: string): Promise<TestClient> => {
    const c = await TestClient.login(url, u, pw.get(u)!);
    clients.push(c);
    return c;
  };
  return { url, clients, login };
}
