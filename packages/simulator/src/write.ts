import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SimulatorError } from './errors.js';
import type { IncidentTruth, Phase } from './incidents.js';
import type { SimulateOptions } from './options.js';
import { createSimulation } from './simulation.js';

/** Options of {@link simulate}: the simulation's options plus where to write. */
export interface SimulateToFolderOptions extends SimulateOptions {
  /** Output folder: `history/` and `live/` (each in the AWS S3 key layout), `ground-truth.json`, `environment.json`. */
  out: string;
  /**
   * Replace the simulator's own output in `out` if present (only `history/`, `live/` and the two JSON files are removed).
   * @default false
   */
  overwrite?: boolean;
  /** Called after each object is written, e.g. for a progress line. */
  onObject?: (written: { key: string; phase: Phase; records: number; objects: number }) => void;
}

/** Counts per phase. */
export interface PhaseSummary {
  objects: number;
  records: number;
  flowRecords: number;
  dnsRecords: number;
  bytes: number;
}

/** What {@link simulate} wrote. */
export interface SimulationResult {
  out: string;
  seed: string;
  days: number;
  instances: number;
  objects: number;
  records: number;
  flowRecords: number;
  dnsRecords: number;
  /** Compressed bytes written. */
  bytes: number;
  history: PhaseSummary;
  live: PhaseSummary;
  incidents: Pick<IncidentTruth, 'id' | 'kind' | 'phase' | 'start' | 'end' | 'pairs' | 'records'>[];
  paths: { history: string; live: string; groundTruth: string; environment: string };
  seconds: number;
  recordsPerSecond: number;
}

const OWN = ['history', 'live', 'ground-truth.json', 'environment.json'];

/**
 * Simulates the environment and writes it to a folder: the history and live log objects under
 * `history/` and `live/` in the S3 key layout AWS uses, `ground-truth.json` (the incidents and
 * the pairs a detector should flag) and `environment.json` (accounts, VPCs, subnets, instances).
 *
 * @example
 * const result = await simulate({ out: 'sim', days: 7, scale: 'medium', seed: 42 });
 * console.log(result.records, result.incidents.map((i) => i.kind));
 */
export async function simulate(options: SimulateToFolderOptions): Promise<SimulationResult> {
  if (typeof options.out !== 'string' || options.out === '')
    throw new SimulatorError("simulate: option 'out' must name an output folder");
  const out = resolve(options.out);
  const began = performance.now();
  const sim = createSimulation(options);
  for (const name of OWN) {
    const path = join(out, name);
    if (!(await exists(path))) continue;
    if (!options.overwrite)
      throw new SimulatorError(
        `simulate: ${path} already exists; pass overwrite to replace the simulator's output`,
      );
    await rm(path, { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
  // Writes run on the thread pool while the next windows are generated; at most 16 in flight.
  const made = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<void>>();
  const phases: Record<Phase, PhaseSummary> = { history: empty(), live: empty() };
  let count = 0;
  for await (const o of sim.objects()) {
    const path = join(out, o.phase, o.key);
    const dir = dirname(path);
    let ready = made.get(dir);
    if (!ready) {
      ready = mkdir(dir, { recursive: true });
      made.set(dir, ready);
    }
    const write = ready
      .then(() => writeFile(path, o.body))
      .then(() => {
        count++;
        options.onObject?.({ key: o.key, phase: o.phase, records: o.records, objects: count });
      });
    inFlight.add(write);
    void write.then(
      () => inFlight.delete(write),
      () => undefined,
    );
    const p = phases[o.phase];
    p.objects++;
    p.records += o.records;
    p.bytes += o.body.length;
    if (o.type === 'aws-vpc-flow') p.flowRecords += o.records;
    else p.dnsRecords += o.records;
    if (inFlight.size >= 16) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const truth = sim.groundTruth();
  const paths = {
    history: join(out, 'history'),
    live: join(out, 'live'),
    groundTruth: join(out, 'ground-truth.json'),
    environment: join(out, 'environment.json'),
  };
  await writeFile(paths.groundTruth, `${JSON.stringify(truth, null, 2)}\n`);
  await writeFile(
    paths.environment,
    `${JSON.stringify(describeEnvironment(sim.environment), null, 2)}\n`,
  );
  const seconds = (performance.now() - began) / 1000;
  const records = phases.history.records + phases.live.records;
  return {
    out,
    seed: sim.options.seed,
    days: sim.options.days,
    instances: sim.environment.instances.length,
    objects: phases.history.objects + phases.live.objects,
    records,
    flowRecords: phases.history.flowRecords + phases.live.flowRecords,
    dnsRecords: phases.history.dnsRecords + phases.live.dnsRecords,
    bytes: phases.history.bytes + phases.live.bytes,
    history: phases.history,
    live: phases.live,
    incidents: truth.incidents.map(({ id, kind, phase, start, end, pairs, records: r }) => ({
      id,
      kind,
      phase,
      start,
      end,
      pairs,
      records: r,
    })),
    paths,
    seconds: Math.round(seconds * 1000) / 1000,
    recordsPerSecond: Math.round(records / Math.max(seconds, 1e-6)),
  };
}

/** The environment as plain JSON: the asset inventory enrichment and tests can use. */
export function describeEnvironment(env: ReturnType<typeof createSimulation>['environment']) {
  return {
    region: env.region,
    accounts: env.accounts,
    vpcs: env.vpcs.map((v) => ({
      id: v.id,
      accountId: v.accountId,
      cidr: v.cidr,
      flowLogId: v.flowLogId,
      resolverIp: v.resolverIp,
      subnets: v.subnets,
      loadBalancer: v.elb.map((e) => ({ eni: e.id, ip: e.ip, subnetId: e.subnetId })),
      natGateways: v.nat.map((e) => ({ eni: e.id, ip: e.ip, subnetId: e.subnetId })),
      rds: v.rds.map((e) => ({ eni: e.id, ip: e.ip, subnetId: e.subnetId })),
      vpcEndpoints: v.endpoints.map((e) => ({
        eni: e.id,
        ip: e.ip,
        subnetId: e.subnetId,
        service: 'ssm',
      })),
    })),
    instances: env.instances.map((i) => ({
      id: i.id,
      name: i.name,
      role: i.role,
      accountId: i.accountId,
      vpcId: i.vpcId,
      subnetId: i.subnetId,
      eni: i.eni.id,
      ip: i.ip,
      resolvesNames: i.resolvesNames,
      services: i.services,
    })),
  };
}

function empty(): PhaseSummary {
  return { objects: 0, records: 0, flowRecords: 0, dnsRecords: 0, bytes: 0 };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
