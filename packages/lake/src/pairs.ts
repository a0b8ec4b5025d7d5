import { LakeQueryError } from './errors.js';
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

function timestamp(value: Date | string, what: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new LakeQueryError(`${what} is not a date/time: '${String(value)}'`);
  return `TIMESTAMP '${d.toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/**
 * The training-pair query: the blog's
 * `SELECT DISTINCT src_endpoint.instance_uid, src_endpoint.ip FROM … WHERE … IS NOT NULL
 * AND time_dt BETWEEN …`, with the entity, IP, class, time range and counting chosen.
 * Rows are ordered so the output is reproducible.
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
  if (options.from !== undefined && options.to !== undefined)
    where.push(
      `time_dt BETWEEN ${timestamp(options.from, 'from')} AND ${timestamp(options.to, 'to')}`,
    );
  else if (options.from !== undefined) where.push(`time_dt >= ${timestamp(options.from, 'from')}`);
  else if (options.to !== undefined) where.push(`time_dt <= ${timestamp(options.to, 'to')}`);
  const from = table
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
  if (options.counts)
    return `SELECT ${entity} AS entity, ${ip} AS ip, count(*) AS events FROM ${from} WHERE ${where.join(' AND ')} GROUP BY ALL ORDER BY 1, 2`;
  return `SELECT DISTINCT ${entity} AS entity, ${ip} AS ip FROM ${from} WHERE ${where.join(' AND ')} ORDER BY 1, 2`;
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
