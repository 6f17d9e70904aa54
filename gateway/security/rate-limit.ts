// Rate limiting per caller: a token bucket per identity (the token's subject, else the client's
// address), refilled continuously. A request finding the bucket empty is refused with 429 and a
// Retry-After saying when the next one will pass. In memory per gateway replica: N replicas allow
// N times the rate, which the README states; a shared limiter belongs in front of them.
export interface RateLimitOptions {
  /** RATE_LIMIT_PER_MINUTE: sustained requests per caller per minute (default 600; 0 turns it off). */
  perMinute: number;
  /** RATE_LIMIT_BURST: requests a caller may send at once above the rate (default 60). */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 600, burst: 60 };

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the next request would pass (when refused). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;

  constructor(
    readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.ratePerMs = options.perMinute / 60_000;
  }

  get enabled() {
    return this.options.perMinute > 0;
  }

  take(key: string): RateDecision {
    if (!this.enabled) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const capacity = Math.max(1, this.options.burst);
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + (now - b.at) * this.ratePerMs);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.sweep(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerMs / 1000)) };
  }

  /** Forgets full buckets, so memory follows the number of recent callers. */
  private sweep(now: number) {
    const capacity = Math.max(1, this.options.burst);
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * this.ratePerMs >= capacity) this.buckets.delete(k);
  }
}
