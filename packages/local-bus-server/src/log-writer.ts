import { closeSync, fdatasync, openSync, write } from 'node:fs';
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

/**
 * An append-only file with group commit: every `append` issued while a write is in flight
 * joins the next write, and all of them resolve after one `fdatasync`. One fsync per batch
 * keeps durable appends cheap under concurrency.
 */
export class GroupCommitLog {
  readonly path: string;
  private readonly fd: number;
  private readonly sync: boolean;
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
    try {
      this.fd = openSync(path, 'a');
    } catch (cause) {
      throw new StorageError(`cannot open ${path}: ${(cause as Error).message}`, { cause });
    }
  }

  /** Appends `text`; resolves once it is written (and synced when `sync`). */
  append(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError(`${this.path} is closed`));
    this.pending.push(text);
    this.size += Buffer.byteLength(text);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await writeAll(this.fd, Buffer.from(batch.join('')));
        if (this.sync) await datasync(this.fd);
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
