import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, startTarget, type TestTarget } from './helpers.js';

const pattern = JSON.stringify({ source: ['lakewatch.score'] });

describe('Function: rules and targets', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ account: '123456789012', region: 'eu-west-1' });
  });
  afterEach(async () => h.close());

  it('creates, describes, lists, disables and deletes rules with AWS ARNs', async () => {
    // Act
    const put = await h.client.send(
      new PutRuleCommand({ Name: 'r1', EventPattern: pattern, Description: 'first' }),
    );
    await h.client.send(new CreateEventBusCommand({ Name: 'lakewatch' }));
    const put2 = await h.client.send(
      new PutRuleCommand({
        Name: 'r2',
        EventPattern: pattern,
        EventBusName: 'lakewatch',
        State: 'DISABLED',
      }),
    );
    await h.client.send(new DisableRuleCommand({ Name: 'r1' }));
    const described = await h.client.send(new DescribeRuleCommand({ Name: 'r1' }));
    await h.client.send(new EnableRuleCommand({ Name: 'r1' }));
    const listed = await h.client.send(new ListRulesCommand({ EventBusName: 'lakewatch' }));

    // Assess
    expect(put.RuleArn).toBe('arn:aws:events:eu-west-1:123456789012:rule/r1');
    expect(put2.RuleArn).toBe('arn:aws:events:eu-west-1:123456789012:rule/lakewatch/r2');
    expect(described).toMatchObject({
      Name: 'r1',
      State: 'DISABLED',
      EventPattern: pattern,
      Description: 'first',
      EventBusName: 'default',
    });
    expect(listed.Rules?.map((r) => [r.Name, r.State])).toEqual([['r2', 'DISABLED']]);
    expect((await h.client.send(new DescribeRuleCommand({ Name: 'r1' }))).State).toBe('ENABLED');
    await h.client.send(new DeleteRuleCommand({ Name: 'r1' }));
    await expect(h.client.send(new DescribeRuleCommand({ Name: 'r1' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Rule r1 does not exist on EventBus default.',
    });
  });

  it('rejects invalid patterns, unknown buses and rules the way AWS does', async () => {
    await expect(
      h.client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "not-a-list"}' })),
    ).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
    await expect(
      h.client.send(
        new PutRuleCommand({ Name: 'x', EventPattern: pattern, EventBusName: 'ghost' }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Event bus ghost does not exist.',
    });
    await expect(
      h.client.send(
        new PutTargetsCommand({
          Rule: 'ghost',
          Targets: [{ Id: 'a', Arn: 'http://127.0.0.1:1/' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      h.client.send(new PutRuleCommand({ Name: 'bad name!', EventPattern: pattern })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('puts, lists and removes targets, failing entries that cannot be delivered locally', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'r', EventPattern: pattern }));
    const out = await h.client.send(
      new PutTargetsCommand({
        Rule: 'r',
        Targets: [
          {
            Id: 'web',
            Arn: 'http://127.0.0.1:9/hook',
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 },
          },
          { Id: 'lambda', Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:unmapped' },
          { Id: 'retry', Arn: 'http://127.0.0.1:9/x', RetryPolicy: { MaximumRetryAttempts: 500 } },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.FailedEntries?.map((f) => f.TargetId)).toEqual(['lambda', 'retry']);
    expect(out.FailedEntries?.[0]?.ErrorMessage).toContain('neither an http(s) URL nor mapped');
    const listed = await h.client.send(new ListTargetsByRuleCommand({ Rule: 'r' }));
    expect(listed.Targets).toEqual([
      {
        Id: 'web',
        Arn: 'http://127.0.0.1:9/hook',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 },
      },
    ]);
    await expect(h.client.send(new DeleteRuleCommand({ Name: 'r' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    await h.client.send(new RemoveTargetsCommand({ Rule: 'r', Ids: ['web'] }));
    expect((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'r' }))).Targets).toEqual([]);
  });

  it('pages ListRules with Limit and NextToken', async () => {
    for (const n of ['a', 'b', 'c'])
      await h.client.send(new PutRuleCommand({ Name: n, EventPattern: pattern }));
    const p1 = await h.client.send(new ListRulesCommand({ Limit: 2 }));
    const p2 = await h.client.send(new ListRulesCommand({ Limit: 2, NextToken: p1.NextToken }));
    expect(p1.Rules?.map((r) => r.Name)).toEqual(['a', 'b']);
    expect(p2.Rules?.map((r) => r.Name)).toEqual(['c']);
    expect(p2.NextToken).toBeUndefined();
  });
});

describe('Function: event buses', () => {
  let h: Harness;
  let target: TestTarget;
  beforeEach(async () => {
    h = await startHarness();
    target = await startTarget();
  });
  afterEach(async () => {
    await h.close();
    await target.close();
  });

  it('has default, creates custom buses, refuses duplicates and routes per bus', async () => {
    const created = await h.client.send(
      new CreateEventBusCommand({ Name: 'lakewatch', Description: 'pipeline' }),
    );
    expect(created.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/lakewatch');
    await expect(
      h.client.send(new CreateEventBusCommand({ Name: 'lakewatch' })),
    ).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus lakewatch already exists.',
    });
    const buses = await h.client.send(new ListEventBusesCommand({}));
    expect(buses.EventBuses?.map((b) => b.Name)).toEqual(['default', 'lakewatch']);
    expect(buses.EventBuses?.[1]?.CreationTime).toBeInstanceOf(Date);

    await h.client.send(
      new PutRuleCommand({ Name: 'r', EventBusName: 'lakewatch', EventPattern: pattern }),
    );
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'r',
        EventBusName: 'lakewatch',
        Targets: [{ Id: 't', Arn: target.url }],
      }),
    );
    await h.client.send(
      new PutEventsCommand({
        Entries: [{ Source: 'lakewatch.score', DetailType: 'X', Detail: '{"bus":"default"}' }],
      }),
    );
    await h.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'lakewatch.score',
            DetailType: 'X',
            Detail: '{"bus":"custom"}',
            EventBusName: created.EventBusArn,
          },
        ],
      }),
    );
    const [got] = await target.waitFor(1);
    expect(JSON.parse(got!.body).detail).toEqual({ bus: 'custom' });

    await expect(
      h.client.send(new DeleteEventBusCommand({ Name: 'default' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
