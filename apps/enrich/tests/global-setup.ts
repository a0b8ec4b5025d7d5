import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The integration test runs the service from dist: build it (and what it needs) once. */
export function setup(): void {
  execFileSync('npx', ['tsc', '-b', 'apps/enrich'], {
    cwd: join(import.meta.dirname, '../../..'),
    stdio: 'inherit',
  });
}
