/**
 * Budgets per principal, shared by WebSocket and HTTP. A connection is free to open, so limits that
 * matter are kept per source address, per account, per team and per jury member, never per
 * connection: six sockets of one team share one submission budget, and a new socket does not bring
 * new password guesses. The limits are data (`BUDGET_LIMITS`); a refusal is a `BudgetRefusal` whose
 * message says what and how long to wait ("too many submissions from your team: wait 20 s").
 *
 * Sockets are admitted in three classes so anonymous ones cannot take the room of logged-in users:
 *   pending  open, no hello or login yet: few per address, closed after `helloTimeoutMs`
 *   public   said hello, not logged in (projector pages, spectators): capped per address and in all
 *   user     logged in: only the total cap (file descriptors) applies, so the difference between the
 *            total and the anonymous caps is reserved for them.
 * Every TCP socket is first an `http` socket (plain HTTP, keep-alive between requests, or a WebSocket
 * handshake still on its way), capped per address and in all; an upgrade moves it to `pending`.
 * Password checks (ws login, HTTP Basic) take their token before the check and keep it when the
 * check fails: 40 parallel wrong guesses cannot all be checked. An account whose password was given
 * wrong `account.freeFailures` times in a row waits, doubling, before the next check (back-off).
 */
import { TokenBucket } from './rate-limit.ts';

export interface RateLimit {
  burst: number;
  perMinute: number;
}

export interface BudgetLimits {
  /** Open WebSockets in all: file descriptors are finite. */
  totalConnections: number;
  /** Sockets that have not said hello or logged in (all addresses / one address). */
  pendingConnections: number;
  pendingPerAddress: number;
  /** Sockets that said hello but are not logged in (all addresses / one address). */
  publicConnections: number;
  publicPerAddress: number;
  /** A socket that has neither said hello nor logged in by then is closed. */
  helloTimeoutMs: number;
  /** TCP sockets not (yet) WebSockets: plain HTTP and keep-alive (all addresses / one address). */
  httpConnections: number;
  httpPerAddress: number;
  /** A keep-alive HTTP socket idle this long is closed. */
  httpKeepAliveMs: number;
  /** Password checks per source address (refilled; successful checks are given back). */
  addressLogins: RateLimit;
  /** Wrong passwords in a row an account may have before each further check waits. */
  accountFreeFailures: number;
  accountBackoffFirstMs: number;
  accountBackoffMaxMs: number;
  teamSubmissions: RateLimit;
  teamClarifications: RateLimit;
  /** Statements and attachments. */
  teamDownloads: RateLimit;
  /** Everything a jury member does beyond reading (rejudge, answer, announce, downloads). */
  juryActions: RateLimit;
}

export const BUDGET_LIMITS: BudgetLimits = {
  totalConnections: 5000,
  pendingConnections: 1000,
  pendingPerAddress: 64,
  publicConnections: 3000,
  publicPerAddress: 300,
  helloTimeoutMs: 10_000,
  httpConnections: 1000,
  httpPerAddress: 64,
  httpKeepAliveMs: 5_000,
  addressLogins: { burst: 20, perMinute: 40 },
  accountFreeFailures: 5,
  accountBackoffFirstMs: 2_000,
  accountBackoffMaxMs: 5 * 60_000,
  teamSubmissions: { burst: 10, perMinute: 20 },
  teamClarifications: { burst: 5, perMinute: 4 },
  teamDownloads: { burst: 30, perMinute: 120 },
  juryActions: { burst: 300, perMinute: 1200 },
};

export type BudgetKind = 'connections' | 'logins' | 'submissions' | 'clarifications' | 'downloads' | 'jury';

/** A request refused by a budget; `waitMs` is how long until it would be accepted (0: not by waiting). */
export class BudgetRefusal extends Error {
  override name = 'BudgetRefusal';
  /** Whole milliseconds (the protocol's retryAfterMs is an integer). */
  readonly waitMs: number;
  constructor(
    readonly kind: BudgetKind,
    message: string,
    waitMs: number,
  ) {
    super(message);
    this.waitMs = Math.ceil(waitMs);
  }
}

export function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `wait ${s} s` : `wait ${Math.ceil(s / 60)} min`;
}

/** Token buckets by key, with memory bounded under a spray of keys (addresses, usernames). */
class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
    private readonly maxKeys = 20_000,
  ) {}

  get(key: string): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      // Forgetting a bucket refills it, so drop the oldest keys only when the map is full.
      if (this.buckets.size >= this.maxKeys) {
        for (const k of [...this.buckets.keys()].slice(0, this.maxKeys / 10)) this.buckets.delete(k);
      }
      b = new TokenBucket({ capacity: this.limit.burst, refillPerSecond: this.limit.perMinute / 60, now: this.now });
      this.buckets.set(key, b);
    }
    return b;
  }
}

