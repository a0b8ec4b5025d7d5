import { LakeQueryError } from './errors.js';
import { eventDay } from './layout.js';
import type { LakeQuery } from './query.js';

/** Short names for the entity column of training pairs. */
export const ENTITY_COLUMNS: Readonly<Record<string, string>> = {
  instance: 'src_endpoint.instance_uid',
  'src-instance': 'src_endpoint.instance_uid',
  'dst-instance': 'dst_endpoint.instance_uid',
  account: 'cloud.account.uid',
  user: 'actor.user.name',
  hostname: 'src_endpoint.hostname',
  'dst-hostname': 'dst_endpoint.hostname',
  query: 'query.hostname',
};

/** Short names for the IP column of training pairs. */
export const IP_COLUMNS: Readonly<Record<string, string>> = {
  src: 'src_endpoint.ip',
  dst: 'dst_endpoint.ip',
};

/** Options of {@link pairsSql}: the blog's training query, generalized. */
export interface PairsOptions {
  /**
   * Table (view) to read: a source (`vpc_flow`), a class (`network_activity`), a Security
   * Lake name.
   * @default 'network_activity'
   */
  table?: string;
  /**
   * Entity column: a name of {@link ENTITY_COLUMNS} or a dotted column path.
   * @default 'src_endpoint.instance_uid'
   */
  entity?: string;
  /**
   * IP column: `src`, `dst` or a dotted column path.
   * @default 'src_endpoint.ip'
   */
  ip?: string;
  /** Only records of this OCSF class. @default every class of the table */
  classUid?: number;
  /** Only events at or after this time (`time_dt`, UTC). @default no lower bound */
  from?: Date | string;
  /** Only events at or before this time. @default no upper bound */
  to?: Date | string;
  /**
   * With `from`/`to`, also bound the `eventday` partition column (`YYYYMMDD`) to the UTC days
   * they cover, so that Athena (Security Lake's Glue tables, partitioned by `region`,
   * `accountid`, `eventday`) and DuckDB (the lake's hive-partitioned views) read only those
   * days' objects; the exact bounds stay on `time_dt`. Turn off for a table without that
   * partition column.
   * @default true
   */
  partitionFilter?: boolean;
  /** Only these `region` partitions (e.g. `us-east-1`). @default every region */
  regions?: readonly string[];
  /** Only these `accountid` partitions (account ids). @default every account */
  accounts?: readonly string[];
  /**
   * A third column with the number of events per pair instead of distinct pairs.
   * @default false
   */
  counts?: boolean;
}

const PATH = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const TABLE = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function column(value: string, aliases: Readonly<Record<string, string>>, what: string): string {
  const path = aliases[value] ?? value;
  if (!PATH.test(path))
    throw new LakeQueryError(
      `${what} must be one of ${Object.keys(aliases).join(', ')} or a dotted column path like src_endpoint.ip, got '${value}'`,
    );
  return path
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
}

function date(value: Date | string, what: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new LakeQueryError(`${what} is not a date/time: '${String(value)}'`);
  return d;
}

function timestamp(d: Date): string {
  return `TIMESTAMP '${d.toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/** A bound on a column: `BETWEEN`, `>=` or `<=` for the bounds given. */
function range(column: string, from: string | undefined, to: string | undefined): string[] {
  if (from !== undefined && to !== undefined) return [`${column} BETWEEN ${from} AND ${to}`];
  if (from !== undefined) return [`${column} >= ${from}`];
  if (to !== undefined) return [`${column} <= ${to}`];
  return [];
}

const PARTITION_VALUE = /^[A-Za-z0-9._-]{1,128}$/;

function partitionIn(
  column: string,
  values: readonly string[] | undefined,
  what: string,
  example: string,
): string[] {
  if (values === undefined) return [];
  const bad = values.length === 0 ? '' : values.find((v) => !PARTITION_VALUE.test(v));
  if (bad !== undefined)
    throw new LakeQueryError(
      `${what} must be partition values like ${example} (letters, digits, '.', '_', '-'), got '${bad}'`,
    );
  return [`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`];
}

/**
 * The training-pair query: the blog's
 * `SELECT DISTINCT src_endpoint.instance_uid, src_endpoint.ip FROM … WHERE … IS NOT NULL
 * AND time_dt BETWEEN …`, with the entity, IP, class, time range and counting chosen.
 * A time range also bounds the `eventday` partition (unless `partitionFilter: false`), so
 * that only its days are read. Rows are ordered so the output is reproducible.
 * @example
 * pairsSql({ table: 'vpc_flow', from: '2024-05-01T00:00:00Z', to: '2024-05-08T00:00:00Z' })
 * // … WHERE … AND eventday BETWEEN '20240501' AND '20240508'
 * //   AND time_dt BETWEEN TIMESTAMP '2024-05-01 00:00:00.000' AND TIMESTAMP '2024-05-08 00:00:00.000' …
 */
export function pairsSql(options: PairsOptions = {}): string {
  const table = options.table ?? 'network_activity';
  if (!TABLE.test(table))
    throw new LakeQueryError(`table must be a table name like vpc_flow, got '${table}'`);
  const entity = column(options.entity ?? 'src_endpoint.instance_uid', ENTITY_COLUMNS, 'entity');
  const ip = column(options.ip ?? 'src_endpoint.ip', IP_COLUMNS, 'ip');
  const where = [`${ip} IS NOT NULL`, `${entity} IS NOT NULL`];
  if (options.classUid !== undefined) {
    if (!Number.isInteger(options.classUid) || options.classUid <= 0)
      throw new LakeQueryError(`class must be an OCSF class_uid, got '${options.classUid}'`);
    where.push(`class_uid = ${options.classUid}`);
  }
  where.push(...partitionIn('region', options.regions, 'regions', 'us-east-1'));
  where.push(...partitionIn('accountid', options.accounts, 'accounts', '123456789012'));
  const from = options.from === undefined ? undefined : date(options.from, 'from');
  const to = options.to === undefined ? undefined : date(options.to, 'to');
  // Partition columns unquoted: Glue names them in lower case, the lake's hive paths
  // `accountId`/`eventDay`, and DuckDB matches names case-insensitively.
  if (options.partitionFilter !== false) {
    const day = (d: Date | undefined) => (d ? `'${eventDay(d.getTime())}'` : undefined);
    where.push(...range('eventday', day(from), day(to)));
  }
  where.push(...range('time_dt', from && timestamp(from), to && timestamp(to)));
  const source = table
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
  if (options.counts)
    return `SELECT ${entity} AS entity, ${ip} AS ip, count(*) AS events FROM ${source} WHERE ${where.join(' AND ')} GROUP BY ALL ORDER BY 1, 2`;
  return `SELECT DISTINCT ${entity} AS entity, ${ip} AS ip FROM ${source} WHERE ${where.join(' AND ')} ORDER BY 1, 2`;
}

/**
 * Writes the IP Insights training CSV (headerless `entity,ip`, or `entity,ip,events` with
 * `counts`) to a local file; returns the number of rows.
 */
export async function writePairsCsv(
  lake: LakeQuery,
  path: string,
  options: PairsOptions = {},
): Promise<number> {
  const table = options.table ?? 'network_activity';
  if (!lake.hasTable(table))
    throw new LakeQueryError(
      `the lake has no table '${table}'; it has: ${lake.tables.map((t) => t.name).join(', ') || 'none (the lake is empty)'}`,
    );
  return lake.copyToCsv(pairsSql(options), path);
}
