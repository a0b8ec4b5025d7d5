/**
 * A token bucket: `burst` tokens, refilled at `perMinute`/60 per second. `take` waits for
 * a token up to `maxWaitMs` (excess sends are queued, in arrival order) and answers false
 * when the wait would be longer (the caller fails the send with `rate-limited`).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Tokens promised to waiting callers. */
  private reserved = 0;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 60_000) * this.perMinute);
    this.last = t;
  }

  /** Takes a token, waiting at most `maxWaitMs`; false when that is not enough. */
  async take(maxWaitMs: number): Promise<boolean> {
    this.refill();
    const available = this.tokens - this.reserved;
    if (available >= 1) {
      this.tokens -= 1;
      return true;
    }
    const waitMs = Math.ceil(((1 - available) * 60_000) / this.perMinute);
    if (waitMs > maxWaitMs) return false;
    this.reserved += 1;
    try {
      await this.sleep(waitMs);
    } finally {
      this.reserved -= 1;
    }
    this.refill();
    this.tokens -= 1;
    return true;
  }
}
