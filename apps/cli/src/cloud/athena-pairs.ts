import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client, LakeError, pairsSql } from '@lakewatch/lake';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { athenaCsvToPairs, type PairReject } from './athena-csv.js';
import { awsCall, formatDuration, parseS3, pollUntil } from './aws.js';

/** Options of {@link athenaPairs}. */
export interface AthenaPairsOptions {
  region: string;
  /** Glue database, e.g. `amazon_security_lake_glue_db_us_east_1`. */
  database: string;
  /** Table, e.g. `amazon_security_lake_table_us_east_1_vpc_flow_2_0`. */
  table: string;
  /** @default 'AwsDataCatalog' */
  catalog?: string;
  /** @default the account's `primary` workgroup */
  workgroup?: string;
  /** Where the training CSV goes: `s3://bucket/key.csv`. */
  output: string;
  /** Athena's own result location. @default `s3://<output bucket>/athena-results/lakewatch/` */
  resultsLocation?: string;
  entity: string;
  ip: string;
  classUid?: number;
  from?: Date;
  to?: Date;
  /** Only these `region` partitions. @default every region */
  regions?: readonly string[];
  /** Only these `accountid` partitions. @default every account */
  accounts?: readonly string[];
  /** Bound the `eventday` partition by `from`/`to` too. @default true */
  partitionFilter?: boolean;
  pollMs: number;
  /** S3-compatible endpoint for reading the result and writing the CSV. @default AWS S3 */
  s3Endpoint?: string;
}

/** What `lakewatch pairs --athena` reports. */
export interface AthenaPairsResult {
  output: string;
  rows: number;
  rejected: number;
  rejects: PairReject[];
  query_execution_id: string;
  athena_result: string;
  data_scanned_bytes: number;
  engine_ms: number;
  sql: string;
}

function failureOf(q: QueryExecution | undefined): string {
  const reason = q?.Status?.StateChangeReason;
  const error = q?.Status?.AthenaError;
  const kind = error?.ErrorType !== undefined ? ` (error type ${error.ErrorType})` : '';
  return `${reason ?? error?.ErrorMessage ?? 'no reason given'}${kind}`;
}

/**
 * Runs the lake's training-pair query (the blog's Security Lake query, generalized — the
 * same SQL `lakewatch pairs` runs on DuckDB) on Athena, then rewrites Athena's result CSV
 * (header row, quoted values) as the headerless `entity,ip` CSV SageMaker IP Insights
 * trains on, at `output`.
 */
export async function athenaPairs(o: AthenaPairsOptions, io: CliIo): Promise<AthenaPairsResult> {
  const out = parseS3(o.output, '--output');
  if (out.key === '' || out.key.endsWith('/'))
    throw new CliError(
      `--output must name an object such as s3://bucket/train/pairs.csv, got '${o.output}'`,
      {
        exitCode: 2,
      },
    );
  const results = o.resultsLocation ?? `s3://${out.bucket}/athena-results/lakewatch/`;
  parseS3(results, '--results-location');
  let sql: string;
  try {
    sql = pairsSql({
      table: o.table,
      entity: o.entity,
      ip: o.ip,
      ...(o.classUid !== undefined ? { classUid: o.classUid } : {}),
      ...(o.from ? { from: o.from } : {}),
      ...(o.to ? { to: o.to } : {}),
      ...(o.regions ? { regions: o.regions } : {}),
      ...(o.accounts ? { accounts: o.accounts } : {}),
      ...(o.partitionFilter === false ? { partitionFilter: false } : {}),
    });
  } catch (e) {
    if (e instanceof LakeError) throw new CliError(e.message, { exitCode: 2, cause: e });
    throw e;
  }
  const athena = new AthenaClient({ region: o.region });
  try {
    const started = await awsCall('athena StartQueryExecution', () =>
      athena.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          QueryExecutionContext: { Database: o.database, Catalog: o.catalog ?? 'AwsDataCatalog' },
          ...(o.workgroup ? { WorkGroup: o.workgroup } : {}),
          ResultConfiguration: { OutputLocation: results },
        }),
      ),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new CliError('athena StartQueryExecution returned no QueryExecutionId');
    io.err(`athena: query ${id} started on ${o.database}.${o.table}\n`);
    let lastState = '';
    const final = await pollUntil({
      what: `athena query ${id}`,
      intervalMs: o.pollMs,
      read: async () =>
        (
          await awsCall('athena GetQueryExecution', () =>
            athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
          )
        ).QueryExecution,
      done: (q) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(q?.Status?.State ?? ''),
      onRead: (q, elapsed) => {
        const state = q?.Status?.State ?? 'UNKNOWN';
        const scanned = q?.Statistics?.DataScannedInBytes;
        const line = `athena: ${state}${scanned !== undefined ? `, ${(scanned / 1e6).toFixed(1)} MB scanned` : ''}`;
        if (line !== lastState) io.err(`${line} (${formatDuration(elapsed)})\n`);
        lastState = line;
      },
    });
    const state = final?.Status?.State;
    if (state !== 'SUCCEEDED')
      throw new CliError(
        `athena query ${id} ${state?.toLowerCase() ?? 'ended'}: ${failureOf(final)}`,
      );
    const location = final?.ResultConfiguration?.OutputLocation;
    if (!location) throw new CliError(`athena query ${id} succeeded but gave no result location`);
    const conversion = await rewriteResult(location, o.output, o);
    return {
      output: o.output,
      ...conversion,
      query_execution_id: id,
      athena_result: location,
      data_scanned_bytes: final?.Statistics?.DataScannedInBytes ?? 0,
      engine_ms: final?.Statistics?.EngineExecutionTimeInMillis ?? 0,
      sql,
    };
  } finally {
    athena.destroy();
  }
}

/** Streams Athena's result through a local temporary file into the clean CSV object. */
async function rewriteResult(
  location: string,
  output: string,
  o: Pick<AthenaPairsOptions, 's3Endpoint' | 'region'>,
) {
  const src = parseS3(location, 'athena result location');
  const dst = parseS3(output, '--output');
  const s3 = await createS3Client({
    region: o.region,
    ...(o.s3Endpoint ? { endpoint: o.s3Endpoint } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'lakewatch-athena-'));
  try {
    const got = await awsCall(`s3 GetObject ${location}`, () =>
      s3.send(new GetObjectCommand({ Bucket: src.bucket, Key: src.key })),
    );
    const file = join(dir, 'pairs.csv');
    const sink = createWriteStream(file);
    const conversion = await athenaCsvToPairs(got.Body as Readable, sink);
    sink.end();
    await finished(sink);
    const { size } = await stat(file);
    await awsCall(`s3 PutObject ${output}`, () =>
      s3.send(
        new PutObjectCommand({
          Bucket: dst.bucket,
          Key: dst.key,
          Body: createReadStream(file),
          ContentLength: size,
          ContentType: 'text/csv',
        }),
      ),
    );
    return conversion;
  } finally {
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
