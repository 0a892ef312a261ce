import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  parseServerFrame,
  type RequestInput,
  type ErrorCode,
  type EventFrame,
  type RequestType,
  type ResultOf,
  type Session,
  type Snapshot,
} from '@judged/shared/protocol';

/**
 * One WebSocket to the daemon, kept alive: connect, hello (clock offset), log in or resume, subscribe
 * from the last seen seq; on a dropped connection, retry with exponential backoff and resume the same
 * way. Every server frame is validated with the shared schemas. The client never throws on network
 * trouble; it reports a status and tries again.
 */
export type ConnStatus = 'connecting' | 'online' | 'reconnecting' | 'failed';

export interface ConnState {
  status: ConnStatus;
  /** For people: why offline, what is happening. */
  message: string;
  attempt: number;
  /** When the next reconnect attempt starts (local epoch ms), while reconnecting. */
  retryAtMs: number | null;
  /** Failed because the server ended the session: the user must log in again. */
  sessionEnded?: boolean;
}

export class RequestError extends Error {
  constructor(
    public code: ErrorCode | 'disconnected' | 'timeout' | 'bad_response' | 'session_ended',
    message: string,
    public field?: string,
    public retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export type Auth =
  | { kind: 'password'; username: string; password: string }
  | { kind: 'token'; token: string; username?: string; password?: string };

export interface ClientHandlers {
  onStatus?: (s: ConnState) => void;
  /** Called with the clock offset (server minus local, ms) after every hello. */
  onOffset?: (offsetMs: number) => void;
  onSession?: (s: Session) => void;
  onSnapshot?: (snapshot: Snapshot, headSeq: number) => void;
  onEvent?: (frame: EventFrame) => void;
  /** The first connection + login finished (ok) or failed in a way retrying will not fix. */
  onReady?: (err: RequestError | null) => void;
  /**
   * The server ended this session (logout everywhere, a new password, the account or team disabled).
   * The client has forgotten its token and password and stopped: the user must log in again.
   */
  onSessionEnded?: (reason: string) => void;
}

export interface ClientOptions {
  url: string;
  auth?: Auth;
  handlers?: ClientHandlers;
  /** Seq to resume from (events after it are replayed); null for a snapshot. */
  sinceSeq?: () => number | null;
  requestTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Subscribe to the event log after login (the full-screen client); scripts do not need it. */
  subscribe?: boolean;
  clientName?: string;
  /** Keep reconnecting after the first successful connection (default true). */
  reconnect?: boolean;
}

interface Pending {
  type: RequestType;
  resolve: (v: unknown) => void;
  reject: (e: RequestError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Close codes by which the server ends a session (4001: logged out everywhere, new password, account
 * disabled; 4003: team disabled). Logging in again with a remembered password would undo them.
 */
const SESSION_ENDED_CLOSE: ReadonlySet<number> = new Set([4001, 4003]);

/** Errors after which retrying with the same credentials cannot help. */
const FATAL: ReadonlySet<string> = new Set(['bad_credentials', 'account_disabled', 'unsupported_version', 'session_invalid']);

export class JudgeClient {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private closed = false;
  private everReady = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  session: Session | null = null;
  /** Why the server ended the session (then the client has stopped), or null. */
  sessionEnded: string | null = null;
  state: ConnState = { status: 'connecting', message: 'connecting', attempt: 0, retryAtMs: null };

  constructor(private opts: ClientOptions) {}

  start(): void {
    this.closed = false;
    void this.connectOnce();
  }

  /** Resolves once logged in (and subscribed when asked); rejects with why it could not. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const prev = this.opts.handlers?.onReady;
      this.opts.handlers = {
        ...this.opts.handlers,
        onReady: (err) => {
          prev?.(err);
          if (err) reject(err);
          else resolve();
        },
      };
      this.start();
    });
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failPending('disconnected', 'client closed');
    try {
      this.ws?.close(1000, 'bye');
    } catch {
      // already closing
    }
    this.ws = null;
  }

  /** Drop the socket as if the network failed (tests and `judge` resilience checks). */
  dropConnection(): void {
    this.ws?.terminate();
  }

  request<T extends RequestType>(frame: RequestInput<T>): Promise<ResultOf<T>> {
    const ws = this.ws;
    const type = (frame as unknown as { type: T }).type;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RequestError('disconnected', `not connected to ${this.opts.url} (${this.state.message})`));
    }
    const id = this.nextId++;
    return new Promise<ResultOf<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError('timeout', `the server did not answer '${type}' within ${this.timeoutMs() / 1000} s`));
      }, this.timeoutMs());
      this.pending.set(id, { type, resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  private timeoutMs(): number {
    return this.opts.requestTimeoutMs ?? 15_000;
  }

  private setStatus(s: Partial<ConnState>): void {
    this.state = { ...this.state, ...s };
    this.opts.handlers?.onStatus?.(this.state);
  }

  private failPending(code: 'disconnected', message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError(code, message));
      this.pending.delete(id);
    }
  }

