import {
  ApiError,
  callLocalBus,
  type DeadLetter,
  type LocalBusClientOptions,
} from '@lakewatch/local-bus-server';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { credentialsOf } from './local-bus.js';

interface DlqOptions {
  endpoint: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  bus?: string;
  rule?: string;
  target?: string;
  json?: boolean;
  all?: boolean;
}

function clientOptions(opts: DlqOptions): LocalBusClientOptions {
  const credentials = credentialsOf(opts);
  return { endpoint: opts.endpoint, region: opts.region, ...(credentials ? { credentials } : {}) };
}

function filters(opts: DlqOptions): Record<string, string> {
  return {
    ...(opts.bus ? { EventBusName: opts.bus } : {}),
    ...(opts.rule ? { RuleName: opts.rule } : {}),
    ...(opts.target ? { TargetId: opts.target } : {}),
  };
}

async function call(op: string, input: object, opts: DlqOptions): Promise<Record<string, unknown>> {
  try {
    return await callLocalBus(op, input, clientOptions(opts));
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(`dlq: ${e.type}: ${e.message}`, { cause: e });
    throw e;
  }
}

function withCommon(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--endpoint <url>', 'the local bus')
        .env('AWS_ENDPOINT_URL_EVENTBRIDGE')
        .default('http://127.0.0.1:4010'),
    )
    .option('--region <region>', 'region for SigV4', 'us-east-1')
    .addOption(
      new Option('--access-key-id <id>', 'sign requests with this key').env(
        'LOCAL_BUS_ACCESS_KEY_ID',
      ),
    )
    .addOption(
      new Option('--secret-access-key <secret>', 'the secret of --access-key-id').env(
        'LOCAL_BUS_SECRET_ACCESS_KEY',
      ),
    )
    .option('--bus <name>', 'only dead letters of this event bus')
    .option('--rule <name>', 'only dead letters of this rule')
    .option('--target <id>', 'only dead letters of this target id');
}

function line(d: DeadLetter): string {
  return `${d.Id}\t${d.DeadLetteredTime}\t${d.EventBusName}/${d.RuleName}/${d.TargetId}\t${d.Event['detail-type']}\t${d.Event.id}\tattempts=${d.Attempts}\t${d.LastError}\n`;
}

/** `lakewatch dlq list|redrive`: the local bus's dead letters. */
export function registerDlq(program: Command, io: CliIo): void {
  const dlq = program
    .command('dlq')
    .description(
      "the local bus's dead letters: events a target did not take within its retry policy",
    );

  withCommon(
    dlq
      .command('list')
      .description(
        'list dead letters (id, time, bus/rule/target, detail-type, event id, attempts, last error)',
      ),
  )
    .option('--json', 'print the dead letters as JSON lines, with the event')
    .action(async (opts: DlqOptions) => {
      let token: string | undefined;
      let n = 0;
      do {
        const page = await call(
          'ListDeadLetters',
          { ...filters(opts), ...(token ? { NextToken: token } : {}) },
          opts,
        );
        for (const d of page.DeadLetters as DeadLetter[]) {
          io.out(opts.json ? `${JSON.stringify(d)}\n` : line(d));
          n++;
        }
        token = page.NextToken as string | undefined;
      } while (token);
      if (!opts.json) io.err(`${n} dead letter${n === 1 ? '' : 's'}\n`);
    });

  withCommon(
    dlq
      .command('redrive [ids...]')
      .description(
        'deliver dead letters again to their rule target (by id, or --all matching the filters)',
      ),
  )
    .option('--all', 'every dead letter that matches the filters')
    .action(async (ids: string[], opts: DlqOptions) => {
      if (ids.length === 0 && !opts.all)
        throw new CliError('give dead-letter ids, or --all', { exitCode: 2 });
      const out = await call(
        'RedriveDeadLetters',
        { ...filters(opts), ...(ids.length > 0 ? { Ids: ids } : { All: true }) },
        opts,
      );
      const redriven = out.Redriven as { Id: string; EventId: string }[];
      const failed = out.Failed as { Id: string; ErrorMessage: string }[];
      for (const r of redriven) io.out(`redriven ${r.Id} (event ${r.EventId})\n`);
      for (const f of failed) io.err(`not redriven ${f.Id}: ${f.ErrorMessage}\n`);
      io.out(`${redriven.length} redriven, ${failed.length} failed\n`);
      if (failed.length > 0)
        throw new CliError(`${failed.length} dead letter(s) could not be redriven`);
    });
}
