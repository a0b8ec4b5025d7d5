import { parseRoutingFile, type RoutingBus } from '@lakewatch/local-bus-server';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { RoutedBus } from '../src/routing.ts';

function bus(extra: Record<string, unknown> = {}): RoutingBus {
  return parseRoutingFile({
    Version: 1,
    Services: { echo: 'http://127.0.0.1:4999/events' },
    EventBuses: [
      {
        Name: 'test-bus',
        Rules: [
          {
            Name: 'to-echo',
            EventPattern: { source: ['lakewatch.test'] },
            Targets: [{ Id: 'echo', Service: 'echo' }],
          },
        ],
        Archives: [{ Name: 'all', RetentionDays: 7 }],
        ...extra,
      },
    ],
  }).EventBuses[0]!;
}

function build(b: RoutingBus, archiveRetentionDays?: number, services = true) {
  const stack = new Stack(new App(), 'T', {
    env: { account: '111122223333', region: 'eu-west-1' },
  });
  const echo = new lambda.Function(stack, 'Echo', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {}'),
  });
  new RoutedBus(stack, 'Routed', {
    bus: b,
    services: services ? { echo } : {},
    alarmTopic: new sns.Topic(stack, 'Alarms'),
    ...(archiveRetentionDays !== undefined && { archiveRetentionDays }),
  });
  return Template.fromStack(stack);
}

describe('Construct: RoutedBus', () => {
  it('keeps the file retention unless the setting overrides it (0 = forever)', {
    timeout: 120_000,
  }, () => {
    build(bus()).hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'all',
      RetentionDays: 7,
    });
    build(bus(), 90).hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
    build(bus(), 0).hasResourceProperties('AWS::Events::Archive', { RetentionDays: 0 });
  });

  it('names the bus, and gives rules of a custom bus ARNs under it', () => {
    const t = build(bus());
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'test-bus' });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      SourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':events:eu-west-1:111122223333:rule/test-bus/to-echo',
          ],
        ],
      },
    });
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  it('passes an ARN target through, with its dead-letter queue', () => {
    const b = bus();
    b.Rules[0]!.Targets = [{ Id: 'topic', Arn: 'arn:aws:sns:eu-west-1:111122223333:t' }];
    const t = build(b);
    t.hasResourceProperties('AWS::Events::Rule', {
      Targets: [{ Id: 'topic', Arn: 'arn:aws:sns:eu-west-1:111122223333:t', DeadLetterConfig: {} }],
    });
  });

  it('refuses a local URL target and a service the stack does not deploy, naming the rule', () => {
    const b = bus();
    b.Rules[0]!.Targets = [{ Id: 'hook', Url: 'http://127.0.0.1:9/x' }];
    expect(() => build(b)).toThrow(/rule 'to-echo' target 'hook' is a local URL target/);
    expect(() => build(bus(), undefined, false)).toThrow(
      /names service 'echo', which the stack does not deploy/,
    );
  });
});
