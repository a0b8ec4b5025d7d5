import { type LocalBusOptions, loadRoutingFile } from '@lakewatch/local-bus-server';
import { LocalBusAppError } from './errors.js';

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, min: number, max: number): number | undefined {
  const v = env[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new LocalBusAppError(`${key} must be a whole number from ${min} to ${max}, got '${v}'`);
  return n;
}

/**
 * The bus's options from the environment (the only place the app reads it):
 * - `LOCAL_BUS_DATA_DIR` (required): data folder
 * - `LOCAL_BUS_PORT` (default 4010), `LOCAL_BUS_HOST` (default 127.0.0.1)
 * - `LOCAL_BUS_CONFIG`: routing file to apply at start
 * - `LOCAL_BUS_ACCOUNT` (default 000000000000), `LOCAL_BUS_REGION` (default us-east-1)
 * - `LOCAL_BUS_ACCESS_KEY_ID` + `LOCAL_BUS_SECRET_ACCESS_KEY`: require SigV4 with this key
 * - `LOCAL_BUS_RETRY_BASE_MS`, `LOCAL_BUS_RETRY_MAX_MS`, `LOCAL_BUS_DELIVERY_TIMEOUT_MS`
 */
export function loadConfig(env: Env = process.env): LocalBusOptions {
  const dataDir = env.LOCAL_BUS_DATA_DIR;
  if (!dataDir) throw new LocalBusAppError('LOCAL_BUS_DATA_DIR must name the data folder');
  const keyId = env.LOCAL_BUS_ACCESS_KEY_ID;
  const secret = env.LOCAL_BUS_SECRET_ACCESS_KEY;
  if (Boolean(keyId) !== Boolean(secret))
    throw new LocalBusAppError(
      'set both LOCAL_BUS_ACCESS_KEY_ID and LOCAL_BUS_SECRET_ACCESS_KEY, or neither',
    );
  const opts: LocalBusOptions = { dataDir };
  const port = int(env, 'LOCAL_BUS_PORT', 0, 65_535);
  if (port !== undefined) opts.port = port;
  if (env.LOCAL_BUS_HOST) opts.host = env.LOCAL_BUS_HOST;
  if (env.LOCAL_BUS_ACCOUNT) {
    if (!/^\d{12}$/.test(env.LOCAL_BUS_ACCOUNT))
      throw new LocalBusAppError(
        `LOCAL_BUS_ACCOUNT must be 12 digits, got '${env.LOCAL_BUS_ACCOUNT}'`,
      );
    opts.account = env.LOCAL_BUS_ACCOUNT;
  }
  if (env.LOCAL_BUS_REGION) opts.region = env.LOCAL_BUS_REGION;
  if (keyId && secret) opts.credentials = [{ accessKeyId: keyId, secretAccessKey: secret }];
  if (env.LOCAL_BUS_CONFIG) opts.routing = loadRoutingFile(env.LOCAL_BUS_CONFIG);
  const base = int(env, 'LOCAL_BUS_RETRY_BASE_MS', 1, 3_600_000);
  if (base !== undefined) opts.retryBaseDelayMs = base;
  const max = int(env, 'LOCAL_BUS_RETRY_MAX_MS', 1, 86_400_000);
  if (max !== undefined) opts.retryMaxDelayMs = max;
  const timeout = int(env, 'LOCAL_BUS_DELIVERY_TIMEOUT_MS', 1, 600_000);
  if (timeout !== undefined) opts.deliveryTimeoutMs = timeout;
  return opts;
}
