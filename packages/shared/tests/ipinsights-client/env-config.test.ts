import { loadModel } from '@lakewatch/ipinsights';
import { createModelServer } from '@lakewatch/model-serving';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedIpInsightsClient, SageMakerIpInsightsClient } from '../../src/index.js';
import { testPairs, trainedModel } from './fixtures.js';

const KEYS = [
  'AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

describe('Class: SageMakerIpInsightsClient (configured by the environment only)', () => {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('reaches the local server through AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME, as in AWS', async () => {
    // Prepare
    const { path } = await trainedModel(2);
    const server = createModelServer({ modelPath: path, loadModel, watch: false });
    const url = await server.listen();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    });
    try {
      // Act
      const client = new SageMakerIpInsightsClient({ endpointName: 'ipinsights' });
      const dots = await client.score(testPairs.slice(0, 50));

      // Assess
      const embedded = await EmbeddedIpInsightsClient.fromArtifact(path);
      expect(dots).toEqual(await embedded.score(testPairs.slice(0, 50)));
    } finally {
      await server.close();
    }
  });
});
