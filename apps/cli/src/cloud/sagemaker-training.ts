import {
  CreateTrainingJobCommand,
  type CreateTrainingJobRequest,
  DescribeTrainingJobCommand,
  type DescribeTrainingJobResponse,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  HyperparameterError,
  type HyperparameterName,
  validateHyperparameters,
} from '@lakewatch/ipinsights';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { awsCall, formatDuration, parseS3, pollUntil, usage } from './aws.js';
import { ipInsightsImage } from './ipinsights-image.js';

/** Options of {@link trainingJobRequest}. */
export interface SageMakerTrainingOptions {
  region: string;
  /** Training pairs: `s3://…` object or prefix of headerless `entity,ip` CSV. */
  data: string;
  /** Optional validation channel (IP Insights reports its AUC). */
  validation?: string;
  /** Where SageMaker writes `<job>/output/model.tar.gz`. */
  output: string;
  roleArn: string;
  /** Hyperparameters by SageMaker name, as given on the command line. */
  hyperparameters: Readonly<Record<string, string>>;
  jobName: string;
  /** @default 'ml.m5.large' */
  instanceType?: string;
  /** @default 1 */
  instanceCount?: number;
  /** @default 10 */
  volumeSizeGb?: number;
  /** @default 86400 (a day) */
  maxRuntimeSeconds?: number;
  /** @default the region's built-in IP Insights image */
  image?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * The CreateTrainingJob request for SageMaker's built-in IP Insights algorithm. The
 * hyperparameters are checked as SageMaker checks them (names, required ones, ranges) before
 * anything is sent, and sent as the string map SageMaker takes.
 */
export function trainingJobRequest(o: SageMakerTrainingOptions): CreateTrainingJobRequest {
  parseS3(o.data, '--data');
  parseS3(o.output, '--output');
  if (o.validation !== undefined) parseS3(o.validation, '--validation');
  if (!ROLE_ARN.test(o.roleArn))
    throw usage(
      `--role must be an IAM role ARN (arn:aws:iam::123456789012:role/Name), got '${o.roleArn}'`,
    );
  if (!JOB_NAME.test(o.jobName))
    throw usage(`--job-name must be 1-63 letters, digits and hyphens, got '${o.jobName}'`);
  let checked: Record<HyperparameterName, number>;
  try {
    checked = validateHyperparameters(o.hyperparameters) as unknown as Record<
      HyperparameterName,
      number
    >;
  } catch (e) {
    if (e instanceof HyperparameterError) throw new CliError(e.message, { cause: e });
    throw e;
  }
  const hyperParameters: Record<string, string> = {};
  for (const name of Object.keys(o.hyperparameters) as HyperparameterName[])
    hyperParameters[name] = String(checked[name]);
  const channel = (name: string, uri: string) => ({
    ChannelName: name,
    DataSource: {
      S3DataSource: {
        S3DataType: 'S3Prefix' as const,
        S3Uri: uri,
        S3DataDistributionType: 'FullyReplicated' as const,
      },
    },
    ContentType: 'text/csv',
    CompressionType: 'None' as const,
  });
  return {
    TrainingJobName: o.jobName,
    AlgorithmSpecification: {
      TrainingImage: o.image ?? ipInsightsImage(o.region),
      TrainingInputMode: 'File',
    },
    RoleArn: o.roleArn,
    HyperParameters: hyperParameters,
    InputDataConfig: [
      channel('train', o.data),
      ...(o.validation !== undefined ? [channel('validation', o.validation)] : []),
    ],
    OutputDataConfig: { S3OutputPath: o.output },
    ResourceConfig: {
      InstanceType: (o.instanceType ?? 'ml.m5.large') as never,
      InstanceCount: o.instanceCount ?? 1,
      VolumeSizeInGB: o.volumeSizeGb ?? 10,
    },
    StoppingCondition: { MaxRuntimeInSeconds: o.maxRuntimeSeconds ?? 86_400 },
    Tags: [{ Key: 'app', Value: 'lakewatch' }],
  };
}

/** What `lakewatch train --backend sagemaker` reports. */
export interface TrainingJobResult {
  training_job: string;
  arn?: string;
  status: string;
  model_data?: string;
  billable_seconds?: number;
  metrics: Record<string, number>;
  image: string;
}

/** Waits for a training job, printing each SageMaker status transition; fails on Failed/Stopped. */
export async function waitForTrainingJob(
  sm: SageMakerClient,
  name: string,
  pollMs: number,
  io: CliIo,
): Promise<DescribeTrainingJobResponse> {
  const seen = new Set<string>();
  const job = await pollUntil({
    what: `training job ${name}`,
    intervalMs: pollMs,
    read: () =>
      awsCall('sagemaker DescribeTrainingJob', () =>
        sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name })),
      ),
    done: (j) => ['Completed', 'Failed', 'Stopped'].includes(j.TrainingJobStatus ?? ''),
    onRead: (j, elapsed) => {
      for (const t of j.SecondaryStatusTransitions ?? []) {
        const key = `${t.Status}|${t.StartTime?.toISOString()}`;
        if (seen.has(key)) continue;
        seen.add(key);
        io.err(`sagemaker: ${t.Status}${t.StatusMessage ? ` - ${t.StatusMessage}` : ''}\n`);
      }
      if (!j.SecondaryStatusTransitions?.length && !seen.has(`s|${j.SecondaryStatus}`)) {
        seen.add(`s|${j.SecondaryStatus}`);
        io.err(
          `sagemaker: ${j.TrainingJobStatus} / ${j.SecondaryStatus} (${formatDuration(elapsed)})\n`,
        );
      }
    },
  });
  if (job.TrainingJobStatus !== 'Completed')
    throw new CliError(
      `training job ${name} ${job.TrainingJobStatus?.toLowerCase()}: ${job.FailureReason ?? 'no FailureReason given'}`,
    );
  return job;
}

