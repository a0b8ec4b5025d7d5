import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { LakeRecord } from '../src/index.js';

/** Folder of the fixtures. */
export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Reads a Parquet file with hyparquet (an implementation independent of DuckDB). */
export async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const b = await readFile(path);
  const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
  return (await parquetReadObjects({ file, compressors })) as Record<string, unknown>[];
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  // Not `instanceof`: hyparquet's Dates may come from another realm under the test runner.
  if (Object.prototype.toString.call(value) === '[object Date]')
    return (value as Date).toISOString();
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // Some writers' LIST layout surfaces as { array: [...] } in hyparquet.
    if (Object.keys(o).length === 1 && Array.isArray(o.array)) return plain(o.array);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      const p = plain(v);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  return value;
}

/**
 * The rows of a Security Lake sample as plain OCSF records (as the parsers produce them:
 * numbers for BIGINT, ISO 8601 text for `*_dt`, absent instead of null).
 */
export async function sampleRecords(name: string): Promise<LakeRecord[]> {
  const rows = await readParquet(join(FIXTURES, 'security-lake', name));
  return rows.map((r) => {
    const p = plain(r) as Record<string, unknown>;
    for (const k of ['accountid', 'region', 'asl_version']) delete p[k];
    return p;
  });
}

/** A fresh temporary folder, and how to remove it. */
export async function tempDir(
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `lakewatch-lake-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A realistic VPC flow OCSF record as the VPC flow parser produces it. */
export function vpcFlowRecord(i: number, overrides: Record<string, unknown> = {}): LakeRecord {
  const time = 1_700_000_000_000 + ((i * 7919) % 86_400_000);
  return {
    metadata: {
      uid: `flow-${i}`,
      product: {
        name: 'Amazon VPC',
        vendor_name: 'AWS',
        feature: { name: 'Flowlogs' },
        version: '5',
      },
      profiles: ['cloud', 'security_control', 'datetime'],
      version: '1.1.0',
    },
    cloud: {
      provider: 'AWS',
      account: { uid: '123456789012' },
      region: 'us-east-1',
      zone: 'use1-az1',
    },
    src_endpoint: {
      port: 40000 + (i % 20000),
      ip: `10.0.${i % 4}.${(i % 50) + 10}`,
      instance_uid: `i-0${(i % 5).toString().padStart(16, '0')}`,
      interface_uid: `eni-0${(i % 5).toString().padStart(16, '0')}`,
      vpc_uid: 'vpc-0a1b2c3d',
      subnet_uid: 'subnet-0a1b2c3d',
    },
    dst_endpoint: { port: 443, ip: `52.94.${i % 8}.${i % 200}` },
    connection_info: {
      protocol_num: 6,
      tcp_flags: 19,
      protocol_ver: 'IPv4',
      boundary_id: 99,
      direction_id: 2,
      direction: 'Outbound',
    },
    traffic: { packets: 10 + (i % 7), bytes: 1500 + i },
    time,
    start_time: time,
    end_time: time + 60_000,
    status_code: 'OK',
    severity_id: 1,
    severity: 'Informational',
    class_name: 'Network Activity',
    class_uid: 4001,
    category_name: 'Network Activity',
    category_uid: 4,
    activity_id: 6,
    activity_name: 'Traffic',
    type_uid: 400106,
    type_name: 'Network Activity: Traffic',
    action_id: 1,
    action: 'Allowed',
    disposition_id: 1,
    disposition: 'Allowed',
    ...overrides,
  };
}