export type ConnectionClass = 'pending' | 'public' | 'user';

/** One admitted socket's place in the connection budget. */
export interface Admission {
  readonly address: string;
  readonly class: ConnectionClass;
  /**
   * Hello without a login: pending -> public. When spectators are full it stays pending (it may
   * still log in before the hello timeout) and the reason is returned; null when it moved.
   */
  hello(): string | null;
  /** Logged in: leaves the anonymous classes. Logging out moves it back to public (never refused). */
  loggedIn(): void;
  loggedOut(): void;
  release(): void;
}

interface Counts {
  http: number;
  pending: number;
  public: number;
  user: number;
}

const noCounts = (): Counts => ({ http: 0, pending: 0, public: 0, user: 0 });
const sum = (c: Counts): number => c.http + c.pending + c.public + c.user;

export class Budgets {
  readonly limits: BudgetLimits;
  private readonly now: () => number;
  private readonly total: Counts = noCounts();
  private readonly byAddress = new Map<string, Counts>();
  private readonly addressLogins: KeyedBuckets;
  private readonly accountFailures = new Map<string, { inARow: number; untilMs: number }>();
  private readonly teamBuckets: Record<'submissions' | 'clarifications' | 'downloads', KeyedBuckets>;
  private readonly jury: KeyedBuckets;

  constructor(limits: Partial<BudgetLimits> = {}, now: () => number = () => performance.now()) {
    this.limits = { ...BUDGET_LIMITS, ...limits };
    this.now = now;
    this.addressLogins = new KeyedBuckets(this.limits.addressLogins, now);
    this.teamBuckets = {
      submissions: new KeyedBuckets(this.limits.teamSubmissions, now),
      clarifications: new KeyedBuckets(this.limits.teamClarifications, now),
      downloads: new KeyedBuckets(this.limits.teamDownloads, now),
    };
    this.jury = new KeyedBuckets(this.limits.juryActions, now);
  }

  get open(): Readonly<Counts> {
    return this.total;
  }

  /** Pending sockets, oldest first, with what closes each (to make room when all are taken). */
  private readonly pendingQueue = new Map<Admission, () => void>();
  /** HTTP sockets, oldest first, likewise. */
  private readonly httpQueue = new Map<{ release(): void }, () => void>();

  /**
   * Admits a new TCP socket from `address` (before anything is read from it), or refuses it. When all
   * `httpConnections` are taken the oldest HTTP socket is closed (`evict`) to make room. A socket
   * that becomes a WebSocket releases this and is admitted again by `admit`.
   */
  admitSocket(address: string, evict: () => void = () => {}): { release(): void } {
    const L = this.limits;
    const here = this.byAddress.get(address) ?? noCounts();
    const all = sum(this.total);
    if (all >= L.totalConnections) throw new BudgetRefusal('connections', `the server has ${all} open connections, its limit: try again later`, 5_000);
    if (here.http >= L.httpPerAddress) {
      throw new BudgetRefusal('connections', `too many HTTP connections from ${address} (${here.http}): close idle ones`, L.httpKeepAliveMs);
    }
    if (this.total.http >= L.httpConnections) {
      const [oldest, close] = this.httpQueue.entries().next().value!;
      oldest.release();
      close();
    }
    this.byAddress.set(address, here);
    here.http++;
    this.total.http++;
    let released = false;
    const admission = {
      release: () => {
        if (released) return;
        released = true;
        this.httpQueue.delete(admission);
        here.http--;
        this.total.http--;
        if (sum(here) === 0) this.byAddress.delete(address);
      },
    };
    this.httpQueue.set(admission, evict);
    return admission;
  }

