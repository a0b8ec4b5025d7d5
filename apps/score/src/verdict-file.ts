import {
  appendFileSync,
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { type CachedVerdict, VerdictCache } from './verdict-cache.js';

/** Options of {@link FileVerdictCache}. */
export interface FileVerdictCacheOptions {
  /** How long a verdict is valid after it was scored (ms). */
  ttlMs: number;
  /** LRU size, in memory and (after compaction) on disk. */
  maxPairs: number;
  /** The clock for expiry on load and compaction. @default Date.now */
  now?: () => number;
  /** Which keys to load (e.g. only the current model's); others count as `stale`. @default all */
  keep?: (key: string) => boolean;
  /** A running cache compacts its file past `2 × max(live verdicts, this)` lines. @default 1024 */
  minCompactLines?: number;
  /** Called when the file cannot be written; the cache goes on in memory. */
  onWriteError?: (error: Error) => void;
}

/** What loading the verdict file found. */
export interface VerdictFileLoad {
  /** Non-empty lines read. */
  lines: number;
  /** Verdicts kept: within the TTL, kept by `keep`, and among the newest `maxPairs`. */
  live: number;
  /** Verdicts older than the TTL: dropped. */
  expired: number;
  /** Verdicts `keep` refused (another model or threshold): dropped. */
  stale: number;
  /** Lines that are no verdict (a line torn by a crash, garbage): skipped. */
  corrupt: number;
  /** Whether the file was rewritten with only the live verdicts. */
  compacted: boolean;
}

function serialize(key: string, v: CachedVerdict): string {
  return `${JSON.stringify({ key, dotProduct: v.dotProduct, anomalous: v.anomalous, at: v.at })}\n`;
}

function parse(line: string): [string, CachedVerdict] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { key, dotProduct, anomalous, at } = value as Record<string, unknown>;
  if (typeof key !== 'string' || key === '') return undefined;
  if (typeof dotProduct !== 'number' || !Number.isFinite(dotProduct)) return undefined;
  if (typeof anomalous !== 'boolean') return undefined;
  if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  return [key, { dotProduct, anomalous, at }];
}

/**
 * A {@link VerdictCache} that survives restarts of a local process: every verdict is appended
 * to a JSON-lines file (one verdict a line) when it is set, without fsync — a tail lost in a
 * crash only means those pairs are scored again. The file is read back on start, dropping
 * expired, refused and corrupt lines, and rewritten with only the live verdicts when it has
 * more than twice as many lines (or held a corrupt one).
 *
 * @example
 * const cache = new FileVerdictCache('.lakewatch/score/verdicts.jsonl', { ttlMs: 3_600_000, maxPairs: 200_000 });
 * if (cache.loaded.corrupt > 0) logger.warn({ corrupt: cache.loaded.corrupt }, 'skipped lines');
 */
export class FileVerdictCache extends VerdictCache {
  /** What the file held when the cache was opened. */
  readonly loaded: VerdictFileLoad;
  /** Failed writes since the cache was opened (the verdicts stayed in memory). */
  writeErrors = 0;
  private fd: number | undefined;
  private lines = 0;
  private readonly now: () => number;
  private readonly minCompactLines: number;

  constructor(
    readonly path: string,
    private readonly options: FileVerdictCacheOptions,
  ) {
    super(options.ttlMs, options.maxPairs);
    this.now = options.now ?? Date.now;
    this.minCompactLines = options.minCompactLines ?? 1024;
    mkdirSync(dirname(path), { recursive: true });
    this.loaded = this.load();
    if (this.loaded.compacted) this.compact(this.now());
    else this.fd = openSync(path, 'a');
  }

  private load(): VerdictFileLoad {
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const found = { lines: 0, live: 0, expired: 0, stale: 0, corrupt: 0, compacted: false };
    const now = this.now();
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      found.lines += 1;
      const entry = parse(line);
      if (!entry) found.corrupt += 1;
      else if (now - entry[1].at >= this.ttlMs) found.expired += 1;
      else if (this.options.keep && !this.options.keep(entry[0])) found.stale += 1;
      else if (this.enabled) this.remember(entry[0], entry[1]);
    }
    found.live = this.size;
    this.lines = found.lines;
    // a torn last line would glue the next verdict onto it: rewrite then too
    const torn = text.length > 0 && !text.endsWith('\n');
    found.compacted = found.lines > 2 * found.live || found.corrupt > 0 || torn;
    return found;
  }

  override setAll(updates: readonly (readonly [string, CachedVerdict])[]): void {
    if (!this.enabled || updates.length === 0) return;
    super.setAll(updates);
    if (this.fd === undefined) return;
    try {
      appendFileSync(this.fd, updates.map(([k, v]) => serialize(k, v)).join(''));
      this.lines += updates.length;
      if (this.lines > 2 * Math.max(this.size, this.minCompactLines)) this.compact(this.now());
    } catch (error) {
      this.writeErrors += 1;
      this.options.onWriteError?.(error as Error);
    }
  }

  /** Rewrites the file with the live verdicts only (through a temporary file and a rename). */
  private compact(now: number): void {
    for (const [key, v] of this.entries) if (now - v.at >= this.ttlMs) this.entries.delete(key);
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, [...this.entries].map(([k, v]) => serialize(k, v)).join(''));
    renameSync(tmp, this.path);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.lines = this.entries.size;
  }

  /** Forgets every verdict, on disk too (a new model: the old keys can never match again). */
  override clear(): void {
    super.clear();
    if (this.fd === undefined) return;
    try {
      ftruncateSync(this.fd, 0);
      this.lines = 0;
    } catch (error) {
      this.writeErrors += 1;
      this.options.onWriteError?.(error as Error);
    }
  }

  /** Closes the file; later verdicts stay in memory only. */
  override close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