  private async connectOnce(): Promise<void> {
    this.setStatus({ status: this.everReady ? 'reconnecting' : 'connecting', message: `connecting to ${this.opts.url}`, retryAtMs: null });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.url, { handshakeTimeout: 5000, maxPayload: 64 * 1024 * 1024 });
    } catch (err) {
      this.fail(new RequestError('disconnected', `cannot connect to ${this.opts.url}: ${(err as Error).message}`), true);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('error', () => {
      // 'close' follows with the details we report
    });
    ws.on('close', (code, reasonBuf) => {
      if (this.ws !== ws) return;
      this.ws = null;
      const reason = String(reasonBuf);
      this.failPending('disconnected', 'connection lost');
      if (this.closed) return;
      if (SESSION_ENDED_CLOSE.has(code)) {
        this.endSession(reason || 'your session ended: log in again');
        return;
      }
      const why = opened
        ? `connection lost${reason ? `: ${reason}` : code !== 1006 ? ` (code ${code})` : ''}`
        : `server unreachable at ${this.opts.url}`;
      this.fail(new RequestError('disconnected', why), true);
    });
    ws.on('open', () => {
      opened = true;
      void this.handshake(ws);
    });
  }

  private async handshake(ws: WebSocket): Promise<void> {
    try {
      const t0 = Date.now();
      const hello = await this.request<'hello'>({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: this.opts.clientName ?? 'judge-tui/0.1.0' });
      const t1 = Date.now();
      this.opts.handlers?.onOffset?.(hello.serverTimeMs - Math.round((t0 + t1) / 2));
      const auth = this.opts.auth;
      if (auth) {
        let session: Session | null = null;
        if (auth.kind === 'token') {
          try {
            session = (await this.request<'resume'>({ type: 'resume', token: auth.token })).session;
          } catch (err) {
            const invalid = err instanceof RequestError && err.code === 'session_invalid';
            // Once logged in, a session the server no longer knows was ended on purpose (perhaps while
            // we were offline): the remembered password must not log us back in.
            if (invalid && this.everReady) {
              this.endSession('your session ended (logged out, or a new password): log in again');
              try {
                ws.close(1000, 'session ended');
              } catch {
                // already closing
              }
              return;
            }
            // A stale stored token from an earlier run is not fatal when we also have a password.
            if (!(invalid && auth.username && auth.password)) throw err;
          }
        }
        if (!session) {
          const username = auth.kind === 'password' ? auth.username : auth.username!;
          const password = auth.kind === 'password' ? auth.password : auth.password!;
          session = (await this.request<'login'>({ type: 'login', username, password })).session;
        }
        this.session = session;
        // Later reconnects resume the session instead of sending the password again.
        this.opts.auth = { kind: 'token', token: session.token, username: session.user.username, ...(auth.password ? { password: auth.password } : {}) };
        this.opts.handlers?.onSession?.(session);
      }
      if (this.opts.subscribe) {
        const since = this.opts.sinceSeq?.() ?? null;
        const sub = await this.request<'subscribe'>({ type: 'subscribe', sinceSeq: since });
        if (sub.mode === 'snapshot') this.opts.handlers?.onSnapshot?.(sub.snapshot, sub.headSeq);
      }
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.setStatus({ status: 'online', message: 'online', attempt: 0, retryAtMs: null });
      if (!this.everReady) {
        this.everReady = true;
        this.opts.handlers?.onReady?.(null);
      }
    } catch (err) {
      if (this.ws !== ws) return;
      const e = err instanceof RequestError ? err : new RequestError('bad_response', (err as Error).message);
      if (e.code === 'disconnected') return; // 'close' handles it
      const fatal = FATAL.has(e.code);
      this.fail(e, !fatal);
      if (fatal || !this.everReady) {
        try {
          ws.close(1000, 'giving up');
        } catch {
          // ignore
        }
      }
    }
  }

  /** Forgets the credentials and stops: only a new login (by the user) may continue. */
  private endSession(reason: string): void {
    this.opts.auth = undefined;
    this.session = null;
    this.sessionEnded = reason;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failPending('disconnected', reason);
    this.setStatus({ status: 'failed', message: reason, retryAtMs: null, sessionEnded: true });
    this.opts.handlers?.onSessionEnded?.(reason);
    if (!this.everReady) this.opts.handlers?.onReady?.(new RequestError('session_ended', reason));
  }

  private fail(err: RequestError, retry: boolean): void {
    // The first connection is not retried: the user hears at once that the server is unreachable or
    // the login is wrong. After that, a dropped connection is retried for as long as we run.
    const keepTrying = retry && this.everReady && this.opts.reconnect !== false;
    if (!keepTrying) {
      this.closed = true;
      this.setStatus({ status: 'failed', message: err.message, retryAtMs: null });
      if (!this.everReady) this.opts.handlers?.onReady?.(err);
      return;
    }
    this.attempt++;
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 500, maxMs: 10_000 };
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt - 1, 16));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.setStatus({ status: 'reconnecting', message: err.message, attempt: this.attempt, retryAtMs: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) void this.connectOnce();
    }, delay);
  }

  private onMessage(text: string): void {
    const parsed = parseServerFrame(text);
    if (!parsed.ok) {
      // A frame we cannot read is dropped, not fatal: the next resync repairs the state.
      process.env.JUDGE_DEBUG && process.stderr.write(`judge: ignoring bad server frame: ${parsed.message}\n`);
      if (parsed.id !== null && typeof parsed.id === 'number') {
        const p = this.pending.get(parsed.id);
        if (p) {
          this.pending.delete(parsed.id);
          clearTimeout(p.timer);
          p.reject(new RequestError('bad_response', `unreadable answer to '${p.type}': ${parsed.message}`));
        }
      }
      return;
    }
    const f = parsed.frame;
    if (f.type === 'event') {
      this.opts.handlers?.onEvent?.(f);
      return;
    }
    if (typeof f.id !== 'number') return;
    const p = this.pending.get(f.id);
    if (!p) return;
    this.pending.delete(f.id);
    clearTimeout(p.timer);
    if (f.type === 'ok') p.resolve(f.result);
    else p.reject(new RequestError(f.code, f.message, f.field, f.retryAfterMs));
  }
}
