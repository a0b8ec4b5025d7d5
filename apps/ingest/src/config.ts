import {
  ConfigError,
  type Env,
  integer,
  oneOf,
  optionalString,
  requiredString,
} from '@lakewatch/service-kit';
import { INPUT_FORMATS, type InputFormat } from '@lakewatch/sources';
import { IngestError } from './errors.js';
import { type Pairing, parsePairings } from './pairing.js';

/** The ingest service's configuration; every variable is described in the README. */
export interface IngestConfig {
  /** `INGEST_LAKE` (required): the lake, a folder or `s3://bucket/prefix`. */
  lake: string;
  /** `INGEST_PAIRING`: comma-separated strategies. @default ['peer'] */
  pairings: Pairing[];
  /** `INGEST_FORMAT`: force one input format. @default detected per object */
  format?: InputFormat;
  /** `INGEST_VPC_FLOW_FORMAT`: VPC flow field list for objects without a header line. */
  vpcFlowFormat?: string;
  /** `INGEST_LAKE_SOURCE`: lake source (table) name for every record. @default the lake's */
  lakeSource?: string;
  /** `INGEST_MAX_PAIRS_PER_BATCH` (1–250). @default 250 */
  maxPairsPerBatch: number;
  /** `INGEST_MAX_BATCH_BYTES`: serialized pairs per event (4096–200000). @default 102400 */
  maxBatchBytes: number;
  /** `EVENT_BUS_NAME`: the bus events go to. @default 'lakewatch' */
  eventBusName: string;
  /**
   * `AWS_ENDPOINT_URL_S3`: an S3-compatible endpoint (path-style addressing), for local S3.
   * @default AWS S3
   */
  s3Endpoint?: string;
  /** `INGEST_LANDING_DIR`: a folder watched for new log files (local process only). */
  landingDir?: string;
  /** `INGEST_LANDING_POLL_MS`: how often the landing folder is scanned. @default 1000 */
  landingPollMs: number;
  /** `INGEST_LANDING_STABLE_MS`: a file is complete once unchanged this long. @default 2000 */
  landingStableMs: number;
  /** `PORT` (0 = a free port). @default 4011 */
  port: number;
  /** `HOST`. @default '127.0.0.1' */
  host: string;
  /** `LOG_LEVEL`. @default 'info' */
  logLevel: string;
}

/**
 * Reads the configuration from the environment. The only reader of `process.env`.
 * @throws ConfigError naming the missing or bad variable.
 */
export function readConfig(env: Env = process.env): IngestConfig {
  let pairings: Pairing[];
  try {
    pairings = parsePairings(optionalString(env, 'INGEST_PAIRING', 'peer'));
  } catch (e) {
    if (e instanceof IngestError) throw new ConfigError(`INGEST_PAIRING: ${e.message}`);
    throw e;
  }
  const format = optionalString(env, 'INGEST_FORMAT');
  const vpcFlowFormat = optionalString(env, 'INGEST_VPC_FLOW_FORMAT');
  const lakeSource = optionalString(env, 'INGEST_LAKE_SOURCE');
  const s3Endpoint =
    optionalString(env, 'AWS_ENDPOINT_URL_S3') ?? optionalString(env, 'AWS_ENDPOINT_URL');
  const landingDir = optionalString(env, 'INGEST_LANDING_DIR');
  return {
    lake: requiredString(env, 'INGEST_LAKE'),
    pairings,
    ...(format !== undefined
      ? { format: oneOf(env, 'INGEST_FORMAT', INPUT_FORMATS, 'aws-vpc-flow') }
      : {}),
    ...(vpcFlowFormat ? { vpcFlowFormat } : {}),
    ...(lakeSource ? { lakeSource } : {}),
    maxPairsPerBatch: integer(env, 'INGEST_MAX_PAIRS_PER_BATCH', {
      default: 250,
      min: 1,
      max: 250,
    }),
    maxBatchBytes: integer(env, 'INGEST_MAX_BATCH_BYTES', {
      default: 102_400,
      min: 4096,
      max: 200_000,
    }),
    eventBusName: optionalString(env, 'EVENT_BUS_NAME', 'lakewatch'),
    ...(s3Endpoint ? { s3Endpoint } : {}),
    ...(landingDir ? { landingDir } : {}),
    landingPollMs: integer(env, 'INGEST_LANDING_POLL_MS', { default: 1000, min: 50, max: 600_000 }),
    landingStableMs: integer(env, 'INGEST_LANDING_STABLE_MS', {
      default: 2000,
      min: 0,
      max: 3_600_000,
    }),
    port: integer(env, 'PORT', { default: 4011, min: 0, max: 65535 }),
    host: optionalString(env, 'HOST', '127.0.0.1'),
    logLevel: optionalString(env, 'LOG_LEVEL', 'info'),
  };
}
