import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '../../../..');

/**
 * The stack and demo tests run the built processes (`node apps/<x>/bin/<x>.js`): build the CLI
 * and every service once before the tests. A type error elsewhere in the tree does not stop the
 * run here (tsc -b still emits); a test then fails if what it runs is missing or broken.
 */
export function setup(): void {
  const build = spawnSync(
    'npx',
    [
      'tsc',
      '-b',
      'apps/cli',
      'apps/ingest',
      'apps/score',
      'apps/enrich',
      'apps/notify',
      'apps/local-bus',
      'apps/model-server',
    ],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0)
    process.stderr.write('global-setup: tsc -b reported errors (see above)\n');
}
