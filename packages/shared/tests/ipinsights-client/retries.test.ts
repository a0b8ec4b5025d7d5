import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '@lakewatch/ipinsights';
import { createModelServer } from '@lakewatch/model-serving';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EmbeddedIpInsightsClient,
  IpInsightsClientError,
  SageMakerIpInsightsClient,
} from '../../src/index.js';
import { recordingSdk, testPairs, trainedModel } from './fixtures.js';

describe('Class: SageMakerIpInsightsClient (retries against the real server)', () => {
  let artifact: string;
  let embedded: EmbeddedIpInsightsClient;

  beforeAll(async () => {
    artifact = (await trainedModel(1)).path;
    embedded = await EmbeddedIpInsightsClient.fromArtifact(artifact);
  });

  it('retries ModelNotReadyException with backoff until the model is there', async () => {
    // Prepare: the server starts before its artifact exists and watches for it.
    const path = join(await mkdtemp(join(tmpdir(), 'lakewatch-notready-')), 'model');
    const server = createModelServer({ modelPath: path, loadModel, watch: true });
    const url = await server.listen();
    const { sdk, bodies } = recordingSdk(url);
    const client = new SageMakerIpInsightsClient({
      endpointName: 'ipinsights',
      sdk,
      retry: { maxAttempts: 30, baseDelayMs: 50, maxDelayMs: 200 },
    });
    try {
      // Act: publish the artifact a little after the first attempts.
      const scoring = client.score(testPairs);
      setTimeout(() => void cp(artifact, path, { recursive: true }), 300);
      const dots = await scoring;

      // Assess
      expect(dots).toEqual(await embedded.score(testPairs));
      expect(bodies.length).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });

  it('gives up after maxAttempts naming the endpoint, pairs and cause, and sends nothing more', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'lakewatch-notready-')), 'never');
    const server = createModelServer({ modelPath: path, loadModel, watch: false });
    const url = await server.listen();
    const { sdk, bodies } = recordingSdk(url);
    const client = new SageMakerIpInsightsClient({
      endpointName: 'ipinsights',
      sdk,
      retry: { maxAttempts: 3, baseDelayMs: 1 },
      maxPairsPerRequest: 5,
      concurrency: 1,
    });
    try {
      // Act
      const error = await client.score(testPairs.slice(0, 50)).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(IpInsightsClientError);
      expect((error as Error).message).toMatch(
        /^endpoint ipinsights, pairs 0–4: ModelNotReadyException: Model for endpoint ipinsights is not ready/,
      );
      expect(bodies).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('retries ThrottlingException and still returns every dot product in order', async () => {
    // Prepare: 20 requests against a server that admits 10 a second (burst 10), 4 at a time.
    const server = createModelServer({
      modelPath: artifact,
      loadModel,
      watch: false,
      maxInvocationsPerSecond: 10,
    });
    const url = await server.listen();
    const { sdk, bodies } = recordingSdk(url);
    const client = new SageMakerIpInsightsClient({
      endpointName: 'ipinsights',
      sdk,
      maxPairsPerRequest: 25,
      concurrency: 4,
      retry: { maxAttempts: 20, baseDelayMs: 20, maxDelayMs: 200 },
    });
    try {
      // Act
      const dots = await client.score(testPairs);

      // Assess
      expect(dots).toEqual(await embedded.score(testPairs));
      expect(bodies.length).toBeGreaterThan(testPairs.length / 25);
    } finally {
      await server.close();
    }
  });
});
