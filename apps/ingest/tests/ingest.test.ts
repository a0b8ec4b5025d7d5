import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InMemoryBus } from '@lakewatch/eventbus';
import { LakeIngest, LocalStorage, listManifests } from '@lakewatch/lake';
import { ContractPublisher, PublishError } from '@lakewatch/service-kit';
import { parseLogObject } from '@lakewatch/sources';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createObjectOpener,
  type IngestDependencies,
  IngestService,
  ingestObject,
  ObjectReadError,
  readRecord,
} from '../src/index.js';
import { DownBus, FIXTURES, published, tempDir } from './helpers.js';

let dir: { path: string; remove: () => Promise<void> };
let lake: LocalStorage;
let flowFile: string;

const noS3 = () => Promise.reject(new Error('no S3 in this test'));

function deps(
  bus: InMemoryBus | DownBus,
  over: Partial<IngestDependencies> = {},
): IngestDependencies {
  return {
    lake,
    publisher: new ContractPublisher(bus),
    open: createObjectOpener({ s3Client: noS3 }),
    pairings: ['peer'],
    ...over,
  };
}

beforeEach(async () => {
  dir = await tempDir('domain');
  lake = new LocalStorage(join(dir.path, 'lake'));
  flowFile = join(dir.path, 'vpc-flow-v5.log.gz');
  await copyFile(join(FIXTURES, 'vpc-flow-v5.log.gz'), flowFile);
});

afterEach(async () => {
  await dir.remove();
});

