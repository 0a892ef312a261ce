/**
 * Event fan-out. Each committed event of the log is encoded to bytes once (the event frame) and that
 * same buffer goes to every subscriber who may see it, so a verdict costs one JSON.stringify however
 * many clients are connected (a TextFrame, ws-frame.ts; Connection.sendFrame says why it goes out
 * through ws.send for now). Subscribers are indexed by visibility class (public, balloon runners,
 * jury, each team), so
 * an event meant for one team touches only that team's connections and the jury's.
 *
 * A frame carries the reader's own number for the event (store/core.ts, "Reader numbers"), not the
 * log position: one buffer for all public readers, one for the jury, one per team. Positions stay
 * inside (deliveredSeq), so replay and live delivery meet without a gap.
 *
 * A client that cannot keep up (its socket buffer grows past a limit) is disconnected rather than
 * buffered without bound; it reconnects with its last seq and catches up from the log.
 */
import { eventFrame } from '@judged/shared/protocol';
import { isJuryRole } from '@judged/shared/visibility';
import type { EventViewer, StoredEvent } from '../store/index.ts';
import { TextFrame } from './ws-frame.ts';

export interface Subscriber {
  /** Who is reading; must not change while subscribed (remove, change, add). */
  readonly viewer: EventViewer;
  /** Sends an already encoded text message (the same object for every reader of its class). */
  sendFrame(frame: TextFrame): void;
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
function frameEncoder(e: StoredEvent): (n: number) => TextFrame {
  const head = '{"type":"event","seq":';
  const rest = JSON.stringify(eventFrame(0, e.atMs, e.event)).slice(head.length + 1);
  return (n) => new TextFrame(Buffer.from(head + n + rest));
}

/** The number a viewer knows an event by (StoreCore.readerSeq). */
export type ReaderSeq = (e: StoredEvent, viewer: EventViewer) => number;
/** The same for many teams at once (StoreCore.teamReaderSeqs). */
export type TeamReaderSeqs = (e: StoredEvent, teamIds: readonly string[]) => Map<string, number>;

export class FanOut {
  private readonly publicSubs = new Set<Subscriber>();
  private readonly runnerSubs = new Set<Subscriber>();
  private readonly jurySubs = new Set<Subscriber>();
  private readonly teamSubs = new Map<string, Set<Subscriber>>();
  readonly stats: FanOutStats = { published: 0, encodes: 0, sends: 0, dropped: 0 };
  /** Milliseconds from an event's first send to its last (slices included), for events sent to at least one client (recent ones). */
  readonly publishMs = new Reservoir();
  /** The same for events every public reader gets (scoreboard changes): the fan-out to all clients. */
  readonly broadcastMs = new Reservoir();
  /**
   * The daemon's CPU time (user + system, ms) spent on those same fan-outs. Unlike broadcastMs it
   * does not grow when other processes take the CPU away; broadcastMs / broadcastCpuMs is how much
   * they stretched it. (process.cpuUsage counts the whole process: libuv's pool threads add a little.)
   */
  readonly broadcastCpuMs = new Reservoir();
  /** Milliseconds from an event's append (atMs) to its first send: the rest of its transaction, the commit, and the events before it. */
  readonly commitLagMs = new Reservoir();

  private readonly all = new Set<Subscriber>();

  constructor(
    private readonly readerSeq: ReaderSeq,
    private readonly maxBufferedBytes = 8 * 1024 * 1024,
    /** Sends per turn of the event loop (see publish). */
    private readonly sliceSends = 4000,
    /** When given, an event to every team is numbered for all subscribed teams in one call. */
    private readonly teamReaderSeqs: TeamReaderSeqs | null = null,
  ) {}

  add(sub: Subscriber): void {
    const { role, teamId } = sub.viewer;
    if (role === 'public') this.publicSubs.add(sub);
    else if (role === 'balloon') this.runnerSubs.add(sub);
    else if (isJuryRole(role)) this.jurySubs.add(sub);
    else if (teamId !== null) {
      let set = this.teamSubs.get(teamId);
      if (!set) this.teamSubs.set(teamId, (set = new Set()));
      set.add(sub);
    } else return;
    this.all.add(sub);
    // Events still waiting to go out that this reader may see (it re-subscribed as someone else).
    for (const job of this.jobs) if (this.routes(job.e, sub)) job.targets.push(sub);
  }

  remove(sub: Subscriber): void {
    this.all.delete(sub);
    this.publicSubs.delete(sub);
    this.runnerSubs.delete(sub);
    this.jurySubs.delete(sub);
    const teamId = sub.viewer.teamId;
    if (teamId !== null) {
      const set = this.teamSubs.get(teamId);
      set?.delete(sub);
      if (set?.size === 0) this.teamSubs.delete(teamId);
    }
  }

