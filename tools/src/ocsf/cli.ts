import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../repo-root.js';
import { OCSF_GENERATED_DIR, readOcsfExport, renderOcsf } from './generate.js';

/** The generated files that differ from what is committed (missing, changed or extra). */
export function staleOcsf(root: string): string[] {
  const files = renderOcsf(readOcsfExport(root));
  const dir = join(root, OCSF_GENERATED_DIR);
  let present: string[] = [];
  try {
    present = readdirSync(dir);
  } catch {
    present = [];
  }
  const stale = present.filter((f) => !files.has(f));
  for (const [name, content] of files) {
    let current: string | undefined;
    try {
      current = readFileSync(join(dir, name), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== content) stale.push(name);
  }
  return stale.sort();
}

/** Writes the generated OCSF models; returns the files written. */
export function writeOcsf(root: string): string[] {
  const files = renderOcsf(readOcsfExport(root));
  const dir = join(root, OCSF_GENERATED_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  return [...files.keys()];
}

/** `ocsf generate` writes the models; `ocsf check` exits 1 when they are stale. */
export function main(args: string[]): number {
  const root = findRepoRoot();
  const command = args[0] ?? 'generate';
  if (command === 'generate') {
    for (const f of writeOcsf(root)) console.log(`wrote ${OCSF_GENERATED_DIR}/${f}`);
    return 0;
  }
  if (command === 'check') {
    const stale = staleOcsf(root);
    if (stale.length === 0) return 0;
    console.error(`stale OCSF models (run npm run ocsf:generate): ${stale.join(', ')}`);
    return 1;
  }
  console.error(`unknown command '${command}'; expected generate or check`);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));
