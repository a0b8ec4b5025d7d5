import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { afterAll, describe, expect, it } from 'vitest';
import { type HttpReceiver, httpReceiver, until } from './receivers.js';

/** What EventBridge invokes the notify function with for the findings-high-risk route. */
const RECORDED = JSON.parse(
  readFileSync(
    join(import.meta.dirname, 'events/eventbridge/routed-finding-high-risk.json'),
    'utf8',
  ),
);

describe('Function: handler (Lambda)', () => {
  let bus: LocalBus | undefined;
  let rx: HttpReceiver | undefined;
  let sink: HttpReceiver | undefined;
  afterAll(async () => {
    await bus?.close();
    await rx?.close();
    await sink?.close();
  });

  it('delivers a recorded routed event once, publishing the outcomes through the configured bus', async () => {
    // Prepare: the function's environment, pointing the SDK at a local bus
    const dir = await mkdtemp(join(tmpdir(), 'notify-lambda-'));
    rx = await httpReceiver();
    sink = await httpReceiver();
    bus = await startLocalBus({ dataDir: join(dir, 'bus'), port: 0, log: () => {} });
    const client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    await client.send(
      new PutRuleCommand({
        Name: 'outcomes',
        EventPattern: JSON.stringify({ source: ['lakewatch.notify'] }),
      }),
    );
    await client.send(
      new PutTargetsCommand({ Rule: 'outcomes', Targets: [{ Id: 'sink', Arn: `${sink.url}/` }] }),
    );
    await writeFile(
      join(dir, 'notify.json'),
      JSON.stringify({
        defaults: { allowAddresses: ['127.0.0.1'] },
        targets: {
          'slack-secops': { kind: 'slack', url: { secretEnv: 'SLACK_URL' } },
          'siem-webhook': { kind: 'webhook', url: `${rx.url}/siem` },
          'audit-file': { kind: 'file', path: join(dir, 'audit.jsonl') },
        },
      }),
    );
    Object.assign(process.env, {
      NOTIFY_CONFIG: join(dir, 'notify.json'),
      NOTIFY_STATE_DIR: join(dir, 'state'),
      SLACK_URL: `${rx.url}/slack`,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    const { handler } = await import('../src/handler.js');
    // Act: Lambda retries the same invocation
    const first = await handler(RECORDED);
    const second = await handler(RECORDED);
    // Assess
    expect(first.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(second.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(rx.requests.map((r) => r.path).sort()).toEqual(['/siem', '/slack']);
    const outcomes = await until(() => (sink?.requests.length === 3 ? sink.requests : undefined));
    for (const o of outcomes)
      expect(JSON.parse(o.body)['detail-type']).toBe('NotificationDelivered');
  });

  it('refuses an input that is not a routed FindingEnriched, naming the problem', async () => {
    // Prepare
    const { handler } = await import('../src/handler.js');
    // Act & Assess
    await expect(
      handler({ route: 'r', targets: ['x'], event: { ...RECORDED.event, detail: {} } }),
    ).rejects.toThrow(/route r: .*detail/);
    await expect(handler(RECORDED.event)).rejects.toThrow(/route must be the rule name/);
  });
});
