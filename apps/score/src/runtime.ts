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

/**
 * Builds the score service from its configuration: the judge (embedded model or SageMaker
 * endpoint), an optional shadow judge, the bus publisher and the verdict cache.
 */
export async function createScoreService(
  config: ScoreConfig,
  logger?: Logger,
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
    cache: new VerdictCache(config.cacheTtlSeconds * 1000, config.cacheMaxPairs),
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
