import { createHash } from 'node:crypto';
import type {
  AnomalyDetectedV1,
  NetworkPairsObservedV1,
  ObservedPair,
  Verdict,
} from '@lakewatch/contracts';
import { currentSchemaVersion } from '@lakewatch/contracts';
import type { Judge } from './judge.js';
import { type CachedVerdict, VerdictCache } from './verdict-cache.js';

/** A pair that could not be scored, with the reason (an IPv6 address a v4 model cannot encode, …). */
export interface UnscoredPair {
  index: number;
  entity: string;
  ip: string;
  reason: string;
}

/** What scoring one batch produced. Cache updates are applied only once its events are published. */
export interface ScoredBatch {
  anomalies: AnomalyDetectedV1[];
  /** Every scored pair's verdict (for shadow runs). */
  verdicts: Verdict[];
  unscored: UnscoredPair[];
  /** Pairs answered from the verdict cache instead of the model. */
  fromCache: number;
  /** Pairs anomalous again within the window: not reported twice. */
  suppressed: number;
  cacheUpdates: [string, CachedVerdict][];
}

/** Where the batch came from, for the anomaly's `source`. */
export interface BatchContext {
  eventId: string;
  now: number;
  cache?: VerdictCache;
}

/** The deterministic id of an anomaly: the same batch and pair always give the same id. */
export function anomalyId(batchId: string, pair: ObservedPair): string {
  const h = createHash('sha256').update(
    `${batchId}\u0000${pair.entity.type}\u0000${pair.entity.uid}\u0000${pair.ip}`,
  );
  return `anm-${h.digest('hex').slice(0, 32)}`;
}

/**
 * Scores a NetworkPairsObserved batch with a judge: the model's entity is `entity.uid` (as
 * the training query writes it). A pair is anomalous when its dot product is below the
 * threshold. A pair found anomalous within the cache window is not reported again.
 */
export async function scorePairs(
  detail: NetworkPairsObservedV1,
  judge: Judge,
  ctx: BatchContext,
): Promise<ScoredBatch> {
  const out: ScoredBatch = {
    anomalies: [],
    verdicts: [],
    unscored: [],
    fromCache: 0,
    suppressed: 0,
    cacheUpdates: [],
  };
  const keys = detail.pairs.map((p) =>
    VerdictCache.key(judge.version, judge.threshold, p.entity.uid, p.ip),
  );
  const dots = new Array<number | null>(detail.pairs.length).fill(null);
  const cachedAnomalous = new Set<number>();
  const toScore: number[] = [];
  detail.pairs.forEach((_, i) => {
    const hit = ctx.cache?.get(keys[i]!, ctx.now);
    if (hit) {
      dots[i] = hit.dotProduct;
      out.fromCache += 1;
      if (hit.anomalous) cachedAnomalous.add(i);
    } else toScore.push(i);
  });
  if (toScore.length > 0) {
    const result = await judge.client.scoreAll(
      toScore.map((i) => ({ entity: detail.pairs[i]!.entity.uid, ip: detail.pairs[i]!.ip })),
    );
    result.dotProducts.forEach((dot, j) => {
      dots[toScore[j]!] = dot;
    });
    for (const r of result.rejected) {
      const i = toScore[r.index]!;
      out.unscored.push({ index: i, entity: r.entity, ip: r.ip, reason: r.reason });
    }
  }
  const fresh = new Set(toScore);
  const detectedAt = new Date(ctx.now).toISOString();
  detail.pairs.forEach((pair, i) => {
    const dot = dots[i];
    if (dot === null || dot === undefined) return;
    const anomalous = dot < judge.threshold;
    const score = judge.anomalyScore(dot);
    out.verdicts.push({
      entity: pair.entity,
      ip: pair.ip,
      dotProduct: dot,
      anomalous,
      anomalyScore: score,
      count: pair.count,
      lastSeen: pair.lastSeen,
    });
    // the window runs from the first scoring: only freshly scored pairs enter the cache
    if (fresh.has(i))
      out.cacheUpdates.push([keys[i]!, { dotProduct: dot, anomalous, at: ctx.now }]);
    if (!anomalous) return;
    if (cachedAnomalous.has(i)) {
      out.suppressed += 1;
      return;
    }
    out.anomalies.push({
      schemaVersion: currentSchemaVersion('AnomalyDetected'),
      anomalyId: anomalyId(detail.batchId, pair),
      pair,
      ocsfClassUid: detail.ocsfClassUid,
      pairing: detail.pairing,
      dotProduct: dot,
      threshold: judge.threshold,
      anomalyScore: score,
      model: {
        version: judge.version,
        ...(judge.artifactUri !== undefined && { artifactUri: judge.artifactUri }),
        ...(judge.endpoint !== undefined && { endpoint: judge.endpoint }),
      },
      source: {
        batchId: detail.batchId,
        eventId: ctx.eventId,
        ...(detail.ingestId !== undefined && { ingestId: detail.ingestId }),
        object: detail.sourceObject,
      },
      detectedAt,
    });
  });
  return out;
}
