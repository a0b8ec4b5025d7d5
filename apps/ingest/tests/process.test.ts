import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LogObjectIngestedV1, NetworkPairsObservedV1 } from '@lakewatch/contracts';
import { LocalStorage, listManifests } from '@lakewatch/lake';
import { type LocalBus, parseRoutingFile, startLocalBus } from '@lakewatch/local-bus-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from './helpers.js';
import {
  type IngestProcess,
  type Receiver,
  startIngestProcess,
  startReceiver,
  waitFor,
} from './process.js';

let dir: { path: string; remove: () => Promise<void> };
let bus: LocalBus;
let receiver: Receiver;
let ingest: IngestProcess;
let landing: string;
let lakeDir: string;

const logs = () =>
  receiver.events
    .filter((e) => e.path === '/logs')
    .map((e) => e.event.detail as unknown as LogObjectIngestedV1);
const batches = () =>
  receiver.events
    .filter((e) => e.path === '/pairs')
    .map((e) => e.event.detail as unknown as NetworkPairsObservedV1);

beforeAll(async () => {
  dir = await tempDir('process');
  landing = join(dir.path, 'landing');
  lakeDir = join(dir.path, 'lake');
  await mkdir(landing);
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
              Name: 'pairs-to-receiver',
              EventPattern: {
                source: ['lakewatch.ingest'],
                'detail-type': ['NetworkPairsObserved'],
                detail: { schemaVersion: [{ prefix: '1.' }] },
              },
              Targets: [{ Id: 'receiver', Url: `${receiver.url}/pairs` }],
            },
            {
              Name: 'ingested-to-receiver',
              EventPattern: { source: ['lakewatch.ingest'], 'detail-type': ['LogObjectIngested'] },
              Targets: [{ Id: 'receiver', Url: `${receiver.url}/logs` }],
            },
          ],
          Archives: [],
        },
      ],
    }),
  });
  ingest = await startIngestProcess({
    INGEST_LAKE: lakeDir,
    INGEST_LANDING_DIR: landing,
    INGEST_LANDING_POLL_MS: '100',
    INGEST_LANDING_STABLE_MS: '300',
    INGEST_PAIRING: 'source,peer',
    EVENT_BUS_NAME: 'lakewatch',
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
  });
});

afterAll(async () => {
  await ingest?.stop();
  await bus?.close();
  await receiver?.close();
  await dir?.remove();
});

/** Lands a file the way a writer should: write `.tmp`, then rename. */
async function land(name: string): Promise<void> {
  await copyFile(join(FIXTURES, 'vpc-flow-v5.log.gz'), join(landing, `${name}.tmp`));
  await rename(join(landing, `${name}.tmp`), join(landing, name));
}

describe('Process: ingest behind the local bus', () => {
  it('turns a landed VPC flow file into NetworkPairsObserved at a rule target, once', async () => {
    // Act: land the file.
    await land('flow.log.gz');
    await waitFor('LogObjectIngested', () => logs().length === 1);
    const expected = logs()[0];
    const partsOf = (pairing: string) =>
      batches().find((b) => b.pairing === pairing)?.part.count ?? Number.POSITIVE_INFINITY;
    await waitFor(
      'every pair batch',
      () => batches().length === partsOf('peer') + partsOf('source'),
    );
    const first = batches();

    // Assess
    expect(expected).toMatchObject({
      duplicate: false,
      format: 'aws-vpc-flow',
      counts: { read: 241, normalized: 241, rejected: 0 },
      sourceObject: { uri: pathToFileURL(join(landing, 'flow.log.gz')).href },
    });
    expect(new Set(first.map((b) => b.pairing))).toEqual(new Set(['source', 'peer']));
    expect(first.flatMap((b) => b.pairs)).toContainEqual(
      expect.objectContaining({
        entity: { type: 'instance', uid: 'i-075fd21b3d9d9a28e' },
        ip: '45.137.21.150',
      }),
    );
    expect(await readdir(join(landing, '.processed'))).toEqual(['flow.log.gz']);

    // Act: land the same file again.
    await land('flow.log.gz');
    await waitFor('the duplicate LogObjectIngested', () => logs().length === 2);
    // Pairs would travel with the LogObjectIngested in the same PutEvents call: give the bus time.
    await new Promise((r) => setTimeout(r, 1000));

    // Assess: reported as a duplicate, no new pairs, no new lake rows.
    expect(logs()[1]).toMatchObject({ duplicate: true, ingestId: expected?.ingestId });
    expect(batches()).toHaveLength(first.length);
    expect(await listManifests(new LocalStorage(lakeDir))).toHaveLength(1);
  });

  it('ingests an object named by POST /objects and refuses bad requests', async () => {
    // Prepare
    const path = join(dir.path, 'elsewhere.log.gz');
    await copyFile(join(FIXTURES, 'route53-resolver.log.gz'), path);
    const post = (body: unknown) =>
      fetch(`${ingest.url}/objects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    // Act
    const ok = await post({ uri: pathToFileURL(path).href });
    const badScheme = await post({ uri: 'http://example.com/x' });
    const missing = await post({ uri: pathToFileURL(join(dir.path, 'missing.log')).href });

    // Assess
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ingested', counts: { read: 14 } });
    expect(badScheme.status).toBe(400);
    expect(missing.status).toBe(500);
    expect(((await missing.json()) as { message: string }).message).toMatch(
      /missing\.log: cannot read the file/,
    );
    await waitFor('the second LogObjectIngested', () =>
      logs().some((l) => l.format === 'aws-route53-resolver'),
    );
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await ingest.stop()).toBe(0);
  });
});
