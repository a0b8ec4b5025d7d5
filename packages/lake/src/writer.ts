import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDbOptions, openDuckDb, sqlString } from './duckdb.js';
import { LakeError } from './errors.js';
import {
  assertSourceName,
  dataObjectKey,
  defaultSourceOf,
  eventDay,
  ingestIdOf,
  manifestKey,
  type PartitionKey,
  partitionValue,
  rejectsObjectKey,
} from './layout.js';
import { type IngestManifest, type ManifestObject, readManifest } from './manifest.js';
import { type LakeReject, RejectSpool } from './rejects.js';
import { type CompiledSchema, compileSchema } from './schema/compile.js';
import { classSchema, classTable } from './schema/ocsf-columns.js';
import { PartitionSpool } from './spool.js';
import type { LakeStorage } from './storage/types.js';

/** A normalized OCSF record as the parsers produce it (plain object). */
export type LakeRecord = { readonly [attribute: string]: unknown };

/** Options of {@link LakeIngest}. */
export interface LakeIngestOptions {
  /** URI of the source object (`s3://…`, a path): in the manifest and in rejects. */
  sourceUri: string;
  /**
   * Version of the source object (S3 ETag; for files, size and mtime). The ingest id is a
   * hash of URI and etag: the same object version always names the same lake objects.
   */
  etag: string;
  /** Input format, recorded in the manifest. @default none */
  format?: string;
  /**
   * Lake source of each record (`ext/<source>/…`, also its table name).
   * @default `vpc_flow` / `route53` for AWS logs, else `<product>_<class table>`
   */
  source?: string | ((record: LakeRecord) => string);
  /**
   * Ingest even when this object version was already committed, replacing its objects.
   * @default false
   */
  force?: boolean;
  /**
   * Characters of rows held in memory (where they are sorted) before the largest partitions
   * are spilled to local spool files.
   * @default 24 Mi
   */
  maxBufferChars?: number;
  /**
   * Rows per Parquet object: a partition with more rows in one ingest is written as several
   * objects, each sorted by time (checked after each batch, so an object may hold up to one
   * batch more). Bounds the memory a sort needs, whatever the input size.
   * @default 100000
   */
  maxRowsPerObject?: number;
  /**
   * Local folder for spool files (a local lake uses `<lake>/.tmp`).
   * @default the OS temporary folder
   */
  tempDirectory?: string;
  /** DuckDB settings for writing Parquet. @default one thread, insertion order kept, else {@link openDuckDb}'s */
  duckdb?: DuckDbOptions;
}

/** The result of {@link LakeIngest.commit}. */
export interface LakeIngestResult {
  /** True when this object version had been committed before and nothing was written. */
  skipped: boolean;
  manifest: IngestManifest;
}

const MAX_TIME = 253402300799999; // 9999-12-31T23:59:59.999Z
/** Under DuckDB's CSV line limit (2 MB) even when every character takes two UTF-8 bytes. */
const MAX_ROW_CHARS = 1_000_000;

/**
 * One ingest of one source object into the lake: add batches of records and rejects, then
 * commit. Rows are buffered per partition and class in bounded memory and spilled to local
 * spool files; commit sorts each partition by time and writes it as one zstd Parquet object
 * with DuckDB, stores the rejects beside the data, and writes the manifest last.
 *
 * @example
 * const ingest = await LakeIngest.begin(storage, { sourceUri, etag });
 * if (!ingest.skipped) for await (const batch of parsed) await ingest.add(batch);
 * const { manifest } = await ingest.commit();
 */
export class LakeIngest {
  readonly ingestId: string;
  /** The earlier manifest when this object version is already in the lake (and not `force`). */
  readonly previous: IngestManifest | undefined;
  private readonly storage: LakeStorage;
  private readonly options: LakeIngestOptions;
  private readonly dir: string;
  private readonly partitions = new Map<string, PartitionSpool>();
  private readonly compiled = new Map<number, CompiledSchema>();
  private readonly sourceCache = new Map<unknown, Map<number, string>>();
  private readonly rejects: RejectSpool;
  private readonly startedAt = new Date();
  private buffered = 0;
  private partitionCount = 0;
  /** Chunks being converted to Parquet (in order, one at a time) while parsing goes on. */
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: unknown;
  private readonly objects: ManifestObject[] = [];
  private last:
    | {
        p: PartitionSpool;
        source: string;
        cls: number;
        region: unknown;
        account: unknown;
        day: number;
      }
    | undefined;
  private done = false;

