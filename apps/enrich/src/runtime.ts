import { EventBridgeBus } from '@lakewatch/eventbus';
import { GeoAsnDatabase, GuardDutyIntel, ReputationFeeds } from '@lakewatch/intel';
import { ContractPublisher } from '@lakewatch/service-kit';
import type { Logger } from 'pino';
import type { EnrichConfig } from './config.js';
import { EnrichService } from './service.js';

/** Builds the enrich service from its configuration: feeds, ASN/country tables, GuardDuty, publisher. */
export async function createEnrichService(
  config: EnrichConfig,
  logger?: Logger,
): Promise<EnrichService> {
  const [feeds, geo] = await Promise.all([
    config.feeds.length > 0
      ? ReputationFeeds.load(config.feeds, {
          reloadIntervalMs: config.feedReloadMs,
          onLoad: (s) =>
            logger?.info(
              {
                feeds: s.feeds,
                malformed: s.malformed.length,
                firstMalformed: s.malformed.slice(0, 5),
              },
              'reputation feeds loaded',
            ),
        })
      : undefined,
    config.geo ? GeoAsnDatabase.load() : undefined,
  ]);
  return new EnrichService({
    publisher: new ContractPublisher(
      new EventBridgeBus(
        config.eventBusName !== undefined ? { eventBusName: config.eventBusName } : {},
      ),
    ),
    ...(config.guardDuty && {
      guardDuty: new GuardDutyIntel({
        cacheTtlMs: config.guardDutyCacheTtlSeconds * 1000,
        ...(config.guardDutyDetectorId !== undefined && { detectorId: config.guardDutyDetectorId }),
      }),
    }),
    ...(feeds && { feeds }),
    ...(geo && { geo }),
    assets: config.assets,
    ...(logger && { logger }),
  });
}
