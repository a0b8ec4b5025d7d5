import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { buildEnvironment, type Environment } from './environment.js';
import { FlowBuffer, flowLogKey } from './flow-log.js';
import {
  type IncidentTruth,
  injectIncident,
  type Phase,
  type PlannedIncident,
  planIncidents,
} from './incidents.js';
import { type ResolvedOptions, resolveOptions, type SimulateOptions } from './options.js';
import { hash128, rngFor } from './random.js';
import { DnsBuffer, resolverLogKey } from './resolver-log.js';
import { activityAt, buildTopologies, normalTraffic, type Topology } from './traffic.js';
import { WindowContext } from './window.js';

const gzipAsync = promisify(gzip);

/** The log types the simulator writes. */
export type SimulatedLogType = 'aws-vpc-flow' | 'aws-route53-resolver';

/** One log object as AWS would deliver it to S3. */
export interface SimulatedObject {
  /** S3 key in the layout AWS uses (`AWSLogs/<account>/vpcflowlogs/…`). */
  key: string;
  phase: Phase;
  type: SimulatedLogType;
  accountId: string;
  region: string;
  vpcId: string;
  /** The window the object covers, Unix milliseconds; objects come in order of `end`. */
  start: number;
  end: number;
  /** Records in the object (header line excluded). */
  records: number;
  /** The gzip-compressed object. */
  body: Buffer;
}

/** Options of {@link Simulation.objects}. */
export interface ObjectsOptions {
  /**
   * Phases to produce; skipping the history costs nothing and changes no byte of the live objects.
   * @default ['history', 'live']
   */
  phases?: readonly Phase[];
}

/** The ground-truth file: what was injected, where and when. */
export interface GroundTruth {
  schemaVersion: '1.0';
  seed: string;
  region: string;
  history: { start: string; end: string };
  live: { start: string; end: string } | null;
  /** Instances that never send a DNS query in normal traffic. */
  silentInstances: string[];
  incidents: IncidentTruth[];
}

/** A prepared simulation: its environment and plan, and the objects on demand. */
export interface Simulation {
  readonly options: ResolvedOptions;
  readonly environment: Environment;
  /** History start, history end (= live start), live end; Unix milliseconds. */
  readonly window: { start: number; historyEnd: number; end: number };
  /** The ground truth; incident record counts are final once `objects()` has run past them. */
  groundTruth(): GroundTruth;
  /** Yields every object in time order, compressing ahead on the thread pool. */
  objects(options?: ObjectsOptions): AsyncGenerator<SimulatedObject>;
}

/**
 * Prepares a simulation: builds the environment, the traffic topology and the incident plan.
 * Same seed and options ⇒ byte-identical objects.
 *
 * @example
 * const sim = createSimulation({ seed: 'demo', days: 2, scale: 'small' });
 * for await (const object of sim.objects({ phases: ['live'] })) land(object.key, object.body);
 */
export function createSimulation(options: SimulateOptions = {}): Simulation {
  const opts = resolveOptions(options);
  const env = buildEnvironment(opts);
  const topologies = buildTopologies(env, opts.seed);
  const start = opts.start;
  const step = opts.objectMinutes * 60_000;
  // The history ends on an object boundary, so no object holds both history and live records.
  const historyEnd = start + Math.round((opts.days * 24 * 60) / opts.objectMinutes) * step;
  const end = historyEnd + opts.liveMinutes * 60_000;
  const planned = planIncidents(env, topologies, opts, historyEnd);
  return {
    options: opts,
    environment: env,
    window: { start, historyEnd, end },
    groundTruth: () => ({
      schemaVersion: '1.0',
      seed: opts.seed,
      region: opts.region,
      history: { start: iso(start), end: iso(historyEnd) },
      live: opts.liveMinutes > 0 ? { start: iso(historyEnd), end: iso(end) } : null,
      silentInstances: env.instances.filter((i) => !i.resolvesNames).map((i) => i.id),
      incidents: planned.map((p) => structuredClone(p.truth)),
    }),
    objects: (o = {}) =>
      generate(
        opts,
        env,
        topologies,
        planned,
        { start, historyEnd, end, step },
        o.phases ?? ['history', 'live'],
      ),
  };
}