/** Creates the IP Insights training job and (unless `wait` is false) waits for it. */
export async function runTrainingJob(
  o: SageMakerTrainingOptions,
  wait: { pollMs: number } | false,
  io: CliIo,
): Promise<TrainingJobResult> {
  const request = trainingJobRequest(o);
  const sm = new SageMakerClient({ region: o.region });
  try {
    const created = await awsCall('sagemaker CreateTrainingJob', () =>
      sm.send(new CreateTrainingJobCommand(request)),
    );
    const image = request.AlgorithmSpecification?.TrainingImage ?? '';
    io.err(
      `sagemaker: training job ${o.jobName} created (${image}, ${request.ResourceConfig?.InstanceType})\n`,
    );
    if (!wait)
      return {
        training_job: o.jobName,
        ...(created.TrainingJobArn ? { arn: created.TrainingJobArn } : {}),
        status: 'InProgress',
        metrics: {},
        image,
      };
    const job = await waitForTrainingJob(sm, o.jobName, wait.pollMs, io);
    const metrics: Record<string, number> = {};
    for (const m of job.FinalMetricDataList ?? [])
      if (m.MetricName && m.Value !== undefined) metrics[m.MetricName] = m.Value;
    for (const [k, v] of Object.entries(metrics)) io.err(`sagemaker: final ${k} = ${v}\n`);
    return {
      training_job: o.jobName,
      ...(job.TrainingJobArn ? { arn: job.TrainingJobArn } : {}),
      status: job.TrainingJobStatus ?? 'Completed',
      ...(job.ModelArtifacts?.S3ModelArtifacts
        ? { model_data: job.ModelArtifacts.S3ModelArtifacts }
        : {}),
      ...(job.BillableTimeInSeconds !== undefined
        ? { billable_seconds: job.BillableTimeInSeconds }
        : {}),
      metrics,
      image,
    };
  } finally {
    sm.destroy();
  }
}
