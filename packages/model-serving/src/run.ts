import { loadModel } from '@lakewatch/ipinsights';
import { createModelServer, type ModelServer, type ModelServerOptions } from './server.js';

/** Options of {@link startModelServer}: the server's, with the artifact required. */
export interface StartModelServerOptions extends Omit<ModelServerOptions, 'model'> {
  /** The model artifact directory (see `saveModel`). */
  modelPath: string;
  /**
   * Handle process signals: SIGHUP reloads the artifact, SIGINT / SIGTERM close the server
   * after in-flight requests finish. @default true
   */
  signals?: boolean;
}

/** A started server and a promise that settles when it has closed. */
export interface RunningModelServer {
  server: ModelServer;
  url: string;
  /** Settles once `stop()` (or a SIGINT / SIGTERM) has closed the server. */
  closed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Serves a model artifact with the engine's `loadModel`: what `lakewatch serve-model` and the
 * `apps/model-server` deployable run. The artifact is reloaded when it changes on disk and on
 * SIGHUP; a missing or broken artifact answers `ModelNotReadyException` until a good one
 * appears.
 * @example
 * const { url } = await startModelServer({ modelPath: 'model/', port: 8080 });
 */
export async function startModelServer(
  options: StartModelServerOptions,
): Promise<RunningModelServer> {
  const server = createModelServer({ loadModel, ...options });
  const url = await server.listen();
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const onHup = () => {
    server.slot.reload().catch(() => {});
  };
  const onStop = () => {
    void stop();
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (options.signals !== false) {
        process.off('SIGHUP', onHup);
        process.off('SIGINT', onStop);
        process.off('SIGTERM', onStop);
      }
      await server.close();
      resolveClosed();
    })();
    return stopping;
  };
  if (options.signals !== false) {
    process.on('SIGHUP', onHup);
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
  }
  return { server, url, closed, stop };
}
