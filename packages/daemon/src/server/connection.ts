/**
 * One WebSocket client. Every incoming message goes through the same gate, in order:
 *   rate limit (token bucket) -> text only -> parseClientFrame (zod, size) -> role may send it
 *   -> handler -> exactly one answer (ok or error, carrying the request's id).
 * Memory per connection is bounded: a request is handled only while the socket's buffer is below
 * `highWaterBytes`; above it, or with `maxQueuedRequests` waiting, the socket is not read (TCP pushes
 * back on the client), and a client that stays above the mark for `stuckMs` is cut off.
 * Nothing a client sends can throw past this gate: a bad frame is answered with an error naming the
 * field, and the connection keeps serving. Requests of one connection are handled one at a time, in
 * the order they came, so answers keep their order (the events a request causes go through the
 * fan-out, and may follow its answer while a large fan-out is under way: fanout.ts).
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
import { toApiError } from './api-error.ts';
import type { Admission, Budgets } from './budgets.ts';
import type { FanOut, Subscriber } from './fanout.ts';
import type { Logger } from './log.ts';
import { TokenBucket } from './rate-limit.ts';
import type { TextFrame } from './ws-frame.ts';

/** Per connection; what a person may do in all is in budgets.ts. */
export interface RateLimits {
  /** Frames of any kind: burst and sustained rate per connection. */
  frameBurst: number;
  framesPerSecond: number;
  /** Refused frames in a row before the connection is closed as abusive. */
  maxRefusedInARow: number;
  /** Socket buffer (bytes) above which requests wait and the socket is not read. */
  highWaterBytes: number;
  /** Requests waiting their turn before the socket is not read. */
  maxQueuedRequests: number;
  /** A client whose buffer stays above the high-water mark this long is disconnected. */
  stuckMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  frameBurst: 40,
  framesPerSecond: 20,
  maxRefusedInARow: 200,
  highWaterBytes: 1024 * 1024,
  maxQueuedRequests: 8,
  stuckMs: 20_000,
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
  /** The source address (budgets are kept per address). */
  address: string;
  budgets: Budgets;
  /** This socket's place in the connection budget (released at close). */
  admission: Admission;
}

