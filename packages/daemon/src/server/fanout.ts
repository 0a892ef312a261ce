/**
 * Event fan-out. Each committed event of the log is encoded to bytes once (the event frame) and that
 * same buffer goes to every subscriber who may see it, so a verdict costs one JSON.stringify however
 * many clients are connected. Subscribers are indexed by visibility class (public, jury, each team), so
 * an event meant for one team touches only that team's connections and the jury's.
 *
 * A frame carries the reader's own number for the event (store/core.ts, "Reader numbers"), not the
 * log position: one buffer for all public readers, one for the jury, one per team. Positions stay
 * inside (deliveredSeq), so replay and live delivery meet without a gap.
 *
 * A client that cannot keep up (its socket buffer grows past a limit) is disconnected rather than
 * buffered without bound; it reconnects with its last seq and catches up from the log.
 */
import { eventFrame, type ScoreboardRow } from '@judged/shared/protocol';
import { isJuryRole } from '@judged/shared/visibility';
import type { EventViewer, StoredEvent } from '../store/index.ts';

export interface Subscriber {
  /** Who is reading; must not change while subscribed (remove, change, add). */
  readonly viewer: EventViewer;
  /** Sends an already encoded text frame. */
  sendEncoded(data: Buffer): void;
  /** Bytes queued on the socket, for slow-consumer detection. */
  bufferedBytes(): number;
  /** Disconnects a subscriber that fell behind. */
  dropSlow(): void;
  /** Events at log positions <= this were already delivered (resume replay); live events skip them. */
  deliveredSeq: number;
}

export interface FanOutStats {
  published: number;
  encodes: number;
  sends: number;
  dropped: number;
}

/** The last `size` samples, for quantiles over recent events without unbounded memory. */
export class Reservoir {
  private readonly buf: number[] = [];
  private next = 0;
  constructor(private readonly size = 1024) {}
  add(x: number): void {
    if (this.buf.length < this.size) this.buf.push(x);
    else this.buf[this.next] = x;
    this.next = (this.next + 1) % this.size;
  }
  quantile(q: number): number {
    if (this.buf.length === 0) return 0;
    const s = [...this.buf].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  }
  get count(): number {
    return this.buf.length;
  }
}

/** The event frame of `e` numbered `n`, the reader's number (readerSeq). */
export function encodeEvent(e: StoredEvent, n: number): Buffer {
  return Buffer.from(JSON.stringify(eventFrame(n, e.atMs, e.event)));
}

/** Encodes one event for many numbers: the JSON is built once and only the number differs. */
function frameEncoder(e: StoredEvent): (n: number) => Buffer {
  const head = '{"type":"event","seq":';
  const rest = JSON.stringify(eventFrame(0, e.atMs, e.event)).slice(head.length + 1);
  return (n) => Buffer.from(head + n + rest);
}

/** The number a viewer knows an event by (StoreCore.readerSeq). */
export type ReaderSeq = (e: StoredEvent, viewer: EventViewer) => number;

export class FanOut {
  private readonly publicSubs = new Set<Subscriber>();
  private readonly jurySubs = new Set<Subscriber>();
  private readonly teamSubs = new Map<string, Set<Subscriber>>();
  readonly stats: FanOutStats = { published: 0, encodes: 0, sends: 0, dropped: 0 };
  /** Milliseconds publish() took, for events sent to at least one client (recent ones). */
  readonly publishMs = new Reservoir();
  /** Milliseconds from an event's append (atMs) to the start of its fan-out: the rest of its transaction and the commit. */
  readonly commitLagMs = new Reservoir();

  constructor(
    private readonly readerSeq: ReaderSeq,
    private readonly maxBufferedBytes = 8 * 1024 * 1024,
  ) {}

  add(sub: Subscriber): void {
    const { role, teamId } = sub.viewer;
    if (role === 'public') this.publicSubs.add(sub);
    else if (isJuryRole(role)) this.jurySubs.add(sub);
    else if (teamId !== null) {
      let set = this.teamSubs.get(teamId);
      if (!set) this.teamSubs.set(teamId, (set = new Set()));
      set.add(sub);
    }
  }

  remove(sub: Subscriber): void {
    this.publicSubs.delete(sub);
    this.jurySubs.delete(sub);
    const teamId = sub.viewer.teamId;
    if (teamId !== null) {
      const set = this.teamSubs.get(teamId);
      set?.delete(sub);
      if (set?.size === 0) this.teamSubs.delete(teamId);
    }
  }

