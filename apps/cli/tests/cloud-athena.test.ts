import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { LakeIngest, LakeQuery, type LakeRecord, LocalStorage, pairsSql } from '@lakewatch/lake';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAthenaCsvLine } from '../src/cloud/athena-csv.js';
import { type LocalS3, startLocalS3 } from './cloud-s3.js';
import { runCli } from './helpers.js';

// Athena has no local stand-in: it is mocked at the SDK level. S3 (Athena's result object,
// the training CSV written from it) is a real s3rver.
const athena = mockClient(AthenaClient);
let s3: LocalS3;
let dir: string;

// A local lake with Security Lake's layout (region, accountId, eventDay partitions) to run
// the SQL sent to Athena on: 2024-04-30 to 2024-05-09 in eu-west-1, two accounts, each day's
// first and last millisecond, and one event exactly at the range's end.
const ACCOUNTS = ['111122223333', '444455556666'];
const LAKE_TIMES = [
  ...Array.from({ length: 10 }, (_, d) => Date.UTC(2024, 3, 30 + d)).flatMap((t) => [
    t,
    t + 86_399_999,
  ]),
  Date.UTC(2024, 4, 8),
];
const lakeRecords: LakeRecord[] = LAKE_TIMES.flatMap((time, i) =>
  ACCOUNTS.map((uid, a) => ({
    class_uid: 4001,
    time,
    metadata: { product: { name: 'Amazon VPC' }, version: '1.1.0' },
    cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid } },
    src_endpoint: { instance_uid: `i-0${a}${i % 3}`, ip: `10.${a}.0.${i}` },
  })),
);

/** The distinct `entity,ip` pairs of the lake's records of `account` within [from, to]. */
function lakePairs(account: string, from: string, to: string): string[] {
  const pairs = lakeRecords
    .filter((r) => {
      const t = r.time as number;
      const cloud = r.cloud as { account: { uid: string } };
      return cloud.account.uid === account && t >= Date.parse(from) && t <= Date.parse(to);
    })
    .map((r) => {
      const e = r.src_endpoint as { instance_uid: string; ip: string };
      return `${e.instance_uid},${e.ip}`;
    });
  return [...new Set(pairs)].sort();
}

beforeAll(async () => {
  s3 = await startLocalS3();
  dir = await mkdtemp(join(tmpdir(), 'lakewatch-cli-athena-'));
  const ingest = await LakeIngest.begin(new LocalStorage(join(dir, 'lake')), {
    sourceUri: 'fixture',
    etag: '1',
    source: 'vpc_flow',
  });
  await ingest.add({ records: lakeRecords });
  await ingest.commit();
});
afterAll(async () => {
  athena.restore();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => athena.reset());

const ID = '0a1b2c3d-0000-4000-8000-000000000001';

function succeedsWith(location: string) {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
  athena
    .on(GetQueryExecutionCommand)
    .resolvesOnce({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'QUEUED' } } })
    .resolvesOnce({
      QueryExecution: {
        QueryExecutionId: ID,
        Status: { State: 'RUNNING' },
        Statistics: { DataScannedInBytes: 1_000_000 },
      },
    })
    .resolves({
      QueryExecution: {
        QueryExecutionId: ID,
        Status: { State: 'SUCCEEDED' },
        ResultConfiguration: { OutputLocation: location },
        Statistics: { DataScannedInBytes: 52_428_800, EngineExecutionTimeInMillis: 4200 },
      },
    });
}

