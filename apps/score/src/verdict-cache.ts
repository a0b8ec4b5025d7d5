/** A remembered verdict on one (entity, IP) pair under one model and threshold. */
export interface CachedVerdict {
  dotProduct: number;
  anomalous: boolean;
  /** When it was scored (ms). */
  at: number;
}

/**
 * Recent verdicts, so that a chatty pair is scored once per window: an LRU of at most
 * `maxPairs` entries, each valid for `ttlMs` after it was scored. Keys include the model
 * version and threshold, so a new model never reuses an old verdict.
 */
export class VerdictCache {
  private readonly entries = new Map<string, CachedVerdict>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxPairs: number,
  ) {}

  static key(modelVersion: string, threshold: number, entity: string, ip: string): string {
    return `${modelVersion}|${threshold}|${entity}|${ip}`;
  }

  /** The verdict scored less than `ttlMs` before `now`, if any. */
  get(key: string, now: number): CachedVerdict | undefined {
    const v = this.entries.get(key);
    if (!v) return undefined;
    if (now - v.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    // refresh recency for the LRU order
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  set(key: string, verdict: CachedVerdict): void {
    if (this.maxPairs === 0 || this.ttlMs === 0) return;
    this.entries.delete(key);
    this.entries.set(key, verdict);
    while (this.entries.size > this.maxPairs) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
