import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { InfraError } from './errors.js';
import { ipInsightsImage } from './ipinsights-image.js';

/** `s3://bucket/key/…` → the object ARN pattern below it. */
export function s3ObjectArn(stack: Stack, uri: string): string {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new InfraError(`not an s3:// URI: '${uri}'`);
  const key = m[2] ?? '';
  return `arn:${stack.partition}:s3:::${m[1]}/${key.endsWith('/') || key === '' ? `${key}*` : key}`;
}

/** What the built-in IP Insights containers need in every role: pulling the image, logs, metrics. */
function grantContainerBasics(role: iam.Role, logGroupPrefix: string): void {
  const stack = Stack.of(role);
  const image = ipInsightsImage(stack.region);
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
      ],
      resources: [image.repositoryArn],
    }),
  );
  // GetAuthorizationToken and PutMetricData have no resource-level permissions.
  role.addToPolicy(
    new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: {
        StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] },
      },
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'logs:DescribeLogStreams',
      ],
      resources: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `${logGroupPrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
}

/** Options of {@link SageMakerTraining}. */
export interface SageMakerTrainingOptions {
  bucket: s3.IBucket;
  /** Prefix of the training CSVs (written by `lakewatch pairs --athena`). @default 'training/' */
  trainingPrefix?: string;
  /** Prefix SageMaker writes model artifacts to. @default 'models/' */
  modelPrefix?: string;
}

/**
 * The role SageMaker training jobs with the built-in IP Insights algorithm run as
 * (`lakewatch train --backend sagemaker --role-arn …`): reads the training prefix, writes the
 * model prefix, pulls the region's IP Insights image, writes its logs and metrics.
 */
export class SageMakerTraining extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, options: SageMakerTrainingOptions) {
    super(scope, id);
    const training = options.trainingPrefix ?? 'training/';
    const models = options.modelPrefix ?? 'models/';
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'SageMaker training jobs of Lakewatch (built-in IP Insights)',
    });
    options.bucket.grantRead(this.role, `${training}*`);
    options.bucket.grantReadWrite(this.role, `${models}*`);
    grantContainerBasics(this.role, '/aws/sagemaker/TrainingJobs');
  }
}

/** Options of {@link IpInsightsEndpoint}. */
export interface IpInsightsEndpointOptions {
  endpointName: string;
  /** `s3://…/model.tar.gz` of a trained IP Insights model. */
  modelDataUrl: string;
  instanceType: string;
  instanceCount: number;
}

/**
 * A real-time SageMaker endpoint serving a trained IP Insights model with the built-in
 * image of the stack's region: model, endpoint config, endpoint, and the model's role.
 */
export class IpInsightsEndpoint extends Construct {
  readonly endpoint: sagemaker.CfnEndpoint;
  readonly role: iam.Role;
  readonly endpointArn: string;

  constructor(scope: Construct, id: string, options: IpInsightsEndpointOptions) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'The Lakewatch IP Insights model on its endpoint',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [s3ObjectArn(stack, options.modelDataUrl)],
      }),
    );
    grantContainerBasics(this.role, '/aws/sagemaker/Endpoints');
    const model = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: {
        image: ipInsightsImage(stack.region).uri,
        modelDataUrl: options.modelDataUrl,
      },
    });
    // The role's policy must exist before SageMaker checks the model's access.
    model.node.addDependency(this.role);
    const config = new sagemaker.CfnEndpointConfig(this, 'Config', {
      productionVariants: [
        {
          variantName: 'AllTraffic',
          modelName: model.attrModelName,
          initialInstanceCount: options.instanceCount,
          instanceType: options.instanceType,
          initialVariantWeight: 1,
        },
      ],
    });
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName: options.endpointName,
      endpointConfigName: config.attrEndpointConfigName,
    });
    this.endpointArn = endpointArn(stack, options.endpointName);
  }
}

/** The ARN of an endpoint by name (SageMaker ARNs are lower case). */
export function endpointArn(stack: Stack, name: string): string {
  return stack.formatArn({
    service: 'sagemaker',
    resource: 'endpoint',
    resourceName: name.toLowerCase(),
  });
}
