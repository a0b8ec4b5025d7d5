import { parseEvent } from '@lakewatch/contracts';
import { type BusEvent, type EventBus, InMemoryBus } from '@lakewatch/eventbus';
import { ContractPublisher } from '@lakewatch/service-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  anomalyId,
  type Judge,
  loadEmbeddedJudge,
  ModelLoadError,
  ScoreService,
  VerdictCache,
} from '../src/index.js';
import { envelope, instance, normalIp, observed, trainCalibratedModel } from './helpers.js';

let modelA: Awaited<ReturnType<typeof trainCalibratedModel>>;
let modelB: Awaited<ReturnType<typeof trainCalibratedModel>>;
let judge: Judge;

beforeAll(async () => {
  [modelA, modelB] = await Promise.all([trainCalibratedModel(1), trainCalibratedModel(2)]);
  judge = await loadEmbeddedJudge(modelA.path);
}, 120_000);

function recordingBus(): { bus: InMemoryBus; got: BusEvent[] } {
  const bus = new InMemoryBus();
  const got: BusEvent[] = [];
  bus.subscribe({
    name: 'all',
    eventPattern: { source: [{ prefix: 'lakewatch.' }] },
    handler: (e) => void got.push(e),
  });
  return { bus, got };
}

function pairsEvent(batchId: string, pairs: [string, string][], id = batchId) {
  return parseEvent(
    envelope('NetworkPairsObserved', 'lakewatch.ingest', observed(batchId, pairs), id),
  );
}

describe('Class: ScoreService — live scoring', () => {
  it('publishes AnomalyDetected for pairs below the threshold and nothing for normal ones', async () => {
    // Prepare
    const { bus, got } = recordingBus();
    const service = new ScoreService({
      publish: 'live',
      judge,
      publisher: new ContractPublisher(bus),
      now: () => 1_000,
    });

    // Act
    await service.handle(
      pairsEvent('npo-batch-1', [
        [instance(3), normalIp(3, 0)],
        [instance(3), '203.0.113.77'],
        [instance(5), normalIp(5, 2)],
      ]),
    );

    // Assess
    expect(got.map((e) => e['detail-type'])).toEqual(['AnomalyDetected']);
    const detail = got[0]!.detail as Record<string, unknown>;
    expect(detail).toMatchObject({
      pair: { entity: { uid: 'i-0003' }, ip: '203.0.113.77' },
      threshold: judge.threshold,
    });
    expect(detail.dotProduct as number).toBeLessThan(judge.threshold);
    expect(detail.anomalyScore as number).toBeGreaterThan(0.9);
    expect(detail.model).toEqual({ version: modelA.model.version, artifactUri: modelA.path });
    expect(detail.anomalyId).toBe(
      anomalyId('npo-batch-1', observed('npo-batch-1', [[instance(3), '203.0.113.77']]).pairs[0]!),
    );
    expect(service.stats).toMatchObject({ batches: 1, pairs: 3, anomalies: 1 });
  });

  it('finds the injected anomalies at the calibrated rate on held-out traffic', async () => {
    const { bus, got } = recordingBus();
    const service = new ScoreService({
      publish: 'live',
      judge,
      publisher: new ContractPublisher(bus),
    });
    const normal: [string, string][] = [];
    const odd: [string, string][] = [];
    for (let k = 0; k < 20; k++) {
      normal.push([instance(k), normalIp(k, 90 + k)]);
      odd.push([instance(k), `198.51.${100 + k}.${k + 1}`]);
    }
    await service.handle(pairsEvent('npo-normal', normal));
    await service.handle(pairsEvent('npo-odd-pairs', odd));
    const flagged = got.map((e) => (e.detail as { pair: { ip: string } }).pair.ip);
    expect(flagged.filter((ip) => ip.startsWith('198.51.')).length).toBeGreaterThanOrEqual(18);
    expect(flagged.filter((ip) => !ip.startsWith('198.51.')).length).toBeLessThanOrEqual(2);
  });

  it('scores a chatty pair once per window and reports its anomaly once per window', async () => {
    let now = 0;
    const { bus, got } = recordingBus();
    const cache = new VerdictCache(60_000, 1000);
    const service = new ScoreService({
      publish: 'live',
      judge,
      publisher: new ContractPublisher(bus),
      cache,
      now: () => now,
    });
    const pairs: [string, string][] = [
      [instance(1), '203.0.113.9'],
      [instance(1), normalIp(1, 3)],
    ];

    await service.handle(pairsEvent('npo-chatty-a', pairs));
    now = 30_000;
    await service.handle(pairsEvent('npo-chatty-b', pairs));
    now = 61_000;
    await service.handle(pairsEvent('npo-chatty-c', pairs));

    expect(got.map((e) => (e.detail as { source: { batchId: string } }).source.batchId)).toEqual([
      'npo-chatty-a',
      'npo-chatty-c',
    ]);
    expect(service.stats).toMatchObject({ fromCache: 2, suppressed: 1 });
  });

  it('remembers nothing when publishing fails, so the retried batch still reports its anomaly', async () => {
    const { bus, got } = recordingBus();
    let down = true;
    const flaky: EventBus = {
      publish: async (entries) =>
        down
          ? {
              entries: entries.map(() => ({
                ok: false as const,
                errorCode: 'InternalFailure',
                errorMessage: 'bus down',
                attempts: 3,
              })),
              failedCount: entries.length,
            }
          : bus.publish(entries),
    };
    const service = new ScoreService({
      publish: 'live',
      judge,
      publisher: new ContractPublisher(flaky),
      cache: new VerdictCache(60_000, 100),
    });
    const event = pairsEvent('npo-retry', [[instance(2), '203.0.113.10']]);
    await expect(service.handle(event)).rejects.toThrow('InternalFailure: bus down');
    down = false;
    await service.handle(event);
    expect(got).toHaveLength(1);
  });

  it('keeps unscorable pairs out of the batch with their reason', async () => {
    const { bus, got } = recordingBus();
    const service = new ScoreService({
      publish: 'live',
      judge,
      publisher: new ContractPublisher(bus),
    });
    await service.handle(
      pairsEvent('npo-ipv6-mix', [
        [instance(4), '2001:db8::7'],
        [instance(4), '203.0.113.11'],
      ]),
    );
    expect(got).toHaveLength(1);
    expect(service.stats.unscored).toBe(1);
  });
});

