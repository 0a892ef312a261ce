/**
 * Token bucket: a connection may burst up to `capacity` frames, then gets `refillPerSecond` more each
 * second. The clock is injected so tests need no sleeping.
 */
export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
  now?: () => number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly now: () => number;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.capacity > 0) || !(opts.refillPerSecond > 0)) {
      throw new RangeError('TokenBucket: capacity and refillPerSecond must be positive');
    }
    this.capacity = opts.capacity;
    this.refillPerMs = opts.refillPerSecond / 1000;
    this.now = opts.now ?? (() => performance.now());
    this.tokens = opts.capacity;
    this.last = this.now();
  }

  /** Takes `cost` tokens if available; returns false (taking nothing) when the bucket is short. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Gives back tokens taken for something that turned out not to count (capped at capacity). */
  give(n = 1): void {
    this.refill();
    this.tokens = Math.min(this.capacity, this.tokens + n);
  }

  /** Milliseconds until `cost` tokens will be available (0 when they are now). */
  waitMs(cost = 1): number {
    this.refill();
    return this.tokens >= cost ? 0 : Math.ceil((cost - this.tokens) / this.refillPerMs);
  }

  private refill(): void {
    const t = this.now();
    const elapsed = t - this.last;
    this.last = t;
    if (elapsed > 0) this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerMs);
  }
}
