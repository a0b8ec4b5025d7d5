import {
  type Credentials,
  LocalBusError,
  type LocalBusOptions,
  loadRoutingFile,
  startLocalBus,
} from '@lakewatch/local-bus-server';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(`--port must be a port number 0–65535 (0 = any free port), got '${value}'`, {
      exitCode: 2,
    });
  return n;
}

/** `--access-key-id` / `--secret-access-key` as credentials, both or neither. */
export function credentialsOf(opts: {
  accessKeyId?: string;
  secretAccessKey?: string;
}): Credentials | undefined {
  if (!opts.accessKeyId && !opts.secretAccessKey) return undefined;
  if (!opts.accessKeyId || !opts.secretAccessKey)
    throw new CliError('give both --access-key-id and --secret-access-key, or neither', {
      exitCode: 2,
    });
  return { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey };
}

interface LocalBusCliOptions {
  port: number;
  host: string;
  dataDir: string;
  config?: string;
  account: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * `lakewatch local-bus --port P --data-dir D [--config routing.json]`: runs the local
 * EventBridge in this process until Ctrl-C / SIGTERM. Point SDK clients at it with
 * `AWS_ENDPOINT_URL_EVENTBRIDGE=http://127.0.0.1:P`.
 */
export function registerLocalBus(program: Command, io: CliIo): void {
  program
    .command('local-bus')
    .description(
      'run the local EventBridge (PutEvents, rules, HTTP targets, dead letters, archives, replay) on 127.0.0.1',
    )
    .requiredOption(
      '--data-dir <dir>',
      'folder for the event log, dead letters, archives and rules',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, 4010)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option(
      '--config <routing.json>',
      'routing file: buses, rules, targets and archives to apply at start',
    )
    .option('--account <id>', 'account id in ARNs and events', '000000000000')
    .option('--region <region>', 'region in ARNs and events', 'us-east-1')
    .addOption(
      new Option('--access-key-id <id>', 'require SigV4 requests signed with this key').env(
        'LOCAL_BUS_ACCESS_KEY_ID',
      ),
    )
    .addOption(
      new Option('--secret-access-key <secret>', 'the secret of --access-key-id').env(
        'LOCAL_BUS_SECRET_ACCESS_KEY',
      ),
    )
    .action(async (opts: LocalBusCliOptions) => {
      const credentials = credentialsOf(opts);
      const options: LocalBusOptions = {
        dataDir: opts.dataDir,
        port: opts.port,
        host: opts.host,
        account: opts.account,
        region: opts.region,
        ...(credentials ? { credentials: [credentials] } : {}),
        log: (line) => io.err(`local-bus: ${line}\n`),
      };
      let bus: Awaited<ReturnType<typeof startLocalBus>>;
      try {
        if (opts.config) options.routing = loadRoutingFile(opts.config);
        bus = await startLocalBus(options);
      } catch (cause) {
        if (cause instanceof LocalBusError || (cause as NodeJS.ErrnoException).code)
          throw new CliError(`local-bus: ${(cause as Error).message}`, { cause });
        throw cause;
      }
      const owed = bus.engine.eventLog.pendingDeliveries;
      io.out(
        `local-bus listening on ${bus.url} (data ${opts.dataDir}${opts.config ? `, routing ${opts.config}` : ''})\n` +
          `  AWS_ENDPOINT_URL_EVENTBRIDGE=${bus.url}\n` +
          (owed > 0 ? `  resuming ${owed} owed deliveries\n` : '') +
          `  SigV4 ${credentials ? 'required' : 'not checked'}; Ctrl-C stops\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await bus.close();
    });
}
