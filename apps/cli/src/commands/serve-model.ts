import { startModelServer } from '@lakewatch/model-serving';
import type { Command } from 'commander';
import { pino } from 'pino';
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

interface ServeModelOptions {
  model: string;
  port: number;
  host: string;
  endpointName?: string;
  watch: boolean;
}

/**
 * `lakewatch serve-model --model MODEL --port P`: the local SageMaker endpoint. Serves the
 * artifact over the SageMaker Runtime API (`POST /endpoints/{name}/invocations`, so
 * `@aws-sdk/client-sagemaker-runtime` works against it with `endpoint`) and the container
 * contract (`GET /ping`, `POST /invocations`); reloads the artifact when it changes and on
 * SIGHUP; stops on Ctrl-C / SIGTERM after in-flight requests.
 */
export function registerServeModel(program: Command, io: CliIo): void {
  program
    .command('serve-model')
    .description(
      'serve a model artifact as a SageMaker-compatible endpoint on 127.0.0.1 (InvokeEndpoint, /ping, /invocations)',
    )
    .requiredOption('--model <dir>', 'model artifact directory (lakewatch train --out)')
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, 8080)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--endpoint-name <name>', 'answer only this endpoint name (default: any)')
    .option('--no-watch', 'reload only on SIGHUP, not when the artifact changes')
    .action(async (opts: ServeModelOptions) => {
      // Model loads and failures go to stderr as JSON lines; stdout carries the address.
      const logger = pino({ level: 'info', base: { service: 'serve-model' } }, pino.destination(2));
      let running: Awaited<ReturnType<typeof startModelServer>>;
      try {
        running = await startModelServer({
          modelPath: opts.model,
          port: opts.port,
          host: opts.host,
          watch: opts.watch,
          logger,
          ...(opts.endpointName ? { endpointName: opts.endpointName } : {}),
        });
      } catch (cause) {
        throw new CliError(`serve-model: ${(cause as Error).message}`, { cause });
      }
      const model = running.server.slot.model;
      io.out(
        `serving ${opts.model} at ${running.url}\n` +
          `  model ${model ? model.version : 'not loaded yet (ModelNotReadyException until a valid artifact appears)'}\n` +
          `  POST ${running.url}/endpoints/${opts.endpointName ?? '{name}'}/invocations · POST /invocations · GET /ping\n` +
          '  SIGHUP reloads the model; Ctrl-C stops\n',
      );
      await running.closed;
    });
}
