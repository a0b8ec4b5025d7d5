import { join } from 'node:path';
import {
  createLogger,
  FileIdempotencyStore,
  runUntilSignalled,
  startTargetServer,
} from '@lakewatch/service-kit';
import { loadConfig } from './config.js';
import { createScoreService } from './runtime.js';

/**
 * The score service as a local process: an HTTP target of the local bus on `PORT`, consuming
 * NetworkPairsObserved and ModelPublished, idempotent on the event id across restarts, its
 * verdict cache kept in `SCORE_STATE_DIR/verdicts.jsonl` so a restart does not alert again.
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('score', { level: config.logLevel });
  const service = await createScoreService(config, logger, {
    verdictFile: join(config.stateDir, 'verdicts.jsonl'),
  });
  const idempotency = new FileIdempotencyStore(join(config.stateDir, 'processed-events.log'));
  const server = await startTargetServer({
    accepts: ['NetworkPairsObserved', 'ModelPublished'],
    handle: (event) => service.handle(event),
    idempotency,
    port: config.port,
    host: config.host,
    health: () => ({
      service: 'score',
      mode: config.mode,
      publish: config.publish,
      ...service.stats,
    }),
    logger,
  });
  logger.info(
    { url: server.url, model: service.current.version, threshold: service.current.threshold },
    'score listening',
  );
  runUntilSignalled('score', server, () => {
    idempotency.close();
    service.close();
  });
}
