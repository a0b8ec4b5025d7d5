import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The real repository root (tools/tests → repo). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** A throwaway folder, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `lakewatch-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies the contracts and the generated code of the real repo into a throwaway repo root. */
export function copyContractsRepo(dir: string): void {
  writeFileSync(join(dir, 'nx.json'), '{}');
  cpSync(join(REPO_ROOT, 'contracts'), join(dir, 'contracts'), { recursive: true });
  cpSync(
    join(REPO_ROOT, 'packages/contracts/src/generated'),
    join(dir, 'packages/contracts/src/generated'),
    {
      recursive: true,
    },
  );
}

/** Reads, edits and writes back a JSON file. */
export function editJson(path: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, JSON.stringify(json, null, 2));
}

/** Writes a file, creating its folders. */
export function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
