import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeIngest, LakeQuery, LocalStorage, pairsSql, writePairsCsv } from '../src/index.js';
import { parseDuckType, uncovered } from './duck-types.js';
import { FIXTURES, sampleRecords, tempDir, vpcFlowRecord } from './helpers.js';

const VPC_SAMPLES = [0, 1, 2, 3].map((n) => `tests_vpc_flow-input${n}.test.parquet`);
const DNS_SAMPLES = [0, 1, 2, 3].map((n) => `tests_example${n}.test.parquet`);

let dir: { path: string; remove: () => Promise<void> };
let lake: LakeQuery;

beforeAll(async () => {
  dir = await tempDir('query');
  const storage = new LocalStorage(dir.path);
  const samples = [];
  for (const f of [...VPC_SAMPLES, ...DNS_SAMPLES]) samples.push(...(await sampleRecords(f)));
  const generated = Array.from({ length: 1000 }, (_, i) => vpcFlowRecord(i));
  const ingest = await LakeIngest.begin(storage, { sourceUri: 'fixtures', etag: '1' });
  await ingest.add({ records: [...samples, ...generated] });
  await ingest.commit();
  lake = await LakeQuery.open(dir.path);
});

afterAll(async () => {
  lake.close();
  await dir.remove();
});

const samples = (names: string[]) =>
  `read_parquet([${names.map((n) => `'${join(FIXTURES, 'security-lake', n)}'`).join(', ')}], union_by_name = true)`;

async function types(sql: string): Promise<Map<string, string>> {
  const r = await lake.query(`DESCRIBE ${sql}`);
  return new Map(r.rows.map((row) => [String(row[0]), String(row[1])]));
}

describe('Class: LakeQuery', () => {
  it.each([
    ['vpc_flow', VPC_SAMPLES],
    ['route53', DNS_SAMPLES],
  ])(
    'gives %s every column of Security Lake Parquet with the same nested type',
    async (table, files) => {
      // Prepare
      const want = await types(`SELECT * FROM ${samples(files)}`);
      const have = await types(`SELECT * FROM ${table}`);

      // Act
      const missing = [...want]
        // asl_version and the 1.0.0-rc.2 account_uid are not OCSF 1.1.0 attributes; accountid
        // and region are Security Lake's partition columns, which the lake's views have too.
        .filter(([name]) => !['asl_version'].includes(name))
        .flatMap(([name, type]) => {
          const lakeType = have.get(name) ?? have.get(name === 'accountid' ? 'accountId' : name);
          return uncovered(
            parseDuckType(type),
            lakeType ? parseDuckType(lakeType) : undefined,
            name,
          );
        })
        .filter((p) => p !== 'cloud.account_uid');

      // Assess
      expect(missing).toEqual([]);
    },
  );

  it('keeps every value of the Security Lake samples', async () => {
    // Prepare
    const fields =
      'metadata.product.name, metadata.product.version, metadata.version, metadata.profiles, cloud.account.uid, cloud.region, src_endpoint.ip, src_endpoint.port, src_endpoint.instance_uid, src_endpoint.intermediate_ips, dst_endpoint.ip, dst_endpoint.port, dst_endpoint.interface_uid, connection_info.protocol_num, connection_info.tcp_flags, connection_info.boundary_id, connection_info.direction_id, traffic.bytes, traffic.packets, time, time_dt, start_time_dt, end_time_dt, activity_id, action_id, disposition, type_uid, status_code, unmapped';
    const dnsFields =
      'metadata.product.name, metadata.version, cloud.region, src_endpoint.ip, src_endpoint.port, src_endpoint.vpc_uid, query.hostname, query.type, list_transform(answers, lambda a: struct_pack(type := a.type, rdata := a.rdata, class := a.class)) AS answers, rcode_id, rcode, dst_endpoint.instance_uid, firewall_rule.uid, time, activity_id, disposition, unmapped';

    // Act
    const vpcWant = await lake.query(`SELECT ${fields} FROM ${samples(VPC_SAMPLES)} ORDER BY ALL`);
    const vpcHave = await lake.query(
      `SELECT ${fields} FROM vpc_flow WHERE metadata.uid IS NULL ORDER BY ALL`,
    );
    const dnsWant = await lake.query(
      `SELECT ${dnsFields} FROM ${samples(DNS_SAMPLES)} ORDER BY ALL`,
    );
    const dnsHave = await lake.query(`SELECT ${dnsFields} FROM route53 ORDER BY ALL`);

    // Assess
    expect(vpcHave.rows.length).toBeGreaterThan(0);
    expect(vpcHave.rows).toEqual(vpcWant.rows);
    expect(dnsHave.rows).toEqual(dnsWant.rows);
  });

  it("runs the blog's training query unchanged on Security Lake's table name", async () => {
    // Prepare
    const sql = `SELECT DISTINCT src_endpoint.instance_uid as instance_id, src_endpoint.ip as ip_address
      FROM amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_vpc_flow_2_0
      WHERE src_endpoint.ip IS NOT NULL AND src_endpoint.instance_uid IS NOT NULL
      AND time_dt BETWEEN TIMESTAMP '2023-11-14 00:00:00' AND TIMESTAMP '2023-11-16 00:00:00'`;
    const expected = new Set(
      Array.from({ length: 1000 }, (_, i) => vpcFlowRecord(i)).map((r) => {
        const s = r.src_endpoint as { instance_uid: string; ip: string };
        return `${s.instance_uid},${s.ip}`;
      }),
    );

    // Act
    const r = await lake.query(sql);

    // Assess
    expect(r.columns).toEqual(['instance_id', 'ip_address']);
    expect(new Set(r.rows.map((row) => row.join(',')))).toEqual(expected);
    expect(lake.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['network_activity', 'dns_activity', 'vpc_flow', 'route53']),
    );
  });
});

