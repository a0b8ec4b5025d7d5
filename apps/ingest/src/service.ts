import { EventBridgeBus } from '@lakewatch/eventbus';
import { createS3Client, type LakeStorage, openStorage, S3Storage } from '@lakewatch/lake';
import { ContractPublisher } from '@lakewatch/service-kit';
import type { Logger } from 'pino';
import type { IngestConfig } from './config.js';
import { type IngestDependencies, type IngestOutcome, ingestObject } from './ingest.js';
import { canonicalUri, createObjectOpener, type ObjectLocation, type S3Client } from './objects.js';

/**
 * The ingest service's wiring: lake, bus publisher and object opener built once from the
 * configuration; concurrent requests for the same object run one after the other (the
 * second then finds the first one's result and reports a duplicate).
 */
export class IngestService {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(readonly deps: IngestDependencies) {}

  /** Builds the service from its configuration (real S3 and EventBridge SDK clients). */
  static fromConfig(config: IngestConfig, logger?: Logger): IngestService {
    let s3: Promise<S3Client> | undefined;
    const s3Client = (): Promise<S3Client> => {
      s3 ??= createS3Client(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {});
      return s3;
    };
    const lake: LakeStorage = config.lake.startsWith('s3://')
      ? new S3Storage(config.lake, s3Client())
      : openStorage(config.lake);
    return new IngestService({
      lake,
      publisher: new ContractPublisher(new EventBridgeBus({ eventBusName: config.eventBusName })),
      open: createObjectOpener({ s3Client }),
      pairings: config.pairings,
      ...(config.format ? { format: config.format } : {}),
      ...(config.vpcFlowFormat ? { vpcFlowFormat: config.vpcFlowFormat } : {}),
      ...(config.lakeSource ? { source: config.lakeSource } : {}),
      batch: { maxPairs: config.maxPairsPerBatch, maxPairsBytes: config.maxBatchBytes },
      ...(logger ? { logger } : {}),
    });
  }

  /** Ingests one object (see {@link ingestObject}). */
  async ingest(location: ObjectLocation): Promise<IngestOutcome> {
    const key = canonicalUri(location.uri);
    const before = this.running.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(() => ingestObject(location, this.deps));
    this.running.set(key, run);
    try {
      return await run;
    } finally {
      if (this.running.get(key) === run) this.running.delete(key);
    }
  }
}
