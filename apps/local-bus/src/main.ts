import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { loadConfig } from './config.js';

/**
 * Runs the bus from the environment until SIGINT/SIGTERM; prints one line
 * `local-bus listening on <url>` when ready.
 */
export async function main(
  env: Record<string, string | undefined> = process.env,
): Promise<LocalBus> {
  const bus = await startLocalBus(loadConfig(env));
  process.stdout.write(`local-bus listening on ${bus.url}\n`);
  const stop = (): void => {
    void bus.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return bus;
}