  private constructor(
    storage: LakeStorage,
    options: LakeIngestOptions,
    previous: IngestManifest | undefined,
  ) {
    this.storage = storage;
    this.options = options;
    this.ingestId = ingestIdOf(options.sourceUri, options.etag);
    this.previous = previous;
    const base =
      options.tempDirectory ?? (storage.localRoot ? join(storage.localRoot, '.tmp') : tmpdir());
    this.dir = join(base, `lakewatch-ingest-${this.ingestId}-${randomBytes(4).toString('hex')}`);
    this.rejects = new RejectSpool(this.dir, this.ingestId);
  }

  /** Starts an ingest; `skipped` is true when the object version is already in the lake. */
  static async begin(storage: LakeStorage, options: LakeIngestOptions): Promise<LakeIngest> {
    if (typeof options.source === 'string') assertSourceName(options.source);
    const previous = await readManifest(storage, ingestIdOf(options.sourceUri, options.etag));
    const ingest = new LakeIngest(storage, options, previous);
    if (!ingest.skipped) await mkdir(ingest.dir, { recursive: true });
    return ingest;
  }

  /** True when nothing will be written: this object version was committed before. */
  get skipped(): boolean {
    return this.previous !== undefined && this.options.force !== true;
  }

  /** Records added so far (written at commit). */
  get recordCount(): number {
    let n = 0;
    for (const p of this.partitions.values()) n += p.rows;
    for (const o of this.objects) n += o.rows;
    return n;
  }

  /** Rejects added so far (the parser's and the writer's). */
  get rejectCount(): number {
    return this.rejects.count;
  }

