import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { parseAll } from './helpers.js';

/** A Parquet object with flat columns and JSON-typed columns for the nested objects. */
function ocsfParquet(rows: Record<string, unknown>[], rowGroupSize = 2): Uint8Array {
  const column = (name: string, type: 'INT32' | 'INT64' | 'STRING' | 'JSON') => ({
    name,
    type,
    data: rows.map((r) => {
      const v = r[name];
      if (v === undefined) return null;
      return type === 'INT64' ? BigInt(v as number) : v;
    }),
  });
  const buffer = parquetWriteBuffer({
    columnData: [
      column('class_uid', 'INT32'),
      column('category_uid', 'INT32'),
      column('activity_id', 'INT32'),
      column('type_uid', 'INT64'),
      column('severity_id', 'INT32'),
      column('time', 'INT64'),
      column('status', 'STRING'),
      column('metadata', 'JSON'),
      column('cloud', 'JSON'),
      column('user', 'JSON'),
    ],
    rowGroupSize,
  });
  return new Uint8Array(buffer);
}

const authentication = (i: number) => ({
  class_uid: 3002,
  category_uid: 3,
  activity_id: 1,
  type_uid: 300201,
  severity_id: 1,
  time: 1_700_000_000_000 + i,
  status: 'Success',
  metadata: { version: '1.0.0-rc.2', product: { name: 'CloudTrail', vendor_name: 'AWS' } },
  cloud: { provider: 'AWS', account_uid: '123456789012', region: 'us-east-1' },
  user: { name: `alice${i}`, type: 'IAMUser' },
});

describe('Function: parseLogObject (Security Lake Parquet, any class)', () => {
  it('passes an OCSF class without a generated schema through, upgraded to 1.1.0', async () => {
    // Prepare
    const data = ocsfParquet([0, 1, 2, 3, 4].map(authentication));
    // Act
    const { records, summary } = await parseAll(data, {
      sourceUri: 's3://lake/cloudtrail.parquet',
    });
    // Assess
    expect(summary).toMatchObject({
      format: 'security-lake-parquet',
      formatDetail: 'ocsf parquet 1.0.0-rc.2',
      read: 5,
      normalized: 5,
      changes: { 'cloud.account_uid→cloud.account.uid': 5, 'version 1.0.0-rc.2→1.1.0': 5 },
    });
    expect(records[4]).toMatchObject({
      class_uid: 3002,
      time: 1_700_000_000_004,
      type_uid: 300201,
      user: { name: 'alice4' },
      cloud: { account: { uid: '123456789012' } },
      metadata: { version: '1.1.0' },
    });
    expect(new Set(records.map((r) => r.metadata.uid)).size).toBe(5);
  });

  it('rejects rows without class_uid or time by row number, across row groups', async () => {
    // Prepare
    const rows = [0, 1, 2, 3, 4].map(authentication) as Record<string, unknown>[];
    delete rows[1]!.time;
    delete rows[3]!.class_uid;
    // Act
    const { rejects, summary } = await parseAll(ocsfParquet(rows));
    // Assess
    expect(summary).toMatchObject({ read: 5, normalized: 3, rejected: 2 });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'missing-time'],
      [4, 'missing-class'],
    ]);
  });

  it('reports a file that is not Parquet after the magic as unreadable', async () => {
    await expect(parseAll(Buffer.from('PAR1 but nothing else'))).rejects.toThrow(
      /not a readable Parquet file/,
    );
  });
});
