import type { RoutingBus, RoutingRule, RoutingTarget } from '@lakewatch/local-bus-server';
import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { InfraError } from './errors.js';
import { queueDepthAlarm } from './queue-alarm.js';

/** Options of {@link RoutedBus}. */
export interface RoutedBusOptions {
  /** One bus of the routing file, rules and archives included. */
  bus: RoutingBus;
  /** The function of each `Service` a target may name (rules may also be added later, {@link RoutedBus.addRules}). */
  services: Readonly<Record<string, lambda.IFunction>>;
  /** Overrides every archive's `RetentionDays` (0 = forever). @default the file's */
  archiveRetentionDays?: number;
  /** Where DLQ alarms notify. */
  alarmTopic: sns.ITopic;
}

/** A target's dead-letter queue and the alarm on its depth. */
export interface TargetDeadLetters {
  rule: string;
  targetId: string;
  queue: sqs.Queue;
  alarm: cloudwatch.Alarm;
}

/** A construct id from a file name (`findings-high-risk` → `FindingsHighRisk`). */
function idOf(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

/**
 * One EventBridge bus built from the routing file the local bus loads: the bus, its archives
 * (every event unless the file gives a pattern), one rule per file rule with the file's
 * pattern, and its targets with the file's retry policy and input transformer. A `Service`
 * target invokes that service's function; every target gets an SQS dead-letter queue with an
 * alarm on its depth. Rules keep their file names, so `<aws.events.rule-name>` (the notify
 * route) is the same on AWS and locally.
 */
export class RoutedBus extends Construct {
  readonly eventBus: events.IEventBus;
  readonly archives: events.CfnArchive[] = [];
  readonly rules: events.CfnRule[] = [];
  readonly deadLetters: TargetDeadLetters[] = [];
  private readonly busName: string;
  private readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, options: RoutedBusOptions) {
    super(scope, id);
    const { bus } = options;
    this.busName = bus.Name;
    this.alarmTopic = options.alarmTopic;
    this.eventBus =
      bus.Name === 'default'
        ? events.EventBus.fromEventBusName(this, 'Bus', 'default')
        : new events.EventBus(this, 'Bus', {
            eventBusName: bus.Name,
            ...(bus.Description && { description: bus.Description }),
          });
    for (const a of bus.Archives) {
      this.archives.push(
        new events.CfnArchive(this, `Archive${idOf(a.Name)}`, {
          archiveName: a.Name,
          sourceArn: this.eventBus.eventBusArn,
          retentionDays: options.archiveRetentionDays ?? a.RetentionDays,
          ...(a.Description && { description: a.Description }),
          ...(a.EventPattern && { eventPattern: JSON.parse(a.EventPattern) }),
        }),
      );
    }
    this.addRules(bus.Rules, options.services);
  }

  /** Adds rules of this bus whose `Service` targets invoke the given functions. */
  addRules(
    rules: readonly RoutingRule[],
    services: Readonly<Record<string, lambda.IFunction>>,
  ): void {
    for (const rule of rules) this.addRule(rule, services);
  }

  private addRule(rule: RoutingRule, services: Readonly<Record<string, lambda.IFunction>>): void {
    const ruleId = idOf(rule.Name);
    const ruleArn = Stack.of(this).formatArn({
      service: 'events',
      resource: 'rule',
      // rules of the default bus have no bus segment in their ARN
      resourceName: this.busName === 'default' ? rule.Name : `${this.busName}/${rule.Name}`,
    });
    const targets = rule.Targets.map((t) => {
      const dlq = this.deadLetterQueue(rule, t, ruleArn, this.alarmTopic);
      return this.target(rule, t, ruleArn, dlq, services);
    });
    this.rules.push(
      new events.CfnRule(this, `Rule${ruleId}`, {
        name: rule.Name,
        eventBusName: this.eventBus.eventBusName,
        eventPattern: JSON.parse(rule.EventPattern),
        state: rule.State ?? 'ENABLED',
        ...(rule.Description && { description: rule.Description }),
        targets,
      }),
    );
  }

  private target(
    rule: RoutingRule,
    t: RoutingTarget,
    ruleArn: string,
    dlq: sqs.Queue,
    services: Readonly<Record<string, lambda.IFunction>>,
  ): events.CfnRule.TargetProperty {
    let arn: string;
    if (t.Service !== undefined) {
      const fn = services[t.Service];
      if (!fn)
        throw new InfraError(
          `routing file: rule '${rule.Name}' target '${t.Id}' names service '${t.Service}', which the stack does not deploy (services: ${Object.keys(services).join(', ')})`,
        );
      fn.addPermission(`Invoke${idOf(rule.Name)}${idOf(t.Id)}`, {
        principal: new iam.ServicePrincipal('events.amazonaws.com'),
        sourceArn: ruleArn,
      });
      arn = fn.functionArn;
    } else if (t.Arn !== undefined && /^arn:/.test(t.Arn)) {
      arn = t.Arn;
    } else {
      throw new InfraError(
        `routing file: rule '${rule.Name}' target '${t.Id}' is a local URL target; on AWS give an Arn (or a Service)`,
      );
    }
    const it = t.InputTransformer;
    return {
      id: t.Id,
      arn,
      deadLetterConfig: { arn: dlq.queueArn },
      ...(t.RoleArn && { roleArn: t.RoleArn }),
      ...(t.Input !== undefined && { input: t.Input }),
      ...(t.InputPath !== undefined && { inputPath: t.InputPath }),
      ...(it && {
        inputTransformer: {
          inputTemplate: it.InputTemplate,
          ...(it.InputPathsMap &&
            Object.keys(it.InputPathsMap).length > 0 && { inputPathsMap: it.InputPathsMap }),
        },
      }),
      ...(t.RetryPolicy && {
        retryPolicy: {
          ...(t.RetryPolicy.MaximumRetryAttempts !== undefined && {
            maximumRetryAttempts: t.RetryPolicy.MaximumRetryAttempts,
          }),
          ...(t.RetryPolicy.MaximumEventAgeInSeconds !== undefined && {
            maximumEventAgeInSeconds: t.RetryPolicy.MaximumEventAgeInSeconds,
          }),
        },
      }),
      ...(t.HttpParameters && {
        httpParameters: {
          ...(t.HttpParameters.PathParameterValues && {
            pathParameterValues: t.HttpParameters.PathParameterValues,
          }),
          ...(t.HttpParameters.HeaderParameters && {
            headerParameters: t.HttpParameters.HeaderParameters,
          }),
          ...(t.HttpParameters.QueryStringParameters && {
            queryStringParameters: t.HttpParameters.QueryStringParameters,
          }),
        },
      }),
    };
  }

  private deadLetterQueue(
    rule: RoutingRule,
    t: RoutingTarget,
    ruleArn: string,
    topic: sns.ITopic,
  ): sqs.Queue {
    const id = `${idOf(rule.Name)}${idOf(t.Id)}`;
    const queue = new sqs.Queue(this, `Dlq${id}`, {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    // Only this rule may dead-letter into this queue.
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      }),
    );
    const alarm = queueDepthAlarm(
      this,
      `Dlq${id}Depth`,
      queue,
      `Events rule '${rule.Name}' could not deliver to target '${t.Id}': see the dead-letter queue`,
      topic,
    );
    this.deadLetters.push({ rule: rule.Name, targetId: t.Id, queue, alarm });
    return queue;
  }
}
