import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callLocalBus, type DeadLetter } from '../src/index.js';
import { eventually, type Harness, startHarness, startTarget, type TestTarget } from './helpers.js';

const pattern = JSON.stringify({ source: ['lakewatch.enrich'] });

async function publish(h: Harness, detail: object): Promise<string> {
  const out = await h.client.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'lakewatch.enrich',
          DetailType: 'FindingEnriched',
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  return out.Entries?.[0]?.EventId as string;
}

describe('Function: delivery to HTTP targets', () => {
  let h: Harness;
  let target: TestTarget;
  beforeEach(async () => {
    h = await startHarness();
    target = await startTarget();
    await h.client.send(new PutRuleCommand({ Name: 'findings', EventPattern: pattern }));
  });
  afterEach(async () => {
    await h.close();
    await target.close();
  });

  const deadLetters = async (): Promise<DeadLetter[]> =>
    (await callLocalBus('ListDeadLetters', {}, { endpoint: h.bus.url }))
      .DeadLetters as DeadLetter[];

  it('retries a failing target with backoff until it answers 2xx', async () => {
    // Prepare
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'findings',
        Targets: [{ Id: 'hook', Arn: target.url, RetryPolicy: { MaximumRetryAttempts: 5 } }],
      }),
    );
    target.failWith.push(503, 500, 429);

    // Act
    const id = await publish(h, { n: 1 });

    // Assess
    const [got] = await target.waitFor(1);
    expect(JSON.parse(got!.body).id).toBe(id);
    expect(target.failWith).toEqual([]);
    expect(await deadLetters()).toEqual([]);
  });

  it('dead-letters after MaximumRetryAttempts with the last error, keeps it across a restart, then re-drives it', async () => {
    // Prepare
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'findings',
        Targets: [{ Id: 'hook', Arn: target.url, RetryPolicy: { MaximumRetryAttempts: 2 } }],
      }),
    );
    target.failWith.push(500, 502, 503);

    // Act
    const id = await publish(h, { n: 2 });
    const [dl] = await eventually(async () => {
      const l = await deadLetters();
      return l.length > 0 ? l : undefined;
    });

    // Assess
    expect(dl).toMatchObject({
      RuleName: 'findings',
      TargetId: 'hook',
      Attempts: 3,
      EventBusName: 'default',
    });
    expect(dl?.Event.id).toBe(id);
    expect(dl?.LastError).toContain('HTTP 503');
    expect(dl?.LastError).toContain('MaximumRetryAttempts 2 exhausted');
    expect(target.received).toHaveLength(0);

    await h.restart();
    expect((await deadLetters()).map((d) => d.Id)).toEqual([dl?.Id]);
    const redrive = await callLocalBus(
      'RedriveDeadLetters',
      { Ids: [dl?.Id] },
      { endpoint: h.bus.url },
    );
    expect(redrive).toEqual({ Redriven: [{ Id: dl?.Id, EventId: id }], Failed: [] });
    const [got] = await target.waitFor(1);
    expect(JSON.parse(got!.body).id).toBe(id);
    expect(await deadLetters()).toEqual([]);
  });

  it('dead-letters when the next retry would pass MaximumEventAgeInSeconds', async () => {
    // Prepare: a bus whose first backoff (≥ 60 s) cannot fit in a 60 s event age
    const slow = await startHarness({ retryBaseDelayMs: 120_000, retryMaxDelayMs: 120_000 });
    await slow.client.send(new PutRuleCommand({ Name: 'findings', EventPattern: pattern }));
    await slow.client.send(
      new PutTargetsCommand({
        Rule: 'findings',
        Targets: [{ Id: 'hook', Arn: target.url, RetryPolicy: { MaximumEventAgeInSeconds: 60 } }],
      }),
    );
    target.failWith.push(503);

    // Act
    await publish(slow, { n: 'old' });
    const [dl] = await eventually(async () => {
      const l = (await callLocalBus('ListDeadLetters', {}, { endpoint: slow.bus.url }))
        .DeadLetters as DeadLetter[];
      return l.length > 0 ? l : undefined;
    });
    await slow.close();

    // Assess
    expect(dl?.Attempts).toBe(1);
    expect(dl?.LastError).toContain('MaximumEventAgeInSeconds 60 exceeded');
  });

  it('does not retry a 4xx answer other than 401/407/409/429', async () => {
    await h.client.send(
      new PutTargetsCommand({ Rule: 'findings', Targets: [{ Id: 'hook', Arn: target.url }] }),
    );
    target.failWith.push(400);
    await publish(h, { n: 3 });
    const [dl] = await eventually(async () => {
      const l = await deadLetters();
      return l.length > 0 ? l : undefined;
    });
    expect(dl?.Attempts).toBe(1);
    expect(dl?.LastError).toContain('HTTP 400');
  });

  it('sends HttpParameters headers and query string, and a constant Input', async () => {
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'findings',
        Targets: [
          {
            Id: 'hook',
            Arn: target.url,
            Input: '{"fixed":true}',
            HttpParameters: {
              HeaderParameters: { 'x-api-key': 'k1' },
              QueryStringParameters: { route: 'soc' },
            },
          },
        ],
      }),
    );
    await publish(h, { n: 4 });
    const [got] = await target.waitFor(1);
    expect(got?.body).toBe('{"fixed":true}');
    expect(got?.headers['x-api-key']).toBe('k1');
    expect(got?.url).toBe('/events?route=soc');
  });

  it('transforms the input with InputTransformer and InputPath per target', async () => {
    // Prepare
    const other = await startTarget();
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'findings',
        Targets: [
          {
            Id: 'slack',
            Arn: target.url,
            InputTransformer: {
              InputPathsMap: { ip: '$.detail.ip', risk: '$.detail.risk' },
              InputTemplate: '{"text": "risk <risk> from <ip>", "rule": "<aws.events.rule-name>"}',
            },
          },
          { Id: 'detail-only', Arn: other.url, InputPath: '$.detail' },
        ],
      }),
    );

    // Act
    await publish(h, { ip: '203.0.113.9', risk: 87 });

    // Assess
    const [slack] = await target.waitFor(1);
    const [detail] = await other.waitFor(1);
    await other.close();
    expect(JSON.parse(slack!.body)).toEqual({ text: 'risk 87 from 203.0.113.9', rule: 'findings' });
    expect(JSON.parse(detail!.body)).toEqual({ ip: '203.0.113.9', risk: 87 });
  });

  it('rejects a target whose InputTransformer is invalid', async () => {
    const out = await h.client.send(
      new PutTargetsCommand({
        Rule: 'findings',
        Targets: [{ Id: 'x', Arn: target.url, Input: '{}', InputPath: '$.detail' }],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.FailedEntries?.[0]?.ErrorMessage).toContain(
      'Only one of Input, InputPath, or InputTransformer',
    );
  });

  it('keeps owed deliveries across a restart and delivers them when the target is back', async () => {
    // Prepare: the target is down (a closed port), so nothing can be delivered yet
    const down = await startTarget();
    const url = down.url;
    await down.close();
    await h.client.send(
      new PutTargetsCommand({ Rule: 'findings', Targets: [{ Id: 'hook', Arn: url }] }),
    );
    const ids = [await publish(h, { n: 5 }), await publish(h, { n: 6 })];

    // Act: restart the bus (the deliveries now live only in its log), then point the target at a live URL
    await h.restart();
    await h.client.send(
      new PutTargetsCommand({ Rule: 'findings', Targets: [{ Id: 'hook', Arn: target.url }] }),
    );

    // Assess
    const got = await target.waitFor(2);
    expect(got.map((r) => JSON.parse(r.body).id).sort()).toEqual(ids.sort());
  });
});
