import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { InMemoryBus } from '@lakewatch/eventbus';
import { createS3Client, listManifests, S3Storage } from '@lakewatch/lake';
import { ContractPublisher, createLogger } from '@lakewatch/service-kit';
import S3rver from 's3rver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLambdaHandler,
  createObjectOpener,
  createSqsHandler,
  IngestService,
  ingestNotification,
} from '../src/index.js';
import { FIXTURES, published, sqsEvent, tempDir } from './helpers.js';

// A real S3-compatible server (s3rver) on 127.0.0.1, not a mock.
let server: S3rver;
let dir: { path: string; remove: () => Promise<void> };
let s3: Awaited<ReturnType<typeof createS3Client>>;
let lake: S3Storage;
let bus: InMemoryBus;
let logLines: string[];
let service: IngestService;

const SL_BUCKET = 'aws-security-data-lake-us-east-1-abcdef';
const SL_KEY =
  'aws/VPC_FLOW/2.0/region=us-east-1/accountId=123456789012/eventDay=20220412/a1b2c3d4e5f6.gz.parquet';
const R53_KEY =
  'ext/ROUTE53/region=us-east-1/accountId=827909205779/eventDay=20261103/resolver.log.gz';
const RAW = 'AWSLogs/827909205779/vpcflowlogs/us-east-1/2026/11/03/';

async function put(bucket: string, key: string, body: Uint8Array | string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

beforeAll(async () => {
  dir = await tempDir('s3');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dir.path, 's3rver'),
    configureBuckets: [
      { name: SL_BUCKET, configs: [] },
      { name: 'raw-logs', configs: [] },
      { name: 'lake-bucket', configs: [] },
    ],
  });
  const address = (await server.run()) as AddressInfo;
  s3 = await createS3Client({
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    region: 'us-east-1',
  });
  const flow = await readFile(join(FIXTURES, 'vpc-flow-v5.log.gz'));
  await put(
    SL_BUCKET,
    SL_KEY,
    await readFile(join(FIXTURES, 'security-lake', 'vpc-flow-denied.parquet')),
  );
  await put(SL_BUCKET, R53_KEY, await readFile(join(FIXTURES, 'route53-resolver.log.gz')));
  await put('raw-logs', `${RAW}flow logs (copy).log.gz`, flow);
  await put('raw-logs', `${RAW}flow.log.gz`, flow);
  // gzip magic bytes and then garbage: the object cannot be read at all.
  await put(
    'raw-logs',
    `${RAW}corrupt.log.gz`,
    Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(60, 0x41)]),
  );
});

afterAll(async () => {
  await server.close();
  await dir.remove();
});

beforeEach(() => {
  bus = new InMemoryBus();
  logLines = [];
  lake = new S3Storage(`s3://lake-bucket/lake-${Math.random().toString(36).slice(2)}`, s3);
  service = new IngestService({
    lake,
    publisher: new ContractPublisher(bus),
    open: createObjectOpener({ s3Client: async () => s3 }),
    pairings: ['peer', 'dns'],
  });
});

function handler() {
  const out = new PassThrough();
  out.on('data', (d: Buffer) => logLines.push(...d.toString().trim().split('\n')));
  return createSqsHandler(service, createLogger('ingest-test', { destination: out }));
}

