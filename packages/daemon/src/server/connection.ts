/**
 * One WebSocket client. Every incoming message goes through the same gate, in order:
 *   rate limit (token bucket) -> text only -> parseClientFrame (zod, size) -> role may send it
 *   -> handler -> exactly one answer (ok or error, carrying the request's id).
 * Nothing a client sends can throw past this gate: a bad frame is answered with an error naming the
 * field, and the connection keeps serving. Requests of one connection are handled one at a time, in
 * the order they came, so answers and the events a request causes keep their order.
 */
import type { WebSocket } from 'ws';
import {
  errorFrame,
  MAX_FRAME_BYTES,
  mayRequest,
  okFrameOf,
  parseClientFrame,
  type ClientFrame,
  type ErrorFrame,
  type RequestId,
  type RequestOf,
  type RequestType,
  type ResultOf,
  type User,
} from '@judged/shared/protocol';
import type { EventViewer } from '../store/index.ts';
import { ApiError, toApiError } from './api-error.ts';
import type { FanOut, Subscriber } from './fanout.ts';
import type { Logger } from './log.ts';
import { TokenBucket } from './rate-limit.ts';

export interface RateLimits {
  /** Frames of any kind: burst and sustained rate per connection. */
  frameBurst: number;
  framesPerSecond: number;
  /** Password checks (scrypt) per connection. */
  loginBurst: number;
  loginsPerMinute: number;
  /** Submissions per connection. */
  submitBurst: number;
  submitsPerMinute: number;
  /** Refused frames in a row before the connection is closed as abusive. */
  maxRefusedInARow: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  frameBurst: 40,
  framesPerSecond: 20,
  loginBurst: 5,
  loginsPerMinute: 10,
  submitBurst: 10,
  submitsPerMinute: 20,
  maxRefusedInARow: 200,
};

export interface ConnectionSession {
  viewer: EventViewer;
  /** The logged-in user; null for a public connection. */
  user: User | null;
  /** The token to revoke on logout; null when not logged in. */
  token: string | null;
}

export interface RequestContext {
  readonly conn: Connection;
  readonly log: Logger;
  /**
   * Runs fn right after the ok answer is sent, in the same tick: a subscribe sends its missed events
   * there, so they follow the answer and no live event can slip in between.
   */
  afterReply(fn: () => void): void;
}

export type Handler<T extends RequestType> = (req: RequestOf<T>, ctx: RequestContext) => ResultOf<T> | Promise<ResultOf<T>>;
export type Handlers = { [T in RequestType]: Handler<T> };

export interface ConnectionOptions {
  handlers: Handlers;
  fanout: FanOut;
  log: Logger;
  limits?: RateLimits;
  maxFrameBytes?: number;
  remote: string;
}

