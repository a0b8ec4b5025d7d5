import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ipInsightsImage } from '../src/cloud/ipinsights-image.js';
import { type LocalS3, startLocalS3 } from './cloud-s3.js';
import { runCli } from './helpers.js';

// SageMaker has no local stand-in: mocked at the SDK level. The artifact upload goes to s3rver.
const sm = mockClient(SageMakerClient);
beforeEach(() => sm.reset());
afterAll(() => sm.restore());

const ROLE = 'arn:aws:iam::123456789012:role/LakewatchTraining';
const BASE = [
  'train',
  '--backend',
  'sagemaker',
  '--data',
  's3://lw-data/train/pairs.csv',
  '--output',
  's3://lw-data/models/',
  '--role',
  ROLE,
  '--job-name',
  'lw-test-1',
  '--poll-interval',
  '0.01',
];
const HP = ['--num_entity_vectors', '20000', '--vector-dim', '128', '--epochs', '5'];
const t = (s: number) => new Date(Date.UTC(2024, 4, 1, 0, 0, s));

function jobProgresses() {
  sm.on(CreateTrainingJobCommand).resolves({
    TrainingJobArn: 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/lw-test-1',
  });
  sm.on(DescribeTrainingJobCommand)
    .resolvesOnce({
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Starting',
      SecondaryStatusTransitions: [
        {
          Status: 'Starting',
          StartTime: t(0),
          StatusMessage: 'Preparing the instances for training',
        },
      ],
    } as never)
    .resolvesOnce({
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Training',
      SecondaryStatusTransitions: [
        {
          Status: 'Starting',
          StartTime: t(0),
          StatusMessage: 'Preparing the instances for training',
        },
        { Status: 'Downloading', StartTime: t(60), StatusMessage: 'Downloading input data' },
        {
          Status: 'Training',
          StartTime: t(90),
          StatusMessage: 'Training image download completed. Training in progress.',
        },
      ],
    } as never)
    .resolves({
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      TrainingJobArn: 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/lw-test-1',
      ModelArtifacts: { S3ModelArtifacts: 's3://lw-data/models/lw-test-1/output/model.tar.gz' },
      BillableTimeInSeconds: 241,
      FinalMetricDataList: [
        { MetricName: 'validation:discriminator_auc', Value: 0.93, Timestamp: t(200) },
      ],
      SecondaryStatusTransitions: [
        {
          Status: 'Starting',
          StartTime: t(0),
          StatusMessage: 'Preparing the instances for training',
        },
        { Status: 'Downloading', StartTime: t(60), StatusMessage: 'Downloading input data' },
        {
          Status: 'Training',
          StartTime: t(90),
          StatusMessage: 'Training image download completed. Training in progress.',
        },
        {
          Status: 'Uploading',
          StartTime: t(200),
          StatusMessage: 'Uploading generated training model',
        },
        { Status: 'Completed', StartTime: t(210), StatusMessage: 'Training job completed' },
      ],
    } as never);
}

