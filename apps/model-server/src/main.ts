import { type RunningModelServer, startModelServer } from '@lakewatch/model-serving';
import { pino } from 'pino';
import type { ModelServerConfig } from './config.js';

/**
 * Runs the model server until SIGINT / SIGTERM: serves the artifact over the SageMaker
 * Runtime API, reloads it when it changes and on SIGHUP, and logs (JSON lines on stdout) the
 * address, every model load and every failure.
 */
export async function main(config: ModelServerConfig): Promise<RunningModelServer> {
  const logger = pino({ level: config.logLevel, base: { service: 'model-server' } });
  const running = await startModelServer({
    modelPath: config.modelPath,
    port: config.port,
    host: config.host,
    watch: config.watch,
    logger,
    ...(config.endpointName ? { endpointName: config.endpointName } : {}),
  });
  logger.info(
    { url: running.url, model: config.modelPath, ready: running.server.slot.model !== undefined },
    'listening',
  );
  void running.closed.then(() => logger.info('closed'));
  return running;
}
