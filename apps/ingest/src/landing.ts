import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Logger } from 'pino';
import { ObjectReadError } from './errors.js';

/** Options of {@link LandingWatcher}. */
export interface LandingWatcherOptions {
  /** The landing folder. */
  dir: string;
  /** Ingests one file (absolute path); throws when it failed. */
  ingest: (path: string) => Promise<unknown>;
  /** Time between scans. @default 1000 */
  pollMs?: number;
  /** A file is complete once its size and mtime have not changed for this long. @default 2000 */
  stableMs?: number;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
}

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
  retryAt: number;
}

/** Folders the watcher keeps its results in, inside the landing folder. */
export const PROCESSED_DIR = '.processed';
export const FAILED_DIR = '.failed';

/**
 * Watches a landing folder (polling, so it works on every file system) and ingests each new
 * file once it is complete. A file is complete when its size and modification time have not
 * changed for `stableMs`; writers that can rename should write `name.tmp` (or a dot file) and
 * rename it when done: such names are never read. An ingested file moves to `.processed/`,
 * one that cannot be read to `.failed/` with a `.error.txt` beside it; when the ingest fails
 * for another reason (the bus is down), the file stays and is tried again later.
 */
export class LandingWatcher {
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: LandingWatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts scanning. */
  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops scanning and waits for the file being ingested. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.scanning;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanning = this.scan()
        .catch((err: unknown) => this.options.logger?.error({ err }, 'landing scan failed'))
        .finally(() => this.schedule(this.options.pollMs ?? 1000));
    }, delay);
    this.timer.unref?.();
  }

  private async files(dir: string, out: string[]): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.') || e.name.endsWith('.tmp')) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) await this.files(path, out);
      else if (e.isFile()) out.push(path);
    }
    return out;
  }

  /** One scan: ingests every file that has become complete. */
  async scan(): Promise<void> {
    const now = this.now();
    const stableMs = this.options.stableMs ?? 2000;
    const present = new Set<string>();
    for (const path of await this.files(this.options.dir, [])) {
      present.add(path);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      const before = this.seen.get(path);
      if (!before || before.size !== info.size || before.mtimeMs !== info.mtimeMs) {
        this.seen.set(path, { size: info.size, mtimeMs: info.mtimeMs, since: now, retryAt: 0 });
        if (stableMs > 0) continue;
      }
      const entry = this.seen.get(path) as Seen;
      if (now - entry.since < stableMs || now < entry.retryAt || this.stopped) continue;
      await this.ingestFile(path, entry, now);
    }
    for (const path of this.seen.keys()) if (!present.has(path)) this.seen.delete(path);
  }

  private async ingestFile(path: string, entry: Seen, now: number): Promise<void> {
    const rel = relative(this.options.dir, path);
    try {
      await this.options.ingest(path);
      await this.move(path, join(this.options.dir, PROCESSED_DIR, rel));
    } catch (err) {
      if (err instanceof ObjectReadError) {
        this.options.logger?.error({ err, file: path }, 'landing file cannot be read; moved aside');
        const target = join(this.options.dir, FAILED_DIR, rel);
        await this.move(path, target);
        await writeFile(`${target}.error.txt`, `${err.message}\n`);
      } else {
        entry.retryAt = now + Math.max(5 * (this.options.pollMs ?? 1000), 1000);
        this.options.logger?.warn({ err, file: path }, 'landing file not ingested; will retry');
      }
    }
  }

  private async move(from: string, to: string): Promise<void> {
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
    this.seen.delete(from);
  }
}