async function* generate(
  opts: ResolvedOptions,
  env: Environment,
  topologies: Topology[],
  planned: PlannedIncident[],
  w: { start: number; historyEnd: number; end: number; step: number },
  phases: readonly Phase[],
): AsyncGenerator<SimulatedObject> {
  const depth = 6;
  const queue: Promise<SimulatedObject>[] = [];
  const volume = opts.intensity * (opts.objectMinutes / 10);
  for (let t0 = w.start, index = 0; t0 < w.end; t0 += w.step, index++) {
    const t1 = Math.min(t0 + w.step, w.end);
    const phase: Phase = t0 < w.historyEnd ? 'history' : 'live';
    if (!phases.includes(phase)) continue;
    const act = activityAt((t0 + t1) / 2000, volume * ((t1 - t0) / w.step));
    for (const topo of topologies) {
      const vpc = topo.vpc;
      const flow = new FlowBuffer(env.enis.length);
      const dns = new DnsBuffer(vpc.accountId, env.region, vpc.id);
      const ctx = new WindowContext(
        env,
        vpc,
        rngFor(opts.seed, 'window', vpc.index, index),
        flow,
        dns,
        t0,
        t1,
      );
      normalTraffic(ctx, topo, act);
      for (const inc of planned) {
        if (inc.vpcIndex !== vpc.index || inc.endMs <= t0 || inc.startMs >= t1) continue;
        const ictx = new WindowContext(
          env,
          vpc,
          rngFor(opts.seed, 'incident', inc.truth.id, index),
          flow,
          dns,
          t0,
          t1,
        );
        injectIncident(ictx, inc, Math.max(t0, inc.startMs) / 1000, Math.min(t1, inc.endMs) / 1000);
      }
      idleInterfaces(ctx, topo);
      const stamp = t1;
      const hash = (kind: string) =>
        hash128(`${opts.seed}|${kind}|${vpc.id}|${t0}`)[0].toString(16).padStart(8, '0');
      const base = {
        phase,
        accountId: vpc.accountId,
        region: env.region,
        vpcId: vpc.id,
        start: t0,
        end: t1,
      };
      queue.push(
        pack(
          {
            ...base,
            type: 'aws-vpc-flow',
            key: flowLogKey(vpc.accountId, env.region, vpc.flowLogId, stamp, hash('flow')),
            records: flow.records,
          },
          flow.bytes(),
          opts.gzipLevel,
        ),
      );
      if (dns.records > 0)
        queue.push(
          pack(
            {
              ...base,
              type: 'aws-route53-resolver',
              key: resolverLogKey(vpc.accountId, vpc.id, stamp, hash('dns')),
              records: dns.records,
            },
            dns.text(),
            opts.gzipLevel,
          ),
        );
      while (queue.length > depth) yield await queue.shift()!;
    }
  }
  while (queue.length > 0) yield await queue.shift()!;
}

/** NODATA for quiet interfaces; now and then SKIPDATA (capacity exceeded), as AWS writes them. */
function idleInterfaces(ctx: WindowContext, topo: Topology): void {
  const { rng, flow } = ctx;
  for (const eni of topo.enis) {
    // As in AWS's examples, a status record spans one aggregation interval (about a minute).
    if (flow.touched[eni.index] === 0 && rng.chance(0.3)) {
      const t = ctx.at(59);
      flow.status(eni, t, t + rng.range(50, 59), 'NODATA');
    } else if (rng.chance(0.0005)) {
      const t = ctx.at(59);
      flow.status(eni, t, t + rng.range(50, 59), 'SKIPDATA');
    }
  }
}

async function pack(
  meta: Omit<SimulatedObject, 'body'>,
  text: string | Buffer,
  level: number,
): Promise<SimulatedObject> {
  const body = await gzipAsync(text, { level });
  return { ...meta, body };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
