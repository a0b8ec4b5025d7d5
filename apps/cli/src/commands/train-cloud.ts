import { type Command, Option } from 'commander';
import { pollIntervalOption, requireRegion, timestampedName, usage } from '../cloud/aws.js';
import type { CliIo } from '../io.js';

function positiveInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw usage(`${flag} must be a positive integer, got '${value}'`);
    return n;
  };
}

/** Adds `--backend sagemaker` and `--upload` options to `lakewatch train`. */
export function addCloudTrainOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--backend <backend>', 'where to train: this machine, or a SageMaker training job')
        .choices(['local', 'sagemaker'])
        .default('local'),
    )
    .option(
      '--upload <s3uri>',
      'local: also upload the artifact here for the embedded scoring mode',
    )
    .option('--s3-endpoint <url>', 'local: S3-compatible endpoint for --upload')
    .option('--data <s3uri>', 'sagemaker: training pairs (s3:// object or prefix of entity,ip CSV)')
    .option('--output <s3uri>', 'sagemaker: S3 path for the model artifact (model.tar.gz)')
    .option('--role <arn>', 'sagemaker: IAM role the training job runs as')
    .option('--instance-type <type>', 'sagemaker: training instance type', 'ml.m5.large')
    .option('--instance-count <n>', 'sagemaker: instances', positiveInteger('--instance-count'), 1)
    .option(
      '--volume-size <gb>',
      'sagemaker: EBS volume per instance (GB)',
      positiveInteger('--volume-size'),
      10,
    )
    .option(
      '--max-runtime <seconds>',
      'sagemaker: StoppingCondition.MaxRuntimeInSeconds',
      positiveInteger('--max-runtime'),
      86_400,
    )
    .option(
      '--job-name <name>',
      'sagemaker: training job name (default lakewatch-ipinsights-<time>)',
    )
    .option(
      '--image <uri>',
      "sagemaker: training image (default: the region's built-in IP Insights)",
    )
    .addOption(new Option('--region <region>', 'sagemaker: AWS region').env('AWS_REGION'))
    .addOption(pollIntervalOption(15, 'sagemaker: '))
    .option('--no-wait', 'sagemaker: return once the job is created');
}

/** Checks the local backend's own required options. */
export function requireLocalTrainOptions(opts: Record<string, unknown>): void {
  if (!opts.input) throw usage("required option '--input <file>' not specified");
  if (!opts.out) throw usage("required option '--out <dir>' not specified");
}

/** `lakewatch train --backend sagemaker`: a SageMaker IP Insights training job. */
export async function trainOnSageMaker(
  opts: Record<string, unknown>,
  hyperparameters: Record<string, string>,
  io: CliIo,
): Promise<void> {
  for (const local of ['input', 'out', 'upload', 'extraNormals'])
    if (opts[local] !== undefined)
      throw usage(
        `--${local.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for --backend local; SageMaker reads --data and writes --output`,
      );
  if (!opts.data) throw usage('--backend sagemaker needs --data s3://bucket/train/');
  if (!opts.output) throw usage('--backend sagemaker needs --output s3://bucket/models/');
  if (!opts.role)
    throw usage('--backend sagemaker needs --role arn:aws:iam::<account>:role/<name>');
  const region = requireRegion(opts.region as string | undefined);
  const { runTrainingJob } = await import('../cloud/sagemaker-training.js');
  const result = await runTrainingJob(
    {
      region,
      data: String(opts.data),
      output: String(opts.output),
      roleArn: String(opts.role),
      hyperparameters,
      jobName: opts.jobName ? String(opts.jobName) : timestampedName('lakewatch-ipinsights'),
      instanceType: String(opts.instanceType),
      instanceCount: opts.instanceCount as number,
      volumeSizeGb: opts.volumeSize as number,
      maxRuntimeSeconds: opts.maxRuntime as number,
      ...(opts.validation ? { validation: String(opts.validation) } : {}),
      ...(opts.image ? { image: String(opts.image) } : {}),
    },
    opts.wait === false ? false : { pollMs: opts.pollInterval as number },
    io,
  );
  io.out(`${JSON.stringify(result)}\n`);
}

/** `--upload`: the saved local artifact to S3 for the embedded scoring mode. */
export async function uploadTrained(
  dir: string,
  opts: Record<string, unknown>,
  io: CliIo,
): Promise<string> {
  const { uploadArtifact } = await import('../cloud/s3-artifact.js');
  const up = await uploadArtifact(dir, String(opts.upload), {
    ...(opts.region ? { region: String(opts.region) } : {}),
    ...(opts.s3Endpoint ? { endpoint: String(opts.s3Endpoint) } : {}),
  });
  io.err(`uploaded ${up.objects.length} objects (${up.bytes} bytes) -> ${up.uri}\n`);
  return up.uri;
}
