import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { rulePattern } from '@lakewatch/contracts';
import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { afterAll, describe, expect, it } from 'vitest';
import { trainCalibratedModel } from './helpers.js';

const RECORDED = JSON.parse(
  readFileSync(join(import.meta.dirname, 'events/eventbridge/network-pairs-observed.json'), 'utf8'),
);

describe('Function: handler (Lambda)', () => {
  let bus: LocalBus | undefined;
  afterAll(async () => bus?.close());

  it('scores a recorded EventBridge event and publishes through the configured bus', async () => {
    // Prepare: the function's environment, pointing the SDK at a local bus
    const model = await trainCalibratedModel(5);
    bus = await startLocalBus({
      dataDir: await mkdtemp(join(tmpdir(), 'lakewatch-bus-')),
      port: 0,
      log: () => {},
    });
    Object.assign(process.env, {
      SCORE_MODEL_PATH: model.path,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    const received: { detail: { pair: { ip: string } } }[] = [];
    const sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const client = new EventBridgeClient({ endpoint: bus.url });
    await client.send(
      new PutRuleCommand({
        Name: 'anomalies',
        EventPattern: JSON.stringify(rulePattern('AnomalyDetected')),
      }),
    );
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
    await client.send(
      new PutTargetsCommand({ Rule: 'anomalies', Targets: [{ Id: 'sink', Arn: sinkUrl }] }),
    );
    const { handler } = await import('../src/handler.js');

    // Act
    await handler(RECORDED);

    // Assess: the unusual pair reached the bus's target; an off-contract event is refused
    for (let i = 0; i < 100 && received.length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(received.map((e) => e.detail.pair.ip)).toEqual(['198.51.100.23']);
    sink.close();
    const bad = structuredClone(RECORDED);
    bad.id = 'another-id';
    bad.detail.pairs[0].ip = '10.3.1';
    await expect(handler(bad)).rejects.toThrow('/detail/pairs/0/ip must match format "ipv4"');
  });
});