describe('Class: ScoreService — shadow mode and model swaps', () => {
  it('publishes only ShadowVerdictsRecorded, for every pair, in shadow mode', async () => {
    const { bus, got } = recordingBus();
    const service = new ScoreService({
      publish: 'shadow',
      judge,
      role: 'baseline',
      runId: 'bt-1',
      publisher: new ContractPublisher(bus),
    });
    await service.handle(
      pairsEvent('npo-shadow-1', [
        [instance(6), '203.0.113.12'],
        [instance(6), normalIp(6, 5)],
      ]),
    );
    expect(got.map((e) => e['detail-type'])).toEqual(['ShadowVerdictsRecorded']);
    expect(got[0]!.detail).toMatchObject({
      runId: 'bt-1',
      role: 'baseline',
      verdicts: [{ anomalous: true }, { anomalous: false }],
    });
  });

  it('publishes a second model as shadow verdicts beside live anomalies', async () => {
    const { bus, got } = recordingBus();
    const candidate = await loadEmbeddedJudge(modelB.path, { threshold: 100 });
    const service = new ScoreService({
      publish: 'live',
      judge,
      shadow: { judge: candidate, role: 'candidate', runId: 'bt-2' },
      publisher: new ContractPublisher(bus),
    });
    await service.handle(pairsEvent('npo-live-shadow', [[instance(7), normalIp(7, 9)]]));
    expect(got.map((e) => e['detail-type'])).toEqual(['ShadowVerdictsRecorded']);
    expect(got[0]!.detail).toMatchObject({
      role: 'candidate',
      threshold: 100,
      verdicts: [{ anomalous: true }],
    });
  });

  it('swaps to a published model after checking its checksum, and keeps the old one on a mismatch', async () => {
    const { bus } = recordingBus();
    const service = new ScoreService({
      publish: 'live',
      judge,
      publisher: new ContractPublisher(bus),
      loadPublished: (d) =>
        loadEmbeddedJudge(d.model.artifactUri, { sha256: d.model.sha256, threshold: d.threshold }),
    });
    const published = (sha256: string) =>
      parseEvent(
        envelope('ModelPublished', 'lakewatch.model', {
          schemaVersion: '1.0',
          model: { version: modelB.model.version, artifactUri: `file://${modelB.path}`, sha256 },
          threshold: -0.5,
          calibration: {
            auc: 0.9,
            targetFpr: 0.05,
            fpr: 0.05,
            tpr: 0.9,
            normalPairs: 400,
            anomalousPairs: 400,
          },
          hyperparameters: { num_entity_vectors: 200, vector_dim: 16 },
          publishedAt: '2026-11-28T15:00:00Z',
        }),
      );
    await expect(service.handle(published('0'.repeat(64)))).rejects.toBeInstanceOf(ModelLoadError);
    expect(service.current.version).toBe(modelA.model.version);
    await service.handle(published(modelB.sha256));
    expect(service.current).toMatchObject({ version: modelB.model.version, threshold: -0.5 });
    expect(service.stats.modelSwaps).toBe(1);
  });
});

describe('Class: ScoreService — concurrency', () => {
  it('alerts once when two batches holding the same anomalous pair arrive at the same time', async () => {
    const bus = new InMemoryBus();
    const got: BusEvent[] = [];
    bus.subscribe({
      name: 'all',
      eventPattern: { 'detail-type': ['AnomalyDetected'] },
      handler: (e) => void got.push(e),
    });
    const service = new ScoreService({
      publish: 'live',
      judge,
      publisher: new ContractPublisher(bus),
      cache: new VerdictCache(60_000, 100),
    });
    const pairs: [string, string][] = [[instance(9), '203.0.113.99']];
    await Promise.all([
      service.handle(pairsEvent('npo-same-1', pairs)),
      service.handle(pairsEvent('npo-same-2', pairs)),
    ]);
    expect(got).toHaveLength(1);
    expect(service.stats.suppressed).toBe(1);
  });
});
