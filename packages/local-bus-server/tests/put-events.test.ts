import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, startTarget, type TestTarget } from './helpers.js';

describe('Function: PutEvents', () => {
  let h: Harness;
  let target: TestTarget;
  beforeEach(async () => {
    h = await startHarness({ account: '123456789012', region: 'eu-west-1' });
    target = await startTarget();
  });
  afterEach(async () => {
    await h.close();
    await target.close();
  });

  it('delivers an accepted event to the target of every matching rule, and only those', async () => {
    // Prepare
    await h.client.send(
      new PutRuleCommand({
        Name: 'anomalies',
        EventPattern: JSON.stringify({
          source: ['lakewatch.score'],
          detail: { score: [{ numeric: ['>=', 0.9] }] },
        }),
      }),
    );
    await h.client.send(
      new PutTargetsCommand({ Rule: 'anomalies', Targets: [{ Id: 't1', Arn: target.url }] }),
    );

    // Act
    const out = await h.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'lakewatch.score',
            DetailType: 'AnomalyDetected',
            Detail: JSON.stringify({ score: 0.95 }),
            Resources: ['arn:aws:ec2:eu-west-1:123456789012:instance/i-1'],
          },
          {
            Source: 'lakewatch.score',
            DetailType: 'AnomalyDetected',
            Detail: JSON.stringify({ score: 0.2 }),
          },
          {
            Source: 'lakewatch.ingest',
            DetailType: 'AnomalyDetected',
            Detail: JSON.stringify({ score: 0.99 }),
          },
        ],
      }),
    );

    // Assess
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.every((e) => typeof e.EventId === 'string')).toBe(true);
    const [got] = await target.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(target.received).toHaveLength(1);
    const event = JSON.parse(got!.body);
    expect(event).toMatchObject({
      version: '0',
      id: out.Entries?.[0]?.EventId,
      'detail-type': 'AnomalyDetected',
      source: 'lakewatch.score',
      account: '123456789012',
      region: 'eu-west-1',
      resources: ['arn:aws:ec2:eu-west-1:123456789012:instance/i-1'],
      detail: { score: 0.95 },
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('rejects more than 10 entries with ValidationException', async () => {
    const entries = Array.from({ length: 11 }, () => ({
      Source: 's',
      DetailType: 'd',
      Detail: '{}',
    }));
    await expect(h.client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('less than or equal to 10'),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('fails only the bad entries, each with its ErrorCode, and counts them', async () => {
    const out = await h.client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'ok', DetailType: 'Good', Detail: '{"a":1}' },
          { Source: 'bad', DetailType: 'Bad', Detail: '{not json' },
          { Source: 'bad', DetailType: 'Bad', Detail: '[1,2]' },
          { DetailType: 'NoSource', Detail: '{}' },
          { Source: 'x', DetailType: 'y', Detail: '{}', EventBusName: 'nope' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(4);
    expect(out.Entries?.[0]?.EventId).toBeTruthy();
    expect(out.Entries?.[1]).toEqual({
      ErrorCode: 'MalformedDetail',
      ErrorMessage: 'Detail is malformed.',
    });
    expect(out.Entries?.[2]?.ErrorCode).toBe('MalformedDetail');
    expect(out.Entries?.[3]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
    });
    expect(out.Entries?.[4]).toEqual({
      ErrorCode: 'NotFoundException',
      ErrorMessage: 'Event bus nope does not exist.',
    });
  });

  it('rejects a request whose entries exceed 256 KB as AWS sizes them', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(200 * 1024) });
    await expect(
      h.client.send(
        new PutEventsCommand({
          Entries: [
            { Source: 's', DetailType: 'd', Detail: big },
            { Source: 's', DetailType: 'd', Detail: big },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    const one = await h.client.send(
      new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: big }] }),
    );
    expect(one.FailedEntryCount).toBe(0);
  });
});

describe('Function: TestEventPattern', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  const event = JSON.stringify({
    id: '1',
    account: '000000000000',
    source: 'lakewatch.score',
    time: '2026-11-29T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    'detail-type': 'AnomalyDetected',
    detail: { ip: '10.0.0.7' },
  });

  it('answers whether the event matches, with the shared matcher', async () => {
    const yes = await h.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }),
        Event: event,
      }),
    );
    const no = await h.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ detail: { ip: [{ cidr: '10.1.0.0/24' }] } }),
        Event: event,
      }),
    );
    expect(yes.Result).toBe(true);
    expect(no.Result).toBe(false);
  });

  it('rejects an invalid pattern with InvalidEventPatternException', async () => {
    await expect(
      h.client.send(new TestEventPatternCommand({ EventPattern: '{"source":"x"}', Event: event })),
    ).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: expect.stringContaining('Event pattern is not valid. Reason:'),
    });
  });
});
