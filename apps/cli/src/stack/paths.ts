import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: this file is `apps/cli/{src,dist}/stack/paths.{ts,js}`, so the root is
 * four levels up in both the sources and the build.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The pipeline routing file `lakewatch up` loads by default. */
export const DEFAULT_ROUTING_FILE = join(REPO_ROOT, 'contracts/routing/lakewatch.json');

/** The processes of a local stack, in the order they are started. */
export const STACK_SERVICES = [
  'model-server',
  'ingest',
  'enrich',
  'notify',
  'score',
  'local-bus',
] as const;

/** One process of the stack. */
export type StackService = (typeof STACK_SERVICES)[number];

const BINS: Record<StackService, { bin: string; dist: string }> = {
  'local-bus': { bin: 'apps/local-bus/bin/local-bus.js', dist: 'apps/local-bus/dist/index.js' },
  'model-server': {
    bin: 'apps/model-server/bin/model-server.js',
    dist: 'apps/model-server/dist/index.js',
  },
  ingest: { bin: 'apps/ingest/bin/ingest.js', dist: 'apps/ingest/dist/server.js' },
  score: { bin: 'apps/score/bin/score.js', dist: 'apps/score/dist/server.js' },
  enrich: { bin: 'apps/enrich/bin/enrich.js', dist: 'apps/enrich/dist/server.js' },
  notify: { bin: 'apps/notify/bin/notify.js', dist: 'apps/notify/dist/server.js' },
};

/** The absolute path of a service's `bin/<name>.js`. */
export function binOf(service: StackService): string {
  return join(REPO_ROOT, BINS[service].bin);
}

/** Services whose build (`dist/`) is missing: they cannot be started before `npm run build`. */
export function unbuiltServices(services: readonly StackService[]): StackService[] {
  return services.filter((s) => !existsSync(join(REPO_ROOT, BINS[s].dist)));
}
