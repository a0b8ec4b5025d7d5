import { type Command, Option } from 'commander';
import { pollIntervalOption, requireRegion, usage } from '../cloud/aws.js';
import type { CliIo } from '../io.js';

interface DeployModelCommandOptions {
  trainingJob?: string;
  modelData?: string;
  endpoint: string;
  role?: string;
  modelName?: string;
  instanceType: string;
  instanceCount: string;
  image?: string;
  region?: string;
  pollInterval: number;
  wait: boolean;
}

/** `lakewatch deploy-model`: a trained IP Insights model behind a SageMaker endpoint. */
export function registerDeployModel(program: Command, io: CliIo): void {
  program
    .command('deploy-model')
    .description(
      'put a SageMaker IP Insights model (from a training job or a model.tar.gz) behind an endpoint: CreateModel, CreateEndpointConfig, CreateEndpoint (or UpdateEndpoint), then wait for InService',
    )
    .option('--training-job <name>', 'use the artifact of this completed training job')
    .option('--model-data <s3uri>', 'or this model.tar.gz')
    .requiredOption('--endpoint <name>', 'the endpoint to create or update')
    .option('--role <arn>', 'IAM role SageMaker hosts the model as (required)')
    .option('--model-name <name>', 'model and endpoint-config name (default <endpoint>-<time>)')
    .option('--instance-type <type>', 'hosting instance type', 'ml.m5.large')
    .option('--instance-count <n>', 'hosting instances', '1')
    .option('--image <uri>', "inference image (default: the region's built-in IP Insights)")
    .addOption(new Option('--region <region>', 'AWS region').env('AWS_REGION'))
    .addOption(pollIntervalOption(30))
    .option('--no-wait', 'return once the endpoint is being created or updated')
    .action(async (opts: DeployModelCommandOptions) => {
      const region = requireRegion(opts.region);
      if (!opts.role) throw usage('deploy-model needs --role arn:aws:iam::<account>:role/<name>');
      const count = Number(opts.instanceCount);
      if (!Number.isInteger(count) || count <= 0)
        throw usage(`--instance-count must be a positive integer, got '${opts.instanceCount}'`);
      const { deployModel } = await import('../cloud/sagemaker-deploy.js');
      const result = await deployModel(
        {
          region,
          endpoint: opts.endpoint,
          roleArn: opts.role,
          ...(opts.trainingJob ? { trainingJob: opts.trainingJob } : {}),
          ...(opts.modelData ? { modelData: opts.modelData } : {}),
          ...(opts.modelName ? { modelName: opts.modelName } : {}),
          instanceType: opts.instanceType,
          instanceCount: count,
          ...(opts.image ? { image: opts.image } : {}),
          wait: opts.wait === false ? false : { pollMs: opts.pollInterval },
        },
        io,
      );
      io.out(`${JSON.stringify(result)}\n`);
    });
}