describe('Function: writePairsCsv', () => {
  it('writes headerless entity,ip training CSV for the chosen entity, IP, class and time range', async () => {
    // Prepare
    const out = join(dir.path, 'train.csv');
    const records = Array.from({ length: 1000 }, (_, i) => vpcFlowRecord(i)).filter(
      (r) => (r.time as number) < Date.parse('2023-11-15T06:00:00Z'),
    );
    const want = [
      ...new Set(
        records.map(
          (r) =>
            `${(r.cloud as { account: { uid: string } }).account.uid},${(r.dst_endpoint as { ip: string }).ip}`,
        ),
      ),
    ].sort();

    // Act
    const rows = await writePairsCsv(lake, out, {
      table: 'vpc_flow',
      entity: 'account',
      ip: 'dst',
      classUid: 4001,
      from: '2023-11-01T00:00:00Z',
      to: '2023-11-15T05:59:59.999Z',
    });

    // Assess
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(rows).toBe(want.length);
    expect(lines.sort()).toEqual(want);
  });

  it('counts events per pair when asked', async () => {
    // Prepare
    const sql = pairsSql({ table: 'vpc_flow', counts: true });

    // Act
    const r = await lake.query(`SELECT sum(events)::INT, count(*)::INT FROM (${sql})`);
    const distinct = await lake.query(
      `SELECT count(*)::INT FROM (${pairsSql({ table: 'vpc_flow' })})`,
    );

    // Assess
    const total = await lake.query(
      'SELECT count(*)::INT FROM vpc_flow WHERE src_endpoint.ip IS NOT NULL AND src_endpoint.instance_uid IS NOT NULL',
    );
    expect(r.rows[0]?.[0]).toBe(total.rows[0]?.[0]);
    expect(r.rows[0]?.[1]).toBe(distinct.rows[0]?.[0]);
  });

  it('names the problem for an unknown table, a bad column or a bad date', async () => {
    await expect(
      writePairsCsv(lake, join(dir.path, 'x.csv'), { table: 'zeek_conn' }),
    ).rejects.toThrow(/no table 'zeek_conn'; it has: .*vpc_flow/);
    expect(() => pairsSql({ entity: 'src_endpoint.ip; DROP' })).toThrow(
      /entity must be one of .* got 'src_endpoint.ip; DROP'/,
    );
    expect(() => pairsSql({ from: 'last tuesday' })).toThrow(
      /from is not a date\/time: 'last tuesday'/,
    );
  });
});