export const PUBLIC_SESSION: ConnectionSession = { viewer: { role: 'public', teamId: null }, user: null, token: null };
let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  session: ConnectionSession = PUBLIC_SESSION;
  clientName: string | null = null;
  private subscriber: Subscriber | null = null;
  private chain: Promise<void> = Promise.resolve();
  private refusedInARow = 0;
  private closed = false;
  private readonly frames: TokenBucket;
  private readonly logins: TokenBucket;
  private readonly submits: TokenBucket;
  private readonly limits: RateLimits;
  readonly log: Logger;

  constructor(
    readonly ws: WebSocket,
    private readonly opts: ConnectionOptions,
  ) {
    this.limits = opts.limits ?? DEFAULT_RATE_LIMITS;
    this.frames = new TokenBucket({ capacity: this.limits.frameBurst, refillPerSecond: this.limits.framesPerSecond });
    this.logins = new TokenBucket({ capacity: this.limits.loginBurst, refillPerSecond: this.limits.loginsPerMinute / 60 });
    this.submits = new TokenBucket({ capacity: this.limits.submitBurst, refillPerSecond: this.limits.submitsPerMinute / 60 });
    this.log = opts.log.child({ conn: this.id, remote: opts.remote });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on('close', () => this.onClose());
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  send(frame: unknown): void {
    if (this.isOpen) this.ws.send(JSON.stringify(frame));
  }

  sendEncoded(data: Buffer): void {
    if (this.isOpen) this.ws.send(data, { binary: false });
  }

  /** Replaces the session (login, resume, logout); a live subscription follows the new viewer. */
  setSession(s: ConnectionSession): void {
    const sub = this.subscriber;
    if (sub) this.opts.fanout.remove(sub);
    this.session = s;
    if (sub) this.subscribe(sub.deliveredSeq);
  }

  /** Starts live events after `deliveredSeq` (the caller has already sent what came before). */
  subscribe(deliveredSeq: number): void {
    if (this.subscriber) this.opts.fanout.remove(this.subscriber);
    if (this.closed) return;
    const sub: Subscriber = {
      viewer: this.session.viewer,
      deliveredSeq,
      sendEncoded: (d) => this.sendEncoded(d),
      bufferedBytes: () => this.ws.bufferedAmount,
      dropSlow: () => {
        this.log.warn('client too slow for live events; disconnecting', { buffered: this.ws.bufferedAmount });
        this.subscriber = null;
        this.ws.close(4000, 'too slow to keep up with events: reconnect and subscribe with your last seq');
      },
    };
    this.subscriber = sub;
    this.opts.fanout.add(sub);
  }

  get subscribed(): boolean {
    return this.subscriber !== null;
  }

  /** Takes one login attempt from this connection's budget, or throws rate_limited. */
  takeLoginToken(): void {
    if (!this.logins.take()) {
      throw new ApiError('rate_limited', 'too many login attempts on this connection: wait and try again', undefined, this.logins.waitMs());
    }
  }

  takeSubmitToken(): void {
    if (!this.submits.take()) {
      throw new ApiError('rate_limited', 'too many submissions: wait a little before submitting again', undefined, this.submits.waitMs());
    }
  }

  close(code: number, reason: string): void {
    if (!this.closed) this.ws.close(code, reason);
  }

  private onClose(): void {
    this.closed = true;
    if (this.subscriber) this.opts.fanout.remove(this.subscriber);
    this.subscriber = null;
  }

  private refuse(frame: ErrorFrame): void {
    this.send(frame);
    if (++this.refusedInARow >= this.limits.maxRefusedInARow) {
      this.log.warn('closing a connection that kept sending refused frames', { refused: this.refusedInARow });
      this.close(1008, `closed after ${this.refusedInARow} refused frames in a row`);
    }
  }

  private onMessage(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.frames.take()) {
      const e = errorFrame(peekId(data, isBinary), 'rate_limited', `too many frames: at most ${this.limits.framesPerSecond} a second`);
      e.retryAfterMs = this.frames.waitMs();
      this.refuse(e);
      return;
    }
    if (isBinary) {
      this.refuse(errorFrame(null, 'bad_frame', 'frames must be JSON text, not binary'));
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const parsed = parseClientFrame(text, this.opts.maxFrameBytes ?? MAX_FRAME_BYTES);
    if (!parsed.ok) {
      const e = errorFrame(parsed.id, parsed.code, parsed.message, parsed.field);
      this.log.debug('refused frame', { code: parsed.code, message: parsed.message });
      this.refuse(e);
      return;
    }
    const req = parsed.frame;
    if (!mayRequest(this.session.viewer.role, req.type)) {
      const role = this.session.viewer.role;
      this.refuse(
        role === 'public'
          ? errorFrame(req.id, 'unauthenticated', `'${req.type}' needs a login first: send login or resume`)
          : errorFrame(req.id, 'forbidden', `a ${role} account may not send '${req.type}'`),
      );
      return;
    }
    this.refusedInARow = 0;
    this.chain = this.chain.then(() => this.handle(req));
  }

  private async handle(req: ClientFrame): Promise<void> {
    if (this.closed) return;
    const handler = this.opts.handlers[req.type] as Handler<RequestType>;
    const started = performance.now();
    const after: Array<() => void> = [];
    try {
      const ctx: RequestContext = { conn: this, log: this.log, afterReply: (fn) => after.push(fn) };
      const result = await handler(req as RequestOf<RequestType>, ctx);
      this.send(okFrameOf(req.id as RequestId, req.type, result as ResultOf<RequestType>));
      for (const fn of after) fn();
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr) {
        const e = errorFrame(req.id, apiErr.code, apiErr.message, apiErr.field);
        if (apiErr.retryAfterMs !== undefined) e.retryAfterMs = apiErr.retryAfterMs;
        this.send(e);
      } else {
        this.log.error('request failed', { type: req.type, err });
        this.send(errorFrame(req.id, 'internal', `the server failed to handle '${req.type}'; the jury can see the details in the daemon log`));
      }
    }
    const ms = performance.now() - started;
    if (ms > 200) this.log.warn('slow request', { type: req.type, ms: Math.round(ms) });
  }
}

const ID_PEEK = /"id"\s*:\s*(\d{1,15}|"[^"\\]{1,64}")/;

/**
 * The request id of a frame refused before parsing (rate limit), read from its first bytes without
 * parsing the whole frame, so the client can match the refusal to its request. Null when not found.
 */
function peekId(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): RequestId | null {
  if (isBinary) return null;
  const head = (Array.isArray(data) ? data[0]! : Buffer.from(data as ArrayBuffer)).subarray(0, 256).toString('utf8');
  const m = ID_PEEK.exec(head);
  if (!m) return null;
  return m[1]!.startsWith('"') ? m[1]!.slice(1, -1) : Number(m[1]);
}