describe('Function: ingestObject', () => {
  it('writes the lake and publishes LogObjectIngested and the pair batches', async () => {
    // Prepare
    const bus = new InMemoryBus();
    const md5 = createHash('md5')
      .update(await readFile(flowFile))
      .digest('hex');

    // Act
    const outcome = await ingestObject({ uri: flowFile }, deps(bus));

    // Assess
    const { logs, batches } = published(bus);
    expect(outcome).toMatchObject({
      status: 'ingested',
      counts: { read: 241, normalized: 241, rejected: 0 },
    });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      sourceObject: { uri: pathToFileURL(flowFile).href, etag: md5, size: 4174 },
      format: 'aws-vpc-flow',
      formatDetail: 'header v5',
      ocsfClasses: [4001],
      duplicate: false,
      rejects: null,
      accountUid: '827909205779',
      region: 'us-east-1',
    });
    expect(logs[0]?.lakeObjects[0]?.uri).toMatch(
      /^file:\/\/.*\/ext\/vpc_flow\/region=us-east-1\/accountId=827909205779\/eventDay=20261103\//,
    );
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b.pairing === 'peer' && b.ingestId === logs[0]?.ingestId)).toBe(
      true,
    );
    expect(outcome.pairs).toBe(batches.reduce((n, b) => n + b.pairs.length, 0));
    expect(batches.flatMap((b) => b.pairs).reduce((n, p) => n + p.count, 0)).toBeLessThanOrEqual(
      241,
    );
    expect(await listManifests(lake)).toHaveLength(1);
    expect((await readRecord(lake, outcome.ingestId))?.publishedAt).toBeDefined();
  });

  it('writes and publishes nothing new for the same object version (duplicate)', async () => {
    // Prepare
    const bus = new InMemoryBus();
    await ingestObject({ uri: flowFile }, deps(bus));
    const before = await lake.list('ext/');
    bus.published.length = 0;

    // Act: the same bytes landed again under the same name.
    await copyFile(join(FIXTURES, 'vpc-flow-v5.log.gz'), flowFile);
    const outcome = await ingestObject({ uri: `file://${flowFile}` }, deps(bus));

    // Assess
    const { logs, batches } = published(bus);
    expect(outcome).toMatchObject({ status: 'duplicate', pairBatches: 0, pairs: 0 });
    expect(batches).toEqual([]);
    expect(logs).toEqual([
      expect.objectContaining({
        duplicate: true,
        counts: expect.objectContaining({ normalized: 241 }),
      }),
    ]);
    expect(await lake.list('ext/')).toEqual(before);
    expect(await listManifests(lake)).toHaveLength(1);
  });

  it('publishes the recorded pairs after a crash between the lake write and the publish', async () => {
    // Prepare: a clean run elsewhere gives the batch ids to expect.
    const reference = new InMemoryBus();
    const other = await tempDir('reference');
    await ingestObject(
      { uri: flowFile },
      { ...deps(reference), lake: new LocalStorage(other.path) },
    );
    await other.remove();
    const down = new DownBus();

    // Act: the bus refuses the events (the message fails), then the message comes again.
    const failed = await ingestObject({ uri: flowFile }, deps(down)).catch((e: unknown) => e);
    const lakeAfterCrash = await lake.list('ext/');
    const bus = new InMemoryBus();
    const outcome = await ingestObject({ uri: flowFile }, deps(bus));
    const again = new InMemoryBus();
    const third = await ingestObject({ uri: flowFile }, deps(again));

    // Assess
    expect(failed).toBeInstanceOf(PublishError);
    expect(await listManifests(lake)).toHaveLength(1);
    expect(lakeAfterCrash.length).toBeGreaterThan(0);
    expect(await lake.list('ext/')).toEqual(lakeAfterCrash);
    expect(outcome.status).toBe('republished');
    expect(published(bus).batches.map((b) => b.batchId)).toEqual(
      published(reference).batches.map((b) => b.batchId),
    );
    expect(published(bus).batches.flatMap((b) => b.pairs)).toEqual(
      published(reference).batches.flatMap((b) => b.pairs),
    );
    expect(third.status).toBe('duplicate');
    expect(published(again).batches).toEqual([]);
  });

  it('reads the object again for its pairs when the lake has it but nothing was recorded', async () => {
    // Prepare: the lake got the object from another writer (the CLI, or a crash before the record).
    const opened = await createObjectOpener({ s3Client: noS3 })({ uri: flowFile });
    const sourceUri = pathToFileURL(flowFile).href;
    const ingest = await LakeIngest.begin(lake, { sourceUri, etag: opened.ref.etag });
    const parsed = parseLogObject(opened.body, { sourceUri });
    for await (const b of parsed) await ingest.add(b);
    await ingest.commit({ format: 'aws-vpc-flow' });
    const before = await lake.list('ext/');
    const bus = new InMemoryBus();

    // Act
    const outcome = await ingestObject({ uri: flowFile }, deps(bus));

    // Assess
    expect(outcome.status).toBe('republished');
    expect(published(bus).batches.length).toBeGreaterThan(0);
    expect(published(bus).logs[0]).toMatchObject({ duplicate: false, counts: { read: 241 } });
    expect(await lake.list('ext/')).toEqual(before);
  });

  it('keeps record-level problems as rejects with their reason and pairs the rest', async () => {
    // Prepare
    const path = join(dir.path, 'flow-with-bad-line.log');
    const lines = [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id',
      '5 827909205779 eni-093f89320023cda0b 10.0.0.11 5.188.206.226 40000 443 6 10 5000 1793664351 1793664366 ACCEPT OK i-045420caede2d795d',
      '5 827909205779 eni-093f89320023cda0b 10.0.0.11 5.188.206.226 40001 443 tcp 10 5000 1793664351 1793664366 ACCEPT OK i-045420caede2d795d',
    ];
    await writeFile(path, `${lines.join('\n')}\n`);
    const bus = new InMemoryBus();

    // Act
    const outcome = await ingestObject({ uri: path }, deps(bus));

    // Assess
    const [log] = published(bus).logs;
    expect(outcome.counts).toMatchObject({ read: 2, normalized: 1, rejected: 1 });
    expect(log?.rejects?.count).toBe(1);
    expect(log?.rejects?.uri).toMatch(/\/rejects\/ingestDay=\d{8}\/[0-9a-f]+\.jsonl\.gz$/);
    expect(Object.keys(log?.counts.rejectedByReason ?? {})).toHaveLength(1);
    expect(published(bus).batches[0]?.pairs).toEqual([
      expect.objectContaining({
        entity: { type: 'instance', uid: 'i-045420caede2d795d' },
        ip: '5.188.206.226',
        count: 1,
      }),
    ]);
  });

  it('fails with an error naming an object that cannot be read, and writes nothing', async () => {
    // Prepare
    const garbage = join(dir.path, 'notes.txt');
    await writeFile(garbage, 'these are not log records\n');
    const bus = new InMemoryBus();

    // Act
    const unknown = await ingestObject({ uri: garbage }, deps(bus)).catch((e: unknown) => e);
    const missing = await ingestObject({ uri: join(dir.path, 'gone.log') }, deps(bus)).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(unknown).toBeInstanceOf(ObjectReadError);
    expect((unknown as Error).message).toContain(pathToFileURL(garbage).href);
    expect(missing).toBeInstanceOf(ObjectReadError);
    expect((missing as Error).message).toMatch(/gone\.log: cannot read the file/);
    expect(await listManifests(lake)).toEqual([]);
    expect(bus.published).toEqual([]);
  });

  it('pairs DNS answers with the querying instance (peer,dns)', async () => {
    // Prepare
    const path = join(dir.path, 'resolver.log.gz');
    await copyFile(join(FIXTURES, 'route53-resolver.log.gz'), path);
    const bus = new InMemoryBus();

    // Act
    await ingestObject({ uri: path }, deps(bus, { pairings: ['peer', 'dns'] }));

    // Assess
    const { logs, batches } = published(bus);
    expect(logs[0]).toMatchObject({ format: 'aws-route53-resolver', ocsfClasses: [4003] });
    expect(batches.map((b) => [b.pairing, b.ocsfClassUid])).toEqual([['dns', 4003]]);
    expect(batches[0]?.pairs).toContainEqual(
      expect.objectContaining({
        entity: { type: 'instance', uid: 'i-0e0d7314f6e046583' },
        ip: '10.0.48.25',
        queries: ['prod-db-01.prod.internal.'],
      }),
    );
  });

  it('pairs Security Lake OCSF Parquet rows and counts denied traffic', async () => {
    // Prepare
    const path = join(dir.path, 'security-lake.parquet');
    await copyFile(join(FIXTURES, 'security-lake', 'vpc-flow-denied.parquet'), path);
    const bus = new InMemoryBus();

    // Act
    await ingestObject({ uri: path }, deps(bus, { pairings: ['source', 'peer'] }));

    // Assess
    const { logs, batches } = published(bus);
    expect(logs[0]?.format).toBe('security-lake-parquet');
    expect(batches.map((b) => b.pairing)).toEqual(['peer']);
    expect(batches[0]?.pairs).toEqual([
      expect.objectContaining({
        entity: { type: 'instance', uid: 'i-000000000000000000' },
        ip: '1.2.3.4',
        direction: 'inbound',
        rejected: 1,
        dstPorts: [39938],
        context: expect.objectContaining({ vpcUid: 'vpc-00000000', entityIp: '172.31.2.52' }),
      }),
    ]);
  });
});

describe('Class: IngestService', () => {
  it('runs concurrent triggers for the same object one after the other', async () => {
    // Prepare
    const bus = new InMemoryBus();
    const service = new IngestService(deps(bus));

    // Act
    const outcomes = await Promise.all([
      service.ingest({ uri: flowFile }),
      service.ingest({ uri: pathToFileURL(flowFile).href }),
    ]);

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['ingested', 'duplicate']);
    expect(published(bus).logs.map((l) => l.duplicate)).toEqual([false, true]);
    expect(published(bus).batches.length).toBe(outcomes[0]?.pairBatches);
    expect(await listManifests(lake)).toHaveLength(1);
  });
});
