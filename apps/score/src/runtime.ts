import { S3Client } from '@aws-sdk/client-s3';
import type { ModelPublishedV1 } from '@lakewatch/contracts';
import { EventBridgeBus } from '@lakewatch/eventbus';
import { loadModel } from '@lakewatch/ipinsights';
import { ContractPublisher } from '@lakewatch/service-kit';
import { SageMakerIpInsightsClient } from '@lakewatch/shared';
import type { Logger } from 'pino';
import type { ScoreConfig } from './config.js';
import { ModelLoadError } from './errors.js';
import { anomalyScorer, type Judge, loadEmbeddedJudge, localArtifact } from './judge.js';
import { ScoreService } from './service.js';
import { VerdictCache } from './verdict-cache.js';
import { FileVerdictCache } from './verdict-file.js';

async function sagemakerJudge(
  config: ScoreConfig,
  s3: S3Client,
  published?: ModelPublishedV1,
): Promise<Judge> {
  const endpoint = published?.model.endpoint ?? config.endpointName!;
  // the calibration (threshold, anomaly score) comes from the artifact when we have one
  const calibrationUri = published?.model.artifactUri ?? config.modelPath;
  const model = calibrationUri
    ? await loadModel(await localArtifact(calibrationUri, s3)).catch(() => undefined)
    : undefined;
  const threshold = config.threshold ?? published?.threshold ?? model?.threshold;
  if (threshold === undefined) throw new ModelLoadError(`no threshold for endpoint ${endpoint}`);
  return {
    version: published?.model.version ?? model?.version ?? endpoint,
    threshold,
    client: new SageMakerIpInsightsClient({ endpointName: endpoint }),
    endpoint,
    ...(calibrationUri !== undefined && { artifactUri: calibrationUri }),
    anomalyScore: anomalyScorer(model),
  };
}

/** Options of {@link createScoreService}. */
export interface CreateScoreServiceOptions {
  /**
   * A JSON-lines file keeping the verdict cache across restarts (the local process passes
   * `SCORE_STATE_DIR/verdicts.jsonl`). Without it (Lambda) the cache lives in memory.
   * Used only in live mode with the cache on.
   */
  verdictFile?: string;
}

function verdictCache(
  config: ScoreConfig,
  judge: Judge,
  options: CreateScoreServiceOptions,
  logger?: Logger,
): VerdictCache {
  const ttlMs = config.cacheTtlSeconds * 1000;
  const maxPairs = config.cacheMaxPairs;
  const file = options.verdictFile;
  if (file === undefined || config.publish !== 'live' || ttlMs === 0 || maxPairs === 0)
    return new VerdictCache(ttlMs, maxPairs);
  // a restart may come with another model or threshold: its keys could never match again
  const prefix = VerdictCache.prefix(judge.version, judge.threshold);
  const cache = new FileVerdictCache(file, {
    ttlMs,
    maxPairs,
    keep: (key) => key.startsWith(prefix),
    onWriteError: (err) =>
      logger?.warn({ err, path: file }, 'verdict cache: write failed; verdict kept in memory only'),
  });
  const found = { path: file, ...cache.loaded };
  if (found.corrupt > 0)
    logger?.warn(found, `verdict cache: skipped ${found.corrupt} corrupt line(s)`);
  else logger?.info(found, 'verdict cache loaded');
  return cache;
}

/**
 * Builds the score service from its configuration: the judge (embedded model or SageMaker
 * endpoint), an optional shadow judge, the bus publisher and the verdict cache (in memory,
 * or kept in `options.verdictFile`).
 */
export async function createScoreService(
  config: ScoreConfig,
  logger?: Logger,
  options: CreateScoreServiceOptions = {},
): Promise<ScoreService> {
  const s3 = new S3Client({});
  const judge =
    config.mode === 'embedded'
      ? await loadEmbeddedJudge(config.modelPath!, {
          ...(config.threshold !== undefined && { threshold: config.threshold }),
          s3,
        })
      : await sagemakerJudge(config, s3);
  const shadow = config.shadow
    ? {
        judge: await loadEmbeddedJudge(config.shadow.modelPath, {
          ...(config.shadow.threshold !== undefined && { threshold: config.shadow.threshold }),
          s3,
        }),
        role: config.shadow.role,
        runId: config.shadow.runId,
      }
    : undefined;
  const publisher = new ContractPublisher(
    new EventBridgeBus(
      config.eventBusName !== undefined ? { eventBusName: config.eventBusName } : {},
    ),
  );
  return new ScoreService({
    publish: config.publish,
    judge,
    role: config.role,
    runId: config.runId,
    ...(shadow && { shadow }),
    publisher,
    cache: verdictCache(config, judge, options, logger),
    loadPublished: (detail) =>
      config.mode === 'embedded'
        ? loadEmbeddedJudge(detail.model.artifactUri, {
            sha256: detail.model.sha256,
            threshold: config.threshold ?? detail.threshold,
            s3,
          })
        : sagemakerJudge(config, s3, detail),
    ...(logger && { logger }),
  });
}
