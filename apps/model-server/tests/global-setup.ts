import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The tests run the real process from `dist/`: build it (and what it imports) first. */
export default function setup(): void {
  const project = fileURLToPath(new URL('..', import.meta.url));
  execFileSync('npx', ['tsc', '-b', project], { stdio: 'inherit' });
}
