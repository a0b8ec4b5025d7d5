/**
 * The shape every normalized OCSF 1.1.0 event shares, whatever its class. Class-specific
 * types (`NetworkActivity`, `DnsActivity`, `DetectionFinding`) are generated from the schema
 * in `./generated/`; parsers produce plain objects of this shape.
 */
export interface OcsfRecord {
  /** OCSF class, e.g. 4001 Network Activity. */
  class_uid: number;
  /** Category of the class, e.g. 4 Network Activity. */
  category_uid: number;
  /** Activity within the class. */
  activity_id: number;
  /** `class_uid * 100 + activity_id`. */
  type_uid: number;
  /** Event time, milliseconds since the Unix epoch. */
  time: number;
  severity_id: number;
  metadata: OcsfMetadata;
  cloud?: OcsfCloud;
  /** Attributes of the source that have no place in the class. */
  unmapped?: Record<string, unknown>;
  [attribute: string]: unknown;
}

/** The `metadata` object as Lakewatch fills it. */
export interface OcsfMetadata {
  /** Unique, stable id of the event (derived from source object and line for parsed logs). */
  uid?: string;
  /** The OCSF schema version, `"1.1.0"` after normalization. */
  version: string;
  product: { name?: string; vendor_name?: string; version?: string; [k: string]: unknown };
  profiles?: string[];
  [attribute: string]: unknown;
}

/** The `cloud` object: provider, region and account. */
export interface OcsfCloud {
  provider: string;
  region?: string;
  account?: { uid?: string; type?: string; type_id?: number; [k: string]: unknown };
  zone?: string;
  [attribute: string]: unknown;
}
