import type { PutEventsEntry } from '@lakewatch/contracts';
import { MAX_PUT_EVENTS_BYTES, MAX_PUT_EVENTS_ENTRIES, putEventsEntrySize } from './entry-size.js';

/** One PutEvents call to make: indexes into the caller's entry list. */
export interface Batch {
  readonly indexes: number[];
  bytes: number;
}

/** How entries are split; limits default to EventBridge's. */
export interface SplitOptions {
  /** @default 256 KiB (262144 bytes) */
  maxBytes?: number;
  /** @default 10 */
  maxEntries?: number;
}

/**
 * Splits entries (in order) into calls of at most `maxEntries` entries and `maxBytes` bytes as
 * EventBridge sizes them. Entries too large on their own go to `tooLarge` and are never sent.
 */
export function splitIntoBatches(
  entries: readonly PutEventsEntry[],
  indexes: readonly number[],
  options: SplitOptions = {},
): { batches: Batch[]; tooLarge: number[] } {
  const maxBytes = options.maxBytes ?? MAX_PUT_EVENTS_BYTES;
  const maxEntries = options.maxEntries ?? MAX_PUT_EVENTS_ENTRIES;
  const batches: Batch[] = [];
  const tooLarge: number[] = [];
  let current: Batch | undefined;
  for (const i of indexes) {
    const size = putEventsEntrySize(entries[i] as PutEventsEntry);
    if (size > maxBytes) {
      tooLarge.push(i);
      continue;
    }
    if (
      current === undefined ||
      current.indexes.length >= maxEntries ||
      current.bytes + size > maxBytes
    ) {
      current = { indexes: [], bytes: 0 };
      batches.push(current);
    }
    current.indexes.push(i);
    current.bytes += size;
  }
  return { batches, tooLarge };
}