describe('Function: createSqsHandler', () => {
  it("ingests the Security Lake subscriber's Object Created message from S3 into an S3 lake", async () => {
    // Prepare
    const event = await sqsEvent('security-lake-object-created');
    const bytes = await readFile(join(FIXTURES, 'security-lake', 'vpc-flow-denied.parquet'));

    // Act
    const response = await handler()(event);

    // Assess
    const { logs, batches } = published(bus);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(logs[0]).toMatchObject({
      sourceObject: {
        uri: `s3://${SL_BUCKET}/${SL_KEY}`,
        etag: createHash('md5').update(bytes).digest('hex'),
        size: bytes.length,
      },
      format: 'security-lake-parquet',
      duplicate: false,
    });
    expect(logs[0]?.lakeObjects[0]?.uri).toMatch(/^s3:\/\/lake-bucket\/lake-\w+\/ext\//);
    expect(batches[0]?.pairs[0]).toMatchObject({ entity: { type: 'instance' }, ip: '1.2.3.4' });
    expect(await listManifests(lake)).toHaveLength(1);
  });

  it('reads the URL-encoded key of a classic S3 notification and publishes its pairs', async () => {
    // Prepare
    const event = await sqsEvent('s3-notification-records');

    // Act
    const response = await handler()(event);

    // Assess
    const { logs, batches } = published(bus);
    expect(response.batchItemFailures).toEqual([]);
    expect(logs[0]?.sourceObject.uri).toBe(`s3://raw-logs/${RAW}flow logs (copy).log.gz`);
    expect(logs[0]?.counts.read).toBe(241);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b.sourceObject.uri === logs[0]?.sourceObject.uri)).toBe(true);
  });

  it('publishes no pairs again when the same notification is delivered twice', async () => {
    // Prepare
    const event = await sqsEvent('s3-notification-records');
    const run = handler();
    await run(event);
    const first = published(bus);
    bus.published.length = 0;

    // Act
    const response = await run(event);

    // Assess
    const again = published(bus);
    expect(response.batchItemFailures).toEqual([]);
    expect(first.batches.length).toBeGreaterThan(0);
    expect(again.batches).toEqual([]);
    expect(again.logs).toEqual([
      expect.objectContaining({ duplicate: true, ingestId: first.logs[0]?.ingestId }),
    ]);
    expect(await listManifests(lake)).toHaveLength(1);
  });

  it("acknowledges S3's test event without ingesting anything", async () => {
    // Prepare
    const event = await sqsEvent('s3-test-event');

    // Act
    const response = await handler()(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(bus.published).toEqual([]);
  });

  it('reports only the messages whose objects cannot be read, naming them in the log', async () => {
    // Prepare
    const event = await sqsEvent('mixed-batch');
    const bad = { Records: [{ messageId: 'not-json', body: '{"Records": [' }] };

    // Act
    const response = await handler()(event);
    const malformed = await handler()(bad);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'a1f0c6e2-0002-4a7b-9d3e-5c1b2a3f4e5d' },
      { itemIdentifier: 'a1f0c6e2-0003-4a7b-9d3e-5c1b2a3f4e5d' },
    ]);
    expect(malformed.batchItemFailures).toEqual([{ itemIdentifier: 'not-json' }]);
    expect(published(bus).logs.map((l) => l.sourceObject.uri)).toEqual([
      `s3://raw-logs/${RAW}flow.log.gz`,
    ]);
    const errors = logLines.map((l) => JSON.parse(l) as { msg: string; err?: { message: string } });
    expect(
      errors.find((l) => l.err?.message.includes(`s3://raw-logs/${RAW}missing.log.gz`))?.err
        ?.message,
    ).toMatch(/NoSuchKey/);
    expect(errors.some((l) => l.err?.message.includes(`s3://raw-logs/${RAW}corrupt.log.gz`))).toBe(
      true,
    );
  });
});

describe('Function: ingestNotification', () => {
  it('takes an already-parsed Object Created body', async () => {
    // Prepare
    const body: unknown = JSON.parse(
      await readFile(
        join(import.meta.dirname, 'events/sqs/object-created-parsed-body.json'),
        'utf8',
      ),
    );

    // Act
    const [outcome] = await ingestNotification(service, body);

    // Assess
    expect(outcome).toMatchObject({ status: 'ingested', counts: { read: 14 } });
    expect(published(bus).batches.map((b) => b.pairing)).toEqual(['dns']);
  });
});

describe('Function: createLambdaHandler', () => {
  it('takes an SQS batch or an EventBridge Object Created event delivered directly', async () => {
    // Prepare
    const run = createLambdaHandler(service);
    const envelope: unknown = JSON.parse(
      await readFile(
        join(import.meta.dirname, 'events/sqs/object-created-parsed-body.json'),
        'utf8',
      ),
    );
    const missing = {
      ...(envelope as Record<string, unknown>),
      detail: { bucket: { name: SL_BUCKET }, object: { key: 'no/such/key.log.gz' } },
    };

    // Act
    const direct = await run(envelope as Record<string, unknown>);
    const batch = await run(await sqsEvent('s3-test-event'));
    const failure = await run(missing).catch((e: unknown) => e);

    // Assess
    expect(direct).toBeUndefined();
    expect(batch).toEqual({ batchItemFailures: [] });
    expect(published(bus).logs).toHaveLength(1);
    expect((failure as Error).message).toMatch(
      new RegExp(`^s3://${SL_BUCKET}/no/such/key\\.log\\.gz: .*NoSuchKey`),
    );
  });
});
