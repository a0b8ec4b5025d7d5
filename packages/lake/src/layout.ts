import { createHash } from 'node:crypto';
import { LakeError } from './errors.js';

/** Where one lake object belongs: `ext/<source>/region=<r>/accountId=<a>/eventDay=<d>/`. */
export interface PartitionKey {
  /** Lake source (custom source name in Security Lake terms), e.g. `vpc_flow`. */
  source: string;
  classUid: number;
  region: string;
  accountId: string;
  /** UTC day of the events, `YYYYMMDD`. */
  eventDay: string;
}

/** Partition value used when a record has no region or no account. */
export const UNKNOWN_PARTITION = 'unknown';

const SAFE = /^[A-Za-z0-9._-]{1,128}$/;
const SOURCE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** A partition value made safe for a path segment: anything outside `[A-Za-z0-9._-]` → `_`. */
export function partitionValue(value: unknown): string {
  if (typeof value !== 'string' || value === '') return UNKNOWN_PARTITION;
  if (SAFE.test(value) && value !== '.' && value !== '..') return value;
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128);
  return cleaned === '.' || cleaned === '..' ? UNKNOWN_PARTITION : cleaned;
}

/** Checks a lake source name (also a table name): lower snake case, from a letter. */
export function assertSourceName(name: string): string {
  if (!SOURCE_NAME.test(name))
    throw new LakeError(
      `lake source name must be lower snake case starting with a letter (at most 64 characters), got '${name}'`,
    );
  return name;
}

const DAY_MS = 86_400_000;
const dayCache = new Map<number, string>();

/** `YYYYMMDD` (UTC) of a millisecond epoch time. */
export function eventDay(timeMs: number): string {
  const day = Math.floor(timeMs / DAY_MS);
  let s = dayCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(day, s);
  }
  return s;
}

/**
 * The ingest id of a source object: a hash of its URI and etag, so that ingesting the same
 * object version again names the same lake objects (and finds its manifest).
 */
export function ingestIdOf(sourceUri: string, etag: string): string {
  return createHash('sha256').update(`${sourceUri}\n${etag}`).digest('hex').slice(0, 24);
}

/** The folder (key prefix) of a partition, relative to the lake root. */
export function partitionPrefix(key: PartitionKey): string {
  return `ext/${key.source}/region=${key.region}/accountId=${key.accountId}/eventDay=${key.eventDay}/`;
}

/**
 * The key of the `seq`-th Parquet object an ingest writes for one partition and class:
 * `<prefix><ingestId>-<seq>.<class_uid>.zstd.parquet`.
 */
export function dataObjectKey(key: PartitionKey, ingestId: string, seq = 0): string {
  return `${partitionPrefix(key)}${ingestId}-${String(seq).padStart(4, '0')}.${key.classUid}.zstd.parquet`;
}

/** The key of the rejects object of an ingest. */
export function rejectsObjectKey(ingestId: string, day: string): string {
  return `rejects/ingestDay=${day}/${ingestId}.jsonl.gz`;
}

/** The key of the manifest of an ingest (written last: its presence means committed). */
export function manifestKey(ingestId: string): string {
  return `manifests/${ingestId}.json`;
}

interface SourceHints {
  class_uid?: unknown;
  metadata?: { product?: { name?: unknown } };
}

/**
 * The default lake source of a record: `vpc_flow` and `route53` for the AWS logs Security
 * Lake names so, else `<product>_<class table>` (e.g. `zeek_network_activity`).
 */
export function defaultSourceOf(record: SourceHints, classTable: string): string {
  const product = record.metadata?.product?.name;
  const name = typeof product === 'string' ? product.toLowerCase() : '';
  if (record.class_uid === 4001 && name.includes('vpc')) return 'vpc_flow';
  if (record.class_uid === 4003 && name.includes('route 53')) return 'route53';
  const slug = name
    .replace(/^amazon |^aws /, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return /^[a-z]/.test(slug) ? `${slug}_${classTable}` : classTable;
}
