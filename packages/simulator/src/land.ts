import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Phase } from './incidents.js';
import type { SimulatedObject, Simulation } from './simulation.js';

/** Options of {@link landObjects}. */
export interface LandOptions {
  /** The folder to land objects in (a watched landing folder); keys keep their S3 layout below it. */
  dir: string;
  /**
   * Phases to land.
   * @default ['live']
   */
  phases?: readonly Phase[];
  /**
   * Pause before each object after the first, in milliseconds (to pace a demo).
   * @default 0
   */
  delayMs?: number;
  /** Stops landing when aborted (the generator ends quietly). */
  signal?: AbortSignal;
}

/** One object that has landed. */
export interface Landed {
  /** Absolute path of the landed file. */
  path: string;
  object: SimulatedObject;
  /** When the file appeared under its final name (Unix milliseconds): the start of alert latency. */
  landedAt: number;
}

/**
 * Lands a simulation's objects one by one into a folder, in time order, as S3 delivery would:
 * each file is written under a hidden `.…partial` name and renamed into place, so a watcher
 * never sees a half-written object.
 *
 * @example
 * for await (const { path, landedAt } of landObjects(sim, { dir: 'landing', delayMs: 200 }))
 *   progress(path, landedAt);
 */
export async function* landObjects(sim: Simulation, options: LandOptions): AsyncGenerator<Landed> {
  const delay = options.delayMs ?? 0;
  const made = new Set<string>();
  let first = true;
  for await (const object of sim.objects({ phases: options.phases ?? ['live'] })) {
    if (options.signal?.aborted) return;
    if (!first && delay > 0) {
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        return;
      }
    }
    first = false;
    const path = join(options.dir, object.key);
    const dir = dirname(path);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    const partial = join(dir, `.${basename(path)}.partial`);
    await writeFile(partial, object.body);
    await rename(partial, path);
    yield { path, object, landedAt: Date.now() };
  }
}
