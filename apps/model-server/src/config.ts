import { parseArgs } from 'node:util';
import { ModelServerAppError } from './errors.js';

/** The model server's configuration, from flags or the environment (flags win). */
export interface ModelServerConfig {
  /** `--model` / `LAKEWATCH_MODEL_PATH`: the artifact directory to serve. */
  modelPath: string;
  /** `--port` / `LAKEWATCH_MODEL_SERVER_PORT` (SageMaker containers listen on 8080). */
  port: number;
  /** `--host` / `LAKEWATCH_MODEL_SERVER_HOST`. @default '127.0.0.1' */
  host: string;
  /** `--endpoint-name` / `LAKEWATCH_ENDPOINT_NAME`: the only name served. @default any */
  endpointName?: string;
  /** `--no-watch` / `LAKEWATCH_MODEL_WATCH=false`: reload only on SIGHUP. @default watch */
  watch: boolean;
  /** `LOG_LEVEL`. @default 'info' */
  logLevel: string;
}

function port(value: string, from: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ModelServerAppError(`${from} must be a port number 0–65535, got '${value}'`);
  return n;
}

/**
 * Reads the configuration from `argv` (without node and script) and `env`.
 * @throws ModelServerAppError naming the missing or bad setting.
 */
export function readConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): ModelServerConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        model: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'endpoint-name': { type: 'string' },
        'no-watch': { type: 'boolean' },
      },
    }).values;
  } catch (cause) {
    throw new ModelServerAppError((cause as Error).message, { cause });
  }
  const modelPath = (values.model as string | undefined) ?? env.LAKEWATCH_MODEL_PATH;
  if (!modelPath)
    throw new ModelServerAppError('no model: pass --model DIR or set LAKEWATCH_MODEL_PATH');
  const portText = (values.port as string | undefined) ?? env.LAKEWATCH_MODEL_SERVER_PORT;
  const endpointName =
    (values['endpoint-name'] as string | undefined) ?? env.LAKEWATCH_ENDPOINT_NAME;
  return {
    modelPath,
    port:
      portText === undefined
        ? 8080
        : port(portText, values.port ? '--port' : 'LAKEWATCH_MODEL_SERVER_PORT'),
    host: (values.host as string | undefined) ?? env.LAKEWATCH_MODEL_SERVER_HOST ?? '127.0.0.1',
    ...(endpointName ? { endpointName } : {}),
    watch: !(values['no-watch'] === true || env.LAKEWATCH_MODEL_WATCH === 'false'),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
