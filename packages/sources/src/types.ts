import type { OcsfRecord } from '@lakewatch/shared';

/** Every input format the parsers read; equals `LogObjectIngested.format` in the contracts. */
export const INPUT_FORMATS = [
  'aws-vpc-flow',
  'aws-vpc-flow-cloudwatch',
  'aws-route53-resolver',
  'security-lake-parquet',
  'zeek-conn',
  'zeek-dns',
  'azure-nsg-flow',
  'azure-vnet-flow',
] as const;

/** An input format; see {@link INPUT_FORMATS}. */
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** One input record that could not be normalized, with where it was and why. */
export interface Reject {
  /** The object the record came from. */
  sourceUri: string;
  /** 1-based line (text inputs) or row (Parquet) of the record. */
  line: number;
  /** The offending field, when one field is to blame. */
  field?: string;
  /** The offending value (truncated to 200 characters). */
  value?: string;
  /** Kebab-case reason code, e.g. `bad-number`, `field-count`, `bad-json`. */
  reason: string;
  /** Human-readable explanation naming the problem. */
  message: string;
  /** The raw record (truncated to 2000 characters). */
  raw?: string;
}

/** A batch of parse results; records and rejects keep input order within their kind. */
export interface ParseBatch {
  records: OcsfRecord[];
  rejects: Reject[];
}

/** Options of {@link parseLogObject}. */
export interface ParseOptions {
  /** URI of the object being parsed (`s3://…`, `file://…` or a path): in rejects and `metadata.uid`. */
  sourceUri: string;
  /**
   * Input format; detected from the content when absent.
   * @default detected by {@link detectFormat}
   */
  format?: InputFormat;
  /**
   * VPC Flow Logs format string (`${version} ${account-id} …` or the bare field names,
   * space separated) for objects without a header line.
   * @default the header line when present, else the default v2 format
   */
  vpcFlowFormat?: string;
  /**
   * Largest number of records (plus rejects) per batch.
   * @default 256
   */
  batchSize?: number;
  /**
   * Fraction (0–1) of normalized records validated against their OCSF class; a record that
   * fails is rejected with reason `ocsf-invalid`.
   * @default 0
   */
  validateSampleRate?: number;
  /**
   * Cloud account and region to put on records whose source does not carry them.
   * @default none
   */
  cloud?: { accountUid?: string; region?: string };
}

/** What a parse read and produced; `read === normalized + rejected` always. */
export interface ParseSummary {
  format: InputFormat;
  /** e.g. `gzip`, `header v5`, `json`, `parquet`, `cloudwatch`, `ocsf 1.0.0-rc.2`. */
  formatDetail?: string;
  read: number;
  normalized: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Counts of changes made to records while normalizing (rc.2 conversion, quirk fixes). */
  changes?: Record<string, number>;
}

/** The result of {@link parseLogObject}: iterate the batches, then read the summary. */
export interface ParseResult extends AsyncIterable<ParseBatch> {
  /** The counts so far; final once iteration has finished. */
  summary(): ParseSummary;
}