describe('Command: lakewatch train --backend sagemaker', () => {
  it('creates a built-in IP Insights training job and waits through its status transitions', async () => {
    // Prepare
    jobProgresses();

    // Act
    const r = await runCli(
      ...BASE,
      '--region',
      'eu-west-1',
      '--validation',
      's3://lw-data/validation/',
      '--instance-type',
      'ml.c5.xlarge',
      '--max-runtime',
      '7200',
      ...HP,
    );

    // Assess
    expect(r.err).not.toContain('lakewatch:');
    expect(r.code).toBe(0);
    const calls = sm.commandCalls(CreateTrainingJobCommand);
    expect(calls).toHaveLength(1);
    const channel = (name: string, uri: string) => ({
      ChannelName: name,
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: uri,
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      ContentType: 'text/csv',
      CompressionType: 'None',
    });
    expect(calls[0]?.args[0].input).toEqual({
      TrainingJobName: 'lw-test-1',
      AlgorithmSpecification: {
        TrainingImage: '438346466558.dkr.ecr.eu-west-1.amazonaws.com/ipinsights:1',
        TrainingInputMode: 'File',
      },
      RoleArn: ROLE,
      HyperParameters: { num_entity_vectors: '20000', vector_dim: '128', epochs: '5' },
      InputDataConfig: [
        channel('train', 's3://lw-data/train/pairs.csv'),
        channel('validation', 's3://lw-data/validation/'),
      ],
      OutputDataConfig: { S3OutputPath: 's3://lw-data/models/' },
      ResourceConfig: { InstanceType: 'ml.c5.xlarge', InstanceCount: 1, VolumeSizeInGB: 10 },
      StoppingCondition: { MaxRuntimeInSeconds: 7200 },
      Tags: [{ Key: 'app', Value: 'lakewatch' }],
    });
    expect(sm.commandCalls(DescribeTrainingJobCommand)[0]?.args[0].input).toEqual({
      TrainingJobName: 'lw-test-1',
    });
    const lines = r.err.split('\n').filter((l) => l.startsWith('sagemaker: '));
    expect(lines.slice(1)).toEqual([
      'sagemaker: Starting - Preparing the instances for training',
      'sagemaker: Downloading - Downloading input data',
      'sagemaker: Training - Training image download completed. Training in progress.',
      'sagemaker: Uploading - Uploading generated training model',
      'sagemaker: Completed - Training job completed',
      'sagemaker: final validation:discriminator_auc = 0.93',
    ]);
    expect(JSON.parse(r.out)).toEqual({
      training_job: 'lw-test-1',
      arn: 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/lw-test-1',
      status: 'Completed',
      model_data: 's3://lw-data/models/lw-test-1/output/model.tar.gz',
      billable_seconds: 241,
      metrics: { 'validation:discriminator_auc': 0.93 },
      image: '438346466558.dkr.ecr.eu-west-1.amazonaws.com/ipinsights:1',
    });
  });

  it.each([
    ['us-east-1', '382416733822.dkr.ecr.us-east-1.amazonaws.com/ipinsights:1'],
    ['us-west-2', '174872318107.dkr.ecr.us-west-2.amazonaws.com/ipinsights:1'],
    ['ap-northeast-1', '351501993468.dkr.ecr.ap-northeast-1.amazonaws.com/ipinsights:1'],
    ['cn-north-1', '390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/ipinsights:1'],
  ])('uses the IP Insights image of %s', async (region, image) => {
    sm.on(CreateTrainingJobCommand).resolves({});
    const r = await runCli(...BASE, '--region', region, '--no-wait', ...HP);
    expect(r.code).toBe(0);
    expect(
      sm.commandCalls(CreateTrainingJobCommand)[0]?.args[0].input.AlgorithmSpecification
        ?.TrainingImage,
    ).toBe(image);
    expect(ipInsightsImage(region)).toBe(image);
    expect(sm.commandCalls(DescribeTrainingJobCommand)).toHaveLength(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'InProgress' });
  });

  it("surfaces the job's FailureReason and exits 1", async () => {
    sm.on(CreateTrainingJobCommand).resolves({});
    sm.on(DescribeTrainingJobCommand).resolves({
      TrainingJobStatus: 'Failed',
      SecondaryStatus: 'Failed',
      FailureReason:
        'ClientError: Unable to parse the training data: expected 2 columns, found 3 in line 1',
    } as never);

    const r = await runCli(...BASE, '--region', 'us-east-1', ...HP);

    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: training job lw-test-1 failed: ClientError: Unable to parse the training data: expected 2 columns, found 3 in line 1',
    );
  });

  it('names the refused call (e.g. a quota) and exits 1', async () => {
    sm.on(CreateTrainingJobCommand).rejects(
      Object.assign(new Error('The account-level service limit is 0 Instances'), {
        name: 'ResourceLimitExceeded',
      }),
    );
    const r = await runCli(...BASE, '--region', 'us-east-1', ...HP);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: sagemaker CreateTrainingJob: ResourceLimitExceeded: The account-level service limit is 0 Instances',
    );
  });

  it.each([
    [
      ['--region', 'us-east-1', '--num_entity_vectors', '10'],
      "Missing required hyperparameter: 'vector_dim'",
    ],
    [
      ['--region', 'us-east-1', ...HP, '--mini_batch_size', '0'],
      "Hyperparameter 'mini_batch_size' must be an integer between 1 and 500000, got '0'",
    ],
    [['--region', 'moon-1', ...HP], "--region is not an AWS region like us-east-1: 'moon-1'"],
    [
      ['--region', 'xx-nowhere-1', ...HP],
      "no IP Insights image is known for region 'xx-nowhere-1'",
    ],
    [
      ['--region', 'us-east-1', '--instance-count', '0', ...HP],
      "--instance-count must be a positive integer, got '0'",
    ],
    [['--region', 'us-east-1', '--input', 'x.csv', ...HP], '--input is for --backend local'],
  ])('refuses %j before calling SageMaker', async (args, message) => {
    const r = await runCli(...BASE, ...args);
    expect(r.code).toBeGreaterThan(0);
    expect(r.err).toContain(message);
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });

  it.each([
    [['--role', 'admin'], '--role must be an IAM role ARN'],
    [['--data', 'train.csv'], "--data must be an s3://bucket/key URI, got 'train.csv'"],
    [['--job-name', 'bad_name!'], '--job-name must be 1-63 letters, digits and hyphens'],
  ])('refuses %j', async (override, message) => {
    const args = [...BASE];
    const at = args.indexOf(override[0] as string);
    args[at + 1] = override[1] as string;
    const r = await runCli(...args, '--region', 'us-east-1', ...HP);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('needs --data, --output and --role', async () => {
    const r = await runCli('train', '--backend', 'sagemaker', '--region', 'us-east-1', ...HP);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--backend sagemaker needs --data s3://bucket/train/');
  });
});

