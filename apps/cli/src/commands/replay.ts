import { type Command, Option } from 'commander';
import {
  parseTime,
  pollIntervalOption,
  requireRegion,
  timestampedName,
  usage,
} from '../cloud/aws.js';
import type { CliIo } from '../io.js';
import { credentialsOf } from './local-bus.js';

interface ReplayCommandOptions {
  aws?: boolean;
  archive?: string;
  from?: string;
  to?: string;
  rules?: string;
  bus?: string;
  name?: string;
  endpoint: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  pollInterval: number;
  wait: boolean;
}

/** `lakewatch replay`: StartReplay of an archive window, on AWS or on the local bus. */
export function registerReplay(program: Command, io: CliIo): void {
  program
    .command('replay')
    .description(
      "replay an EventBridge archive's events of [--from, --to] onto its bus (StartReplay, then DescribeReplay until COMPLETED): on AWS with --aws, else on the local bus at --endpoint",
    )
    .option('--aws', 'replay on Amazon EventBridge (the SDK credentials and --region)')
    .option('--archive <name|arn>', 'the archive (required)')
    .option('--from <time>', 'first event time, ISO 8601 (required)')
    .option('--to <time>', 'last event time, ISO 8601 (required)')
    .option('--rules <names>', 'comma-separated rule names or ARNs: only these receive the events')
    .option('--bus <name|arn>', "destination bus (default: the archive's source bus)")
    .option('--name <replay>', 'replay name (default lakewatch-replay-<time>)')
    .addOption(
      new Option('--endpoint <url>', 'without --aws: the local bus')
        .env('AWS_ENDPOINT_URL_EVENTBRIDGE')
        .default('http://127.0.0.1:4010'),
    )
    .addOption(
      new Option('--access-key-id <id>', 'without --aws: sign with this key').env(
        'LOCAL_BUS_ACCESS_KEY_ID',
      ),
    )
    .addOption(
      new Option('--secret-access-key <secret>', 'the secret of --access-key-id').env(
        'LOCAL_BUS_SECRET_ACCESS_KEY',
      ),
    )
    .addOption(new Option('--region <region>', 'AWS region').env('AWS_REGION'))
    .addOption(pollIntervalOption(5))
    .option('--no-wait', 'return once the replay started')
    .action(async (opts: ReplayCommandOptions) => {
      if (!opts.archive) throw usage("required option '--archive <name|arn>' not specified");
      const from = parseTime(opts.from, '--from');
      const to = parseTime(opts.to, '--to');
      if (!from || !to) throw usage('replay needs --from and --to (ISO 8601 times)');
      const rules = opts.rules
        ?.split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '');
      const client = opts.aws
        ? { region: requireRegion(opts.region) }
        : {
            endpoint: opts.endpoint,
            region: opts.region ?? 'us-east-1',
            // The local bus takes any key unless it was started with one.
            credentials: credentialsOf(opts) ?? { accessKeyId: 'local', secretAccessKey: 'local' },
          };
      const { replayArchive } = await import('../cloud/replay.js');
      const result = await replayArchive(
        {
          archive: opts.archive,
          from,
          to,
          ...(rules?.length ? { rules } : {}),
          ...(opts.bus ? { bus: opts.bus } : {}),
          name: opts.name ?? timestampedName('lakewatch-replay'),
          wait: opts.wait === false ? false : { pollMs: opts.pollInterval },
          client,
        },
        io,
      );
      io.out(`${JSON.stringify(result)}\n`);
    });
}
