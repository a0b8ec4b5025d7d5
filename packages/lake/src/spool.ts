import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartitionKey } from './layout.js';
import type { CompiledSchema } from './schema/compile.js';

/** The rows of one partition and class, buffered in memory and spilled to a local file. */
export class PartitionSpool {
  readonly key: PartitionKey;
  readonly compiled: CompiledSchema;
  readonly path: string;
  /** Position of this chunk among the partition's objects of one ingest. */
  readonly seq: number;
  rows = 0;
  /** Whether rows arrived in time order (then writing needs no sort). */
  sorted = true;
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;
  private chunks: string[] = [];
  /** Characters buffered (an approximation of bytes, enough to bound memory). */
  buffered = 0;

  constructor(key: PartitionKey, compiled: CompiledSchema, dir: string, n: number, seq: number) {
    this.key = key;
    this.compiled = compiled;
    this.path = join(dir, `p${n}-${seq}.spool`);
    this.seq = seq;
  }

  /** Adds one flattened row; returns the characters it added to the buffer. */
  add(row: string, time: number): number {
    this.chunks.push(row);
    this.rows++;
    if (time < this.maxTime) this.sorted = false;
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
    const n = row.length + 1;
    this.buffered += n;
    return n;
  }

  /** Appends the buffered rows to the spool file; returns the characters released. */
  async flush(): Promise<number> {
    if (this.chunks.length === 0) return 0;
    const text = `${this.chunks.join('\n')}\n`;
    const released = this.buffered;
    this.chunks = [];
    this.buffered = 0;
    await appendFile(this.path, text);
    return released;
  }
}
