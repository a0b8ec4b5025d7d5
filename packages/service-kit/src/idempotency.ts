import {
  appendFileSync,
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** What {@link IdempotencyStore.once} did. */
export type OnceOutcome<T> = { duplicate: false; result: T } | { duplicate: true };

/**
 * Runs work at most once per key (an event id): at-least-once delivery everywhere means every
 * consumer must tolerate duplicates. A key is remembered only after its work succeeded, so a
 * failed attempt can be retried; concurrent calls for one key share a single run.
 */
export interface IdempotencyStore {
  once<T>(key: string, work: () => Promise<T>): Promise<OnceOutcome<T>>;
  has(key: string): boolean;
  readonly size: number;
}

/** Options of the idempotency stores. */
export interface IdempotencyOptions {
  /** Keys remembered; the oldest are forgotten first. @default 200000 */
  maxKeys?: number;
}

/** Remembers keys in memory (a Lambda container's lifetime, or a test). */
export class MemoryIdempotencyStore implements IdempotencyStore {
  protected readonly done = new Map<string, true>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  protected readonly maxKeys: number;

  constructor(options: IdempotencyOptions = {}) {
    this.maxKeys = options.maxKeys ?? 200_000;
  }

  get size(): number {
    return this.done.size;
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  async once<T>(key: string, work: () => Promise<T>): Promise<OnceOutcome<T>> {
    if (this.done.has(key)) return { duplicate: true };
    const running = this.inFlight.get(key);
    if (running) {
      await running;
      return { duplicate: true };
    }
    const promise = work();
    this.inFlight.set(key, promise);
    try {
      const result = await promise;
      this.remember(key);
      return { duplicate: false, result };
    } finally {
      this.inFlight.delete(key);
    }
  }

  protected remember(key: string): void {
    this.done.set(key, true);
    if (this.done.size > this.maxKeys) {
      const oldest = this.done.keys().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
  }
}

/**
 * Remembers keys in an append-only file, synced before the work is acknowledged, so that a
 * restarted local service still knows what it already processed. The file is compacted to
 * the newest `maxKeys` keys when it grows past twice that.
 */
export class FileIdempotencyStore extends MemoryIdempotencyStore {
  private fd: number;
  private lines = 0;

  constructor(
    private readonly path: string,
    options: IdempotencyOptions = {},
  ) {
    super(options);
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (line) super.remember(line);
        this.lines += 1;
      }
    }
    this.fd = openSync(path, 'a');
  }

  protected override remember(key: string): void {
    if (key.includes('\n'))
      throw new RangeError(`idempotency key contains a newline: ${JSON.stringify(key)}`);
    appendFileSync(this.fd, `${key}\n`);
    fdatasyncSync(this.fd);
    super.remember(key);
    this.lines += 1;
    if (this.lines > 2 * this.maxKeys) this.compact();
  }

  private compact(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, [...this.done.keys()].map((k) => `${k}\n`).join(''));
    renameSync(tmp, this.path);
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.lines = this.done.size;
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }
}
