import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Builds apps/local-bus and what it imports, so spawned processes run current code. */
export default function setup(): void {
  const app = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [join(app, '../../node_modules/typescript/bin/tsc'), '-b', app], {
    stdio: 'inherit',
  });
}
