import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { cliLakeStorage } from './ingest.js';

interface QueryCommandOptions {
  lake: string;
  json?: boolean;
  tables?: boolean;
  s3Endpoint?: string;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `lakewatch query`: SQL over the lake's tables with DuckDB. */
export function registerQuery(program: Command, io: CliIo): void {
  program
    .command('query')
    .description(
      "run SQL over the lake's tables with DuckDB: per source (vpc_flow, route53, …), per OCSF class\n" +
        "(network_activity, dns_activity, …), Security Lake's Glue names\n" +
        '(amazon_security_lake_glue_db_<region>.amazon_security_lake_table_<region>_vpc_flow_2_0) and rejects.\n' +
        'Prints CSV with a header, or JSON lines with --json.',
    )
    .argument('[sql]', 'the query')
    .requiredOption(
      '--lake <location>',
      'the lake: a folder or s3://bucket/prefix (staged locally to query)',
    )
    .option('--json', 'one JSON object per row')
    .option('--tables', "list the lake's tables")
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3 or AWS S3)',
    )
    .action(async (sql: string | undefined, opts: QueryCommandOptions) => {
      if (!opts.tables && !sql) throw new CliError('give the SQL to run, or --tables');
      const { LakeError, LakeQuery } = await import('@lakewatch/lake');
      try {
        const lake = await LakeQuery.open(await cliLakeStorage(opts.lake, opts.s3Endpoint));
        try {
          if (opts.tables) {
            for (const t of lake.tables) io.out(`${t.name}\t${t.kind}\t${t.objects} objects\n`);
            return;
          }
          let columns: string[] | undefined;
          for await (const chunk of lake.stream(sql as string)) {
            if (!columns) {
              columns = chunk.columns;
              if (!opts.json) io.out(`${columns.map(csvField).join(',')}\n`);
            }
            let text = '';
            for (const row of chunk.rows) {
              if (opts.json)
                text += `${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i]])))}\n`;
              else text += `${row.map(csvField).join(',')}\n`;
            }
            io.out(text);
          }
        } finally {
          lake.close();
        }
      } catch (e) {
        if (e instanceof LakeError) throw new CliError(e.message, { cause: e });
        throw e;
      }
    });
}
