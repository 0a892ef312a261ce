/**
 * The part every store module shares: the connection, transactions, and the append-only event log.
 *
 * Every state change that clients must learn of appends its event inside the same transaction as the
 * change (tx + appendEvent), so the log and the tables can never disagree after a crash. Listeners
 * (the server's fan-out) hear of events only after the outermost transaction commits; a rollback
 * drops them and tells onRollback listeners (the contest rebuilds its in-memory scoreboard then).
 *
 * Reader numbers. `seq` is the log's position and never leaves the daemon: it counts every event,
 * including the jury's and other teams' (a team could otherwise count hidden judgings during the
 * freeze). What a reader sees as an event's number (frames, headSeq, resume) is its class's own
 * gap-free count of the events that class may see:
 *   - the public: pub_no, the jury (judges and admins): jury_no, balloon runners: balloon_no (every
 *     public event and the balloon events meant for runners: visibility.ts eventAudience);
 *   - team T: shared_no (events to every team) + own_no (T's own events), so a team's number grows by
 *     one for each event it may see and by nothing else. Own rows store that sum (team_seq); for an
 *     event to every team the team's own count just before it is added when it is read (ownBefore).
 * readerSeq / readerHead / readerPosition translate between the two; the numbers are assigned by SQL
 * inside the appending transaction, so they stay right when another process appends too.
 */
import type Database from 'better-sqlite3';
import type { ContestEvent, Role } from '@judged/shared/protocol';
import { EVENT_AUDIENCE } from '@judged/shared/protocol';
import type { Run } from '@judged/shared/scoring';
import { eventAudience, isJuryRole, type Viewer } from '@judged/shared/visibility';

export const ROLE_BIT: Readonly<Record<Role, number>> = { public: 1, team: 2, judge: 4, admin: 8, balloon: 16 };

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
  /** The event's reader numbers (see the top of this file); null where that class cannot see it. */
  numbers: EventNumbers;
}

export interface EventNumbers {
  pubNo: number | null;
  juryNo: number | null;
  balloonNo: number | null;
  sharedNo: number | null;
  ownNo: number | null;
  teamSeq: number | null;
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
  pub_no: number | null;
  jury_no: number | null;
  balloon_no: number | null;
  shared_no: number | null;
  own_no: number | null;
  team_seq: number | null;
}

const EVENT_COLUMNS = 'seq, at_ms, kind, payload, audience, team_id, pub_no, jury_no, balloon_no, shared_no, own_no, team_seq';

function numbersOf(r: Pick<EventRow, 'pub_no' | 'jury_no' | 'balloon_no' | 'shared_no' | 'own_no' | 'team_seq'>): EventNumbers {
  return { pubNo: r.pub_no, juryNo: r.jury_no, balloonNo: r.balloon_no, sharedNo: r.shared_no, ownNo: r.own_no, teamSeq: r.team_seq };
}

