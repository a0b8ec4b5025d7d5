import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  type DescribeEndpointOutput,
  DescribeTrainingJobCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { awsCall, formatDuration, parseS3, pollUntil, timestampedName, usage } from './aws.js';
import { ipInsightsImage } from './ipinsights-image.js';

/** Options of {@link deployModel}. */
export interface DeployModelOptions {
  region: string;
  endpoint: string;
  roleArn: string;
  /** The model comes from this completed training job's artifact… */
  trainingJob?: string;
  /** …or from this `model.tar.gz`. */
  modelData?: string;
  /** @default `<endpoint>-<time>` */
  modelName?: string;
  /** @default 'ml.m5.large' */
  instanceType?: string;
  /** @default 1 */
  instanceCount?: number;
  /** @default the region's built-in IP Insights image */
  image?: string;
  /** Poll interval, or false to return once the endpoint is being created/updated. */
  wait: { pollMs: number } | false;
}

/** What `lakewatch deploy-model` reports. */
export interface DeployModelResult {
  endpoint: string;
  action: 'created' | 'updated';
  model: string;
  endpoint_config: string;
  model_data: string;
  status: string;
  image: string;
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; message?: string };
  return err.name === 'ValidationException' && /could not find/i.test(err.message ?? '');
}

async function modelDataOf(sm: SageMakerClient, o: DeployModelOptions): Promise<string> {
  if (o.modelData) {
    parseS3(o.modelData, '--model-data');
    return o.modelData;
  }
  const name = o.trainingJob as string;
  const job = await awsCall(`sagemaker DescribeTrainingJob ${name}`, () =>
    sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name })),
  );
  if (job.TrainingJobStatus !== 'Completed')
    throw new CliError(
      `training job ${name} is ${job.TrainingJobStatus ?? 'in an unknown state'}, not Completed${job.FailureReason ? `: ${job.FailureReason}` : ''}`,
    );
  const data = job.ModelArtifacts?.S3ModelArtifacts;
  if (!data) throw new CliError(`training job ${name} has no model artifact`);
  return data;
}

/**
 * Puts an IP Insights model behind a SageMaker endpoint: CreateModel, CreateEndpointConfig,
 * then CreateEndpoint, or UpdateEndpoint when the endpoint exists (a blue/green swap that
 * keeps it serving), and waits until it is InService.
 */
export async function deployModel(o: DeployModelOptions, io: CliIo): Promise<DeployModelResult> {
  if (!o.trainingJob === !o.modelData)
    throw usage('give exactly one of --training-job NAME or --model-data s3://…/model.tar.gz');
  if (!NAME.test(o.endpoint))
    throw usage(`--endpoint must be 1-63 letters, digits and hyphens, got '${o.endpoint}'`);
  const model = o.modelName ?? timestampedName(o.endpoint.slice(0, 47));
  if (!NAME.test(model))
    throw usage(`--model-name must be 1-63 letters, digits and hyphens, got '${model}'`);
  const image = o.image ?? ipInsightsImage(o.region);
  const sm = new SageMakerClient({ region: o.region });
  try {
    const modelData = await modelDataOf(sm, o);
    await awsCall('sagemaker CreateModel', () =>
      sm.send(
        new CreateModelCommand({
          ModelName: model,
          PrimaryContainer: { Image: image, ModelDataUrl: modelData },
          ExecutionRoleArn: o.roleArn,
          Tags: [{ Key: 'app', Value: 'lakewatch' }],
        }),
      ),
    );
    io.err(`sagemaker: model ${model} created from ${modelData}\n`);
    const config = model;
    await awsCall('sagemaker CreateEndpointConfig', () =>
      sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: config,
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              ModelName: model,
              InitialInstanceCount: o.instanceCount ?? 1,
              InstanceType: (o.instanceType ?? 'ml.m5.large') as never,
              InitialVariantWeight: 1,
            },
          ],
          Tags: [{ Key: 'app', Value: 'lakewatch' }],
        }),
      ),
    );
    let exists = true;
    await sm.send(new DescribeEndpointCommand({ EndpointName: o.endpoint })).catch((e: unknown) => {
      if (!isNotFound(e))
        throw new CliError(
          `sagemaker DescribeEndpoint: ${(e as Error).name}: ${(e as Error).message}`,
          { cause: e },
        );
      exists = false;
    });
    if (exists)
      await awsCall('sagemaker UpdateEndpoint', () =>
        sm.send(
          new UpdateEndpointCommand({ EndpointName: o.endpoint, EndpointConfigName: config }),
        ),
      );
    else
      await awsCall('sagemaker CreateEndpoint', () =>
        sm.send(
          new CreateEndpointCommand({
            EndpointName: o.endpoint,
            EndpointConfigName: config,
            Tags: [{ Key: 'app', Value: 'lakewatch' }],
          }),
        ),
      );
    io.err(
      `sagemaker: endpoint ${o.endpoint} ${exists ? 'updating' : 'creating'} with config ${config}\n`,
    );
    let status = exists ? 'Updating' : 'Creating';
    if (o.wait) {
      const final = await waitForEndpoint(sm, o.endpoint, o.wait.pollMs, io);
      status = final.EndpointStatus ?? 'InService';
    }
    return {
      endpoint: o.endpoint,
      action: exists ? 'updated' : 'created',
      model,
      endpoint_config: config,
      model_data: modelData,
      status,
      image,
    };
  } finally {
    sm.destroy();
  }
}

async function waitForEndpoint(
  sm: SageMakerClient,
  name: string,
  pollMs: number,
  io: CliIo,
): Promise<DescribeEndpointOutput> {
  let last = '';
  const final = await pollUntil({
    what: `endpoint ${name}`,
    intervalMs: pollMs,
    read: () =>
      awsCall('sagemaker DescribeEndpoint', () =>
        sm.send(new DescribeEndpointCommand({ EndpointName: name })),
      ),
    // An update leaves the endpoint InService with the old config until the swap is done.
    done: (e) => ['InService', 'Failed', 'OutOfService'].includes(e.EndpointStatus ?? ''),
    onRead: (e, elapsed) => {
      if (e.EndpointStatus !== last)
        io.err(`sagemaker: endpoint ${name} ${e.EndpointStatus} (${formatDuration(elapsed)})\n`);
      last = e.EndpointStatus ?? '';
    },
  });
  if (final.EndpointStatus !== 'InService')
    throw new CliError(
      `endpoint ${name} is ${final.EndpointStatus}: ${final.FailureReason ?? 'no FailureReason given'}`,
    );
  return final;
}
