/**
 * The part every store module shares: the connection, transactions, and the append-only event log.
 *
 * Every state change that clients must learn of appends its event inside the same transaction as the
 * change (tx + appendEvent), so the log and the tables can never disagree after a crash. Listeners
 * (the server's fan-out) hear of events only after the outermost transaction commits; a rollback
 * drops them and tells onRollback listeners (the contest rebuilds its in-memory scoreboard then).
 */
import type Database from 'better-sqlite3';
import type { ContestEvent, Role } from '@judged/shared/protocol';
import { EVENT_AUDIENCE } from '@judged/shared/protocol';
import type { Run } from '@judged/shared/scoring';
import type { Viewer } from '@judged/shared/visibility';

export const ROLE_BIT: Readonly<Record<Role, number>> = { public: 1, team: 2, judge: 4, admin: 8 };

/** Who may see one event: roles, and for the team role optionally just one team. */
export interface Audience {
  roles: readonly Role[];
  /** When set, of the team role only this team sees the event (the jury still does if listed). */
  teamId?: string | null;
}

export interface StoredEvent {
  seq: number;
  atMs: number;
  event: ContestEvent;
  /** `event` as stored (JSON text), to build a frame without stringifying it again (always set by the store). */
  json?: string;
  audience: { roles: Role[]; teamId: string | null };
}

/** The reader of an event: a connection's role, and its team for team accounts (the shared Viewer). */
export type EventViewer = Viewer;

export function audienceMask(roles: readonly Role[]): number {
  let m = 0;
  for (const r of roles) m |= ROLE_BIT[r];
  return m;
}

const rolesByMask = new Map<number, readonly Role[]>();
function rolesOf(mask: number): Role[] {
  let roles = rolesByMask.get(mask);
  if (!roles) {
    roles = (Object.keys(ROLE_BIT) as Role[]).filter((r) => (mask & ROLE_BIT[r]) !== 0);
    rolesByMask.set(mask, roles);
  }
  return [...roles];
}

/** The single visibility rule, shared by live delivery and replay (eventsSince filters the same way in SQL). */
export function canSeeEvent(viewer: EventViewer, e: Pick<StoredEvent, 'audience'>): boolean {
  if (!e.audience.roles.includes(viewer.role)) return false;
  if (viewer.role === 'team' && e.audience.teamId !== null) return viewer.teamId !== null && viewer.teamId === e.audience.teamId;
  return true;
}

interface EventRow {
  seq: number;
  at_ms: number;
  kind: string;
  payload: string;
  audience: number;
  team_id: string | null;
}

function toStored(r: EventRow): StoredEvent {
  return { seq: r.seq, atMs: r.at_ms, event: JSON.parse(r.payload) as ContestEvent, json: r.payload, audience: { roles: rolesOf(r.audience), teamId: r.team_id } };
}

export class StoreCore {
  private depth = 0;
  private pending: StoredEvent[] = [];
  private readonly eventListeners = new Set<(e: StoredEvent) => void>();
  private readonly rollbackListeners = new Set<() => void>();
  private readonly runListeners = new Set<(run: Run) => void>();
  private readonly insertEvent: Database.Statement;
  private readonly selectSince: Database.Statement;
  private readonly selectHead: Database.Statement;

  constructor(
    readonly db: Database.Database,
    readonly now: () => number = Date.now,
  ) {
    this.insertEvent = db.prepare('INSERT INTO events (at_ms, kind, payload, audience, team_id) VALUES (?, ?, ?, ?, ?)');
    this.selectSince = db.prepare(
      `SELECT seq, at_ms, kind, payload, audience, team_id FROM events
       WHERE seq > @since AND (audience & @bit) != 0
         AND (@role != 'team' OR team_id IS NULL OR team_id = @team)
       ORDER BY seq LIMIT @limit`,
    );
    this.selectHead = db.prepare('SELECT COALESCE(MAX(seq), 0) AS head FROM events');
  }

  /**
   * Runs fn in a transaction (IMMEDIATE, so a second process waits for the write lock instead of
   * failing mid-way); nested calls join the outer one. Events reach listeners after the commit.
   * durable:false commits without waiting for the disk (only for changes that may be lost on a power
   * cut without harm).
   */
  tx<T>(fn: () => T, opts: { durable?: boolean } = {}): T {
    if (this.depth === 0 && opts.durable === false) {
      // Progress and lease renewals need not survive a power cut (the workers die with it), so they
      // skip the fsync. WAL keeps commit order, so the next FULL commit makes them durable too.
      this.db.pragma('synchronous = NORMAL');
      try {
        return this.tx(fn);
      } finally {
        this.db.pragma('synchronous = FULL');
      }
    }
    if (this.depth > 0) {
      this.depth++;
      try {
        return fn();
      } finally {
        this.depth--;
      }
    }
    this.depth = 1;
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (err) {
      this.depth = 0;
      this.pending = [];
      for (const l of this.rollbackListeners) {
        try {
          l();
        } catch {
          // a failing rollback listener must not hide the original error
        }
      }
      throw err;
    }
    this.depth = 0;
    const events = this.pending;
    this.pending = [];
    for (const e of events) {
      for (const l of this.eventListeners) {
        try {
          l(e);
        } catch {
          // The change is committed; a listener's failure (a broken socket) must not undo or hide it.
        }
      }
    }
    return result;
  }

  /** Appends one event; must run inside tx(). Audience defaults to EVENT_AUDIENCE of its kind. */
  appendEvent(event: ContestEvent, audience: Partial<Audience> = {}): StoredEvent {
    if (this.depth === 0) throw new Error('appendEvent outside a transaction: the event must commit with its change');
    const roles = audience.roles ?? EVENT_AUDIENCE[event.kind];
    const teamId = audience.teamId ?? null;
    const atMs = this.now();
    const json = JSON.stringify(event);
    const info = this.insertEvent.run(atMs, event.kind, json, audienceMask(roles), teamId);
    const stored: StoredEvent = { seq: Number(info.lastInsertRowid), atMs, event, json, audience: { roles: [...roles], teamId } };
    this.pending.push(stored);
    return stored;
  }

  /** Events after `sinceSeq` that `viewer` may see, oldest first, at most `limit`. */
  eventsSince(sinceSeq: number, viewer: EventViewer, limit = 10_000): StoredEvent[] {
    const rows = this.selectSince.all({ since: sinceSeq, bit: ROLE_BIT[viewer.role], role: viewer.role, team: viewer.teamId, limit }) as EventRow[];
    return rows.map(toStored);
  }

  /** Every event after `sinceSeq` regardless of audience (jury tools, tests), oldest first. */
  allEventsSince(sinceSeq: number, limit = 10_000): StoredEvent[] {
    const rows = this.db
      .prepare('SELECT seq, at_ms, kind, payload, audience, team_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(sinceSeq, limit) as EventRow[];
    return rows.map(toStored);
  }

  headSeq(): number {
    return (this.selectHead.get() as { head: number }).head;
  }

  /** Hears every committed event (all audiences; filter with canSeeEvent). Returns the unsubscribe. */
  onEvent(listener: (e: StoredEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onRollback(listener: () => void): () => void {
    this.rollbackListeners.add(listener);
    return () => this.rollbackListeners.delete(listener);
  }

  /**
   * Hears, inside the transaction, every change of what scoring sees of a submission (new, judged,
   * rejudged to another verdict), so the scoreboard's own events commit with the verdict.
   */
  onRunChange(listener: (run: Run) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  emitRunChange(run: Run): void {
    if (this.depth === 0) throw new Error('emitRunChange outside a transaction');
    for (const l of this.runListeners) l(run);
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }
}
