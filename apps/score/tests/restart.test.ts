import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instance, normalIp, observed, trainCalibratedModel } from './helpers.js';
import { healthWhen, type Receiver, receiver, startScore, until } from './service-process.js';

type Score = Awaited<ReturnType<typeof startScore>>;
type Anomaly = { detail: { pair: { ip: string }; source: { batchId: string } } };

describe('Integration: the verdict cache survives a restart of the score process', () => {
  let bus: LocalBus;
  let sink: Receiver;
  let client: EventBridgeClient;
  let score: Score | undefined;
  let env: Record<string, string>;

  /** Points the pairs rule at the running score process (a restart gets a new port). */
  async function route(url: string): Promise<void> {
    await client.send(
      new PutTargetsCommand({
        Rule: 'pairs-to-score',
        Targets: [{ Id: 't', Arn: `${url}/events` }],
      }),
    );
  }

  async function send(batchId: string, pairs: [string, string][]): Promise<void> {
    const entry = buildPutEventsEntry('NetworkPairsObserved', observed(batchId, pairs));
    await client.send(new PutEventsCommand({ Entries: [entry] }));
  }

  const anomaliesOf = (batchId: string) =>
    (sink.events as Anomaly[])
      .filter((e) => e.detail.source.batchId === batchId)
      .map((e) => e.detail.pair.ip);

  beforeAll(async () => {
    const model = await trainCalibratedModel(1);
    const stateDir = await mkdtemp(join(tmpdir(), 'lakewatch-score-restart-'));
    bus = await startLocalBus({
      dataDir: await mkdtemp(join(tmpdir(), 'lakewatch-bus-')),
      port: 0,
      log: () => {},
    });
    sink = await receiver();
    env = {
      SCORE_MODEL_PATH: model.path,
      SCORE_STATE_DIR: stateDir,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      LOG_LEVEL: 'warn',
    };
    client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const rules: [string, object][] = [
      ['pairs-to-score', rulePattern('NetworkPairsObserved')],
      ['anomalies-to-sink', rulePattern('AnomalyDetected')],
    ];
    for (const [name, pattern] of rules)
      await client.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
    await client.send(
      new PutTargetsCommand({ Rule: 'anomalies-to-sink', Targets: [{ Id: 't', Arn: sink.url }] }),
    );
  }, 120_000);

  afterAll(async () => {
    score?.child.kill('SIGTERM');
    sink?.server.close();
    await bus?.close();
  });

  it('does not publish an alerted pair again after a crash, but still alerts a new one', async () => {
    // Prepare: the first process alerts once for 203.0.113.50, then is killed (no clean stop)
    score = await startScore(env);
    await route(score.url);
    await send('npo-restart-1', [
      [instance(8), '203.0.113.50'],
      [instance(8), normalIp(8, 2)],
    ]);
    await until(() => (anomaliesOf('npo-restart-1').length > 0 ? true : undefined));
    // the verdicts are written once the batch's events are out, before the counters move
    await healthWhen(score.url, (h) => h.batches === 1);
    const exited = once(score.child, 'exit');
    score.child.kill('SIGKILL');
    await exited;
    const written = readFileSync(join(env.SCORE_STATE_DIR!, 'verdicts.jsonl'), 'utf8');
    expect(written.trim().split('\n')).toHaveLength(2);

    // Act: a new process, a new batch holding the same pair and a new anomalous one
    score = await startScore(env);
    await route(score.url);
    await send('npo-restart-2', [
      [instance(8), '203.0.113.50'],
      [instance(9), '203.0.113.51'],
    ]);

    // Assess
    const health = await healthWhen(score.url, (h) => h.batches === 1);
    expect(health).toMatchObject({ pairs: 2, fromCache: 1, suppressed: 1, anomalies: 1 });
    await until(() => (anomaliesOf('npo-restart-2').length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500)); // a second anomaly would have come meanwhile
    expect(anomaliesOf('npo-restart-1')).toEqual(['203.0.113.50']);
    expect(anomaliesOf('npo-restart-2')).toEqual(['203.0.113.51']);
  });
});
