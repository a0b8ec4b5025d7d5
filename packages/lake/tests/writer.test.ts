import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LakeIngest, LakeQuery, LocalStorage, listManifests } from '../src/index.js';
import { readParquet, sampleRecords, tempDir, vpcFlowRecord } from './helpers.js';

let dir: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir('writer');
});
afterEach(async () => {
  await dir.remove();
});

describe('Class: LakeIngest', () => {
  it('writes Security Lake sample records in the Security Lake layout, one zstd Parquet per partition and class, sorted by time', async () => {
    // Prepare
    const storage = new LocalStorage(dir.path);
    const vpc = [
      ...(await sampleRecords('tests_vpc_flow-input0.test.parquet')),
      ...(await sampleRecords('tests_vpc_flow-input1.test.parquet')),
    ];
    const records = [...vpc].reverse();

    // Act
    const ingest = await LakeIngest.begin(storage, {
      sourceUri: 's3://b/vpc.log.gz',
      etag: '"e1"',
    });
    await ingest.add({ records });
    const { manifest, skipped } = await ingest.commit();

    // Assess
    expect(skipped).toBe(false);
    expect(manifest.records).toBe(records.length);
    const keys = (await storage.list('ext/')).map((o) => o.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      expect(key).toMatch(
        new RegExp(
          `^ext/vpc_flow/region=[a-z0-9-]+/accountId=\\d{12}/eventDay=\\d{8}/${manifest.ingestId}-\\d{4}\\.4001\\.zstd\\.parquet$`,
        ),
      );
    const lake = await LakeQuery.open(dir.path);
    const meta = await lake.query(
      `SELECT DISTINCT compression FROM parquet_metadata('${lake.root}/${keys[0]}')`,
    );
    expect(meta.rows).toEqual([['ZSTD']]);
    const rows = await readParquet(`${dir.path}/${keys[0]}`);
    const times = rows.map((r) => Number(r.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    lake.close();
  });

  it('keeps records with no usable time or class as rejects beside the data, with the reason', async () => {
    // Prepare
    const storage = new LocalStorage(dir.path);
    const good = [vpcFlowRecord(1), vpcFlowRecord(2)];
    const bad = [
      vpcFlowRecord(3, { time: 'yesterday' }),
      vpcFlowRecord(4, { class_uid: undefined }),
    ];

    // Act
    const ingest = await LakeIngest.begin(storage, { sourceUri: '/logs/a.log', etag: '1-2' });
    await ingest.add({
      records: [...good, ...bad],
      rejects: [
        {
          sourceUri: '/logs/a.log',
          line: 7,
          field: 'srcport',
          value: 'x',
          reason: 'bad-number',
          message: 'srcport must be a whole number',
        },
      ],
    });
    const { manifest } = await ingest.commit();

    // Assess
    expect(manifest.records).toBe(2);
    expect(manifest.rejected).toBe(3);
    expect(manifest.rejectedByReason).toEqual({
      'bad-number': 1,
      'lake-bad-time': 1,
      'lake-bad-class': 1,
    });
    const lake = await LakeQuery.open(dir.path);
    const r = await lake.query('SELECT reason, line, field, value FROM rejects ORDER BY reason');
    expect(r.rows).toEqual([
      ['bad-number', '7', 'srcport', 'x'],
      ['lake-bad-class', '0', 'class_uid', null],
      ['lake-bad-time', '0', 'time', 'yesterday'],
    ]);
    lake.close();
    expect((await listManifests(storage)).map((m) => m.ingestId)).toEqual([manifest.ingestId]);
  });

  it('writes no duplicate rows when the same object version is ingested twice, and replaces them with force', async () => {
    // Prepare
    const storage = new LocalStorage(dir.path);
    const records = Array.from({ length: 50 }, (_, i) => vpcFlowRecord(i));
    const once = async (force = false) => {
      const ingest = await LakeIngest.begin(storage, {
        sourceUri: 's3://b/k',
        etag: '"abc"',
        force,
      });
      if (!ingest.skipped) await ingest.add({ records });
      return ingest.commit();
    };

    // Act
    const first = await once();
    const second = await once();
    const forced = await once(true);

    // Assess
    expect(first.skipped).toBe(false);
    expect(second.skipped).toBe(true);
    expect(second.manifest).toEqual(first.manifest);
    expect(forced.skipped).toBe(false);
    const lake = await LakeQuery.open(dir.path);
    expect((await lake.query('SELECT count(*)::INT FROM vpc_flow')).rows).toEqual([[50]]);
    lake.close();
  });

  it('splits a large partition into several objects, each sorted by time, without losing a row', async () => {
    // Prepare
    const storage = new LocalStorage(dir.path);
    const records = Array.from({ length: 450 }, (_, i) =>
      vpcFlowRecord(i, { time: 1_700_000_000_000 + ((i * 7919) % 450) * 60_000 }),
    );

    // Act
    const ingest = await LakeIngest.begin(storage, {
      sourceUri: 'big',
      etag: '1',
      maxRowsPerObject: 100,
    });
    for (let i = 0; i < records.length; i += 50)
      await ingest.add({ records: records.slice(i, i + 50) });
    const { manifest } = await ingest.commit();

    // Assess
    // Checked after each batch of 50: an object holds up to 100 rows plus one batch.
    expect(manifest.objects.length).toBeGreaterThanOrEqual(4);
    expect(manifest.objects.every((o) => o.rows >= 50 && o.rows < 150)).toBe(true);
    expect(manifest.objects.reduce((n, o) => n + o.rows, 0)).toBe(450);
    for (const o of manifest.objects) {
      const times = (await readParquet(`${dir.path}/${o.key}`)).map((r) => Number(r.time));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    const lake = await LakeQuery.open(dir.path);
    const r = await lake.query('SELECT count(DISTINCT metadata.uid)::INT FROM network_activity');
    lake.close();
    expect(r.rows).toEqual([[450]]);
  });

  it('sorts by time with DuckDB when rows spilled under a small memory budget overlap in time', async () => {
    // Prepare
    const storage = new LocalStorage(dir.path);
    // A permutation of 300 minutes: hours out of order.
    const records = Array.from({ length: 300 }, (_, i) =>
      vpcFlowRecord(i, { time: 1_700_000_000_000 + ((i * 7919) % 300) * 60_000 }),
    );

    // Act
    const ingest = await LakeIngest.begin(storage, {
      sourceUri: 'spilled',
      etag: '1',
      maxBufferChars: 20_000,
    });
    for (let i = 0; i < records.length; i += 25)
      await ingest.add({ records: records.slice(i, i + 25) });
    const { manifest } = await ingest.commit();

    // Assess
    expect(manifest.records).toBe(300);
    for (const o of manifest.objects) {
      const times = (await readParquet(`${dir.path}/${o.key}`)).map((r) => Number(r.time));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('keeps values that are the same in every row, or repeat after a missing struct, and counts every bad one', async () => {
    // Prepare
    const storage = new LocalStorage(dir.path);
    // One traffic object shared by every record (as parsers share objects), with a bad value,
    // and changed between the two batches.
    const traffic: Record<string, unknown> = { packets: 'many', bytes: 100 };
    const records = Array.from({ length: 6 }, (_, i) =>
      vpcFlowRecord(i, {
        message: 'say "hi"\x1f, then\nleave',
        unmapped: { a: 'x' },
        severity_id: 'high',
        traffic,
        ...(i === 2 ? { connection_info: undefined } : {}),
      }),
    );

    // Act
    const ingest = await LakeIngest.begin(storage, { sourceUri: 'constants', etag: '1' });
    await ingest.add({ records: records.slice(0, 3) });
    traffic.bytes = 200;
    await ingest.add({ records: records.slice(3) });
    const { manifest } = await ingest.commit();

    // Assess
    expect(manifest.coercedValues).toBe(12);
    const lake = await LakeQuery.open(dir.path);
    const r = await lake.query(
      `SELECT metadata.uid, connection_info.protocol_num, message, unmapped['a'], severity_id, typeof(observables), typeof(time_dt), traffic.bytes::INT, traffic.packets FROM vpc_flow ORDER BY metadata.uid`,
    );
    lake.close();
    const message = 'say "hi"\x1f, then\nleave';
    const observables =
      'STRUCT("name" VARCHAR, "value" VARCHAR, "type" VARCHAR, type_id INTEGER)[]';
    expect(r.rows).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [
        `flow-${i}`,
        i === 2 ? null : 6,
        message,
        'x',
        null,
        observables,
        'TIMESTAMP',
        i < 3 ? 100 : 200,
        null,
      ]),
    );
  });

  it('gives every object of a table the same column types, whether a column has values in it or none', async () => {
    // Prepare: one object whose rows have an unmapped map and a list of profiles, one whose rows have neither
    const storage = new LocalStorage(dir.path);
    const withValues = [0, 1, 2].map((i) =>
      vpcFlowRecord(i, { unmapped: { reject_reason: 'BPA' } }),
    );
    const without = [3, 4, 5].map((i) => {
      const r = vpcFlowRecord(i, { unmapped: undefined }) as Record<string, unknown>;
      r.metadata = { ...(r.metadata as object), profiles: undefined };
      return r;
    });

    // Act
    for (const [name, records] of [
      ['with', withValues],
      ['without', without],
    ] as const) {
      const ingest = await LakeIngest.begin(storage, { sourceUri: name, etag: '1' });
      await ingest.add({ records });
      await ingest.commit();
    }

    // Assess: the same DESCRIBE for both objects (readers without union_by_name, Athena's
    // one table schema), the empty columns typed as the lake declares them
    const lake = await LakeQuery.open(dir.path);
    const keys = (await storage.list('ext/')).map((o) => o.key);
    expect(keys).toHaveLength(2);
    const [a, b] = await Promise.all(
      keys.map(
        async (k) =>
          (await lake.query(`DESCRIBE SELECT * FROM read_parquet('${lake.root}/${k}')`)).rows,
      ),
    );
    const unmapped = await lake.query(
      `SELECT count(*), count(unmapped), typeof(unmapped) FROM read_parquet('${lake.root}/ext/**/*.parquet') GROUP BY ALL`,
    );
    lake.close();
    expect(b).toEqual(a);
    expect(a?.find((c) => c[0] === 'unmapped')?.[1]).toBe('MAP(VARCHAR, VARCHAR)');
    expect(unmapped.rows).toEqual([['6', '3', 'MAP(VARCHAR, VARCHAR)']]);
  });
});
