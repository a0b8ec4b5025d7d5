import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkPairsObservedV1, ObservedPair } from '@lakewatch/contracts';
import {
  calibrate,
  type IpInsightsModel,
  saveModel,
  train,
  withCalibration,
} from '@lakewatch/ipinsights';
import { weightsSha256 } from '../src/index.js';

/** Instances i-0000…i-0019; instance k talks to hosts in 10.k.1.0/24 and 52.k.7.0/24. */
export function normalIp(k: number, j: number): string {
  return j % 2 === 0 ? `10.${k}.1.${(j * 7) % 250}` : `52.${k}.7.${(j * 11) % 250}`;
}

export function instance(k: number): string {
  return `i-${String(k).padStart(4, '0')}`;
}

/** A calibrated model trained by the real engine on a small learnable set, saved to a temp dir. */
export async function trainCalibratedModel(
  seed = 1,
): Promise<{ path: string; model: IpInsightsModel; sha256: string }> {
  const entities: string[] = [];
  const ips: string[] = [];
  for (let k = 0; k < 20; k++) {
    for (let j = 0; j < 60; j++) {
      entities.push(instance(k));
      ips.push(normalIp(k, j));
    }
  }
  const { model } = await train(
    { entities, ips },
    {
      num_entity_vectors: 200,
      vector_dim: 16,
      epochs: 6,
      mini_batch_size: 128,
      learning_rate: 0.05,
      random_negative_sampling_rate: 3,
    },
    { seed, threads: 1 },
  );
  const held = { entities: [] as string[], ips: [] as string[] };
  for (let k = 0; k < 20; k++) {
    for (let j = 60; j < 80; j++) {
      held.entities.push(instance(k));
      held.ips.push(normalIp(k, j));
    }
  }
  const calibrated = withCalibration(
    model,
    calibrate(model, held, { targetFpr: 0.05, seed }).metrics,
  );
  const path = await mkdtemp(join(tmpdir(), 'lakewatch-score-model-'));
  await saveModel(calibrated, path);
  return { path, model: calibrated, sha256: await weightsSha256(path) };
}

/** A NetworkPairsObserved detail holding the given (instance, IP) pairs. */
export function observed(batchId: string, pairs: [string, string][]): NetworkPairsObservedV1 {
  const mk = ([uid, ip]: [string, string], i: number): ObservedPair => ({
    entity: { type: 'instance', uid },
    ip,
    count: 3,
    firstSeen: '2026-11-28T14:00:00Z',
    lastSeen: '2026-11-28T14:04:00Z',
    direction: 'outbound',
    bytes: 1200,
    packets: 12,
    dstPorts: [443],
    sampleEventUid: `evt-${i}`,
  });
  return {
    schemaVersion: '1.0',
    batchId,
    part: { index: 1, count: 1 },
    sourceObject: { uri: 'file:///landing/flow-0001.log.gz', etag: 'sha256:abc' },
    ocsfClassUid: 4001,
    pairing: 'peer',
    window: { start: '2026-11-28T14:00:00Z', end: '2026-11-28T14:05:00Z' },
    pairs: pairs.map(mk) as NetworkPairsObservedV1['pairs'],
  };
}

/** An EventBridge envelope around a detail. */
export function envelope<T>(
  detailType: string,
  source: string,
  detail: T,
  id = `evt-${Math.random()}`,
) {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source,
    account: '000000000000',
    time: '2026-11-28T14:05:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}
