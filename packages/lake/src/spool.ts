import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartitionKey } from './layout.js';
import type { CompiledSchema } from './schema/compile.js';

const APPEND_CHARS = 1 << 20;
/** How far behind the newest row a spill stops (flow logs arrive up to minutes out of order). */
export const SPILL_HOLD_MS = 15 * 60_000;

/**
 * The rows of one partition and class for one Parquet object: held in memory and sorted by
 * time there (V8's sort is a merge sort that is nearly linear on the near-ordered rows logs
 * have), or, when the writer's memory budget runs out, spilled to a local spool file in
 * sorted pieces; the object is then sorted by DuckDB only if the pieces overlap in time.
 */
export class PartitionSpool {
  readonly key: PartitionKey;
  readonly compiled: CompiledSchema;
  readonly path: string;
  /** Position of this chunk among the partition's objects of one ingest. */
  readonly seq: number;
  rows = 0;
  /** Whether the spool file holds its rows in time order (then writing needs no sort). */
  sorted = true;
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;
  /** Characters held in memory. */
  buffered = 0;
  private pending: string[] = [];
  private times: number[] = [];
  private inOrder = true;
  private fileMax = Number.NEGATIVE_INFINITY;
  /** The first row's field texts; a field is replaced by `undefined` once another row differs. */
  private first: (string | undefined)[] | undefined;

  constructor(key: PartitionKey, compiled: CompiledSchema, dir: string, n: number, seq: number) {
    this.key = key;
    this.compiled = compiled;
    this.path = join(dir, `p${n}-${seq}.spool`);
    this.seq = seq;
  }

  /**
   * Adds one flattened row (`cells`: its field texts, see {@link CompiledSchema.cells});
   * returns the characters it added to memory.
   */
  add(row: string, time: number, cells: readonly string[]): number {
    const first = this.first;
    if (first === undefined) this.first = cells.slice();
    else
      for (let i = 0; i < first.length; i++) {
        const f = first[i];
        if (f !== undefined && f !== cells[i]) first[i] = undefined;
      }
    const last =
      this.times.length === 0
        ? Number.NEGATIVE_INFINITY
        : (this.times[this.times.length - 1] as number);
    if (time < last) this.inOrder = false;
    this.pending.push(row);
    this.times.push(time);
    this.rows++;
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
    const n = row.length + 1;
    this.buffered += n;
    return n;
  }

  /** Per spool column, the field text every row has, else `undefined` (the values vary). */
  get constants(): readonly (string | undefined)[] {
    return this.first ?? [];
  }

  /**
   * Appends the rows held in memory, sorted by time, to the spool file; returns the
   * characters released. With `keepRecent`, rows within {@link SPILL_HOLD_MS} of the newest
   * (at most the newer half) stay in memory, so that rows arriving a little out of order
   * still land in time order.
   */
  async spill(keepRecent = false): Promise<number> {
    const count = this.pending.length;
    if (count === 0) return 0;
    const rows = this.pending;
    const times = this.times;
    const order = Array.from({ length: count }, (_, i) => i);
    if (!this.inOrder) order.sort((a, b) => (times[a] as number) - (times[b] as number));
    let cut = count;
    if (keepRecent) {
      const limit = (times[order[count - 1] as number] as number) - SPILL_HOLD_MS;
      while (cut > 0 && (times[order[cut - 1] as number] as number) > limit) cut--;
      // Release at least the older half, even when all rows are recent.
      cut = Math.max(cut, Math.ceil(count / 2));
    }
    if ((times[order[0] as number] as number) < this.fileMax) this.sorted = false;
    this.fileMax = Math.max(this.fileMax, times[order[cut - 1] as number] as number);
    this.pending = [];
    this.times = [];
    this.inOrder = true;
    const before = this.buffered;
    this.buffered = 0;
    for (let i = cut; i < count; i++) {
      const k = order[i] as number;
      this.pending.push(rows[k] as string);
      this.times.push(times[k] as number);
      this.buffered += (rows[k] as string).length + 1;
    }
    let piece: string[] = [];
    let chars = 0;
    for (let i = 0; i < cut; i++) {
      const row = rows[order[i] as number] as string;
      piece.push(row);
      chars += row.length + 1;
      if (chars > APPEND_CHARS) {
        await appendFile(this.path, `${piece.join('\n')}\n`);
        piece = [];
        chars = 0;
      }
    }
    if (piece.length > 0) await appendFile(this.path, `${piece.join('\n')}\n`);
    return before - this.buffered;
  }
}
