import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StackError } from './errors.js';
import type { StackService } from './paths.js';

/** One running process of a stack, as the state file records it. */
export interface ServiceRecord {
  name: StackService;
  pid: number;
  /** Where it listens (its ready line's address). */
  url: string;
  port: number;
  /** Its stdout and stderr. */
  logPath: string;
  /** The program (`apps/<x>/bin/<x>.js`): `down` signals a pid only while it still runs this. */
  bin: string;
  args: string[];
  /** The environment the stack set for it (on top of the starter's), to restart it the same way. */
  env: Record<string, string>;
  /** Path answered with 200 once healthy. */
  healthPath: string;
  startedAt: string;
}

/** `<dir>/stack.json`: what `lakewatch down` and status readers need. */
export interface StackState {
  version: 1;
  dir: string;
  /** The process that started the stack (`lakewatch up`, the demo). */
  supervisorPid: number;
  startedAt: string;
  /** Set once `stop` has stopped every process. */
  stoppedAt?: string;
  busUrl: string;
  eventBusName: string;
  /** The routing file the bus runs with (service URLs filled in). */
  routingFile: string;
  notifyConfig: string;
  lake: string;
  landingDir: string;
  services: Partial<Record<StackService, ServiceRecord>>;
}

/** The state file of a stack folder. */
export function stateFileOf(dir: string): string {
  return join(dir, 'stack.json');
}

/** Reads a stack's state file; undefined when there is none. */
export function readState(dir: string): StackState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFileOf(dir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StackError(`cannot read ${stateFileOf(dir)}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const state = JSON.parse(text) as StackState;
    if (state.version !== 1 || typeof state.services !== 'object')
      throw new Error('not a lakewatch stack state file (version 1)');
    return state;
  } catch (e) {
    throw new StackError(`${stateFileOf(dir)}: ${(e as Error).message}`, { cause: e });
  }
}

/** Writes the state file atomically (a reader never sees half of it). */
export async function writeState(state: StackState): Promise<void> {
  const path = stateFileOf(state.dir);
  const tmp = `${path}.${process.pid}.${++writes}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, path);
}

let writes = 0;
