import { createLogger, runUntilSignalled, startTargetServer } from '@lakewatch/service-kit';
import { loadConfig } from './config.js';
import { RoutedInputError } from './errors.js';
import { parseRouted } from './routed.js';
import { createNotifier } from './runtime.js';

/**
 * The notify service as a local process: an HTTP target of the local bus on `PORT`.
 * `POST /routed` takes a route's wrapped input (`{route, targets, event}`); an input that is
 * off-contract answers 400 (dead-lettered by the bus), a failure to publish an outcome 500
 * (retried; nothing already sent is sent again).
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('notify', { level: config.logLevel });
  const notifier = createNotifier(config, logger);
  const server = await startTargetServer({
    accepts: [],
    handle: async () => {},
    port: config.port,
    host: config.host,
    routes: {
      '/routed': async (body) => {
        let routed: ReturnType<typeof parseRouted>;
        try {
          routed = parseRouted(body);
        } catch (e) {
          if (e instanceof RoutedInputError) {
            logger.warn({ err: e.message }, 'routed input refused');
            return { status: 400, body: { error: 'invalid-input', message: e.message } };
          }
          throw e;
        }
        const outcomes = await notifier.handle(routed);
        return { status: 200, body: { route: routed.route, outcomes } };
      },
    },
    health: () => ({ service: 'notify', ...notifier.stats }),
    logger,
  });
  logger.info({ url: server.url }, 'notify listening');
  runUntilSignalled('notify', server);
}
