import { join } from 'node:path';
import {
  createLogger,
  FileIdempotencyStore,
  runUntilSignalled,
  startTargetServer,
} from '@lakewatch/service-kit';
import { loadConfig } from './config.js';
import { createEnrichService } from './runtime.js';

/** The enrich service as a local process: an HTTP target of the local bus consuming AnomalyDetected. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('enrich', { level: config.logLevel });
  const service = await createEnrichService(config, logger);
  const idempotency = new FileIdempotencyStore(join(config.stateDir, 'processed-events.log'));
  const server = await startTargetServer({
    accepts: ['AnomalyDetected'],
    handle: (event) => service.handle(event),
    idempotency,
    port: config.port,
    host: config.host,
    health: () => ({ service: 'enrich', guardDuty: config.guardDuty, ...service.stats }),
    logger,
  });
  logger.info({ url: server.url }, 'enrich listening');
  runUntilSignalled('enrich', server, () => idempotency.close());
}
