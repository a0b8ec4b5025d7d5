import { calibrate, saveModel, train, withCalibration } from '@lakewatch/ipinsights';
import type { Simulation } from '@lakewatch/simulator';
import { parseLogObject } from '@lakewatch/sources';

interface Endpoint {
  ip?: string;
  instance_uid?: string;
  interface_uid?: string;
}
interface FlowRecord {
  class_uid?: number;
  src_endpoint?: Endpoint;
  dst_endpoint?: Endpoint;
  connection_info?: { direction_id?: number };
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const entityOf = (e: Endpoint | undefined) =>
  [e?.instance_uid, e?.interface_uid].find((v) => v && v !== '-');

/**
 * Trains a small IP Insights model on the simulation's history (entity with
 * the remote IP of each flow record), saved to `dir`. Its quality does not matter to the
 * fault test: the expected alerts are derived from this same model and threshold, set for a
 * 10% false-positive rate so that the live window gives dozens of alerts to lose or repeat.
 */
export async function historyModel(sim: Simulation, dir: string): Promise<string> {
  const seen = new Set<string>();
  const entities: string[] = [];
  const ips: string[] = [];
  const add = (entity: string | undefined, ip: string | undefined) => {
    if (!entity || !ip || !IPV4.test(ip) || seen.has(`${entity} ${ip}`)) return;
    seen.add(`${entity} ${ip}`);
    entities.push(entity);
    ips.push(ip);
  };
  for await (const o of sim.objects({ phases: ['history'] })) {
    if (o.type !== 'aws-vpc-flow') continue;
    const body = o.body;
    const parsed = parseLogObject(
      (async function* () {
        yield body;
      })(),
      { sourceUri: `sim://${o.key}` },
    );
    for await (const batch of parsed)
      for (const r of batch.records as FlowRecord[]) {
        const src = entityOf(r.src_endpoint);
        const dst = entityOf(r.dst_endpoint);
        const d = r.connection_info?.direction_id;
        if (src && (!dst || d !== 1)) add(src, r.dst_endpoint?.ip);
        if (dst && (!src || d !== 2)) add(dst, r.src_endpoint?.ip);
      }
  }
  if (entities.length === 0) throw new Error('the simulated history gave no pairs to train on');
  const { model } = await train(
    { entities, ips },
    { num_entity_vectors: 100, vector_dim: 16, epochs: 6, mini_batch_size: 256 },
    { threads: 1, seed: 1, ipPrefixLevels: [8, 16, 24, 32] },
  );
  const { metrics } = calibrate(model, { entities, ips }, { targetFpr: 0.1, seed: 1 });
  await saveModel(withCalibration(model, metrics), dir);
  return dir;
}