  get size(): number {
    return this.all.size;
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

  /**
   * Fans one event out. Sends go out in slices of `sliceSends`, each slice in its own turn of the
   * event loop: one write to a socket costs the daemon ~15-25 µs (mostly the kernel's), so a
   * scoreboard change to 2,000 clients is 30-50 ms of work, and done in one piece it held every
   * answer, login and verdict commit behind it (the server bench at 2,000 clients: event-loop stalls
   * of 100+ ms). Events wait in order behind the one being sent, so each client still sees them in
   * order; a client that subscribes meanwhile joins the events still waiting (it may see them).
   *
   * The slice holds a whole board for up to 4,000 clients all the same: measured on a quiet host
   * with 2,000 clients (bench/server, 300 submissions), slices of 250 let the verdicts' boards queue
   * behind each other (a change to the last client p99 3.4 s, event loop max 1.5 s), while one piece
   * gave p99 139 ms (loop max 139 ms). Slicing bounds the stall only beyond that many clients.
   */
  publish(e: StoredEvent): void {
    this.stats.published++;
    // A scoreboard change waiting behind a fan-out still going on takes in the change of the same
    // board (and audience) that waits before it, in its own place, after the events between them, so
    // every client still sees numbers in order (as a transaction's own changes are merged): under
    // load, such as a burst of submissions to 2,000 clients, every client gets fewer frames, sooner.
    const waiting = this.jobs.findIndex((j) => j.started === null && mergeable(j.e, e));
    if (waiting >= 0) e = mergeBoards(this.jobs.splice(waiting, 1)[0]!.e, e);
    this.jobs.push({ e, targets: this.targetsFor(e), next: 0, sends: 0, cpuUs: 0, started: null, frames: new Map(), encode: null });
    if (this.jobs.length === 1) this.pump();
  }

  private targetsFor(e: StoredEvent): Subscriber[] {
    const targets: Subscriber[] = [];
    for (const set of this.classesFor(e)) for (const sub of set) if (this.routes(e, sub)) targets.push(sub);
    return targets;
  }

  private readonly jobs: Job[] = [];
  private pumpScheduled = false;

  /** The subscriber sets that may hold readers of `e` (routes() decides for each). */
  private classesFor(e: StoredEvent): Array<Set<Subscriber>> {
    const roles = e.audience.roles;
    const out: Array<Set<Subscriber>> = [];
    if (roles.includes('public')) out.push(this.publicSubs);
    if (roles.includes('balloon')) out.push(this.runnerSubs);
    if (roles.includes('team')) {
      if (e.audience.teamId === null) out.push(...this.teamSubs.values());
      else {
        const set = this.teamSubs.get(e.audience.teamId);
        if (set) out.push(set);
      }
    }
    if (roles.includes('judge') || roles.includes('admin')) out.push(this.jurySubs);
    return out;
  }

  /** Whether `sub` gets `e`: in its audience and not already delivered (resume replay). */
  private routes(e: StoredEvent, sub: Subscriber): boolean {
    if (sub.deliveredSeq >= e.seq) return false;
    const { role, teamId } = sub.viewer;
    const roles = e.audience.roles;
    if (role === 'public' || role === 'balloon' || isJuryRole(role)) return roles.includes(role);
    return roles.includes('team') && teamId !== null && (e.audience.teamId === null || e.audience.teamId === teamId);
  }

  /** Sends up to one slice of the waiting events, and schedules the rest for the next turn. */
  private pump(): void {
    this.pumpScheduled = false;
    let budget = this.sliceSends;
    while (this.jobs.length > 0 && budget > 0) {
      const job = this.jobs[0]!;
      if (job.started === null) {
        job.started = performance.now();
        this.commitLagMs.add(Math.max(0, Date.now() - job.e.atMs));
      }
      const cpu0 = process.cpuUsage();
      while (job.next < job.targets.length && budget > 0) {
        const sub = job.targets[job.next++]!;
        if (this.send(job, sub)) budget--;
      }
      const cpu = process.cpuUsage(cpu0);
      job.cpuUs += cpu.user + cpu.system;
      if (job.next < job.targets.length) break;
      this.jobs.shift();
      if (job.sends > 0) {
        const ms = performance.now() - job.started;
        this.publishMs.add(ms);
        if (job.e.audience.roles.includes('public')) {
          this.broadcastMs.add(ms);
          this.broadcastCpuMs.add(job.cpuUs / 1000);
        }
      }
    }
    if (this.jobs.length > 0 && !this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => this.pump());
    }
  }

