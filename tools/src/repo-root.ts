import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ToolError } from './errors.js';

/** The repository root: the nearest folder above `from` that holds `nx.json`. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new ToolError(`no nx.json above ${from}: not inside the Lakewatch repository`);
    dir = parent;
  }
}
