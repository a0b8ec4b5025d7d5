import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { type IpInsightsModel, saveModel, train } from '@lakewatch/ipinsights';
import type { PairToScore } from '../../src/index.js';

function readPairs(name: string, skipHeader: boolean): PairToScore[] {
  const lines = readFileSync(new URL(`../fixtures/ipinsights-dev/${name}`, import.meta.url), 'utf8')
    .trim()
    .split('\n');
  return lines.slice(skipHeader ? 1 : 0).map((line) => {
    const [entity = '', ip = ''] = line.split(',');
    return { entity, ip };
  });
}

/** 4,000 training pairs and 500 test pairs (normal and anomalous) of the tutorial's login data. */
export const trainPairs = readPairs('train-slice.csv', false);
export const testPairs = readPairs('test-slice.csv', true);

/** A small model trained by the engine on the training slice, saved as an artifact. */
export async function trainedModel(seed = 0): Promise<{ model: IpInsightsModel; path: string }> {
  const { model } = await train(
    { entities: trainPairs.map((p) => p.entity), ips: trainPairs.map((p) => p.ip) },
    { num_entity_vectors: 2000, vector_dim: 16, epochs: 2, mini_batch_size: 500 },
    { threads: 1, ipHashBuckets: 4096, seed },
  );
  const path = join(await mkdtemp(join(tmpdir(), 'lakewatch-client-')), 'model');
  await saveModel(model, path);
  return { model, path };
}

/** The real SDK client pointed at a local server; records every request body it sends. */
export function recordingSdk(url: string): { sdk: SageMakerRuntimeClient; bodies: string[] } {
  const sdk = new SageMakerRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  const bodies: string[] = [];
  sdk.middlewareStack.add(
    (next) => async (args) => {
      bodies.push(String((args.request as { body?: unknown }).body ?? ''));
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordBodies' },
  );
  return { sdk, bodies };
}
