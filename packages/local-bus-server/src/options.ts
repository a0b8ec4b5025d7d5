import type { RoutingFile } from './routing-file.js';
import type { Credentials } from './sigv4.js';

/** How to run a local bus. */
export interface LocalBusOptions {
  /** Folder for the event log, dead letters, archives and the control plane (created if missing). */
  dataDir: string;
  /** TCP port; 0 picks a free one. @default 4010 */
  port?: number;
  /** Address to bind. @default '127.0.0.1' */
  host?: string;
  /** Account id in ARNs and events. @default '000000000000' */
  account?: string;
  /** Region in ARNs and events. @default 'us-east-1' */
  region?: string;
  /** When non-empty, every request must carry a valid SigV4 signature by one of these keys. @default [] */
  credentials?: Credentials[];
  /** Buses, rules, targets and archives to create or update at start. */
  routing?: RoutingFile;
  /** Target ARN → URL, for targets whose Arn is not an http(s) URL. @default {} */
  targetUrls?: Record<string, string>;
  /** First retry delay of a failed delivery, doubled per attempt (with jitter). @default 1000 */
  retryBaseDelayMs?: number;
  /** Longest retry delay. @default 60000 */
  retryMaxDelayMs?: number;
  /** Time a target has to answer one POST. @default 5000 */
  deliveryTimeoutMs?: number;
  /** Concurrent POSTs per target. @default 64 */
  maxInFlightPerTarget?: number;
  /** Event-log segment size before a new segment starts. @default 67108864 (64 MiB) */
  segmentBytes?: number;
  /** Largest request body accepted. @default 1048576 */
  maxRequestBytes?: number;
  /** How often archives are trimmed to their retention. @default 3600000 */
  retentionIntervalMs?: number;
  /** Operational messages (never secrets). @default writes to stderr */
  log?: (line: string) => void;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<Omit<LocalBusOptions, 'routing'>> &
  Pick<LocalBusOptions, 'routing'>;

/** Applies the documented defaults. */
export function resolveOptions(o: LocalBusOptions): ResolvedOptions {
  return {
    dataDir: o.dataDir,
    port: o.port ?? 4010,
    host: o.host ?? '127.0.0.1',
    account: o.account ?? '000000000000',
    region: o.region ?? 'us-east-1',
    credentials: o.credentials ?? [],
    ...(o.routing ? { routing: o.routing } : {}),
    targetUrls: o.targetUrls ?? {},
    retryBaseDelayMs: o.retryBaseDelayMs ?? 1000,
    retryMaxDelayMs: o.retryMaxDelayMs ?? 60_000,
    deliveryTimeoutMs: o.deliveryTimeoutMs ?? 5000,
    maxInFlightPerTarget: o.maxInFlightPerTarget ?? 64,
    segmentBytes: o.segmentBytes ?? 64 * 1024 * 1024,
    maxRequestBytes: o.maxRequestBytes ?? 1024 * 1024,
    retentionIntervalMs: o.retentionIntervalMs ?? 3_600_000,
    log: o.log ?? ((line) => process.stderr.write(`local-bus: ${line}\n`)),
  };
}
