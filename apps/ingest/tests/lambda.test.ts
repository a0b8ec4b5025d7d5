import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { LogObjectIngestedV1, NetworkPairsObservedV1 } from '@lakewatch/contracts';
import { createS3Client } from '@lakewatch/lake';
import { type LocalBus, parseRoutingFile, startLocalBus } from '@lakewatch/local-bus-server';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, sqsEvent, tempDir } from './helpers.js';
import { type Receiver, startReceiver, waitFor } from './process.js';

// The Lambda entry as deployed: configuration from the environment, the real S3 and
// EventBridge SDK clients, pointed at s3rver and the local bus on 127.0.0.1.
let dir: { path: string; remove: () => Promise<void> };
let s3rver: S3rver;
let bus: LocalBus;
let receiver: Receiver;

beforeAll(async () => {
  dir = await tempDir('lambda');
  s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dir.path, 's3rver'),
    configureBuckets: [{ name: 'raw-logs', configs: [] }],
  });
  const s3Url = `http://127.0.0.1:${((await s3rver.run()) as AddressInfo).port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const s3 = await createS3Client({ endpoint: s3Url, credentials, region: 'us-east-1' });
  await s3.send(
    new PutObjectCommand({
      Bucket: 'raw-logs',
      Key: 'AWSLogs/827909205779/vpcflowlogs/us-east-1/2026/11/03/flow logs (copy).log.gz',
      Body: await readFile(join(FIXTURES, 'vpc-flow-v5.log.gz')),
    }),
  );
  receiver = await startReceiver();
  bus = await startLocalBus({
    dataDir: join(dir.path, 'bus'),
    port: 0,
    retryBaseDelayMs: 100,
    log: () => {},
    routing: parseRoutingFile({
      Version: 1,
      Services: {},
      Endpoints: {},
      EventBuses: [
        {
          Name: 'lakewatch',
          Rules: [
            {
              Name: 'ingest-to-receiver',
              EventPattern: { source: ['lakewatch.ingest'] },
              Targets: [{ Id: 'receiver', Url: `${receiver.url}/events` }],
            },
          ],
          Archives: [],
        },
      ],
    }),
  });
  Object.assign(process.env, {
    INGEST_LAKE: join(dir.path, 'lake'),
    INGEST_PAIRING: 'peer',
    AWS_ENDPOINT_URL_S3: s3Url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    LOG_LEVEL: 'silent',
  });
});

afterAll(async () => {
  await bus?.close();
  await receiver?.close();
  await s3rver?.close();
  await dir?.remove();
});

describe('Function: handler (src/handler.ts)', () => {
  it('ingests the S3 object of a recorded SQS message and publishes to the bus', async () => {
    // Prepare
    const { handler } = await import('../src/handler.js');
    const event = await sqsEvent('s3-notification-records');

    // Act
    const response = await handler(event);
    const again = await handler(event);
    await waitFor(
      'the two LogObjectIngested',
      () =>
        receiver.events.filter((e) => e.event['detail-type'] === 'LogObjectIngested').length === 2,
    );

    // Assess
    const details = (type: string) =>
      receiver.events.filter((e) => e.event['detail-type'] === type).map((e) => e.event.detail);
    const logs = details('LogObjectIngested') as unknown as LogObjectIngestedV1[];
    const batches = details('NetworkPairsObserved') as unknown as NetworkPairsObservedV1[];
    expect(response).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(logs.map((l) => l.duplicate).sort()).toEqual([false, true]);
    expect(batches.length).toBe(batches[0]?.part.count);
    expect(batches[0]?.sourceObject.uri).toBe(
      's3://raw-logs/AWSLogs/827909205779/vpcflowlogs/us-east-1/2026/11/03/flow logs (copy).log.gz',
    );
  });
});
