import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';

/** One input record that was not written to the lake, with where it was and why. */
export interface LakeReject {
  /** The object the record came from. */
  sourceUri: string;
  /** 1-based line or row of the record in its object. */
  line: number;
  /** The offending field, when one field is to blame. */
  field?: string;
  /** The offending value. */
  value?: string;
  /** Kebab-case reason code, e.g. `bad-number`. */
  reason: string;
  /** Human-readable explanation. */
  message: string;
  /** The raw record, when the parser kept it. */
  raw?: string;
}

/** The columns of the `rejects` table (JSON lines, gzip, under `rejects/`). */
export const REJECT_COLUMNS: Record<string, string> = {
  ingest_id: 'VARCHAR',
  source_uri: 'VARCHAR',
  line: 'BIGINT',
  field: 'VARCHAR',
  value: 'VARCHAR',
  reason: 'VARCHAR',
  message: 'VARCHAR',
  raw: 'VARCHAR',
};

/** Streams the rejects of one ingest to a local gzip JSON-lines file. */
export class RejectSpool {
  readonly path: string;
  count = 0;
  readonly byReason: Record<string, number> = {};
  private gzip: Gzip | undefined;
  private file: WriteStream | undefined;
  private readonly ingestId: string;

  constructor(dir: string, ingestId: string) {
    this.path = join(dir, 'rejects.jsonl.gz');
    this.ingestId = ingestId;
  }

  async add(reject: LakeReject): Promise<void> {
    if (!this.gzip) {
      this.gzip = createGzip();
      this.file = createWriteStream(this.path);
      this.gzip.pipe(this.file);
    }
    this.count++;
    this.byReason[reject.reason] = (this.byReason[reject.reason] ?? 0) + 1;
    const line = JSON.stringify({
      ingest_id: this.ingestId,
      source_uri: reject.sourceUri,
      line: reject.line,
      field: reject.field ?? null,
      value: reject.value ?? null,
      reason: reject.reason,
      message: reject.message,
      raw: reject.raw ?? null,
    });
    if (!this.gzip.write(`${line}\n`)) await once(this.gzip, 'drain');
  }

  /** Finishes the file; true when there was at least one reject. */
  async close(): Promise<boolean> {
    if (!this.gzip || !this.file) return false;
    const done = once(this.file, 'close');
    this.gzip.end();
    await done;
    return true;
  }
}
