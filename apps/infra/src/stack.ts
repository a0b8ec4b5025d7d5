import { loadRoutingFile, type RoutingFile } from '@lakewatch/local-bus-server';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { LakeQueryAccess } from './analytics.js';
import { InfraError } from './errors.js';
import { RoutedBus } from './routing.js';
import { IpInsightsEndpoint, SageMakerTraining } from './sagemaker.js';
import { LakewatchServices } from './services.js';
import type { LakewatchSettings } from './settings.js';

/** Props of {@link LakewatchStack}. */
export interface LakewatchStackProps extends StackProps {
  settings: LakewatchSettings;
  /** @default the settings' routing file, loaded and validated by the local bus's parser */
  routing?: RoutingFile;
}

/**
 * The production deployment of Lakewatch: the pipeline bus, rules, targets and archive from
 * the routing file the local bus loads; the four services as Lambda functions; the data
 * bucket (lake, models, training data, Athena results); the SageMaker training role and,
 * in SageMaker scoring mode, the IP Insights endpoint; alarms to one SNS topic.
 */
export class LakewatchStack extends Stack {
  readonly routing: RoutingFile;
  readonly buses: RoutedBus[];
  readonly services: LakewatchServices;
  readonly dataBucket: s3.IBucket;
  readonly training: SageMakerTraining;
  readonly endpoint?: IpInsightsEndpoint;

  constructor(scope: Construct, id: string, props: LakewatchStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.routing = props.routing ?? loadRoutingFile(settings.routingFile);
    const pipeline = this.routing.EventBuses[0];
    if (!pipeline)
      throw new InfraError(`routing file ${settings.routingFile} defines no event bus`);

    const alarmTopic = new sns.Topic(this, 'Alarms', {
      displayName: 'Lakewatch alarms',
      enforceSSL: true,
    });
    if (settings.alarmEmail)
      alarmTopic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    this.dataBucket = settings.dataBucketName
      ? s3.Bucket.fromBucketName(this, 'Data', settings.dataBucketName)
      : new s3.Bucket(this, 'Data', {
          encryption: s3.BucketEncryption.S3_MANAGED,
          blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
          enforceSSL: true,
          // the lake and the models outlive the stack: `cdk destroy` keeps the bucket
          removalPolicy: RemovalPolicy.RETAIN,
        });

    const modelUri =
      settings.scoring.modelUri ?? `s3://${this.dataBucket.bucketName}/models/current/`;
    // Services publish to the pipeline bus; it must exist before the functions are built.
    const first = new RoutedBus(this, 'Bus', {
      bus: { ...pipeline, Rules: [] },
      services: {},
      ...(settings.archiveRetentionDays !== undefined && {
        archiveRetentionDays: settings.archiveRetentionDays,
      }),
      alarmTopic,
    });
    this.services = new LakewatchServices(this, 'Services', {
      settings,
      bus: first.eventBus,
      dataBucket: this.dataBucket,
      alarmTopic,
      modelUri,
    });
    const fns = Object.fromEntries(
      Object.entries(this.services.functions).map(([k, v]) => [k, v.fn]),
    );
    const unknown = Object.keys(this.routing.Services).filter((s) => !(s in fns));
    if (unknown.length > 0)
      throw new InfraError(
        `routing file ${settings.routingFile}: Services ${unknown.join(', ')} have no function in the stack (functions: ${Object.keys(fns).join(', ')})`,
      );
    first.addRules(pipeline.Rules, fns);
    this.buses = [first];
    for (const [i, bus] of this.routing.EventBuses.slice(1).entries())
      this.buses.push(
        new RoutedBus(this, `Bus${i + 2}`, {
          bus,
          services: fns,
          ...(settings.archiveRetentionDays !== undefined && {
            archiveRetentionDays: settings.archiveRetentionDays,
          }),
          alarmTopic,
        }),
      );

    this.training = new SageMakerTraining(this, 'Training', { bucket: this.dataBucket });
    const sc = settings.scoring;
    if (sc.mode === 'sagemaker' && sc.createEndpoint && sc.modelDataUrl) {
      this.endpoint = new IpInsightsEndpoint(this, 'IpInsights', {
        endpointName: sc.endpointName,
        modelDataUrl: sc.modelDataUrl,
        instanceType: sc.instanceType,
        instanceCount: sc.instanceCount,
      });
    }
    const query = new LakeQueryAccess(this, 'LakeQuery', {
      securityLake: settings.securityLake,
      dataBucket: this.dataBucket,
    });

    const out = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    out('EventBusName', first.eventBus.eventBusName, 'the pipeline bus (EVENT_BUS_NAME)');
    for (const a of first.archives)
      out(
        `Archive${a.archiveName?.replace(/[^A-Za-z0-9]/g, '')}`,
        a.attrArn,
        'archive for `lakewatch replay --aws`',
      );
    out(
      'DataBucketName',
      this.dataBucket.bucketName,
      'lake, models, training data, Athena results',
    );
    out('ModelUri', modelUri, 'where the score function loads its model');
    out(
      'TrainingRoleArn',
      this.training.role.roleArn,
      'role for `lakewatch train --backend sagemaker`',
    );
    out('AthenaWorkGroup', query.workGroup.name, 'workgroup for `lakewatch pairs --athena`');
    out(
      'QueryPolicyArn',
      query.policy.managedPolicyArn,
      'attach to whoever runs `lakewatch pairs --athena`',
    );
    out('AlarmTopicArn', alarmTopic.topicArn, 'every DLQ alarm notifies this topic');
    if (sc.mode === 'sagemaker')
      out('EndpointName', sc.endpointName, 'the IP Insights endpoint the score function invokes');
  }
}
