import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, LakeIngest, LakeQuery, S3Storage, writePairsCsv } from '../src/index.js';
import { tempDir, vpcFlowRecord } from './helpers.js';

// A real S3-compatible server (s3rver) on 127.0.0.1, not a mock.
let server: S3rver;
let endpoint: string;
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('s3');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: `${dir.path}/s3rver`,
    configureBuckets: [{ name: 'lake-bucket', configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await server.close();
  await dir.remove();
});

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('Class: S3Storage', () => {
  it('writes the lake to an S3 prefix and queries it from a local staging copy', async () => {
    // Prepare
    const client = await createS3Client({ endpoint, credentials, region: 'us-east-1' });
    const storage = new S3Storage('s3://lake-bucket/security-lake', client);
    const records = Array.from({ length: 200 }, (_, i) => vpcFlowRecord(i));

    // Act
    const ingest = await LakeIngest.begin(storage, {
      sourceUri: 's3://logs/a.log.gz',
      etag: '"v1"',
    });
    await ingest.add({
      records,
      rejects: [
        {
          sourceUri: 's3://logs/a.log.gz',
          line: 3,
          reason: 'field-count',
          message: 'expected 14 fields, got 3',
        },
      ],
    });
    const { manifest } = await ingest.commit();
    const again = await LakeIngest.begin(storage, {
      sourceUri: 's3://logs/a.log.gz',
      etag: '"v1"',
    });
    const lake = await LakeQuery.open(storage, { stagingDirectory: `${dir.path}/stage` });
    const count = await lake.query(
      'SELECT count(*)::INT, count(DISTINCT src_endpoint.instance_uid)::INT FROM vpc_flow',
    );
    const rejects = await lake.query('SELECT reason, message FROM rejects');
    const rows = await writePairsCsv(lake, `${dir.path}/train.csv`, { table: 'vpc_flow' });
    lake.close();

    // Assess
    const keys = (await storage.list('')).map((o) => o.key);
    expect(keys).toContain(`manifests/${manifest.ingestId}.json`);
    expect(
      keys.some((k) =>
        /^ext\/vpc_flow\/region=us-east-1\/accountId=123456789012\/eventDay=\d{8}\//.test(k),
      ),
    ).toBe(true);
    expect(keys.some((k) => k.startsWith('rejects/'))).toBe(true);
    expect(again.skipped).toBe(true);
    expect(count.rows).toEqual([[200, 5]]);
    expect(rejects.rows).toEqual([['field-count', 'expected 14 fields, got 3']]);
    expect(rows).toBeGreaterThan(0);
  });

  it('names the bucket and key when an object cannot be read', async () => {
    // Prepare
    const client = await createS3Client({ endpoint, credentials });
    const storage = new S3Storage('s3://no-such-bucket/x', client);

    // Act
    const act = storage.list('ext/');

    // Assess
    await expect(act).rejects.toThrow(/no-such-bucket\/x\/ext\/.*NoSuchBucket/);
  });
});