function toStored(r: EventRow): StoredEvent {
  return {
    seq: r.seq,
    atMs: r.at_ms,
    event: JSON.parse(r.payload) as ContestEvent,
    json: r.payload,
    audience: { roles: rolesOf(r.audience), teamId: r.team_id },
    numbers: numbersOf(r),
  };
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
  private readonly st: Record<'classHeads' | 'ownHead' | 'ownBefore' | 'ownBeforeMany' | 'pubAt' | 'juryAt' | 'balloonAt' | 'sharedAt' | 'ownAt' | 'ownUnder', Database.Statement>;

  constructor(
    readonly db: Database.Database,
    readonly now: () => number = Date.now,
  ) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (at_ms, kind, payload, audience, team_id, pub_no, jury_no, balloon_no, shared_no, own_no, team_seq)
       SELECT @at, @kind, @payload, @audience, @team,
         CASE WHEN @pub THEN (SELECT COALESCE(MAX(pub_no), 0) + 1 FROM events) END,
         CASE WHEN @jury THEN (SELECT COALESCE(MAX(jury_no), 0) + 1 FROM events) END,
         CASE WHEN @runner THEN (SELECT COALESCE(MAX(balloon_no), 0) + 1 FROM events) END,
         CASE WHEN @shared THEN (SELECT COALESCE(MAX(shared_no), 0) + 1 FROM events) END,
         o.n, CASE WHEN o.n IS NOT NULL THEN o.n + (SELECT COALESCE(MAX(shared_no), 0) FROM events) END
       FROM (SELECT CASE WHEN @own THEN (SELECT COALESCE(MAX(own_no), 0) + 1 FROM events WHERE team_id = @team) END AS n) AS o
       RETURNING seq, pub_no, jury_no, balloon_no, shared_no, own_no, team_seq`,
    );
    this.st = {
      classHeads: db.prepare(
        'SELECT (SELECT COALESCE(MAX(pub_no), 0) FROM events) AS pub, (SELECT COALESCE(MAX(jury_no), 0) FROM events) AS jury, (SELECT COALESCE(MAX(balloon_no), 0) FROM events) AS balloon, (SELECT COALESCE(MAX(shared_no), 0) FROM events) AS shared',
      ),
      ownHead: db.prepare('SELECT COALESCE(MAX(own_no), 0) AS n FROM events WHERE team_id = ?'),
      ownBefore: db.prepare('SELECT own_no AS n FROM events WHERE team_id = ? AND own_no IS NOT NULL AND seq < ? ORDER BY own_no DESC LIMIT 1'),
      // ownBefore for many teams in one statement (the same index walk per team, one call).
      ownBeforeMany: db.prepare(
        `SELECT t.value AS team, (SELECT own_no FROM events WHERE team_id = t.value AND own_no IS NOT NULL AND seq < @seq ORDER BY own_no DESC LIMIT 1) AS n
         FROM json_each(@teams) AS t`,
      ),
      pubAt: db.prepare('SELECT seq FROM events WHERE pub_no = ?'),
      juryAt: db.prepare('SELECT seq FROM events WHERE jury_no = ?'),
      balloonAt: db.prepare('SELECT seq FROM events WHERE balloon_no = ?'),
      sharedAt: db.prepare('SELECT seq FROM events WHERE shared_no = ?'),
      ownAt: db.prepare('SELECT seq FROM events WHERE team_id = ? AND team_seq = ?'),
      ownUnder: db.prepare('SELECT own_no AS n FROM events WHERE team_id = ? AND team_seq < ? ORDER BY team_seq DESC LIMIT 1'),
    };
    this.selectSince = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events
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
    const roles = eventAudience(audience.roles ?? EVENT_AUDIENCE[event.kind]);
    const teamId = audience.teamId ?? null;
    const atMs = this.now();
    const json = JSON.stringify(event);
    const team = roles.includes('team');
    const row = this.insertEvent.get({
      at: atMs,
      kind: event.kind,
      payload: json,
      audience: audienceMask(roles),
      team: teamId,
      pub: roles.includes('public') ? 1 : 0,
      jury: roles.includes('judge') || roles.includes('admin') ? 1 : 0,
      runner: roles.includes('balloon') ? 1 : 0,
      shared: team && teamId === null ? 1 : 0,
      own: team && teamId !== null ? 1 : 0,
    }) as Pick<EventRow, 'seq' | 'pub_no' | 'jury_no' | 'balloon_no' | 'shared_no' | 'own_no' | 'team_seq'>;
    const stored: StoredEvent = { seq: row.seq, atMs, event, json, audience: { roles: [...roles], teamId }, numbers: numbersOf(row) };
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
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`)
      .all(sinceSeq, limit) as EventRow[];
    return rows.map(toStored);
  }

  /** The log's position of the last event (internal: readers are told readerHead). */
  headSeq(): number {
    return (this.selectHead.get() as { head: number }).head;
  }

  /** The number `viewer` knows event `e` by (e must be one it may see: canSeeEvent). */
  readerSeq(e: Pick<StoredEvent, 'seq' | 'numbers'>, viewer: EventViewer): number {
    const n = e.numbers;
    const got = viewer.role === 'public' ? n.pubNo : viewer.role === 'balloon' ? n.balloonNo : isJuryRole(viewer.role) ? n.juryNo : n.ownNo !== null ? n.teamSeq : n.sharedNo !== null ? n.sharedNo + this.ownBefore(viewer.teamId, e.seq) : null;
    if (got === null) throw new Error(`event ${e.seq} is not one a ${viewer.role} reader may see`);
    return got;
  }

  /**
   * readerSeq of `e` for each of `teamIds` (team readers; e must be one every one of them may see).
   * An event to every team is numbered differently per team (shared_no + that team's own events
   * before it): one query for all of them, not one per team (the fan-out of a board change to 300 teams).
   */
  teamReaderSeqs(e: Pick<StoredEvent, 'seq' | 'numbers'>, teamIds: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const n = e.numbers;
    if (n.ownNo !== null || n.sharedNo === null || teamIds.length < 2) {
      for (const t of teamIds) out.set(t, this.readerSeq(e, { role: 'team', teamId: t }));
      return out;
    }
    for (const r of this.st.ownBeforeMany.all({ seq: e.seq, teams: JSON.stringify(teamIds) }) as Array<{ team: string; n: number | null }>) {
      out.set(r.team, n.sharedNo + (r.n ?? 0));
    }
    return out;
  }

  /** How many events `viewer` may see so far: the number of its last one. */
  readerHead(viewer: EventViewer): number {
    const h = this.st.classHeads.get() as { pub: number; jury: number; balloon: number; shared: number };
    if (viewer.role === 'public') return h.pub;
    if (viewer.role === 'balloon') return h.balloon;
    if (isJuryRole(viewer.role)) return h.jury;
    return h.shared + (viewer.teamId === null ? 0 : (this.st.ownHead.get(viewer.teamId) as { n: number }).n);
  }

  /**
   * The log position of `viewer`'s event number `n` (0 for 0), from which eventsSince continues;
   * null when `viewer` has no such event (a number from another data dir, or another reader class).
   */
  readerPosition(viewer: EventViewer, n: number): number | null {
    if (n === 0) return 0;
    const at = (st: Database.Statement, ...args: unknown[]): number | null => (st.get(...args) as { seq: number } | undefined)?.seq ?? null;
    if (viewer.role === 'public') return at(this.st.pubAt, n);
    if (viewer.role === 'balloon') return at(this.st.balloonAt, n);
    if (isJuryRole(viewer.role)) return at(this.st.juryAt, n);
    const own = viewer.teamId === null ? null : at(this.st.ownAt, viewer.teamId, n);
    if (own !== null) return own;
    // Not the team's own: the event to every team with shared_no = n − (own events before it).
    const ownBefore = viewer.teamId === null ? 0 : ((this.st.ownUnder.get(viewer.teamId, n) as { n: number } | undefined)?.n ?? 0);
    return n - ownBefore < 1 ? null : at(this.st.sharedAt, n - ownBefore);
  }

  private ownBefore(teamId: string | null, seq: number): number {
    if (teamId === null) return 0;
    return (this.st.ownBefore.get(teamId, seq) as { n: number } | undefined)?.n ?? 0;
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