describe('Command: lakewatch train --backend local --upload', () => {
  let s3: LocalS3;
  let dir: string;
  beforeAll(async () => {
    s3 = await startLocalS3('lw-models');
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-cli-upload-'));
    const lines: string[] = [];
    for (let e = 0; e < 20; e++)
      for (let i = 0; i < 10; i++) lines.push(`user_${e},10.${e}.${i % 4}.${i * 7}`);
    await writeFile(join(dir, 'train.csv'), `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await s3.close();
  });

  it('trains locally, then uploads the artifact where embedded scoring loads it', async () => {
    const model = join(dir, 'model');
    const r = await runCli(
      'train',
      '--input',
      join(dir, 'train.csv'),
      '--out',
      model,
      '--threads',
      '1',
      '--no-progress',
      '--num_entity_vectors',
      '100',
      '--vector_dim',
      '8',
      '--epochs',
      '1',
      '--mini_batch_size',
      '50',
      '--upload',
      `s3://${s3.bucket}/models/v1/`,
      '--s3-endpoint',
      s3.endpoint,
    );

    expect(r.err).not.toContain('lakewatch:');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ uploaded: `s3://${s3.bucket}/models/v1` });
    for (const name of ['manifest.json', 'weights.bin']) {
      const uploaded = Buffer.from(await s3.get(`models/v1/${name}`));
      const local = await readFile(join(model, name));
      // Buffer.equals: vitest's deep equality walks a 2 MB buffer element by element.
      expect(uploaded.length).toBe(local.length);
      expect(uploaded.equals(local)).toBe(true);
    }
    expect(r.err).toContain(`uploaded 2 objects`);
  });

  it('reports an upload it cannot make and exits 1', async () => {
    const r = await runCli(
      'train',
      '--input',
      join(dir, 'train.csv'),
      '--out',
      join(dir, 'model2'),
      '--threads',
      '1',
      '--no-progress',
      '--num_entity_vectors',
      '100',
      '--vector_dim',
      '8',
      '--epochs',
      '1',
      '--mini_batch_size',
      '50',
      '--upload',
      's3://no-such-bucket/models/',
      '--s3-endpoint',
      s3.endpoint,
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: s3 PutObject s3://no-such-bucket/models/weights.bin: NoSuchBucket',
    );
  });

  it('still needs --input and --out for the local backend', async () => {
    const r = await runCli(
      'train',
      '--out',
      join(dir, 'm'),
      '--num_entity_vectors',
      '10',
      '--vector_dim',
      '8',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '--input <file>' not specified");
  });
});
