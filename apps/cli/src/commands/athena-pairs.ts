import { type Command, Option } from 'commander';
import { parseTime, pollIntervalOption, requireRegion, usage } from '../cloud/aws.js';
import type { CliIo } from '../io.js';

/** The options `lakewatch pairs` takes for `--athena`. */
export interface AthenaPairsCommandOptions {
  athena?: boolean;
  database?: string;
  table?: string;
  catalog?: string;
  workgroup?: string;
  output?: string;
  resultsLocation?: string;
  region?: string;
  pollInterval?: number;
  entity?: string;
  ip?: string;
  class?: string;
  from?: string;
  to?: string;
  counts?: boolean;
  s3Endpoint?: string;
  regions?: string[];
  accounts?: string[];
  /** `false` with `--no-partition-filter`. */
  partitionFilter?: boolean;
}

/** Parses a comma-separated option value (`--regions`, `--accounts`). */
export function commaList(value: string): string[] {
  return value.split(',').map((v) => v.trim());
}

/** The partition filters of `lakewatch pairs` as `pairsSql` options (both engines). */
export function partitionOptions(opts: AthenaPairsCommandOptions): {
  regions?: string[];
  accounts?: string[];
  partitionFilter?: boolean;
} {
  return {
    ...(opts.regions ? { regions: opts.regions } : {}),
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(opts.partitionFilter === false ? { partitionFilter: false } : {}),
  };
}

/** Adds the `--athena` options to `lakewatch pairs`. */
export function addAthenaPairsOptions(cmd: Command): Command {
  return cmd
    .option(
      '--athena',
      'run the query on Amazon Athena over Security Lake instead of a local lake (--table then defaults to amazon_security_lake_table_<region>_vpc_flow_2_0)',
    )
    .option(
      '--database <name>',
      'Athena: Glue database (default amazon_security_lake_glue_db_<region>)',
    )
    .option('--catalog <name>', 'Athena: data catalog', 'AwsDataCatalog')
    .option('--workgroup <name>', 'Athena: workgroup (default: primary)')
    .option(
      '--output <s3uri>',
      'Athena: where the headerless entity,ip CSV goes (s3://bucket/key.csv)',
    )
    .option(
      '--results-location <s3uri>',
      "Athena: the query's own result location (default s3://<output bucket>/athena-results/lakewatch/)",
    )
    .addOption(new Option('--region <region>', 'Athena: AWS region').env('AWS_REGION'))
    .addOption(pollIntervalOption(2, 'Athena: '));
}

/** `lakewatch pairs --athena …`: the training pairs from Security Lake through Athena. */
export async function runAthenaPairs(
  opts: AthenaPairsCommandOptions,
  cmd: Command,
  io: CliIo,
): Promise<void> {
  const region = requireRegion(opts.region);
  if (opts.counts)
    throw usage('--counts cannot be used with --athena: SageMaker trains on entity,ip pairs only');
  if (!opts.output) throw usage('--athena needs --output s3://bucket/key.csv');
  const underscored = region.replace(/-/g, '_');
  // Security Lake's own names, as the blog's query uses them, unless --table/--database say else.
  const table =
    cmd.getOptionValueSource('table') === 'cli' && opts.table
      ? opts.table
      : `amazon_security_lake_table_${underscored}_vpc_flow_2_0`;
  const classUid = opts.class === undefined ? undefined : Number(opts.class);
  if (classUid !== undefined && !Number.isInteger(classUid))
    throw usage(`--class must be an OCSF class_uid such as 4001, got '${opts.class}'`);
  const from = parseTime(opts.from, '--from');
  const to = parseTime(opts.to, '--to');
  // Loaded on use so that other commands never pay for the Athena SDK and the lake.
  const { athenaPairs } = await import('../cloud/athena-pairs.js');
  const result = await athenaPairs(
    {
      region,
      database: opts.database ?? `amazon_security_lake_glue_db_${underscored}`,
      table,
      ...(opts.catalog ? { catalog: opts.catalog } : {}),
      ...(opts.workgroup ? { workgroup: opts.workgroup } : {}),
      output: opts.output,
      ...(opts.resultsLocation ? { resultsLocation: opts.resultsLocation } : {}),
      entity: opts.entity ?? 'src_endpoint.instance_uid',
      ip: opts.ip ?? 'src_endpoint.ip',
      ...(classUid !== undefined ? { classUid } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...partitionOptions(opts),
      pollMs: opts.pollInterval ?? 2000,
      ...(opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint } : {}),
    },
    io,
  );
  if (result.rejected > 0) {
    io.err(`${result.rejected} result rows rejected, e.g.:\n`);
    for (const r of result.rejects.slice(0, 5)) io.err(`  line ${r.line}: ${r.reason}\n`);
  }
  io.err(`pairs: ${result.rows} pairs -> ${result.output}\n`);
  io.out(`${JSON.stringify(result)}\n`);
}
