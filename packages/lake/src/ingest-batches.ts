import type { IngestManifest } from './manifest.js';
import type { LakeReject } from './rejects.js';
import type { LakeStorage } from './storage/types.js';
import type { LakeIngestOptions, LakeRecord } from './writer.js';
import { LakeIngest } from './writer.js';

/** A batch as a parser yields it: normalized records and the parser's rejects. */
export interface LakeBatch {
  records: readonly LakeRecord[];
  rejects?: readonly LakeReject[];
}

/** Options of {@link ingestBatches}. */
export interface IngestBatchesOptions extends Omit<LakeIngestOptions, 'format'> {
  /**
   * Input format for the manifest; a function is called after the last batch (a parser knows
   * the format only once it has read the object). @default none
   */
  format?: string | (() => string | undefined);
  /** Sees each batch after the lake has taken it (progress, pair collection). @default none */
  onBatch?: (batch: LakeBatch) => void | Promise<void>;
}

/** The result of {@link ingestBatches}. */
export interface IngestBatchesResult {
  ingestId: string;
  /** True when this object version was already committed: nothing was read or written. */
  skipped: boolean;
  /** The manifest written now, or the earlier one when skipped. */
  manifest: IngestManifest;
}

/**
 * Ingests the parsed batches of one source object: begins the ingest, and unless this object
 * version is already in the lake (and not `force`), opens the batches, adds each one, and
 * commits (the manifest last). When reading the batches fails, what was spooled is dropped
 * and the error is rethrown: nothing of the object is committed.
 *
 * @example
 * const { manifest, skipped } = await ingestBatches(storage, { sourceUri, etag }, () =>
 *   parseLogObject(body, { sourceUri }),
 * );
 */
export async function ingestBatches(
  storage: LakeStorage,
  options: IngestBatchesOptions,
  open: () => AsyncIterable<LakeBatch> | Promise<AsyncIterable<LakeBatch>>,
): Promise<IngestBatchesResult> {
  const { format, onBatch, ...rest } = options;
  const ingest = await LakeIngest.begin(storage, rest);
  if (ingest.skipped)
    return {
      ingestId: ingest.ingestId,
      skipped: true,
      manifest: ingest.previous as IngestManifest,
    };
  try {
    for await (const batch of await open()) {
      await ingest.add(batch);
      await onBatch?.(batch);
    }
  } catch (e) {
    await ingest.abort();
    throw e;
  }
  const resolved = typeof format === 'function' ? format() : format;
  const { manifest } = await ingest.commit(resolved === undefined ? {} : { format: resolved });
  return { ingestId: ingest.ingestId, skipped: false, manifest };
}
