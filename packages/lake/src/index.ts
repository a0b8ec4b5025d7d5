// The public API of @lakewatch/lake.

export { catalogSql, type LakeTable, stageLake } from './catalog.js';
export { type DuckDb, type DuckDbOptions, openDuckDb } from './duckdb.js';
export { LakeError, LakeQueryError, LakeStorageError } from './errors.js';
export {
  type IngestBatchesOptions,
  type IngestBatchesResult,
  ingestBatches,
  type LakeBatch,
} from './ingest-batches.js';
export {
  dataObjectKey,
  defaultSourceOf,
  eventDay,
  ingestIdOf,
  manifestKey,
  type PartitionKey,
  partitionPrefix,
  rejectsObjectKey,
  UNKNOWN_PARTITION,
} from './layout.js';
export {
  type IngestManifest,
  listManifests,
  type ManifestObject,
  readManifest,
} from './manifest.js';
export { ENTITY_COLUMNS, IP_COLUMNS, type PairsOptions, pairsSql, writePairsCsv } from './pairs.js';
export { LakeQuery, type LakeQueryOptions, type QueryResult } from './query.js';
export { type LakeReject, REJECT_COLUMNS } from './rejects.js';
export { type CompiledSchema, compileSchema } from './schema/compile.js';
export {
  classSchema,
  classTable,
  DETECTION_FINDING_SCHEMA,
  DNS_ACTIVITY_SCHEMA,
  GENERIC_SCHEMA,
  NETWORK_ACTIVITY_SCHEMA,
} from './schema/ocsf-columns.js';
export type { ClassSchema, ColumnType, ScalarType, StructFields } from './schema/types.js';
export { LocalStorage } from './storage/local.js';
export { type OpenStorageOptions, openStorage } from './storage/open.js';
export { createS3Client, parseS3Uri, type S3ClientOptions, S3Storage } from './storage/s3.js';
export type { LakeStorage, StoredObject } from './storage/types.js';
export {
  LakeIngest,
  type LakeIngestOptions,
  type LakeIngestResult,
  type LakeRecord,
} from './writer.js';