  get size(): number {
    let n = this.publicSubs.size + this.jurySubs.size;
    for (const s of this.teamSubs.values()) n += s.size;
    return n;
  }

  /**
   * Queues an event and fans the queue out once the current synchronous run ends (the store hands
   * over all events of one transaction in one run). Scoreboard events of one batch with the same view
   * and audience are merged into one (rows by team, the later row wins) that takes the place and seq
   * of the last of them: a burst of 300 submissions in one transaction then costs every client one
   * scoreboard frame instead of 300. Each client still sees seqs in increasing order; the separate
   * events stay in the log for replay.
   */
  enqueue(e: StoredEvent): void {
    this.queue.push(e);
    if (this.queue.length === 1) queueMicrotask(() => this.flush());
  }

  private queue: StoredEvent[] = [];

  /** Fans out everything queued (also called at shutdown). */
  flush(): void {
    const batch = this.queue;
    this.queue = [];
    for (const e of coalesceScoreboards(batch)) this.publish(e);
  }

  publish(e: StoredEvent): void {
    const started = performance.now();
    const sendsBefore = this.stats.sends;
    this.stats.published++;
    let encode: ((n: number) => Buffer) | undefined;
    const roles = e.audience.roles;
    // Each class (public, jury, one team) gets one buffer with its own number, made on first use.
    const deliver = (subs: Iterable<Subscriber>, filter?: (s: Subscriber) => boolean): void => {
      let data: Buffer | undefined;
      for (const sub of subs) {
        if (sub.deliveredSeq >= e.seq) continue;
        if (filter && !filter(sub)) continue;
        if (sub.bufferedBytes() > this.maxBufferedBytes) {
          this.stats.dropped++;
          this.remove(sub);
          sub.dropSlow();
          continue;
        }
        if (!data) {
          encode ??= frameEncoder(e);
          data = encode(this.readerSeq(e, sub.viewer));
          this.stats.encodes++;
        }
        sub.deliveredSeq = e.seq;
        this.stats.sends++;
        sub.sendEncoded(data);
      }
    };
    if (roles.includes('public')) deliver([...this.publicSubs]);
    if (roles.includes('team')) {
      if (e.audience.teamId !== null) {
        const set = this.teamSubs.get(e.audience.teamId);
        if (set) deliver([...set]);
      } else {
        for (const set of [...this.teamSubs.values()]) deliver([...set]);
      }
    }
    const judge = roles.includes('judge');
    const admin = roles.includes('admin');
    if (judge || admin) deliver([...this.jurySubs], judge && admin ? undefined : (s) => roles.includes(s.viewer.role));
    if (this.stats.sends > sendsBefore) {
      this.publishMs.add(performance.now() - started);
      this.commitLagMs.add(Math.max(0, Date.now() - e.atMs));
    }
  }
}

function audienceKey(e: StoredEvent): string {
  const ev = e.event;
  const view = ev.kind === 'scoreboard' ? `${ev.view}/${ev.frozen}` : '';
  return `${view}|${[...e.audience.roles].sort().join(',')}|${e.audience.teamId ?? ''}`;
}

/** Merges the scoreboard events of a batch that share view, freeze and audience; others pass as they are. */
export function coalesceScoreboards(batch: readonly StoredEvent[]): StoredEvent[] {
  const boards = batch.filter((e) => e.event.kind === 'scoreboard');
  if (boards.length < 2) return [...batch];
  const groups = new Map<string, StoredEvent[]>();
  for (const e of boards) {
    const k = audienceKey(e);
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  const merged = new Map<StoredEvent, StoredEvent | null>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const rows = new Map<string, ScoreboardRow>();
    for (const e of g) if (e.event.kind === 'scoreboard') for (const r of e.event.rows) rows.set(r.teamId, r);
    const last = g[g.length - 1]!;
    for (const e of g) merged.set(e, null);
    if (last.event.kind === 'scoreboard') merged.set(last, { ...last, event: { ...last.event, rows: [...rows.values()] } });
  }
  const out: StoredEvent[] = [];
  for (const e of batch) {
    if (!merged.has(e)) out.push(e);
    else {
      const m = merged.get(e);
      if (m) out.push(m);
    }
  }
  return out;
}
