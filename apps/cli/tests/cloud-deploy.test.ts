import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

// SageMaker hosting has no local stand-in: mocked at the SDK level.
const sm = mockClient(SageMakerClient);
beforeEach(() => sm.reset());
afterAll(() => sm.restore());

const ROLE = 'arn:aws:iam::123456789012:role/LakewatchHosting';
const DATA = 's3://lw-data/models/lw-test-1/output/model.tar.gz';
const notFound = () =>
  Object.assign(new Error('Could not find endpoint "lakewatch-ipi".'), {
    name: 'ValidationException',
  });

function deploy(...extra: string[]) {
  return runCli(
    'deploy-model',
    '--endpoint',
    'lakewatch-ipi',
    '--role',
    ROLE,
    '--model-name',
    'lakewatch-ipi-m1',
    '--region',
    'us-east-2',
    '--poll-interval',
    '0.01',
    ...extra,
  );
}

describe('Command: lakewatch deploy-model', () => {
  it("creates the model from a training job's artifact, its endpoint config and a new endpoint", async () => {
    // Prepare
    sm.on(DescribeTrainingJobCommand).resolves({
      TrainingJobStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: DATA },
    } as never);
    sm.on(CreateModelCommand).resolves({});
    sm.on(CreateEndpointConfigCommand).resolves({});
    sm.on(CreateEndpointCommand).resolves({});
    sm.on(DescribeEndpointCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({ EndpointStatus: 'Creating' } as never)
      .resolves({ EndpointStatus: 'InService' } as never);

    // Act
    const r = await deploy('--training-job', 'lw-test-1', '--instance-type', 'ml.c5.large');

    // Assess
    expect(r.err).not.toContain('lakewatch:');
    expect(r.code).toBe(0);
    const image = '404615174143.dkr.ecr.us-east-2.amazonaws.com/ipinsights:1';
    expect(sm.commandCalls(DescribeTrainingJobCommand)[0]?.args[0].input).toEqual({
      TrainingJobName: 'lw-test-1',
    });
    expect(sm.commandCalls(CreateModelCommand)[0]?.args[0].input).toEqual({
      ModelName: 'lakewatch-ipi-m1',
      PrimaryContainer: { Image: image, ModelDataUrl: DATA },
      ExecutionRoleArn: ROLE,
      Tags: [{ Key: 'app', Value: 'lakewatch' }],
    });
    expect(sm.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input).toEqual({
      EndpointConfigName: 'lakewatch-ipi-m1',
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: 'lakewatch-ipi-m1',
          InitialInstanceCount: 1,
          InstanceType: 'ml.c5.large',
          InitialVariantWeight: 1,
        },
      ],
      Tags: [{ Key: 'app', Value: 'lakewatch' }],
    });
    expect(sm.commandCalls(CreateEndpointCommand)[0]?.args[0].input).toEqual({
      EndpointName: 'lakewatch-ipi',
      EndpointConfigName: 'lakewatch-ipi-m1',
      Tags: [{ Key: 'app', Value: 'lakewatch' }],
    });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
    expect(r.err).toMatch(/endpoint lakewatch-ipi Creating \(\d+s\)\n/);
    expect(r.err).toMatch(/endpoint lakewatch-ipi InService \(\d+s\)\n/);
    expect(JSON.parse(r.out)).toEqual({
      endpoint: 'lakewatch-ipi',
      action: 'created',
      model: 'lakewatch-ipi-m1',
      endpoint_config: 'lakewatch-ipi-m1',
      model_data: DATA,
      status: 'InService',
      image,
    });
  });

  it('updates an endpoint that exists, waiting through Updating', async () => {
    sm.on(CreateModelCommand).resolves({});
    sm.on(CreateEndpointConfigCommand).resolves({});
    sm.on(UpdateEndpointCommand).resolves({});
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointStatus: 'InService' } as never)
      .resolvesOnce({ EndpointStatus: 'Updating' } as never)
      .resolves({ EndpointStatus: 'InService' } as never);

    const r = await deploy('--model-data', DATA);

    expect(r.code).toBe(0);
    expect(sm.commandCalls(DescribeTrainingJobCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateEndpointCommand)[0]?.args[0].input).toEqual({
      EndpointName: 'lakewatch-ipi',
      EndpointConfigName: 'lakewatch-ipi-m1',
    });
    expect(sm.commandCalls(CreateEndpointCommand)).toHaveLength(0);
    expect(JSON.parse(r.out)).toMatchObject({ action: 'updated', status: 'InService' });
  });

  it("surfaces the endpoint's FailureReason and exits 1", async () => {
    sm.on(CreateModelCommand).resolves({});
    sm.on(CreateEndpointConfigCommand).resolves({});
    sm.on(CreateEndpointCommand).resolves({});
    sm.on(DescribeEndpointCommand)
      .rejectsOnce(notFound())
      .resolves({
        EndpointStatus: 'Failed',
        FailureReason:
          'The primary container for production variant AllTraffic did not pass the ping health check.',
      } as never);

    const r = await deploy('--model-data', DATA);

    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: endpoint lakewatch-ipi is Failed: The primary container for production variant AllTraffic did not pass the ping health check.',
    );
  });

  it('refuses a training job that has not completed, with its reason', async () => {
    sm.on(DescribeTrainingJobCommand).resolves({
      TrainingJobStatus: 'Failed',
      FailureReason: 'AlgorithmError: out of memory',
    } as never);
    const r = await deploy('--training-job', 'lw-bad');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: training job lw-bad is Failed, not Completed: AlgorithmError: out of memory',
    );
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(0);
  });

  it('reports a DescribeEndpoint failure that is not "not found"', async () => {
    sm.on(CreateModelCommand).resolves({});
    sm.on(CreateEndpointConfigCommand).resolves({});
    sm.on(DescribeEndpointCommand).rejects(
      Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }),
    );
    const r = await deploy('--model-data', DATA);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: sagemaker DescribeEndpoint: AccessDeniedException: not allowed',
    );
    expect(sm.commandCalls(CreateEndpointCommand)).toHaveLength(0);
  });

  it.each([
    [[], 'give exactly one of --training-job NAME or --model-data'],
    [['--training-job', 'a', '--model-data', DATA], 'give exactly one of'],
    [['--model-data', 'model.tar.gz'], '--model-data must be an s3://bucket/key URI'],
    [
      ['--model-data', DATA, '--instance-count', 'two'],
      "--instance-count must be a positive integer, got 'two'",
    ],
  ])('refuses %j before creating anything', async (args, message) => {
    const r = await deploy(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(0);
  });

  it('needs --role', async () => {
    const r = await runCli(
      'deploy-model',
      '--endpoint',
      'e',
      '--model-data',
      DATA,
      '--region',
      'us-east-1',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('deploy-model needs --role');
  });
});
