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
 * version and threshold, so a new model never reuses an old verdict. This one lives in
 * memory (a Lambda container's lifetime); {@link FileVerdictCache} also keeps it on disk.
 */
export class VerdictCache {
  protected readonly entries = new Map<string, CachedVerdict>();

  constructor(
    readonly ttlMs: number,
    readonly maxPairs: number,
  ) {}

  /** What every key of one model and threshold starts with. */
  static prefix(modelVersion: string, threshold: number): string {
    return `${modelVersion}|${threshold}|`;
  }

  static key(modelVersion: string, threshold: number, entity: string, ip: string): string {
    return `${VerdictCache.prefix(modelVersion, threshold)}${entity}|${ip}`;
  }

  /** Whether caching is on at all (`ttlMs` and `maxPairs` both above 0). */
  get enabled(): boolean {
    return this.maxPairs > 0 && this.ttlMs > 0;
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
    this.setAll([[key, verdict]]);
  }

  /** Remembers a batch's verdicts (one write for the whole batch in the file-backed cache). */
  setAll(updates: readonly (readonly [string, CachedVerdict])[]): void {
    if (!this.enabled) return;
    for (const [key, verdict] of updates) this.remember(key, verdict);
  }

  protected remember(key: string, verdict: CachedVerdict): void {
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

  /** Releases what the cache holds open (nothing in memory). */
  close(): void {}

  get size(): number {
    return this.entries.size;
  }
}
