import { closeSync, constants, fdatasync, openSync, write } from 'node:fs';
import { StorageError } from './errors.js';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

function writeAll(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      write(fd, buf, offset, buf.length - offset, null, (err, n) => {
        if (err) reject(err);
        else if (offset + n < buf.length) step(offset + n);
        else resolve();
      });
    };
    step(0);
  });
}

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

// O_DSYNC makes each write return only once its data (and the size change needed to read
// it back) is on disk, exactly what write + fdatasync guarantee, in one thread-pool round
// trip instead of two. Where the platform has no O_DSYNC the writer falls back to fdatasync.
const DSYNC = constants.O_DSYNC;
/** How long an unsynced log gathers lines before writing them. */
const UNSYNCED_FLUSH_MS = 10;
const APPEND_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;

/**
 * An append-only file with group commit: every `append` issued while a write is in flight
 * joins the next write, and all of them resolve once that one write is durable. One sync per
 * batch keeps durable appends cheap under concurrency.
 */
export class GroupCommitLog {
  readonly path: string;
  private readonly fd: number;
  private readonly sync: boolean;
  /** The fd was opened O_DSYNC: a finished write is already durable. */
  private readonly dsync: boolean;
  private pending: string[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private closed = false;
  /** Bytes in the file, including appends not yet flushed. */
  size: number;

  /**
   * @param path file to append to (created if missing)
   * @param size its current size in bytes
   * @param sync fdatasync after each batch (true for anything acknowledged to a client)
   */
  constructor(path: string, size: number, sync: boolean) {
    this.path = path;
    this.size = size;
    this.sync = sync;
    this.dsync = sync && DSYNC !== undefined;
    try {
      this.fd = openSync(path, this.dsync ? APPEND_FLAGS | DSYNC : APPEND_FLAGS, 0o666);
    } catch (cause) {
      throw new StorageError(`cannot open ${path}: ${(cause as Error).message}`, { cause });
    }
  }

  /** Appends `text`; resolves once it is written (and synced when `sync`). */
  append(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError(`${this.path} is closed`));
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.add(text);
    });
  }

  /**
   * Appends `text` with no one waiting for it (a log where a lost line is harmless, such as
   * delivery acks): no promise per line. Dropped once the file is closed.
   */
  appendDetached(text: string): void {
    if (!this.closed) this.add(text);
  }

  private add(text: string): void {
    this.pending.push(text);
    this.size += Buffer.byteLength(text);
    if (!this.flushing) {
      this.flushing = true;
      // A synced log flushes at the next turn of the event loop, so that a client waits no
      // longer than it must; an unsynced one (acks) gathers a few milliseconds of lines into
      // one write, since nobody waits for it.
      if (this.sync) setImmediate(() => void this.flush());
      else setTimeout(() => void this.flush(), UNSYNCED_FLUSH_MS);
    }
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await writeAll(this.fd, Buffer.from(batch.join('')));
        if (this.sync && !this.dsync) await datasync(this.fd);
        for (const w of waiters) w.resolve();
      } catch (cause) {
        const err = new StorageError(`cannot write ${this.path}: ${(cause as Error).message}`, {
          cause,
        });
        for (const w of waiters) w.reject(err);
      }
    }
    this.flushing = false;
  }

  /** Resolves when everything appended so far is written. */
  async drain(): Promise<void> {
    if (this.pending.length > 0 || this.flushing) await this.append('');
  }

  /** Drains, then closes the file. */
  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    closeSync(this.fd);
  }
}
