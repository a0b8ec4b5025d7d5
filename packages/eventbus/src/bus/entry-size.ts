import type { PutEventsEntry } from '@lakewatch/contracts';

/** EventBridge's limit on the total size of the entries of one PutEvents call, in bytes. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
/** EventBridge's limit on the number of entries of one PutEvents call. */
export const MAX_PUT_EVENTS_ENTRIES = 10;

const utf8 = (s: string | undefined): number =>
  s === undefined ? 0 : Buffer.byteLength(s, 'utf8');

/**
 * The size EventBridge counts for an entry ("Calculating PutEvents event entry size"): 14
 * bytes for `Time` when given, plus the UTF-8 bytes of `Source`, `DetailType`, `Detail` and
 * each of `Resources`. The bus name and trace header do not count.
 */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += utf8(entry.Source) + utf8(entry.DetailType) + utf8(entry.Detail);
  for (const r of entry.Resources ?? []) size += utf8(r);
  return size;
}
