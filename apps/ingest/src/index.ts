// The public API of @lakewatch/ingest: the domain functions (the entries are handler.ts and server.ts).

export { type BatchOptions, batchIdOf, MAX_PAIRS_PER_BATCH, pairBatches } from './batching.js';
export { type IngestConfig, readConfig } from './config.js';
export { IngestError, ObjectReadError, TriggerError } from './errors.js';
export { type IngestDependencies, type IngestOutcome, ingestObject } from './ingest.js';
export { isInternalIp } from './ip.js';
export {
  FAILED_DIR,
  LandingWatcher,
  type LandingWatcherOptions,
  PROCESSED_DIR,
} from './landing.js';
export { logObjectIngested } from './log-object.js';
export {
  canonicalUri,
  createObjectOpener,
  normalizeEtag,
  type ObjectLocation,
  type ObjectOpener,
  type OpenedObject,
} from './objects.js';
export { type CollectedPairs, MAX_LISTED_PORTS, PairCollector } from './pair-collector.js';
export {
  type Observation,
  observe,
  PAIRINGS,
  type Pairing,
  pairingClass,
  parsePairings,
} from './pairing.js';
export { IngestService } from './service.js';
export { type IngestRecord, readRecord, recordKey } from './state.js';
export { objectsOfNotification } from './triggers.js';
export {
  createLambdaHandler,
  createSqsHandler,
  type Ingestor,
  ingestNotification,
  ingestRoutes,
} from './triggers-handlers.js';
