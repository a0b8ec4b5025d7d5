import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { calibrate, saveModel, train, withCalibration } from '@lakewatch/ipinsights';

/** The repository root (tests run from apps/cli). */
export const REPO_ROOT = join(import.meta.dirname, '../../../..');

/** The built CLI entry. */
export const CLI_BIN = join(REPO_ROOT, 'apps/cli/bin/lakewatch.js');

const run = promisify(execFile);

/** Runs the built `lakewatch` with `args` as a separate process. */
export async function lakewatch(
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI_BIN, ...args], {
    cwd: REPO_ROOT,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 32 * 1024 * 1024,
  });
}

/** A small calibrated model (two entities, a few addresses) saved to `dir`. */
export async function tinyModel(dir: string): Promise<string> {
  const entities = ['i-web', 'i-web', 'i-web', 'i-db', 'i-db', 'i-db'];
  const ips = ['10.0.1.5', '10.0.1.6', '52.94.1.1', '10.0.2.5', '10.0.2.6', '10.0.2.7'];
  const { model } = await train(
    { entities, ips },
    { num_entity_vectors: 20, vector_dim: 8, epochs: 2 },
    { threads: 1, seed: 1 },
  );
  const { metrics } = calibrate(model, { entities, ips }, { targetFpr: 0.2 });
  await saveModel(withCalibration(model, metrics), dir);
  return dir;
}

/** Whether a process id is still in use (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
