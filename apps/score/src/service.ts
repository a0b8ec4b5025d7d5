import type {
  AnyLakewatchEvent,
  LakewatchEvent,
  ShadowVerdictsRecordedV1,
} from '@lakewatch/contracts';
import { currentSchemaVersion } from '@lakewatch/contracts';
import type { ContractPublisher, Outgoing } from '@lakewatch/service-kit';
import type { Logger } from 'pino';
import type { Judge } from './judge.js';
import { type ScoredBatch, scorePairs } from './score-pairs.js';
import type { VerdictCache } from './verdict-cache.js';

/** A shadow side of a comparison: its model, role and run. */
export interface ShadowJudge {
  judge: Judge;
  role: 'candidate' | 'baseline';
  runId: string;
}

/** What the score service needs; everything is passed in, so tests use real parts directly. */
export interface ScoreServiceDeps {
  /** Live publishes AnomalyDetected; shadow publishes only ShadowVerdictsRecorded. */
  publish: 'live' | 'shadow';
  /** The primary judge (in shadow mode, its verdicts go out with `role` and `runId`). */
  judge: Judge;
  role?: 'candidate' | 'baseline';
  runId?: string;
  /** A second model scored beside the live one, published only as shadow verdicts. */
  shadow?: ShadowJudge;
  publisher: ContractPublisher;
  cache?: VerdictCache;
  /** Loads the model a ModelPublished event announces (embedded mode) or describes it (SageMaker). */
  loadPublished?: (detail: LakewatchEvent<'ModelPublished'>['detail']) => Promise<Judge>;
  now?: () => number;
  logger?: Logger;
}

const MAX_VERDICTS = 250;

/** Counters the service reports on `/health`. */
export interface ScoreStats {
  batches: number;
  pairs: number;
  anomalies: number;
  suppressed: number;
  unscored: number;
  fromCache: number;
  shadowVerdicts: number;
  modelVersion: string;
  modelSwaps: number;
}

/** The score service's domain: one method per consumed detail type. */
export class ScoreService {
  private judge: Judge;
  readonly stats: ScoreStats;
  /**
   * Batches are scored one after another: a batch's verdicts enter the cache only once its
   * events are published, so a concurrent batch holding the same pair would otherwise alert
   * for it a second time.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ScoreServiceDeps) {
    this.judge = deps.judge;
    this.stats = {
      batches: 0,
      pairs: 0,
      anomalies: 0,
      suppressed: 0,
      unscored: 0,
      fromCache: 0,
      shadowVerdicts: 0,
      modelVersion: deps.judge.version,
      modelSwaps: 0,
    };
  }

  /** The judge scoring now. */
  get current(): Judge {
    return this.judge;
  }

  /** Releases what the service holds open (the verdict cache's file). */
  close(): void {
    this.deps.cache?.close();
  }

  /** Handles one validated event (throws to have the bus retry it). */
  async handle(event: AnyLakewatchEvent): Promise<void> {
    if (event['detail-type'] === 'NetworkPairsObserved') {
      const run = this.queue.then(() => this.onPairs(event));
      this.queue = run.catch(() => {});
      await run;
    } else if (event['detail-type'] === 'ModelPublished') await this.onModel(event);
  }

  private shadowEvents(
    batch: ScoredBatch,
    judge: Judge,
    role: string,
    runId: string,
    event: LakewatchEvent<'NetworkPairsObserved'>,
  ): Outgoing[] {
    const out: Outgoing[] = [];
    for (let i = 0; i < batch.verdicts.length; i += MAX_VERDICTS) {
      const detail: ShadowVerdictsRecordedV1 = {
        schemaVersion: currentSchemaVersion('ShadowVerdictsRecorded'),
        runId,
        role: role as 'candidate' | 'baseline',
        model: {
          version: judge.version,
          ...(judge.artifactUri !== undefined && { artifactUri: judge.artifactUri }),
        },
        threshold: judge.threshold,
        source: {
          batchId: event.detail.batchId,
          eventId: event.id,
          ...(event.detail.ingestId !== undefined && { ingestId: event.detail.ingestId }),
          object: event.detail.sourceObject,
        },
        verdicts: batch.verdicts.slice(i, i + MAX_VERDICTS) as ShadowVerdictsRecordedV1['verdicts'],
        scoredAt: new Date(this.deps.now?.() ?? Date.now()).toISOString(),
      };
      out.push({ detailType: 'ShadowVerdictsRecorded', detail });
    }
    return out;
  }

  private async onPairs(event: LakewatchEvent<'NetworkPairsObserved'>): Promise<void> {
    const now = this.deps.now?.() ?? Date.now();
    const judge = this.judge;
    const live = this.deps.publish === 'live';
    const batch = await scorePairs(event.detail, judge, {
      eventId: event.id,
      now,
      ...(live && this.deps.cache !== undefined && { cache: this.deps.cache }),
    });
    const outgoing: Outgoing[] = live
      ? batch.anomalies.map((detail) => ({ detailType: 'AnomalyDetected' as const, detail }))
      : this.shadowEvents(
          batch,
          judge,
          this.deps.role ?? 'candidate',
          this.deps.runId ?? 'shadow',
          event,
        );
    if (live && this.deps.shadow) {
      const s = this.deps.shadow;
      const shadowBatch = await scorePairs(event.detail, s.judge, { eventId: event.id, now });
      outgoing.push(...this.shadowEvents(shadowBatch, s.judge, s.role, s.runId, event));
    }
    await this.deps.publisher.publish(outgoing);
    // only now is every anomaly out: remember the verdicts for the window
    this.deps.cache?.setAll(batch.cacheUpdates);
    const s = this.stats;
    s.batches += 1;
    s.pairs += event.detail.pairs.length;
    s.anomalies += live ? batch.anomalies.length : 0;
    s.suppressed += batch.suppressed;
    s.unscored += batch.unscored.length;
    s.fromCache += batch.fromCache;
    s.shadowVerdicts += outgoing.filter((o) => o.detailType === 'ShadowVerdictsRecorded').length;
    this.deps.logger?.info(
      {
        batchId: event.detail.batchId,
        pairs: event.detail.pairs.length,
        anomalies: batch.anomalies.length,
        suppressed: batch.suppressed,
        fromCache: batch.fromCache,
        unscored: batch.unscored,
      },
      'scored batch',
    );
  }

  private async onModel(event: LakewatchEvent<'ModelPublished'>): Promise<void> {
    const version = event.detail.model.version;
    if (this.deps.publish === 'shadow') {
      this.deps.logger?.info({ version }, 'shadow run keeps its model; ModelPublished ignored');
      return;
    }
    if (version === this.judge.version || !this.deps.loadPublished) return;
    // load fully before swapping: a batch in flight finishes on the judge it started with
    const next = await this.deps.loadPublished(event.detail);
    const previous = this.judge.version;
    this.judge = next;
    this.deps.cache?.clear();
    this.stats.modelVersion = next.version;
    this.stats.modelSwaps += 1;
    this.deps.logger?.info(
      { previous, version: next.version, threshold: next.threshold },
      'model swapped',
    );
  }
}
