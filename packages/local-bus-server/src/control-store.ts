import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { StorageError } from './errors.js';
import type { ControlState } from './model.js';

const FILE = 'control.json';

/** Reads the control plane (buses, rules, targets, archives, replays) from `dir`. */
export function readControlState(dir: string): ControlState {
  const path = join(dir, FILE);
  if (!existsSync(path)) return { buses: [], rules: [], archives: [], replays: [] };
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ControlState;
  } catch (cause) {
    throw new StorageError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

/** Replaces the control plane file atomically (write, fsync, rename). */
export function writeControlState(dir: string, state: ControlState): void {
  const path = join(dir, FILE);
  const tmp = `${path}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (cause) {
    throw new StorageError(`cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
}
