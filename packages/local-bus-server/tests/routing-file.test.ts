import {
  DescribeArchiveCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { parseRoutingFile, RoutingFileError } from '../src/index.js';
import { startHarness, startTarget } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests break the file as untyped JSON
type Untyped = any;

const valid = (notifyUrl: string, webhookUrl: string) => ({
  Version: 1,
  Services: { notify: notifyUrl },
  EventBuses: [
    {
      Name: 'lakewatch',
      Rules: [
        {
          Name: 'risky-findings',
          EventPattern: {
            source: ['lakewatch.enrich'],
            detail: { risk: { score: [{ numeric: ['>=', 70] }] } },
          },
          Targets: [
            { Id: 'notify', Service: 'notify', RetryPolicy: { MaximumRetryAttempts: 3 } },
            {
              Id: 'hook',
              Url: webhookUrl,
              InputTransformer: {
                InputPathsMap: { s: '$.detail.risk.score' },
                InputTemplate: '{"risk": <s>}',
              },
            },
          ],
        },
      ],
      Archives: [{ Name: 'all', RetentionDays: 30 }],
    },
  ],
});

describe('Function: parseRoutingFile', () => {
  it('allows x-… fields for other readers of the file and keeps them out of the targets', async () => {
    // Prepare
    const f: Untyped = valid('http://127.0.0.1:1/n', 'http://127.0.0.1:2/h');
    f['x-notify'] = { channels: { soc: { kind: 'slack' } } };
    f.EventBuses[0].Rules[0]['x-notify-channel'] = 'soc';
    f.EventBuses[0].Rules[0].Targets[0]['x-cdk'] = { reservedConcurrency: 2 };

    // Act
    const h = await startHarness({ routing: parseRoutingFile(f) });
    const targets = await h.client.send(
      new ListTargetsByRuleCommand({ Rule: 'risky-findings', EventBusName: 'lakewatch' }),
    );
    await h.close();

    // Assess
    expect(Object.keys(targets.Targets?.[0] ?? {}).sort()).toEqual(['Arn', 'Id', 'RetryPolicy']);
  });

  it('accepts a valid file and normalizes patterns to JSON text', () => {
    const file = parseRoutingFile(valid('http://127.0.0.1:1/n', 'http://127.0.0.1:2/h'));
    expect(file.EventBuses[0]?.Rules[0]?.EventPattern).toBe(
      '{"source":["lakewatch.enrich"],"detail":{"risk":{"score":[{"numeric":[">=",70]}]}}}',
    );
    expect(file.Endpoints).toEqual({});
  });

  it.each([
    [(f: Untyped) => (f.Version = 2), 'Version: must be 1, got 2'],
    [
      (f: Untyped) => (f.EventBuses[0].Rules[0].Targets[0].Service = 'enrich'),
      "EventBuses[0].Rules[0].Targets[0].Service: service 'enrich' has no URL in Services",
    ],
    [
      (f: Untyped) => (f.EventBuses[0].Rules[0].EventPattern = { source: 'x' }),
      'EventBuses[0].Rules[0].EventPattern: Event pattern is not valid.',
    ],
    [
      (f: Untyped) => (f.EventBuses[0].Rules[0].Targets[0].RetryPolicy.MaximumRetryAttempts = 186),
      'MaximumRetryAttempts: must be an integer from 0 to 185, got 186',
    ],
    [
      (f: Untyped) => (f.EventBuses[0].Rules[0].Targets[1].Arn = 'arn:aws:lambda:x'),
      'give exactly one of Service, Url or Arn (got Url, Arn)',
    ],
    [
      (f: Untyped) => (f.EventBuses[0].Rules[0].Targets[1].Input = '{}'),
      'Only one of Input, InputPath, or InputTransformer',
    ],
    [
      (f: Untyped) => (f.EventBuses[0].Rules[0].Nmae = 'typo'),
      "EventBuses[0].Rules[0]: unknown field 'Nmae'",
    ],
    [
      (f: Untyped) => (f.EventBuses[0].Rules[0].Targets[1].Url = 'http://exa mple/hook'),
      'EventBuses[0].Rules[0].Targets[1].Url: must be an http(s) URL, got "http://exa mple/hook"',
    ],
    [
      (f: Untyped) => (f.Services.notify = 'ftp://127.0.0.1/x'),
      'Services.notify: must be an http(s) URL',
    ],
    [
      (f: Untyped) => (f.EventBuses[0].Archives[0].RetentionDays = -1),
      'EventBuses[0].Archives[0].RetentionDays: must be a whole number',
    ],
  ])('names the bad field: %#', (mutate, message) => {
    const f: Untyped = valid('http://127.0.0.1:1/n', 'http://127.0.0.1:2/h');
    mutate(f);
    expect(() => parseRoutingFile(f)).toThrow(RoutingFileError);
    expect(() => parseRoutingFile(f)).toThrow(message);
  });
});

describe('Function: startLocalBus with a routing file', () => {
  it('creates the buses, rules, targets and archives and routes by them', async () => {
    // Prepare
    const notify = await startTarget();
    const hook = await startTarget();
    const h = await startHarness({ routing: parseRoutingFile(valid(notify.url, hook.url)) });

    // Act
    const targets = await h.client.send(
      new ListTargetsByRuleCommand({ Rule: 'risky-findings', EventBusName: 'lakewatch' }),
    );
    await h.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'lakewatch',
            Source: 'lakewatch.enrich',
            DetailType: 'FindingEnriched',
            Detail: '{"risk":{"score":91}}',
          },
          {
            EventBusName: 'lakewatch',
            Source: 'lakewatch.enrich',
            DetailType: 'FindingEnriched',
            Detail: '{"risk":{"score":10}}',
          },
        ],
      }),
    );

    // Assess
    expect(targets.Targets?.map((t) => [t.Id, t.Arn])).toEqual([
      ['notify', 'arn:aws:lambda:us-east-1:000000000000:function:lakewatch-notify'],
      ['hook', hook.url],
    ]);
    const [n] = await notify.waitFor(1);
    const [w] = await hook.waitFor(1);
    expect(JSON.parse(n!.body).detail.risk.score).toBe(91);
    expect(JSON.parse(w!.body)).toEqual({ risk: 91 });
    const archive = await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'all' }));
    expect(archive.EventCount).toBe(2);
    await h.close();
    await notify.close();
    await hook.close();
  });
});
