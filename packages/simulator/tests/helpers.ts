import { gunzipSync } from 'node:zlib';
import {
  createSimulation,
  type GroundTruth,
  type Phase,
  type SimulatedObject,
  type SimulateOptions,
} from '../src/index.js';

/** One generated object with its decompressed text. */
export interface Collected {
  obj: SimulatedObject;
  text: string;
}

/** A generated simulation, all objects in memory. */
export interface Run {
  objects: Collected[];
  truth: GroundTruth;
}

const cache = new Map<string, Promise<Run>>();

/** Generates (once per option set) and decompresses every object. */
export function run(options: SimulateOptions, phases?: Phase[]): Promise<Run> {
  const key = JSON.stringify([options, phases]);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const sim = createSimulation(options);
      const objects: Collected[] = [];
      for await (const obj of sim.objects(phases ? { phases } : {}))
        objects.push({ obj, text: gunzipSync(obj.body).toString('utf8') });
      return { objects, truth: sim.groundTruth() };
    })();
    cache.set(key, p);
  }
  return p;
}

/** The small environment most tests share: one day of history and a 30-minute live window. */
export const SMALL: SimulateOptions = { seed: 'test', days: 1, scale: 'small', liveMinutes: 30 };

/** Field positions of the simulator's flow log header. */
export const COL = {
  srcaddr: 3,
  dstaddr: 4,
  dstport: 6,
  bytes: 9,
  start: 10,
  action: 12,
  status: 13,
  instance: 16,
  pktSrc: 19,
  pktDst: 20,
  direction: 25,
} as const;

/** The data rows (split on spaces) of a flow log object. */
export function flowRows(text: string): string[][] {
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => l.split(' '));
}

/** `instance ip` pairs as the pairing strategies see them, per phase. */
export function pairsOf(objects: Collected[]): Record<'source' | 'peer' | 'dns', Set<string>> {
  const out = { source: new Set<string>(), peer: new Set<string>(), dns: new Set<string>() };
  for (const { obj, text } of objects) {
    if (obj.type === 'aws-vpc-flow') {
      for (const r of flowRows(text)) {
        const inst = r[COL.instance]!;
        if (inst === '-' || r[COL.status] !== 'OK') continue;
        if (r[COL.direction] === 'egress') {
          out.peer.add(`${inst} ${r[COL.pktDst]}`);
          out.source.add(`${inst} ${r[COL.pktSrc]}`);
        } else out.peer.add(`${inst} ${r[COL.pktSrc]}`);
      }
    } else {
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const q = JSON.parse(line) as {
          srcids: { instance?: string };
          answers: { Rdata: string; Type: string }[];
        };
        for (const a of q.answers)
          if (a.Type === 'A' && q.srcids.instance) out.dns.add(`${q.srcids.instance} ${a.Rdata}`);
      }
    }
  }
  return out;
}
