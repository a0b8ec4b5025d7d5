import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestBatches, type LakeBatch, LocalStorage, listManifests } from '../src/index.js';
import { tempDir, vpcFlowRecord } from './helpers.js';

let dir: { path: string; remove: () => Promise<void> };
let storage: LocalStorage;

beforeEach(async () => {
  dir = await tempDir('ingest-batches');
  storage = new LocalStorage(dir.path);
});

afterEach(async () => {
  await dir.remove();
});

async function* batches(count: number, failAfter?: number): AsyncIterable<LakeBatch> {
  for (let i = 0; i < count; i++) {
    if (i === failAfter) throw new Error('the object ended early');
    yield {
      records: [vpcFlowRecord(2 * i), vpcFlowRecord(2 * i + 1)],
      rejects: [{ sourceUri: 's3://b/k', line: i + 1, reason: 'bad-number', message: 'no' }],
    };
  }
}

describe('Function: ingestBatches', () => {
  it('adds every batch, shows each to onBatch, and commits with the format known at the end', async () => {
    // Prepare
    const seen: number[] = [];
    let format: string | undefined;

    // Act
    const result = await ingestBatches(
      storage,
      {
        sourceUri: 's3://b/k',
        etag: 'e1',
        format: () => format,
        onBatch: (b) => {
          seen.push(b.records.length);
          format = 'aws-vpc-flow';
        },
      },
      () => batches(3),
    );

    // Assess
    expect(seen).toEqual([2, 2, 2]);
    expect(result.skipped).toBe(false);
    expect(result.manifest).toMatchObject({ records: 6, rejected: 3, format: 'aws-vpc-flow' });
  });

  it('does not open the batches of an object version already in the lake', async () => {
    // Prepare
    await ingestBatches(storage, { sourceUri: 's3://b/k', etag: 'e1' }, () => batches(1));
    let opened = false;

    // Act
    const again = await ingestBatches(storage, { sourceUri: 's3://b/k', etag: 'e1' }, () => {
      opened = true;
      return batches(1);
    });

    // Assess
    expect(again.skipped).toBe(true);
    expect(again.manifest.records).toBe(2);
    expect(opened).toBe(false);
  });

  it('commits nothing when reading the batches fails', async () => {
    // Act
    const failure = await ingestBatches(storage, { sourceUri: 's3://b/k', etag: 'e2' }, () =>
      batches(3, 1),
    ).catch((e: unknown) => e);

    // Assess
    expect((failure as Error).message).toBe('the object ended early');
    expect(await listManifests(storage)).toEqual([]);
    expect(await storage.list('ext/')).toEqual([]);
  });
});
