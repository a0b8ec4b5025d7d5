import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The process test runs the real service from `dist/`: build it (and what it imports) first. */
export default function setup(): void {
  const project = fileURLToPath(new URL('..', import.meta.url));
  execFileSync('npx', ['tsc', '-b', project], { stdio: 'inherit' });
}
