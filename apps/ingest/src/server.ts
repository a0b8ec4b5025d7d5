// The local process: an HTTP target (POST /objects, POST /notifications) and a landing folder watch.
import { createLogger, startTargetServer } from '@lakewatch/service-kit';
import { readConfig } from './config.js';
import { LandingWatcher } from './landing.js';
import { IngestService } from './service.js';
import { ingestRoutes } from './triggers-handlers.js';

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (e) {
  process.stderr.write(`ingest: ${(e as Error).message}\n`);
  process.exit(2);
}
const logger = createLogger('ingest', { level: config.logLevel });
const service = IngestService.fromConfig(config, logger);
const watcher = config.landingDir
  ? new LandingWatcher({
      dir: config.landingDir,
      pollMs: config.landingPollMs,
      stableMs: config.landingStableMs,
      ingest: (path) => service.ingest({ uri: path }),
      logger,
    })
  : undefined;
const server = await startTargetServer({
  accepts: [],
  handle: async () => {},
  port: config.port,
  host: config.host,
  routes: ingestRoutes(service),
  health: () => ({ service: 'ingest', lake: config.lake, pairings: config.pairings }),
  logger,
});
await watcher?.start();
logger.info(
  { url: server.url, lake: config.lake, landingDir: config.landingDir, pairings: config.pairings },
  'listening',
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  await watcher?.stop();
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
