import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlIdent, sqlString } from './duckdb.js';
import { REJECT_COLUMNS } from './rejects.js';
import { classTable } from './schema/ocsf-columns.js';
import type { LakeStorage } from './storage/types.js';

/** A table (view) the lake exposes to SQL. */
export interface LakeTable {
  /** Name to use in SQL, possibly schema-qualified. */
  name: string;
  /** `source` (ext/<source>), `class` (all sources of an OCSF class), `security-lake` (Security Lake's Glue names), `rejects`. */
  kind: 'source' | 'class' | 'security-lake' | 'rejects';
  /** Objects the view reads. */
  objects: number;
}

interface DataFile {
  source: string;
  classUid: number;
  region: string;
  path: string;
}

const DATA_KEY =
  /^ext\/([a-z][a-z0-9_]*)\/region=([^/]+)\/accountId=[^/]+\/eventDay=\d{8}\/[^/]+\.(\d+)\.zstd\.parquet$/;
const REJECT_KEY = /^rejects\/[^/]+\/[^/]+\.jsonl\.gz$/;

/**
 * Makes the lake's objects readable from a local folder: the folder itself for a local lake;
 * for S3, a staging copy (DuckDB's httpfs extension cannot be installed here), refreshed by
 * downloading the objects that are missing or changed in size.
 */
export async function stageLake(
  storage: LakeStorage,
  stagingDirectory?: string,
): Promise<{ root: string; keys: string[] }> {
  const objects = [...(await storage.list('ext/')), ...(await storage.list('rejects/'))];
  const keys = objects.map((o) => o.key);
  if (storage.localRoot) return { root: storage.localRoot, keys };
  const root =
    stagingDirectory ??
    join(
      tmpdir(),
      `lakewatch-stage-${createHash('sha256').update(storage.uri).digest('hex').slice(0, 16)}`,
    );
  for (const o of objects) {
    const path = join(root, ...o.key.split('/'));
    const have = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (have !== o.size) await storage.download(o.key, path);
  }
  return { root, keys };
}

function parquetView(name: string, files: readonly string[]): string {
  return `CREATE OR REPLACE VIEW ${name} AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`;
}

/**
 * The SQL that creates the lake's views over the staged objects: one per source
 * (`vpc_flow`, `route53`, …), one per OCSF class (`network_activity`, `dns_activity`, …),
 * Security Lake's Glue names (`amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_vpc_flow_2_0`)
 * and `rejects`. Only tables that have objects are created.
 */
export function catalogSql(
  root: string,
  keys: readonly string[],
): { statements: string[]; tables: LakeTable[] } {
  const files: DataFile[] = [];
  const rejects: string[] = [];
  for (const key of keys) {
    const m = DATA_KEY.exec(key);
    const path = `${root}/${key}`;
    if (m?.[1] && m[2] && m[3])
      files.push({ source: m[1], region: m[2], classUid: Number(m[3]), path });
    else if (REJECT_KEY.test(key)) rejects.push(path);
  }
  const statements: string[] = [];
  const tables: LakeTable[] = [];
  const group = (by: (f: DataFile) => string): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const f of files) {
      const k = by(f);
      m.set(k, [...(m.get(k) ?? []), f.path]);
    }
    return m;
  };
  const byClass = group((f) => classTable(f.classUid));
  for (const [table, paths] of byClass) {
    statements.push(parquetView(sqlIdent(table), paths));
    tables.push({ name: table, kind: 'class', objects: paths.length });
  }
  const bySource = group((f) => f.source);
  for (const [source, paths] of bySource) {
    if (byClass.has(source)) continue;
    statements.push(parquetView(sqlIdent(source), paths));
    tables.push({ name: source, kind: 'source', objects: paths.length });
  }
  const regions = new Set(files.map((f) => f.region.replace(/[^A-Za-z0-9]/g, '_').toLowerCase()));
  for (const region of regions) {
    const schema = `amazon_security_lake_glue_db_${region}`;
    statements.push(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(schema)}`);
    for (const [source, paths] of bySource) {
      const table = `amazon_security_lake_table_${region}_${source}_2_0`;
      statements.push(parquetView(`${sqlIdent(schema)}.${sqlIdent(table)}`, paths));
      tables.push({ name: `${schema}.${table}`, kind: 'security-lake', objects: paths.length });
    }
  }
  if (rejects.length > 0) {
    const columns = `{${Object.entries(REJECT_COLUMNS)
      .map(([k, v]) => `'${k}': '${v}'`)
      .join(', ')}}`;
    statements.push(
      `CREATE OR REPLACE VIEW rejects AS SELECT * FROM read_json([${rejects.map(sqlString).join(', ')}], format = 'newline_delimited', columns = ${columns})`,
    );
    tables.push({ name: 'rejects', kind: 'rejects', objects: rejects.length });
  }
  return { statements, tables };
}