  /**
   * Admits a new socket from `address` as pending, or refuses it (BudgetRefusal). When every pending
   * place is taken (an idle-socket flood from many addresses) the oldest pending socket is closed to
   * make room, so a flood delays newcomers by moments instead of locking them out. `evict` closes it.
   */
  admit(address: string, evict: () => void = () => {}): Admission {
    const L = this.limits;
    const here = this.byAddress.get(address) ?? noCounts();
    const all = sum(this.total);
    if (all >= L.totalConnections) throw new BudgetRefusal('connections', `the server has ${all} open connections, its limit: try again later`, 5_000);
    if (here.pending >= L.pendingPerAddress) {
      throw new BudgetRefusal('connections', `too many connections from ${address} that have not said hello (${here.pending}): say hello or close them`, 0);
    }
    if (this.total.pending >= L.pendingConnections) {
      const [oldest, close] = this.pendingQueue.entries().next().value!;
      oldest.release();
      close();
    }
    this.byAddress.set(address, here);
    let cls: ConnectionClass = 'pending';
    let released = false;
    const move = (to: ConnectionClass): void => {
      if (cls === 'pending') this.pendingQueue.delete(admission);
      here[cls]--;
      this.total[cls]--;
      cls = to;
      here[cls]++;
      this.total[cls]++;
    };
    here.pending++;
    this.total.pending++;
    const admission: Admission = {
      address,
      get class() {
        return cls;
      },
      hello: () => {
        if (released || cls !== 'pending') return null;
        if (here.public >= L.publicPerAddress || this.total.public >= L.publicConnections) {
          const who = here.public >= L.publicPerAddress ? `from ${address} (${here.public})` : `in all (${this.total.public})`;
          return `too many connections without a login ${who}: log in`;
        }
        move('public');
        return null;
      },
      loggedIn: () => {
        if (!released && cls !== 'user') move('user');
      },
      loggedOut: () => {
        if (!released && cls === 'user') move('public');
      },
      release: () => {
        if (released) return;
        released = true;
        if (cls === 'pending') this.pendingQueue.delete(admission);
        here[cls]--;
        this.total[cls]--;
        if (sum(here) === 0) this.byAddress.delete(address);
      },
    };
    this.pendingQueue.set(admission, evict);
    return admission;
  }

  /**
   * Runs a password check under the address and account budgets. The token is taken before the check
   * and kept when it fails; a successful check gives it back and clears the account's failures.
   */
  async guardLogin<T>(address: string, username: string, check: () => Promise<T | null>): Promise<T | null> {
    const bucket = this.addressLogins.get(address);
    const acct = this.accountFailures.get(username);
    const now = this.now();
    if (acct && acct.untilMs > now) {
      throw new BudgetRefusal('logins', `too many wrong passwords for ${username}: ${waitText(acct.untilMs - now)} before trying again`, acct.untilMs - now);
    }
    if (!bucket.take()) {
      const w = bucket.waitMs();
      throw new BudgetRefusal('logins', `too many login attempts from ${address}: ${waitText(w)}`, w);
    }
    // Reserve the account's next failure now, so parallel guesses at one account all wait.
    const state = acct ?? { inARow: 0, untilMs: 0 };
    state.inARow++;
    state.untilMs = now + this.backoffMs(state.inARow);
    this.rememberFailure(username, state);
    let result: T | null = null;
    try {
      result = await check();
    } finally {
      if (result !== null) {
        this.accountFailures.delete(username);
        bucket.give(1);
      }
    }
    return result;
  }

  private backoffMs(inARow: number): number {
    const L = this.limits;
    if (inARow <= L.accountFreeFailures) return 0;
    return Math.min(L.accountBackoffMaxMs, L.accountBackoffFirstMs * 2 ** (inARow - L.accountFreeFailures - 1));
  }

  private rememberFailure(username: string, state: { inARow: number; untilMs: number }): void {
    if (!this.accountFailures.has(username) && this.accountFailures.size >= 20_000) {
      const now = this.now();
      for (const [k, v] of this.accountFailures) if (v.untilMs <= now) this.accountFailures.delete(k);
      if (this.accountFailures.size >= 20_000) return; // a spray of made-up names: the address budget still holds
    }
    this.accountFailures.set(username, state);
  }

  /** One submission, clarification or download of a team; throws BudgetRefusal when it is spent. */
  takeTeam(kind: 'submissions' | 'clarifications' | 'downloads', teamId: string): void {
    const b = this.teamBuckets[kind].get(teamId);
    if (!b.take()) {
      const w = b.waitMs();
      const what = kind === 'downloads' ? 'downloads (statements, attachments)' : kind;
      throw new BudgetRefusal(kind, `too many ${what} from your team: ${waitText(w)}`, w);
    }
  }

  /** One action of a jury member (generous: it stops a runaway script, not a busy judge). */
  takeJury(username: string): void {
    const b = this.jury.get(username);
    if (!b.take()) {
      const w = b.waitMs();
      throw new BudgetRefusal('jury', `too many jury requests from ${username}: ${waitText(w)}`, w);
    }
  }
}
