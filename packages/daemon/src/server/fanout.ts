/**
 * Event fan-out. Each event from the log is published once with up to three variants: what the
 * public may see, what the jury sees, and what the submitting team sees. A variant is encoded to
 * bytes once and the same buffer goes to every client of that class, so the cost of a verdict is one
 * JSON.stringify per class, not one per client.
 *
 * A client that cannot keep up (its socket buffer grows past a limit) is disconnected rather than
 * buffered without bound; it reconnects with its last seq and catches up from the log.
 */
export type ClientClass = { kind: 'public' } | { kind: 'jury' } | { kind: 'team'; teamId: string };

export interface Subscriber {
  readonly cls: ClientClass;
  /** Sends an already encoded text frame. */
  sendEncoded(data: Buffer): void;
  /** Bytes queued on the socket, for slow-consumer detection. */
  bufferedBytes(): number;
  /** Disconnects a subscriber that fell behind. */
  dropSlow(): void;
  /** Events with seq <= this were already delivered (resume replay); live events skip them. */
  deliveredSeq: number;
}

export interface EventVariants {
  seq: number;
  /** Frame for everyone without a more specific variant (team, public and jury clients). */
  public?: unknown;
  /** Frame for judges and admins; falls back to `public`. */
  jury?: unknown;
  /** Frame for one team only (its own submission, its clarification); others get `public`. */
  team?: { teamId: string; frame: unknown };
}

export interface FanOutStats {
  published: number;
  encodes: number;
  sends: number;
  dropped: number;
}

export class FanOut {
  private readonly subs = new Set<Subscriber>();
  readonly stats: FanOutStats = { published: 0, encodes: 0, sends: 0, dropped: 0 };

  constructor(private readonly maxBufferedBytes = 8 * 1024 * 1024) {}

  add(sub: Subscriber): void {
    this.subs.add(sub);
  }

  remove(sub: Subscriber): void {
    this.subs.delete(sub);
  }

  get size(): number {
    return this.subs.size;
  }

  publish(ev: EventVariants): void {
    this.stats.published++;
    let pub: Buffer | null | undefined;
    let jury: Buffer | null | undefined;
    let team: Buffer | null | undefined;
    const encode = (frame: unknown): Buffer | null => {
      if (frame === undefined) return null;
      this.stats.encodes++;
      return Buffer.from(JSON.stringify(frame));
    };
    const publicBuf = (): Buffer | null => (pub === undefined ? (pub = encode(ev.public)) : pub);
    const juryBuf = (): Buffer | null =>
      jury === undefined ? (jury = ev.jury === undefined ? publicBuf() : encode(ev.jury)) : jury;
    const teamBuf = (): Buffer | null => (team === undefined ? (team = encode(ev.team?.frame)) : team);

    for (const sub of this.subs) {
      if (sub.deliveredSeq >= ev.seq) continue;
      let data: Buffer | null;
      const cls = sub.cls;
      if (cls.kind === 'jury') data = juryBuf();
      else if (cls.kind === 'team' && ev.team && ev.team.teamId === cls.teamId) data = teamBuf();
      else data = publicBuf();
      if (!data) continue;
      if (sub.bufferedBytes() > this.maxBufferedBytes) {
        this.stats.dropped++;
        this.subs.delete(sub);
        sub.dropSlow();
        continue;
      }
      sub.deliveredSeq = ev.seq;
      this.stats.sends++;
      sub.sendEncoded(data);
    }
  }
}
