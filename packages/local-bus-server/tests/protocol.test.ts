import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers.js';

async function raw(url: string, target: string | undefined, body: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(target ? { 'x-amz-target': target } : {}),
    },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('Function: the JSON 1.1 protocol', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ maxRequestBytes: 64 * 1024 });
  });
  afterEach(async () => h.close());

  it('serves an SDK client configured only by AWS_ENDPOINT_URL_EVENTBRIDGE', async () => {
    // Prepare
    const saved = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = h.bus.url;
    const client = new EventBridgeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });

    // Act
    const out = await client.send(new ListEventBusesCommand({}));

    // Assess
    client.destroy();
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
    else process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = saved;
    expect(out.EventBuses?.map((b) => b.Arn)).toEqual([
      'arn:aws:events:us-east-1:000000000000:event-bus/default',
    ]);
  });

  it('answers unknown operations, bad JSON and oversized bodies with typed errors', async () => {
    const unknown = await raw(h.bus.url, 'AWSEvents.Frobnicate', '{}');
    const none = await raw(h.bus.url, undefined, '{}');
    const bad = await raw(h.bus.url, 'AWSEvents.ListRules', '{not json');
    const big = await raw(
      h.bus.url,
      'AWSEvents.ListRules',
      JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
    );
    expect(unknown).toMatchObject({
      status: 400,
      type: 'UnknownOperationException',
      body: {
        __type: 'UnknownOperationException',
        message: 'Unknown operation AWSEvents.Frobnicate.',
      },
    });
    expect(none.body.__type).toBe('UnknownOperationException');
    expect(bad).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    expect(big).toMatchObject({ status: 413, body: { __type: 'RequestEntityTooLargeException' } });
  });

  it('reports liveness and the delivery backlog on GET /health', async () => {
    const res = await fetch(`${h.bus.url}/health`);
    expect(await res.json()).toEqual({
      status: 'ok',
      pendingDeliveries: 0,
      deadLetters: 0,
      eventBuses: 1,
      rules: 0,
      archives: 0,
    });
  });
});
