import { createHash } from 'node:crypto';
import type { NetworkPairsObservedV1, ObjectRef, ObservedPair } from '@lakewatch/contracts';
import { IngestError } from './errors.js';
import type { CollectedPairs } from './pair-collector.js';
import { type Pairing, pairingClass } from './pairing.js';

/** The contract's largest number of pairs in one `NetworkPairsObserved`. */
export const MAX_PAIRS_PER_BATCH = 250;

/** Options of {@link pairBatches}. */
export interface BatchOptions {
  /** Pairs per batch, at most 250. @default 250 */
  maxPairs?: number;
  /**
   * Serialized size of a batch's pairs, in bytes: with the envelope an event stays far below
   * EventBridge's 256 KB entry limit whatever the pairs hold (long DNS names, many ports).
   * @default 102400
   */
  maxPairsBytes?: number;
}

/**
 * The deterministic id of one batch: the same object version, pairing and part always give
 * the same id, so a consumer deduplicates a batch published again after a retry.
 */
export function batchIdOf(source: ObjectRef, pairing: Pairing, part: number): string {
  return createHash('sha256')
    .update(`${source.uri}\n${source.etag}\n${pairing}\n${part}`)
    .digest('hex')
    .slice(0, 32);
}

function chunk(
  pairs: readonly ObservedPair[],
  maxPairs: number,
  maxBytes: number,
): ObservedPair[][] {
  const out: ObservedPair[][] = [];
  let current: ObservedPair[] = [];
  let bytes = 0;
  for (const p of pairs) {
    const size = Buffer.byteLength(JSON.stringify(p)) + 1;
    if (current.length > 0 && (current.length >= maxPairs || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function sameOf(pairs: readonly ObservedPair[], get: (p: ObservedPair) => string | undefined) {
  const first = pairs[0] ? get(pairs[0]) : undefined;
  return first !== undefined && pairs.every((p) => get(p) === first) ? first : undefined;
}

/**
 * Splits the pairs of one object into `NetworkPairsObserved` v1 details: per pairing (in the
 * given order), at most `maxPairs` pairs and `maxPairsBytes` of pairs a batch, numbered
 * `part.index` of `part.count` within the pairing, with deterministic `batchId`s.
 */
export function pairBatches(
  source: ObjectRef,
  ingestId: string,
  collected: readonly CollectedPairs[],
  options: BatchOptions = {},
): NetworkPairsObservedV1[] {
  const maxPairs = options.maxPairs ?? MAX_PAIRS_PER_BATCH;
  const maxBytes = options.maxPairsBytes ?? 102_400;
  if (!Number.isInteger(maxPairs) || maxPairs < 1 || maxPairs > MAX_PAIRS_PER_BATCH)
    throw new IngestError(`maxPairs must be a whole number from 1 to 250, got ${maxPairs}`);
  const out: NetworkPairsObservedV1[] = [];
  for (const { pairing, pairs } of collected) {
    const chunks = chunk(pairs, maxPairs, maxBytes);
    chunks.forEach((batch, i) => {
      let start = batch[0]?.firstSeen ?? '';
      let end = batch[0]?.lastSeen ?? '';
      for (const p of batch) {
        if (p.firstSeen < start) start = p.firstSeen;
        if (p.lastSeen > end) end = p.lastSeen;
      }
      const account = sameOf(batch, (p) => p.context?.accountUid);
      const region = sameOf(batch, (p) => p.context?.region);
      out.push({
        schemaVersion: '1.0',
        batchId: batchIdOf(source, pairing, i + 1),
        part: { index: i + 1, count: chunks.length },
        sourceObject: source,
        ingestId,
        ocsfClassUid: pairingClass(pairing),
        pairing,
        window: { start, end },
        ...(account !== undefined ? { accountUid: account } : {}),
        ...(region !== undefined ? { region } : {}),
        pairs: batch,
      });
    });
  }
  return out;
}