export const PUBLIC_SESSION: ConnectionSession = { viewer: { role: 'public', teamId: null }, user: null, token: null };
let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  session: ConnectionSession = PUBLIC_SESSION;
  clientName: string | null = null;
  /** Why a hello did not make this a public connection (spectators full): said when it is closed. */
  pendingReason: string | null = null;
  private subscriber: Subscriber | null = null;
  private chain: Promise<void> = Promise.resolve();
  private refusedInARow = 0;
  private closed = false;
  private readonly frames: TokenBucket;
  private readonly limits: RateLimits;
  private queued = 0;
  private paused = false;
  private congestedSince: number | null = null;
  private congestionTimer: NodeJS.Timeout | null = null;
  private writableWaiters: Array<() => void> = [];
  private readonly helloTimer: NodeJS.Timeout;
  readonly log: Logger;
  readonly budgets: Budgets;
  readonly admission: Admission;
  readonly address: string;

  constructor(
    readonly ws: WebSocket,
    private readonly opts: ConnectionOptions,
  ) {
    this.limits = opts.limits ?? DEFAULT_RATE_LIMITS;
    this.frames = new TokenBucket({ capacity: this.limits.frameBurst, refillPerSecond: this.limits.framesPerSecond });
    this.budgets = opts.budgets;
    this.admission = opts.admission;
    this.address = opts.address;
    this.log = opts.log.child({ conn: this.id, remote: opts.remote });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on('close', () => this.onClose());
    // An idle socket that never says who it is holds a file descriptor others need.
    this.helloTimer = setTimeout(() => {
      const s = Math.round(this.budgets.limits.helloTimeoutMs / 1000);
      if (this.admission.class === 'pending') this.close(4008, this.pendingReason ? `${this.pendingReason} within ${s} s` : `no hello within ${s} s`);
    }, this.budgets.limits.helloTimeoutMs);
    this.helloTimer.unref();
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  send(frame: unknown): void {
    if (this.isOpen) {
      this.ws.send(JSON.stringify(frame));
      this.checkCongestion();
    }
  }

  sendEncoded(data: Buffer): void {
    if (this.isOpen) {
      this.ws.send(data, { binary: false });
      this.checkCongestion();
    }
  }

  /**
   * A fan-out frame shared with other readers. Sent through ws.send: writing the pre-built frame on
   * the socket (writeFramed, ws-frame.ts) cut the fan-out's CPU ~10% but in the 2,000-client bench
   * the daemon then held ~235 MB more in ArrayBuffers after the burst (RSS 515 MiB against 313),
   * not yet explained; it stays off until that is (docs/server.md, "Shared frames (i16e)").
   */
  sendFrame(frame: TextFrame): void {
    if (this.isOpen) {
      this.ws.send(frame.payload, { binary: false });
      this.checkCongestion();
    }
  }

  /** Replaces the session (login, resume, logout); a live subscription follows the new viewer. */
  setSession(s: ConnectionSession): void {
    const sub = this.subscriber;
    if (sub) this.opts.fanout.remove(sub);
    this.session = s;
    if (s.user) this.admission.loggedIn();
    else this.admission.loggedOut();
    if (sub) this.subscribe(sub.deliveredSeq);
  }

  /** Starts live events after `deliveredSeq` (the caller has already sent what came before). */
  subscribe(deliveredSeq: number): void {
    if (this.subscriber) this.opts.fanout.remove(this.subscriber);
    if (this.closed) return;
    const sub: Subscriber = {
      viewer: this.session.viewer,
      deliveredSeq,
      sendFrame: (f) => this.sendFrame(f),
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

  close(code: number, reason: string): void {
    // A close reason may be at most 123 bytes.
    if (!this.closed) this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, ''));
  }

  private onClose(): void {
    this.closed = true;
    clearTimeout(this.helloTimer);
    this.admission.release();
    if (this.subscriber) this.opts.fanout.remove(this.subscriber);
    this.subscriber = null;
    this.stopCongestionWatch();
    for (const w of this.writableWaiters.splice(0)) w();
  }

  private get congested(): boolean {
    return this.ws.bufferedAmount > this.limits.highWaterBytes;
  }

  /** After a send: above the high-water mark, stop reading and watch until the client drains or is cut off. */
  private checkCongestion(): void {
    if (!this.congested || this.congestionTimer) return;
    this.congestedSince = performance.now();
    this.pauseReading();
    this.congestionTimer = setInterval(() => this.watchCongestion(), 50);
    this.congestionTimer.unref();
  }

  private watchCongestion(): void {
    if (this.closed) return this.stopCongestionWatch();
    if (this.congested) {
      if (performance.now() - (this.congestedSince ?? 0) > this.limits.stuckMs) {
        this.log.warn('client not reading its answers; disconnecting', { buffered: this.ws.bufferedAmount });
        this.stopCongestionWatch();
        // A close frame would queue behind what it does not read: cut the socket.
        this.ws.terminate();
      }
      return;
    }
    this.stopCongestionWatch();
    for (const w of this.writableWaiters.splice(0)) w();
    this.maybeResumeReading();
  }

  private stopCongestionWatch(): void {
    if (this.congestionTimer) clearInterval(this.congestionTimer);
    this.congestionTimer = null;
    this.congestedSince = null;
  }

  private whenWritable(): Promise<void> {
    if (!this.congested || this.closed) return Promise.resolve();
    this.checkCongestion();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  private pauseReading(): void {
    if (!this.paused && !this.closed) {
      this.paused = true;
      this.ws.pause();
    }
  }

  private maybeResumeReading(): void {
    if (this.paused && !this.closed && !this.congested && this.queued < this.limits.maxQueuedRequests) {
      this.paused = false;
      this.ws.resume();
    }
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
    if (++this.queued >= this.limits.maxQueuedRequests) this.pauseReading();
    this.chain = this.chain.then(async () => {
      await this.whenWritable();
      await this.handle(req);
      this.queued--;
      this.maybeResumeReading();
    });
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