describe('Command: lakewatch pairs --athena', () => {
  it("runs the lake's pairs SQL on Athena and writes Athena's result as headerless entity,ip CSV", async () => {
    // Prepare: Athena's result object as Athena writes it (header row, every value quoted).
    const resultKey = `athena-results/lakewatch/${ID}.csv`;
    await s3.put(
      resultKey,
      '"entity","ip"\n"i-0aaa","10.0.0.1"\n"i-0aaa","10.0.0.2"\n"i-0bbb","2001:db8::1"\n"i-0c,c","10.0.0.3"\n"i-0ddd",""\n',
    );
    succeedsWith(`s3://${s3.bucket}/${resultKey}`);

    // Act
    const r = await runCli(
      'pairs',
      '--athena',
      '--region',
      'eu-west-1',
      '--workgroup',
      'security',
      '--from',
      '2024-05-01T00:00:00Z',
      '--to',
      '2024-05-08T00:00:00Z',
      '--output',
      `s3://${s3.bucket}/train/pairs.csv`,
      '--s3-endpoint',
      s3.endpoint,
      '--poll-interval',
      '0.01',
    );

    // Assess
    expect(r.err).not.toContain('lakewatch:');
    expect(r.code).toBe(0);
    const start = athena.commandCalls(StartQueryExecutionCommand);
    expect(start).toHaveLength(1);
    const sql = pairsSql({
      table: 'amazon_security_lake_table_eu_west_1_vpc_flow_2_0',
      entity: 'src_endpoint.instance_uid',
      ip: 'src_endpoint.ip',
      from: '2024-05-01T00:00:00Z',
      to: '2024-05-08T00:00:00Z',
    });
    expect(start[0]?.args[0].input).toEqual({
      QueryString: sql,
      QueryExecutionContext: {
        Database: 'amazon_security_lake_glue_db_eu_west_1',
        Catalog: 'AwsDataCatalog',
      },
      WorkGroup: 'security',
      ResultConfiguration: { OutputLocation: `s3://${s3.bucket}/athena-results/lakewatch/` },
    });
    // Security Lake's tables are partitioned by eventday: bounding it lets Athena skip the
    // other days' objects (it bills by bytes scanned); the exact bounds stay on time_dt.
    expect(sql).toContain(
      `"src_endpoint"."instance_uid" IS NOT NULL AND eventday BETWEEN '20240501' AND '20240508' AND time_dt BETWEEN TIMESTAMP '2024-05-01 00:00:00.000' AND TIMESTAMP '2024-05-08 00:00:00.000'`,
    );
    expect(athena.commandCalls(GetQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: ID,
    });
    expect(new TextDecoder().decode(await s3.get('train/pairs.csv'))).toBe(
      'i-0aaa,10.0.0.1\ni-0aaa,10.0.0.2\ni-0bbb,2001:db8::1\n',
    );
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({
      output: `s3://${s3.bucket}/train/pairs.csv`,
      rows: 3,
      rejected: 2,
      query_execution_id: ID,
      data_scanned_bytes: 52_428_800,
      sql,
    });
    expect(summary.rejects).toEqual([
      { line: 5, reason: `value holds a comma, quote or line break: 'i-0c,c','10.0.0.3'` },
      { line: 6, reason: 'empty entity or ip' },
    ]);
    expect(r.err).toContain('athena: QUEUED');
    expect(r.err).toContain('athena: RUNNING, 1.0 MB scanned');
    expect(r.err).toContain('athena: SUCCEEDED, 52.4 MB scanned');
    expect(r.err).toContain('2 result rows rejected');
  });

  it('passes --table, --database, --entity and --ip to the same generator', async () => {
    const resultKey = `results/${ID}.csv`;
    await s3.put(resultKey, '"entity","ip"\n"123456789012","198.51.100.7"\n');
    succeedsWith(`s3://${s3.bucket}/${resultKey}`);

    const r = await runCli(
      'pairs',
      '--athena',
      '--region',
      'us-east-1',
      '--database',
      'lake_db',
      '--table',
      'vpc_flow_custom',
      '--entity',
      'account',
      '--ip',
      'dst',
      '--results-location',
      `s3://${s3.bucket}/results/`,
      '--output',
      `s3://${s3.bucket}/train/accounts.csv`,
      '--s3-endpoint',
      s3.endpoint,
      '--poll-interval',
      '0.01',
    );

    expect(r.code).toBe(0);
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input?.QueryString).toBe(
      pairsSql({ table: 'vpc_flow_custom', entity: 'account', ip: 'dst' }),
    );
    expect(input?.QueryExecutionContext?.Database).toBe('lake_db');
    expect(input?.ResultConfiguration?.OutputLocation).toBe(`s3://${s3.bucket}/results/`);
    expect(input?.WorkGroup).toBeUndefined();
    expect(new TextDecoder().decode(await s3.get('train/accounts.csv'))).toBe(
      '123456789012,198.51.100.7\n',
    );
  });

  it('sends SQL bounded by the eventday, region and accountid partitions that runs unchanged on a local lake', async () => {
    // Prepare
    const resultKey = `athena-results/lakewatch/${ID}.csv`;
    await s3.put(resultKey, '"entity","ip"\n');
    succeedsWith(`s3://${s3.bucket}/${resultKey}`);
    const from = '2024-05-01T00:00:00Z';
    const to = '2024-05-08T00:00:00Z';
    const range = [
      '--from',
      from,
      '--to',
      to,
      '--regions',
      'eu-west-1',
      '--accounts',
      ACCOUNTS[0] as string,
    ];

    // Act
    const r = await runCli(
      'pairs',
      '--athena',
      '--region',
      'eu-west-1',
      ...range,
      '--output',
      `s3://${s3.bucket}/train/pairs.csv`,
      '--s3-endpoint',
      s3.endpoint,
      '--poll-interval',
      '0.01',
    );
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    const sql = input?.QueryString ?? '';
    const lake = await LakeQuery.open(join(dir, 'lake'));
    let rows: string[];
    let filesRead: number;
    try {
      // Athena runs it in the QueryExecutionContext's database: the lake has the same schema.
      await lake.query(`USE ${input?.QueryExecutionContext?.Database}`);
      rows = (await lake.query(sql)).rows.map((row) => row.join(','));
      const plan = (await lake.query(`EXPLAIN ANALYZE ${sql}`)).rows.map((p) => p[1]).join('');
      filesRead = Number(/Total Files Read: (\d+)/.exec(plan)?.[1]);
    } finally {
      lake.close();
    }
    const local = join(dir, 'local-pairs.csv');
    const viaLake = await runCli(
      'pairs',
      '--lake',
      join(dir, 'lake'),
      '--table',
      'vpc_flow',
      ...range,
      '--out',
      local,
    );

    // Assess
    expect(r.code).toBe(0);
    expect(sql).toContain(
      `region IN ('eu-west-1') AND accountid IN ('111122223333') AND eventday BETWEEN '20240501' AND '20240508' AND time_dt BETWEEN`,
    );
    const want = lakePairs(ACCOUNTS[0] as string, from, to);
    expect(want.length).toBeGreaterThan(0);
    expect(rows).toEqual(want);
    // One object per account and day: 8 days of one account out of 10 days of two.
    const objects = (await readdir(join(dir, 'lake', 'ext'), { recursive: true })).filter((k) =>
      k.endsWith('.parquet'),
    );
    expect(objects).toHaveLength(20);
    expect(filesRead).toBe(8);
    expect(viaLake.code).toBe(0);
    expect(JSON.parse(viaLake.out).sql).toContain(`eventday BETWEEN '20240501' AND '20240508'`);
    expect((await readFile(local, 'utf8')).trim().split('\n').sort()).toEqual(want);
  });

  it('leaves eventday out with --no-partition-filter, keeping the time_dt bounds', async () => {
    const resultKey = `athena-results/lakewatch/${ID}.csv`;
    await s3.put(resultKey, '"entity","ip"\n');
    succeedsWith(`s3://${s3.bucket}/${resultKey}`);

    const r = await runCli(
      'pairs',
      '--athena',
      '--region',
      'us-east-1',
      '--table',
      'flows_by_hour',
      '--from',
      '2024-05-01T00:00:00Z',
      '--no-partition-filter',
      '--output',
      `s3://${s3.bucket}/train/pairs.csv`,
      '--s3-endpoint',
      s3.endpoint,
      '--poll-interval',
      '0.01',
    );

    expect(r.code).toBe(0);
    const sql = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString;
    expect(sql).not.toContain('eventday');
    expect(sql).toContain(
      `IS NOT NULL AND time_dt >= TIMESTAMP '2024-05-01 00:00:00.000' ORDER BY`,
    );
  });

  it("surfaces Athena's failure reason and exits 1", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason:
            "TABLE_NOT_FOUND: line 1:97: Table 'awsdatacatalog.db.nope' does not exist",
          AthenaError: { ErrorType: 1301 },
        },
      },
    });

    const r = await runCli(
      'pairs',
      '--athena',
      '--region',
      'us-east-1',
      '--table',
      'nope',
      '--output',
      `s3://${s3.bucket}/train/x.csv`,
      '--poll-interval',
      '0.01',
    );

    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `lakewatch: athena query ${ID} failed: TABLE_NOT_FOUND: line 1:97: Table 'awsdatacatalog.db.nope' does not exist (error type 1301)`,
    );
  });

  it("names Athena's result object when it cannot be read", async () => {
    succeedsWith(`s3://${s3.bucket}/athena-results/lakewatch/missing.csv`);

    const r = await runCli(
      'pairs',
      '--athena',
      '--region',
      'us-east-1',
      '--output',
      `s3://${s3.bucket}/train/y.csv`,
      '--s3-endpoint',
      s3.endpoint,
      '--poll-interval',
      '0.01',
    );

    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `lakewatch: s3 GetObject s3://${s3.bucket}/athena-results/lakewatch/missing.csv: NoSuchKey`,
    );
  });

  it('names the failing call when StartQueryExecution is refused', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(
        Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }),
      );

    const r = await runCli(
      'pairs',
      '--athena',
      '--region',
      'us-east-1',
      '--output',
      `s3://${s3.bucket}/train/x.csv`,
    );

    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: athena StartQueryExecution: AccessDeniedException: User is not authorized',
    );
  });

  it.each([
    [['--region', 'us-east-1'], '--athena needs --output s3://bucket/key.csv'],
    [['--region', 'us-east-1', '--output', 's3://bkt/'], '--output must name an object'],
    [
      ['--region', 'us-east-1', '--output', '/tmp/x.csv'],
      '--output must be an s3://bucket/key URI',
    ],
    [
      ['--region', 'mars', '--output', 's3://bkt/x.csv'],
      "--region is not an AWS region like us-east-1: 'mars'",
    ],
    [
      ['--region', 'us-east-1', '--output', 's3://bkt/x.csv', '--counts'],
      '--counts cannot be used with --athena',
    ],
    [
      ['--region', 'us-east-1', '--output', 's3://bkt/x.csv', '--from', 'yesterday'],
      '--from must be an ISO 8601 time',
    ],
    [
      ['--region', 'us-east-1', '--output', 's3://bkt/x.csv', '--entity', 'a;b'],
      'entity must be one of',
    ],
    [
      ['--region', 'us-east-1', '--output', 's3://bkt/x.csv', '--accounts', '1111,x y'],
      "accounts must be partition values like 123456789012 (letters, digits, '.', '_', '-'), got 'x y'",
    ],
  ])('refuses bad arguments %j before calling Athena', async (args, message) => {
    const r = await runCli('pairs', '--athena', ...args);
    expect(r.code).toBeGreaterThan(0);
    expect(r.err).toContain(message);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('still needs --lake and --out without --athena', async () => {
    const r = await runCli('pairs', '--out', 'x.csv');
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '--lake <location>' not specified");
  });
});

describe('Function: parseAthenaCsvLine', () => {
  it.each([
    ['"a","b"', ['a', 'b']],
    ['"a ""quoted""","b"', ['a "quoted"', 'b']],
    ['"a",', ['a', '']],
    ['plain,"x"', ['plain', 'x']],
    ['"a,b","c"', ['a,b', 'c']],
    ['"open', 'unterminated quoted value'],
    ['"a"x,"b"', 'unexpected character after a quoted value at column 4'],
  ])('%s', (line, expected) => {
    expect(parseAthenaCsvLine(line)).toEqual(expected);
  });
});
