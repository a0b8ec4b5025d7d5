import { InvalidOptionError } from './errors.js';

/** The incident kinds the simulator can inject. */
export const INCIDENT_KINDS = [
  'port-scan',
  'lateral-movement',
  'unknown-subnet',
  'exfiltration',
  'dns-from-silent-instance',
  'ssh-brute-force',
] as const;

/** One injectable incident kind; see {@link INCIDENT_KINDS}. */
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Named environment sizes: instance count, accounts, VPCs. */
export const SCALES = {
  small: { instances: 16, accounts: 1, vpcs: 1 },
  medium: { instances: 48, accounts: 2, vpcs: 2 },
  large: { instances: 160, accounts: 3, vpcs: 4 },
} as const;

/** A named scale; see {@link SCALES}. */
export type ScaleName = keyof typeof SCALES;

/** Options of the simulation. */
export interface SimulateOptions {
  /**
   * Seed of every random choice: the same seed and options give byte-identical output.
   * @default 'lakewatch'
   */
  seed?: string | number;
  /**
   * Days of normal history before the live window (fractions allowed; rounded to whole objects).
   * @default 7
   */
  days?: number;
  /**
   * Size of the environment: a named scale or a number of EC2 instances (5–5000).
   * @default 'small'
   */
  scale?: ScaleName | number;
  /**
   * Minutes of the live window that follows the history (normal traffic plus the incidents).
   * 0 puts the incidents into the last day of the history instead.
   * @default 60
   */
  liveMinutes?: number;
  /**
   * Incidents to inject: `'all'`, `'none'`, or a list of kinds.
   * @default 'all'
   */
  incidents?: 'all' | 'none' | readonly IncidentKind[];
  /**
   * Start of the history (UTC, ISO 8601), aligned down to the object interval.
   * @default '2026-11-02T00:00:00Z' (a Monday)
   */
  start?: string;
  /**
   * Minutes per log object, as AWS delivers them (5 or 10).
   * @default 10
   */
  objectMinutes?: 5 | 10;
  /**
   * AWS region of the environment.
   * @default 'us-east-1'
   */
  region?: string;
  /**
   * Traffic volume multiplier (1 = the calibrated default of a few hundred flow records per
   * instance and day at peak hours).
   * @default 1
   */
  intensity?: number;
  /**
   * zlib level of the gzip objects (1 fastest … 9 smallest).
   * @default 6
   */
  gzipLevel?: number;
}

/** {@link SimulateOptions} with every default applied and checked. */
export interface ResolvedOptions {
  seed: string;
  days: number;
  scale: ScaleName | number;
  instances: number;
  accounts: number;
  vpcs: number;
  liveMinutes: number;
  incidents: IncidentKind[];
  start: number;
  objectMinutes: 5 | 10;
  region: string;
  intensity: number;
  gzipLevel: number;
}

/** Applies defaults and validates; throws {@link InvalidOptionError} naming the bad option. */
export function resolveOptions(options: SimulateOptions = {}): ResolvedOptions {
  const seed = String(options.seed ?? 'lakewatch');
  const days = options.days ?? 7;
  if (typeof days !== 'number' || !Number.isFinite(days) || days < 0 || days > 366)
    throw new InvalidOptionError('days', days, 'must be a number from 0 to 366');
  const objectMinutes = options.objectMinutes ?? 10;
  if (objectMinutes !== 5 && objectMinutes !== 10)
    throw new InvalidOptionError('objectMinutes', objectMinutes, 'must be 5 or 10');
  const liveMinutes = options.liveMinutes ?? 60;
  if (!Number.isInteger(liveMinutes) || liveMinutes < 0 || liveMinutes > 7 * 24 * 60)
    throw new InvalidOptionError(
      'liveMinutes',
      liveMinutes,
      'must be a whole number from 0 to 10080',
    );
  const scale = options.scale ?? 'small';
  let size: { instances: number; accounts: number; vpcs: number };
  if (typeof scale === 'number') {
    if (!Number.isInteger(scale) || scale < 5 || scale > 5000)
      throw new InvalidOptionError(
        'scale',
        scale,
        "must be 'small', 'medium', 'large' or 5–5000 instances",
      );
    size = {
      instances: scale,
      accounts: scale <= 24 ? 1 : scale <= 100 ? 2 : 3,
      vpcs: Math.max(1, Math.min(16, Math.round(scale / 30))),
    };
  } else if (Object.hasOwn(SCALES, scale)) size = SCALES[scale];
  else
    throw new InvalidOptionError(
      'scale',
      scale,
      "must be 'small', 'medium', 'large' or 5–5000 instances",
    );
  if (size.vpcs < size.accounts) size = { ...size, vpcs: size.accounts };
  const incidents = resolveIncidents(options.incidents ?? 'all');
  const startText = options.start ?? '2026-11-02T00:00:00Z';
  const parsed = Date.parse(startText);
  if (!Number.isFinite(parsed))
    throw new InvalidOptionError('start', startText, 'must be an ISO 8601 time');
  const step = objectMinutes * 60_000;
  const start = Math.floor(parsed / step) * step;
  if (days * 24 * 60 + liveMinutes < objectMinutes)
    throw new InvalidOptionError(
      'days',
      days,
      `with liveMinutes ${liveMinutes} must cover at least one ${objectMinutes}-minute object`,
    );
  if (incidents.length > 0 && liveMinutes === 0 && days < 1)
    throw new InvalidOptionError(
      'days',
      days,
      'must be at least 1 when incidents go into the history (liveMinutes 0)',
    );
  const region = options.region ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new InvalidOptionError('region', region, 'must be an AWS region name like us-east-1');
  const intensity = options.intensity ?? 1;
  if (!(intensity > 0 && intensity <= 100))
    throw new InvalidOptionError(
      'intensity',
      intensity,
      'must be a number above 0 and at most 100',
    );
  const gzipLevel = options.gzipLevel ?? 6;
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9)
    throw new InvalidOptionError('gzipLevel', gzipLevel, 'must be a whole number from 1 to 9');
  return {
    seed,
    days,
    scale,
    ...size,
    liveMinutes,
    incidents,
    start,
    objectMinutes,
    region,
    intensity,
    gzipLevel,
  };
}

/** Parses the `incidents` option (also the CLI's comma-separated form). */
export function resolveIncidents(value: string | readonly string[]): IncidentKind[] {
  if (value === 'all') return [...INCIDENT_KINDS];
  if (value === 'none' || value === '') return [];
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  const out: IncidentKind[] = [];
  for (const kind of list) {
    if (!(INCIDENT_KINDS as readonly string[]).includes(kind))
      throw new InvalidOptionError(
        'incidents',
        kind,
        `must be 'all', 'none' or kinds from ${INCIDENT_KINDS.join(', ')}`,
      );
    if (!out.includes(kind as IncidentKind)) out.push(kind as IncidentKind);
  }
  return out;
}
