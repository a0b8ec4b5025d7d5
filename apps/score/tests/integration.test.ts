import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { buildPutEventsEntry, rulePattern } from '@lakewatch/contracts';
import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { type RunningModelServer, startModelServer } from '@lakewatch/model-serving';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddedJudge, ScoreService } from '../src/index.js';
import { instance, normalIp, observed, trainCalibratedModel } from './helpers.js';
import {
  CREDS,
  healthWhen,
  type Receiver,
  receiver,
  startScore,
  until,
} from './service-process.js';

describe('Integration: score as a process behind the local bus', () => {
  let bus: LocalBus;
  let sink: Receiver;
  let score: { child: ChildProcess; url: string };
  let model: Awaited<ReturnType<typeof trainCalibratedModel>>;
  let modelB: Awaited<ReturnType<typeof trainCalibratedModel>>;
  let client: EventBridgeClient;

  beforeAll(async () => {
    [model, modelB] = await Promise.all([trainCalibratedModel(1), trainCalibratedModel(3)]);
    bus = await startLocalBus({
      dataDir: await mkdtemp(join(tmpdir(), 'lakewatch-bus-')),
      port: 0,
      log: () => {},
    });
    sink = await receiver();
    score = await startScore({
      SCORE_MODEL_PATH: model.path,
      SCORE_STATE_DIR: await mkdtemp(join(tmpdir(), 'lakewatch-score-state-')),
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      LOG_LEVEL: 'warn',
    });
    client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const rules: [string, object, string][] = [
      ['pairs-to-score', rulePattern('NetworkPairsObserved'), `${score.url}/events`],
      ['model-to-score', rulePattern('ModelPublished'), `${score.url}/events`],
      ['anomalies-to-sink', rulePattern('AnomalyDetected'), sink.url],
    ];
    for (const [name, pattern, url] of rules) {
      await client.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: url }] }));
    }
  }, 180_000);

  afterAll(async () => {
    score?.child.kill('SIGTERM');
    sink?.server.close();
    await bus?.close();
  });

  it('turns NetworkPairsObserved into AnomalyDetected, once even when the batch is published twice', async () => {
    const detail = observed('npo-integration-1', [
      [instance(8), '203.0.113.50'],
      [instance(8), normalIp(8, 2)],
    ]);
    const entry = buildPutEventsEntry('NetworkPairsObserved', detail);
    await client.send(new PutEventsCommand({ Entries: [entry] }));
    await client.send(new PutEventsCommand({ Entries: [entry] }));
    const anomaly = await until(() => sink.events[0]);
    expect(anomaly).toMatchObject({
      source: 'lakewatch.score',
      'detail-type': 'AnomalyDetected',
      detail: { pair: { ip: '203.0.113.50' }, model: { version: model.model.version } },
    });
    await new Promise((r) => setTimeout(r, 1000));
    // the second publish is a new event; the verdict cache keeps it from alerting twice
    expect(sink.events).toHaveLength(1);
  });

  it('loads a published model without a restart', async () => {
    await client.send(
      new PutEventsCommand({
        Entries: [
          buildPutEventsEntry('ModelPublished', {
            schemaVersion: '1.0',
            model: {
              version: modelB.model.version,
              artifactUri: `file://${modelB.path}`,
              sha256: modelB.sha256,
            },
            threshold: modelB.model.threshold!,
            calibration: {
              auc: 0.9,
              targetFpr: 0.05,
              fpr: 0.05,
              tpr: 0.9,
              normalPairs: 400,
              anomalousPairs: 400,
            },
            hyperparameters: { num_entity_vectors: 200, vector_dim: 16 },
            publishedAt: '2026-11-28T15:00:00Z',
          }),
        ],
      }),
    );
    const health = await healthWhen(score.url, (h) => h.modelVersion === modelB.model.version);
    expect(health).toMatchObject({ modelSwaps: 1, batches: 2 });
    await client.send(
      new PutEventsCommand({
        Entries: [
          buildPutEventsEntry(
            'NetworkPairsObserved',
            observed('npo-integration-2', [[instance(9), '203.0.113.51']]),
          ),
        ],
      }),
    );
    const second = await until(() =>
      sink.events.find(
        (e) => (e.detail as { source: { batchId: string } }).source.batchId === 'npo-integration-2',
      ),
    );
    expect((second.detail as { model: { version: string } }).model.version).toBe(
      modelB.model.version,
    );
  });
});

describe('Integration: SageMaker mode against the local model server', () => {
  let server: RunningModelServer;
  afterAll(async () => server?.stop());

  it('gives the same verdicts as the embedded model', async () => {
    const model = await trainCalibratedModel(4);
    server = await startModelServer({ modelPath: model.path, port: 0, signals: false });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = server.url;
    Object.assign(process.env, CREDS);
    const { SageMakerIpInsightsClient } = await import('@lakewatch/shared');
    const embedded = await loadEmbeddedJudge(model.path);
    const remote = {
      ...embedded,
      client: new SageMakerIpInsightsClient({ endpointName: 'lakewatch-ipinsights' }),
    };
    const pairs: [string, string][] = [];
    for (let k = 0; k < 20; k++)
      pairs.push([instance(k), normalIp(k, 70 + k)], [instance(k), `198.51.100.${k}`]);
    const verdicts = async (judge: typeof embedded) => {
      const got: unknown[] = [];
      const publisher = {
        publish: async (events: { detail: { verdicts: unknown[] } }[]) => {
          for (const e of events) got.push(...e.detail.verdicts);
          return [];
        },
      };
      const service = new ScoreService({
        publish: 'shadow',
        judge,
        publisher: publisher as never,
        runId: 'cmp',
      });
      await service.handle({
        version: '0',
        id: 'x',
        'detail-type': 'NetworkPairsObserved',
        source: 'lakewatch.ingest',
        account: '0',
        time: '2026-11-28T00:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: observed('npo-compare-1', pairs),
      });
      return got;
    };
    expect(await verdicts(remote)).toEqual(await verdicts(embedded));
  });
});
