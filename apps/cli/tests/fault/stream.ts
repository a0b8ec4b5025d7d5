import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SimulatedObject, Simulation } from '@lakewatch/simulator';
import type { StackService } from '../../src/stack/paths.js';
import type { Stack } from '../../src/stack/stack.js';
import { waitFor } from '../support/wait.js';

/** The simulation's live objects, generated once (they are small) so their number is known. */
export async function liveObjects(sim: Simulation): Promise<SimulatedObject[]> {
  const out: SimulatedObject[] = [];
  for await (const o of sim.objects({ phases: ['live'] })) out.push(o);
  return out;
}

/** Lands one object as S3 delivery would: written under a hidden name, then renamed. */
export async function land(dir: string, object: SimulatedObject): Promise<void> {
  const path = join(dir, object.key);
  await mkdir(dirname(path), { recursive: true });
  const hidden = join(dirname(path), `.${basename(path)}.partial`);
  await writeFile(hidden, object.body);
  await rename(hidden, path);
}

/** One crash the test caused. */
export interface FaultRecord {
  service: StackService;
  pidKilled: number;
  pidRestarted: number;
  /** Objects landed / finished by ingest when the process was killed. */
  landedAtKill: number;
  processedAtKill: number;
  /** From the kill to the restarted process answering its health check. */
  outageMs: number;
}

/** When to crash a process, and how long it stays down before it is started again. */
export interface Fault {
  service: StackService;
  /** Polled every 20 ms; the process is killed as soon as it returns true. */
  trigger: () => boolean | Promise<boolean>;
}

/**
 * Crashes each fault's process with SIGKILL when its trigger fires, leaves it down for
 * `downMs` while the stream goes on, and starts it again on its port (Stack.startService).
 */
export async function runFaults(
  stack: Stack,
  faults: readonly Fault[],
  progress: () => { landed: number; processed: number },
  downMs: number,
): Promise<FaultRecord[]> {
  const out: FaultRecord[] = [];
  for (const f of faults) {
    await waitFor(`the moment to kill ${f.service}`, f.trigger, {
      timeoutMs: 120_000,
      everyMs: 20,
      state: () => JSON.stringify(progress()),
    });
    const pidKilled = stack.service(f.service).pid;
    const t0 = performance.now();
    await stack.kill(f.service, 'SIGKILL');
    const at = progress();
    await new Promise((r) => setTimeout(r, downMs));
    const restarted = await stack.startService(f.service);
    out.push({
      service: f.service,
      pidKilled,
      pidRestarted: restarted.pid,
      landedAtKill: at.landed,
      processedAtKill: at.processed,
      outageMs: Math.round(performance.now() - t0),
    });
  }
  return out;
}
