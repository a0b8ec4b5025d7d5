import { buildPutEventsEntry, type ObservedPair, validateDetail } from '@lakewatch/contracts';
import { MAX_PUT_EVENTS_BYTES, putEventsEntrySize } from '@lakewatch/eventbus';
import { describe, expect, it } from 'vitest';
import { batchIdOf, type CollectedPairs, pairBatches } from '../src/index.js';

const SOURCE = {
  uri: 's3://raw-logs/AWSLogs/flow.log.gz',
  etag: '0f343b0931126a20f133d67c2b018a3b',
  size: 4174,
};

function pair(i: number, over: Partial<ObservedPair> = {}): ObservedPair {
  return {
    entity: { type: 'instance', uid: `i-${String(i).padStart(17, '0')}` },
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    count: 1 + (i % 7),
    firstSeen: new Date(Date.UTC(2026, 10, 3) + i * 1000).toISOString(),
    lastSeen: new Date(Date.UTC(2026, 10, 3) + i * 1000 + 500).toISOString(),
    direction: 'outbound',
    sampleEventUid: `uid-${i}`,
    context: { accountUid: '827909205779', region: 'us-east-1' },
    ...over,
  };
}

/** The largest pair the contract allows: long ids, 16 ports, 8 protocols, 8 long DNS names. */
function worstPair(i: number): ObservedPair {
  return pair(i, {
    entity: { type: 'hostname', uid: `h${i}-${'x'.repeat(240)}` },
    ip: `2001:db8:ffff:ffff:ffff:ffff:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`,
    bytes: Number.MAX_SAFE_INTEGER,
    packets: Number.MAX_SAFE_INTEGER,
    dstPorts: Array.from({ length: 16 }, (_, k) => 65535 - k),
    dstPortCount: 65536,
    protocols: [1, 6, 17, 41, 47, 50, 51, 132],
    rejected: 123456789,
    queries: Array.from({ length: 8 }, (_, k) => `${k}${'q'.repeat(253)}.`),
    context: {
      accountUid: 'a'.repeat(64),
      region: 'r'.repeat(64),
      vpcUid: 'v'.repeat(64),
      subnetUid: 's'.repeat(64),
      interfaceUid: 'e'.repeat(64),
      entityIp: 'f'.repeat(64),
    },
    sampleEventUid: 'u'.repeat(256),
  });
}

describe('Function: pairBatches', () => {
  it('splits into batches of at most 250 pairs, numbered per pairing, each a valid event', () => {
    // Prepare
    const collected: CollectedPairs[] = [
      { pairing: 'peer', pairs: Array.from({ length: 600 }, (_, i) => pair(i)), unpaired: 0 },
      { pairing: 'dns', pairs: [pair(1, { queries: ['a.example.'] })], unpaired: 0 },
    ];

    // Act
    const batches = pairBatches(SOURCE, 'ingest-0001', collected);

    // Assess
    expect(batches.map((b) => [b.pairing, b.pairs.length, b.part.index, b.part.count])).toEqual([
      ['peer', 250, 1, 3],
      ['peer', 250, 2, 3],
      ['peer', 100, 3, 3],
      ['dns', 1, 1, 1],
    ]);
    expect(batches.map((b) => b.ocsfClassUid)).toEqual([4001, 4001, 4001, 4003]);
    expect(batches.flatMap((b) => b.pairs).length).toBe(601);
    for (const b of batches) expect(() => validateDetail('NetworkPairsObserved', b)).not.toThrow();
    expect(batches[0]?.window).toEqual({ start: pair(0).firstSeen, end: pair(249).lastSeen });
    expect(batches[0]).toMatchObject({
      accountUid: '827909205779',
      region: 'us-east-1',
      ingestId: 'ingest-0001',
    });
  });

  it('derives the same batch ids from the same object version, pairing and part only', () => {
    // Prepare
    const collected: CollectedPairs[] = [
      { pairing: 'peer', pairs: [pair(1), pair(2)], unpaired: 0 },
    ];

    // Act
    const first = pairBatches(SOURCE, 'x-ingest', collected, { maxPairs: 1 });
    const again = pairBatches(SOURCE, 'x-ingest', collected, { maxPairs: 1 });
    const otherEtag = pairBatches({ ...SOURCE, etag: 'other' }, 'x-ingest', collected, {
      maxPairs: 1,
    });

    // Assess
    expect(first.map((b) => b.batchId)).toEqual(again.map((b) => b.batchId));
    expect(new Set(first.map((b) => b.batchId)).size).toBe(2);
    expect(otherEtag[0]?.batchId).not.toBe(first[0]?.batchId);
    expect(first[0]?.batchId).toBe(batchIdOf(SOURCE, 'peer', 1));
    expect(batchIdOf(SOURCE, 'dns', 1)).not.toBe(batchIdOf(SOURCE, 'peer', 1));
  });

  it('keeps every event far below 256 KB even with the largest pairs the contract allows', () => {
    // Prepare
    const collected: CollectedPairs[] = [
      { pairing: 'dns', pairs: Array.from({ length: 1000 }, (_, i) => worstPair(i)), unpaired: 0 },
    ];

    // Act
    const batches = pairBatches(SOURCE, 'ingest-0002', collected);
    const sizes = batches.map((b) =>
      putEventsEntrySize(buildPutEventsEntry('NetworkPairsObserved', b)),
    );

    // Assess: split by size (fewer than 250 pairs a batch), none lost, each under 128 KB.
    expect(batches.flatMap((b) => b.pairs)).toHaveLength(1000);
    expect(Math.max(...batches.map((b) => b.pairs.length))).toBeLessThan(250);
    expect(Math.max(...sizes)).toBeLessThan(MAX_PUT_EVENTS_BYTES / 2);
    expect(batches.every((b) => b.part.count === batches.length)).toBe(true);
  });

  it('keeps a full batch of ordinary pairs far below 256 KB', () => {
    // Prepare
    const pairs = Array.from({ length: 250 }, (_, i) =>
      pair(i, {
        dstPorts: [443, 80, 22],
        dstPortCount: 3,
        protocols: [6],
        bytes: 1e9,
        packets: 1e6,
        rejected: 0,
      }),
    );

    // Act
    const [batch] = pairBatches(SOURCE, 'ingest-0003', [{ pairing: 'peer', pairs, unpaired: 0 }]);
    const size = putEventsEntrySize(buildPutEventsEntry('NetworkPairsObserved', batch as never));

    // Assess
    expect(batch?.pairs).toHaveLength(250);
    expect(size).toBeLessThan(MAX_PUT_EVENTS_BYTES / 2);
  });

  it('refuses a batch size beyond the contract', () => {
    expect(() => pairBatches(SOURCE, 'i', [], { maxPairs: 251 })).toThrow(/1 to 250, got 251/);
  });
});