  /** Adds a batch of normalized records and of the parser's rejects. */
  async add(batch: {
    records: readonly LakeRecord[];
    rejects?: readonly LakeReject[];
  }): Promise<void> {
    if (this.skipped || this.done)
      throw new LakeError(`ingest ${this.ingestId} takes no more records`);
    for (const r of batch.rejects ?? []) await this.rejects.add(r);
    const records = batch.records;
    // The flatteners take an object seen again to be unchanged: only within a synchronous run.
    this.resetFlatteners();
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as LakeRecord;
      const problem = this.addRecord(record);
      if (problem) {
        await this.rejects.add(problem);
        this.resetFlatteners();
      }
    }
    for (const [id, p] of this.partitions) {
      if (p.rows < (this.options.maxRowsPerObject ?? 100_000)) continue;
      this.buffered -= await p.spill();
      this.partitions.set(
        id,
        new PartitionSpool(p.key, p.compiled, this.dir, this.partitionCount++, p.seq + 1),
      );
      if (this.last?.p === p) this.last = undefined;
      this.enqueue(p);
    }
    // Over the memory budget: spill the partitions holding the most rows.
    const budget = this.options.maxBufferChars ?? 24 * 1024 * 1024;
    if (this.buffered > budget)
      for (const p of [...this.partitions.values()].sort((a, b) => b.buffered - a.buffered)) {
        this.buffered -= await p.spill(true);
        if (this.buffered < budget / 2) break;
      }
    // Backpressure: at most two chunks waiting for DuckDB.
    if (this.queued > 2) await this.chain;
    if (this.failure) throw this.failure;
  }

  private resetFlatteners(): void {
    for (const c of this.compiled.values()) c.reset();
  }

  private enqueue(p: PartitionSpool): void {
    this.queued++;
    this.chain = this.chain.then(async () => {
      try {
        if (!this.failure) this.objects.push(await this.convert(p));
      } catch (e) {
        this.failure ??= e;
      } finally {
        this.queued--;
      }
    });
  }

  private addRecord(record: LakeRecord): LakeReject | undefined {
    const cls = record.class_uid;
    const time = record.time;
    if (typeof cls !== 'number' || !Number.isInteger(cls) || cls <= 0)
      return this.writerReject(
        record,
        'class_uid',
        cls,
        'lake-bad-class',
        'class_uid must be a positive whole number',
      );
    if (typeof time !== 'number' || !Number.isFinite(time) || time < 0 || time > MAX_TIME)
      return this.writerReject(
        record,
        'time',
        time,
        'lake-bad-time',
        'time must be milliseconds since 1970 before year 10000',
      );
    const cloud = record.cloud as { region?: unknown; account?: { uid?: unknown } } | undefined;
    const region = cloud?.region;
    const account = cloud?.account?.uid;
    const day = Math.floor(time / 86_400_000);
    const source = this.sourceOf(record, cls);
    let p: PartitionSpool | undefined;
    const last = this.last;
    if (
      last &&
      last.cls === cls &&
      last.day === day &&
      last.region === region &&
      last.account === account &&
      last.source === source
    )
      p = last.p;
    else {
      const key: PartitionKey = {
        source,
        classUid: cls,
        region: partitionValue(region),
        accountId: partitionValue(account),
        eventDay: eventDay(time),
      };
      const id = `${key.source}/${key.classUid}/${key.region}/${key.accountId}/${key.eventDay}`;
      p = this.partitions.get(id);
      if (!p) {
        p = new PartitionSpool(key, this.compiledFor(cls), this.dir, this.partitionCount++, 0);
        this.partitions.set(id, p);
      }
      this.last = { p, source, cls, region, account, day };
    }
    const row = p.compiled.flatten(record);
    if (row.length > MAX_ROW_CHARS)
      return this.writerReject(
        record,
        'record',
        `${row.length} characters`,
        'lake-record-too-large',
        `a lake row is limited to ${MAX_ROW_CHARS} characters`,
      );
    this.buffered += p.add(row, time, p.compiled.cells);
    return undefined;
  }

  private writerReject(
    record: LakeRecord,
    field: string,
    value: unknown,
    reason: string,
    message: string,
  ): LakeReject {
    const metadata = record.metadata as { uid?: unknown } | undefined;
    return {
      sourceUri: this.options.sourceUri,
      line: 0,
      field,
      ...(value === undefined
        ? {}
        : { value: typeof value === 'string' ? value : JSON.stringify(value) }),
      reason,
      message: `${message}, got ${JSON.stringify(value) ?? 'undefined'}${metadata?.uid ? ` (metadata.uid ${String(metadata.uid)})` : ''}`,
      raw: JSON.stringify(record).slice(0, 2000),
    };
  }

  private sourceOf(record: LakeRecord, cls: number): string {
    const option = this.options.source;
    if (typeof option === 'string') return option;
    if (option) return assertSourceName(option(record));
    const product = (record.metadata as { product?: { name?: unknown } } | undefined)?.product
      ?.name;
    let byClass = this.sourceCache.get(product);
    if (!byClass) {
      byClass = new Map();
      this.sourceCache.set(product, byClass);
    }
    let source = byClass.get(cls);
    if (source === undefined) {
      source = defaultSourceOf(record, classTable(cls));
      byClass.set(cls, source);
    }
    return source;
  }

  private compiledFor(cls: number): CompiledSchema {
    let c = this.compiled.get(cls);
    if (!c) {
      c = compileSchema(classSchema(cls));
      this.compiled.set(cls, c);
    }
    return c;
  }

  /**
   * Writes the Parquet objects, the rejects and the manifest; returns the manifest.
   * `format` (known only once the parser has detected it) goes into the manifest.
   */
  async commit(options: { format?: string } = {}): Promise<LakeIngestResult> {
    if (this.skipped && this.previous) return { skipped: true, manifest: this.previous };
    if (this.done) throw new LakeError(`ingest ${this.ingestId} was already committed or aborted`);
    this.done = true;
    try {
      for (const p of [...this.partitions.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
        this.buffered -= await p.spill();
        if (p.rows > 0) this.enqueue(p);
      }
      this.partitions.clear();
      await this.chain;
      if (this.failure) throw this.failure;
      const objects = [...this.objects].sort((a, b) =>
        a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
      );
      const hasRejects = await this.rejects.close();
      const rejectsKey = rejectsObjectKey(this.ingestId, eventDay(this.startedAt.getTime()));
      if (hasRejects) await this.storage.putFile(rejectsKey, this.rejects.path, { move: true });
      const manifest = this.manifestOf(
        objects,
        hasRejects ? rejectsKey : undefined,
        options.format,
      );
      if (this.previous) {
        const keep = new Set([...objects.map((o) => o.key), ...(hasRejects ? [rejectsKey] : [])]);
        const stale = [
          ...this.previous.objects.map((o) => o.key),
          ...(this.previous.rejects ? [this.previous.rejects.key] : []),
        ];
        for (const key of stale) if (!keep.has(key)) await this.storage.delete(key);
      }
      await this.storage.putBytes(
        manifestKey(this.ingestId),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
      return { skipped: false, manifest };
    } finally {
      await this.release();
    }
  }

  /** Drops everything buffered and spooled; objects already converted stay unreferenced. */
  async abort(): Promise<void> {
    this.done = true;
    await this.chain;
    await this.rejects.close().catch(() => false);
    await this.release();
  }

  private async release(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Writes one spooled chunk (sorted by time) as a zstd Parquet object. */
  private async convert(p: PartitionSpool): Promise<ManifestObject> {
    // A DuckDB per chunk: closing it gives its memory back, which a long-lived instance
    // keeps (peak RSS would grow with the input). One thread converts while JavaScript
    // parses on the other core; insertion order is kept (cheap with one thread), so a spool
    // already in time order needs no sort.
    const db = await openDuckDb({
      tempDirectory: join(this.dir, 'duckdb'),
      threads: 1,
      // Sorting a chunk in DuckDB (only when its spilled pieces overlap in time) needs more.
      memoryLimit: p.sorted ? '128MB' : '320MB',
      preserveInsertionOrder: true,
      ...this.options.duckdb,
    });
    const out = `${p.path}.parquet`;
    const c = p.compiled;
    // Row groups of 8192 rows: with ~110 leaf columns the Parquet writer's buffers for 32768
    // rows pushed DuckDB to its memory limit, and it spent 3-4× the CPU (measured on 200k
    // VPC flow rows at 128 MB). Constant columns of the chunk are SQL literals (folded once).
    try {
      await db.connection.run(
        `COPY (SELECT ${c.selectList(p.constants)} FROM read_csv(${sqlString(p.path)}, columns = ${c.csvColumns}, delim = '\x1f', quote = '"', escape = '"', header = false, auto_detect = false, allow_quoted_nulls = false, max_line_size = 2097152)${p.sorted ? '' : ' ORDER BY "time"'}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 8192)`,
      );
    } catch (cause) {
      throw new LakeError(
        `${this.options.sourceUri}: writing the lake's Parquet failed: ${(cause as Error).message}`,
        { cause },
      );
    } finally {
      db.close();
    }
    await rm(p.path, { force: true });
    const bytes = (await stat(out)).size;
    const key = dataObjectKey(p.key, this.ingestId, p.seq);
    await this.storage.putFile(key, out, { move: true });
    return {
      key,
      source: p.key.source,
      classUid: p.key.classUid,
      region: p.key.region,
      accountId: p.key.accountId,
      eventDay: p.key.eventDay,
      rows: p.rows,
      bytes,
      minTime: p.minTime,
      maxTime: p.maxTime,
    };
  }

  private manifestOf(
    objects: ManifestObject[],
    rejectsKey: string | undefined,
    format: string | undefined,
  ): IngestManifest {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let records = 0;
    for (const o of objects) {
      records += o.rows;
      min = Math.min(min, o.minTime);
      max = Math.max(max, o.maxTime);
    }
    let coerced = 0;
    for (const c of this.compiled.values()) coerced += c.state.coerced;
    return {
      manifestVersion: 1,
      ingestId: this.ingestId,
      sourceUri: this.options.sourceUri,
      etag: this.options.etag,
      ...((format ?? this.options.format) ? { format: format ?? this.options.format } : {}),
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      records,
      rejected: this.rejects.count,
      rejectedByReason: { ...this.rejects.byReason },
      coercedValues: coerced,
      ...(records > 0
        ? { timeRange: { start: new Date(min).toISOString(), end: new Date(max).toISOString() } }
        : {}),
      classes: [...new Set(objects.map((o) => o.classUid))].sort((a, b) => a - b),
      objects,
      ...(rejectsKey ? { rejects: { key: rejectsKey, count: this.rejects.count } } : {}),
    };
  }
}
