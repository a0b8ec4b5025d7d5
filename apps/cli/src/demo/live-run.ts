import { join } from 'node:path';
import type { GroundTruth, Pairing, Simulation } from '@lakewatch/simulator';
import type { CliIo } from '../io.js';
import { getJson } from '../stack/health.js';
import type { Stack } from '../stack/stack.js';
import {
  AlertTail,
  finishedObjects,
  formatAlert,
  type LandedObject,
  landFolder,
  landSimulated,
} from './live.js';
import type { DemoOptions } from './run.js';
import type { Alert } from './truth.js';
import { type EnvironmentJson, scoreAlerts, type TruthScore } from './truth.js';

/** What the live phase saw. */
export interface LiveResult {
  landed: number;
  alerts: Alert[];
  alertsFile: string;
  latencies: number[];
  pairs: number;
  score: TruthScore | undefined;
}

interface LiveInput {
  options: DemoOptions;
  say: (line: string) => void;
  io: CliIo;
  stack: Stack;
  sim: Simulation | undefined;
  /** Land this folder's files instead of the simulation's live window. */
  liveFolder: string | undefined;
  truth: GroundTruth | undefined;
  environment: EnvironmentJson | undefined;
  dir: string;
  lakeDir: string;
}

const PAIRINGS: Pairing[] = ['peer'];

async function busPending(stack: Stack): Promise<number | undefined> {
  const h = (await getJson(`${stack.state.busUrl}/health`)) as
    | { pendingDeliveries?: number }
    | undefined;
  return h?.pendingDeliveries;
}

async function scoreStats(stack: Stack): Promise<{ pairs: number; anomalies: number }> {
  const s = stack.state.services.score;
  const h = s
    ? ((await getJson(`${s.url}/health`)) as { pairs?: number; anomalies?: number } | undefined)
    : undefined;
  return { pairs: h?.pairs ?? 0, anomalies: h?.anomalies ?? 0 };
}

/**
 * Lands the live objects into ingest's folder, prints each alert as notify delivers it and a
 * progress line every two seconds, and waits until the pipeline has drained: every landed
 * object ingested, nothing owed by the bus, no new alert for a second.
 */
export async function runLive(input: LiveInput): Promise<LiveResult> {
  const { options, say, stack } = input;
  const landing = stack.state.landingDir;
  const alertsFile = join(stack.state.dir, 'notifications', 'demo-alerts.jsonl');
  const tail = new AlertTail(alertsFile);
  const landedAt = new Map<string, number>();
  const latencies: number[] = [];
  const liveStart = performance.now();
  let landed = 0;
  let landingDone = false;
  let lastProgress = performance.now();
  const showAlerts = async () => {
    for (const a of await tail.poll()) {
      const uri = a.finding.source?.object?.uri;
      const t0 = uri ? landedAt.get(uri) : undefined;
      const latency = t0 !== undefined ? Date.parse(a.at) - t0 : undefined;
      if (latency !== undefined) latencies.push(latency);
      say(formatAlert(a, latency));
    }
  };
  const progress = async (force = false) => {
    if (!force && performance.now() - lastProgress < 2000) return;
    lastProgress = performance.now();
    const done = await finishedObjects(landing);
    const s = await scoreStats(stack);
    const pending = await busPending(stack);
    say(
      `live ${((performance.now() - liveStart) / 1000).toFixed(0)} s: landed ${landed}${landingDone ? '' : '…'}, ingested ${done.processed}${done.failed ? ` (${done.failed} failed)` : ''}, pairs scored ${s.pairs}, anomalies ${s.anomalies}, alerts ${tail.alerts.length}, bus deliveries owed ${pending ?? '?'}`,
    );
  };
  let ticking = true;
  const ticker = (async () => {
    while (ticking) {
      await showAlerts();
      await progress();
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const source: AsyncIterable<LandedObject> = input.liveFolder
    ? landFolder(input.liveFolder, landing, options.landDelayMs)
    : landSimulated(input.sim as Simulation, landing, options.landDelayMs);
  say(`landing live log objects into ${landing}`);
  try {
    for await (const l of source) {
      landedAt.set(l.uri, l.landedAt);
      landed++;
    }
    landingDone = true;
    say(`all ${landed} objects landed; waiting for the pipeline to drain`);
    // Drained: every object ingested, the bus owes nothing, and nothing new for a second.
    const deadline = performance.now() + options.drainSeconds * 1000;
    let quietSince = performance.now();
    let last = '';
    while (performance.now() < deadline) {
      const done = await finishedObjects(landing);
      const pending = await busPending(stack);
      const s = await scoreStats(stack);
      const now = `${done.processed + done.failed}/${pending}/${s.pairs}/${tail.alerts.length}`;
      if (now !== last) {
        last = now;
        quietSince = performance.now();
      }
      if (
        done.processed + done.failed >= landed &&
        pending === 0 &&
        performance.now() - quietSince > 1000
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (performance.now() >= deadline)
      say(
        `warning: the pipeline did not drain within ${options.drainSeconds} s; reporting what arrived`,
      );
  } finally {
    ticking = false;
    await ticker;
  }
  await showAlerts();
  await progress(true);
  const { pairs } = await scoreStats(stack);
  const score =
    input.truth && input.environment
      ? scoreAlerts(tail.alerts, input.truth, input.environment, PAIRINGS)
      : undefined;
  return { landed, alerts: tail.alerts, alertsFile, latencies, pairs, score };
}