  private numberFor(job: Job, viewer: EventViewer): number {
    const e = job.e;
    if (viewer.role !== 'team' || viewer.teamId === null || !this.teamReaderSeqs || e.audience.teamId !== null) return this.readerSeq(e, viewer);
    job.teamNos ??= this.teamReaderSeqs(e, [...this.teamSubs.keys()]);
    return job.teamNos.get(viewer.teamId) ?? this.readerSeq(e, viewer);
  }

  /** One event to one subscriber; false when it was skipped (gone, already has it, dropped as slow). */
  private send(job: Job, sub: Subscriber): boolean {
    const e = job.e;
    if (!this.all.has(sub) || sub.deliveredSeq >= e.seq) return false;
    if (sub.bufferedBytes() > this.maxBufferedBytes) {
      this.stats.dropped++;
      this.remove(sub);
      sub.dropSlow();
      return false;
    }
    // Each class (public, runners, jury, one team) gets one buffer with its own number, made on first use.
    const cls = sub.viewer.role === 'public' || sub.viewer.role === 'balloon' ? sub.viewer.role : isJuryRole(sub.viewer.role) ? 'jury' : `team:${sub.viewer.teamId}`;
    let data = job.frames.get(cls);
    if (!data) {
      job.encode ??= frameEncoder(e);
      data = job.encode(this.numberFor(job, sub.viewer));
      job.frames.set(cls, data);
      this.stats.encodes++;
    }
    sub.deliveredSeq = e.seq;
    this.stats.sends++;
    job.sends++;
    sub.sendFrame(data);
    return true;
  }
}

interface Job {
  /** Reader numbers of the teams, when the event goes to every team and they were asked at once. */
  teamNos?: Map<string, number>;
  e: StoredEvent;
  /** Who gets it, in order; `next` is the first not yet sent. */
  targets: Subscriber[];
  next: number;
  sends: number;
  /** CPU time of its slices so far, µs. */
  cpuUs: number;
  /** When its first slice went out (performance.now). */
  started: number | null;
  /** The encoded frame per reader class. */
  frames: Map<string, TextFrame>;
  encode: ((n: number) => TextFrame) | null;
}

function audienceKey(e: StoredEvent): string {
  const ev = e.event;
  const view = ev.kind === 'scoreboard' ? `${ev.view}/${ev.frozen}` : '';
  return `${view}|${[...e.audience.roles].sort().join(',')}|${e.audience.teamId ?? ''}`;
}

function mergeable(a: StoredEvent, b: StoredEvent): boolean {
  return a.event.kind === 'scoreboard' && b.event.kind === 'scoreboard' && audienceKey(a) === audienceKey(b);
}

/**
 * Two changes of one board (a before b) as one event in b's place: rows by team, the later row
 * winning, removals kept unless the team came back. It is dated by a's write, so latency measured
 * from it (the server bench) covers the older change too.
 */
function mergeBoards(a: StoredEvent, b: StoredEvent): StoredEvent {
  if (a.event.kind !== 'scoreboard' || b.event.kind !== 'scoreboard') throw new Error('only scoreboard events merge');
  const rows = new Map(a.event.rows.map((r) => [r.teamId, r]));
  const removed = new Set(a.event.removedTeamIds ?? []);
  for (const id of b.event.removedTeamIds ?? []) {
    rows.delete(id);
    removed.add(id);
  }
  for (const r of b.event.rows) {
    rows.set(r.teamId, r);
    removed.delete(r.teamId);
  }
  const { removedTeamIds: _drop, ...rest } = b.event;
  // Without b's stored JSON text, which says only b's rows.
  const { json: _text, ...base } = b;
  return { ...base, atMs: Math.min(a.atMs, b.atMs), event: { ...rest, rows: [...rows.values()], ...(removed.size ? { removedTeamIds: [...removed] } : {}) } };
}

/** Merges the scoreboard events of a batch that share view, freeze and audience into the last of them; others pass as they are. */
export function coalesceScoreboards(batch: readonly StoredEvent[]): StoredEvent[] {
  const merged = new Map<string, { at: number; e: StoredEvent }>();
  const out: Array<StoredEvent | null> = [];
  for (const e of batch) {
    if (e.event.kind !== 'scoreboard') {
      out.push(e);
      continue;
    }
    const k = audienceKey(e);
    const prev = merged.get(k);
    if (prev) out[prev.at] = null;
    merged.set(k, { at: out.length, e: prev ? mergeBoards(prev.e, e) : e });
    out.push(merged.get(k)!.e);
  }
  return out.filter((e): e is StoredEvent => e !== null);
}