describe('Function: pairsSql', () => {
  /** How many Parquet objects DuckDB opened for a query (its profile's "Total Files Read"). */
  async function filesRead(sql: string): Promise<number> {
    const plan = (await lake.query(`EXPLAIN ANALYZE ${sql}`)).rows
      .map((r) => String(r[1]))
      .join('');
    const counts = [...plan.matchAll(/Total Files Read: (\d+)/g)].map((m) => Number(m[1]));
    expect(counts.length).toBeGreaterThan(0);
    return counts.reduce((a, b) => a + b, 0);
  }

  async function objectsOf(eventDay?: string): Promise<number> {
    const keys = await readdir(join(dir.path, 'ext', 'vpc_flow'), { recursive: true });
    return keys.filter(
      (k) => k.endsWith('.parquet') && (!eventDay || k.includes(`eventDay=${eventDay}`)),
    ).length;
  }

  it('bounds the eventday partition by the UTC days of the time range: DuckDB reads only those objects, same rows', async () => {
    // Prepare
    const range = {
      table: 'vpc_flow',
      from: '2023-11-15T00:00:00Z',
      to: '2023-11-15T05:59:59.999Z',
    };
    const sql = pairsSql(range);
    const unbounded = pairsSql({ ...range, partitionFilter: false });

    // Act
    const pruned = await lake.query(sql);
    const full = await lake.query(unbounded);

    // Assess
    expect(sql).toContain(
      `IS NOT NULL AND eventday BETWEEN '20231115' AND '20231115' AND time_dt BETWEEN TIMESTAMP '2023-11-15 00:00:00.000' AND TIMESTAMP '2023-11-15 05:59:59.999'`,
    );
    expect(unbounded).not.toContain('eventday');
    expect(pruned.rows.length).toBeGreaterThan(0);
    expect(pruned.rows).toEqual(full.rows);
    const day = await objectsOf('20231115');
    expect(day).toBeGreaterThan(0);
    expect(day).toBeLessThan(await objectsOf());
    expect(await filesRead(sql)).toBe(day);
    expect(await filesRead(unbounded)).toBe(await objectsOf());
  });

  it('bounds eventday on the side given for an open range, by the UTC day of the bound', () => {
    expect(pairsSql({ from: '2023-11-14T23:30:00-02:00' })).toContain(
      `eventday >= '20231115' AND time_dt >= TIMESTAMP '2023-11-15 01:30:00.000'`,
    );
    expect(pairsSql({ to: new Date('2023-11-14T23:59:59.999Z') })).toContain(
      `eventday <= '20231114' AND time_dt <= TIMESTAMP '2023-11-14 23:59:59.999'`,
    );
    expect(pairsSql({})).not.toContain('eventday');
  });

  it('keeps only the region and accountid partitions asked for', async () => {
    // Prepare
    const sql = pairsSql({ table: 'vpc_flow', regions: ['us-east-2'], accounts: ['123456789012'] });
    const both = pairsSql({ table: 'vpc_flow', regions: ['us-east-1', 'us-east-2'] });

    // Act
    const r = await lake.query(sql);
    const want = await lake.query(
      `SELECT DISTINCT src_endpoint.instance_uid, src_endpoint.ip FROM vpc_flow WHERE cloud.region = 'us-east-2' AND cloud.account.uid = '123456789012' AND src_endpoint.ip IS NOT NULL AND src_endpoint.instance_uid IS NOT NULL ORDER BY 1, 2`,
    );

    // Assess
    expect(sql).toContain(`region IN ('us-east-2') AND accountid IN ('123456789012')`);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.rows).toEqual(want.rows);
    expect((await lake.query(both)).rows).toEqual(
      (await lake.query(pairsSql({ table: 'vpc_flow' }))).rows,
    );
    expect(await filesRead(sql)).toBeLessThan(await objectsOf());
  });

  it('refuses a partition value that is not one', () => {
    expect(() => pairsSql({ regions: ["us-east-1') OR (1=1"] })).toThrow(
      /regions must be partition values like us-east-1 .* got 'us-east-1'\) OR \(1=1'/,
    );
    expect(() => pairsSql({ accounts: [] })).toThrow(/accounts must be partition values .* got ''/);
  });
});
