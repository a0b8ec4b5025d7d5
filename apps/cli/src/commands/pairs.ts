import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import {
  type AthenaPairsCommandOptions,
  addAthenaPairsOptions,
  commaList,
  partitionOptions,
  runAthenaPairs,
} from './athena-pairs.js';
import { cliLakeStorage } from './ingest.js';

interface PairsCommandOptions extends AthenaPairsCommandOptions {
  lake?: string;
  out?: string;
  table?: string;
  entity?: string;
  ip?: string;
  class?: string;
  from?: string;
  to?: string;
  counts?: boolean;
  s3Endpoint?: string;
}

/** `lakewatch pairs`: the IP Insights training CSV from the lake. */
export function registerPairs(program: Command, io: CliIo): void {
  const cmd = program
    .command('pairs')
    .description(
      "write IP Insights training pairs (headerless entity,ip CSV) from the lake: the blog's query\n" +
        'SELECT DISTINCT src_endpoint.instance_uid, src_endpoint.ip … WHERE … IS NOT NULL AND time_dt BETWEEN …, generalized',
    )
    .option(
      '--lake <location>',
      'the lake: a folder or s3://bucket/prefix (staged locally to query)',
    )
    .option('--out <file>', 'the CSV file to write')
    .option(
      '--table <name>',
      'table: network_activity, dns_activity, vpc_flow, route53, …',
      'network_activity',
    )
    .option(
      '--entity <column>',
      'instance, dst-instance, account, user, hostname, dst-hostname, query, or a column path',
      'src_endpoint.instance_uid',
    )
    .option('--ip <column>', 'src, dst, or a column path', 'src_endpoint.ip')
    .option('--class <uid>', 'only records of this OCSF class_uid')
    .option('--from <time>', 'only events at or after this ISO 8601 time (UTC)')
    .option('--to <time>', 'only events at or before this ISO 8601 time (UTC)')
    .option(
      '--regions <list>',
      'only these region partitions, comma-separated (a rollup region holds several)',
      commaList,
    )
    .option('--accounts <list>', 'only these accountid partitions, comma-separated', commaList)
    .option(
      '--no-partition-filter',
      "don't also bound the eventday partition by --from/--to (a table without it)",
    )
    .option('--counts', 'add a third column with the number of events per pair')
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3 or AWS S3)',
    );
  addAthenaPairsOptions(cmd).action(async (opts: PairsCommandOptions) => {
    if (opts.athena) return runAthenaPairs(opts, cmd, io);
    if (!opts.lake || !opts.out)
      throw new CliError(
        `required option '${opts.lake ? '--out <file>' : '--lake <location>'}' not specified (or use --athena)`,
        { exitCode: 2 },
      );
    const lakeLocation = opts.lake;
    const outFile = opts.out;
    const { LakeError, LakeQuery, writePairsCsv, pairsSql } = await import('@lakewatch/lake');
    const classUid = opts.class === undefined ? undefined : Number(opts.class);
    if (classUid !== undefined && !Number.isInteger(classUid))
      throw new CliError(`--class must be an OCSF class_uid such as 4001, got '${opts.class}'`);
    const options = {
      table: opts.table ?? 'network_activity',
      entity: opts.entity ?? 'src_endpoint.instance_uid',
      ip: opts.ip ?? 'src_endpoint.ip',
      ...(classUid !== undefined ? { classUid } : {}),
      ...(opts.from ? { from: opts.from } : {}),
      ...(opts.to ? { to: opts.to } : {}),
      ...partitionOptions(opts),
      counts: opts.counts === true,
    };
    try {
      const lake = await LakeQuery.open(await cliLakeStorage(lakeLocation, opts.s3Endpoint));
      try {
        const out = resolve(outFile);
        const rows = await writePairsCsv(lake, out, options);
        io.out(`${JSON.stringify({ out, rows, ...options, sql: pairsSql(options) })}\n`);
      } finally {
        lake.close();
      }
    } catch (e) {
      if (e instanceof LakeError) throw new CliError(e.message, { cause: e });
      throw e;
    }
  });
}
