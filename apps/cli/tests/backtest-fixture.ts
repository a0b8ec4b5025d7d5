import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { NetworkPairsObservedV1, ObservedPair } from '@lakewatch/contracts';
import { createSimulation, type GroundTruth } from '@lakewatch/simulator';

/** One NetworkPairsObserved event as the ingest service would publish it, with its time. */
export interface ObservedEvent {
  time: Date;
  detail: NetworkPairsObservedV1;
}

/** A simulated week as pairs: the events to archive, and the pairs to train on. */
export interface SimulatedWeek {
  events: ObservedEvent[];
  groundTruth: GroundTruth;
  /** (instance, remote IP) pairs of the first days, once per object (training); distinct pairs of the next day (calibration). */
  trainPairs: Array<[string, string]>;
  heldOutPairs: Array<[string, string]>;
  start: number;
  end: number;
}

const DAY = 86_400_000;
/** Pairs of this many hours of objects go into one batch source. */
const SPAN = 3 * 3_600_000;

/**
 * Simulates a small week (VPC Flow Logs v5) and turns every flow object into
 * NetworkPairsObserved batches with the `peer` pairing (the instance with the remote address,
 * both directions), as the ingest service does, so the test can archive a week of events
 * without running a week of ingest.
 */
export async function simulateWeek(options: {
  seed: string;
  instances: number;
  trainDays: number;
}): Promise<SimulatedWeek> {
  const sim = createSimulation({
    seed: options.seed,
    days: 7,
    scale: options.instances,
    liveMinutes: 60,
    incidents: 'all',
  });
  const { start, end } = sim.window;
  const events: ObservedEvent[] = [];
  const train: Array<[string, string]> = [];
  const held = new Set<string>();
  // one batch source per three hours of objects (as a coarser delivery would carry them): a
  // week is then ~60 events, which keeps the replays of the test short on a busy machine
  let pairs = new Map<string, ObservedPair>();
  let span = -1;
  let lastEnd = 0;
  let hourKey = '';
  const flush = () => {
    if (pairs.size === 0) return;
    const all = [...pairs.values()].sort((a, b) =>
      `${a.entity.uid}|${a.ip}` < `${b.entity.uid}|${b.ip}` ? -1 : 1,
    );
    const etag = createHash('md5').update(hourKey).digest('hex');
    const parts = Math.ceil(all.length / 250);
    for (let k = 0; k < parts; k++) {
      events.push({
        time: new Date(lastEnd),
        detail: {
          schemaVersion: '1.0',
          batchId: `npo-${createHash('sha256').update(`${hourKey}|${k}`).digest('hex').slice(0, 24)}`,
          part: { index: k + 1, count: parts },
          sourceObject: { uri: `file:///sim/${hourKey}`, etag },
          ocsfClassUid: 4001,
          pairing: 'peer',
          window: { start: new Date(span).toISOString(), end: new Date(lastEnd).toISOString() },
          pairs: all.slice(k * 250, (k + 1) * 250),
        },
      });
    }
    pairs = new Map();
  };
  for await (const o of sim.objects()) {
    if (o.type !== 'aws-vpc-flow') continue;
    const h = Math.floor((o.end - 1) / SPAN) * SPAN;
    if (h !== span) {
      flush();
      span = h;
      hourKey = o.key;
    }
    lastEnd = o.end;
    const lines = gunzipSync(o.body).toString('utf8').split('\n');
    const seenInObject = new Set<string>();
    const header = (lines[0] ?? '').split(' ');
    const col = (n: string) => header.indexOf(n);
    const [iInst, iSrc, iDst, iDir, iStart, iEnd, iBytes, iPk, iPort, iProto] = [
      'instance-id',
      'srcaddr',
      'dstaddr',
      'flow-direction',
      'start',
      'end',
      'bytes',
      'packets',
      'dstport',
      'protocol',
    ].map(col) as number[];
    for (let i = 1; i < lines.length; i++) {
      const f = lines[i]!.split(' ');
      const inst = f[iInst!];
      if (!inst || inst === '-' || f[iSrc!] === '-') continue;
      const inbound = f[iDir!] === 'ingress';
      const ip = inbound ? f[iSrc!]! : f[iDst!]!;
      const t0 = Number(f[iStart!]) * 1000;
      const t1 = Number(f[iEnd!]) * 1000;
      const key = `${inst}|${ip}`;
      const p = pairs.get(key);
      if (!p) {
        pairs.set(key, {
          entity: { type: 'instance', uid: inst },
          ip,
          count: 1,
          firstSeen: new Date(t0).toISOString(),
          lastSeen: new Date(t1).toISOString(),
          direction: inbound ? 'inbound' : 'outbound',
          bytes: Number(f[iBytes!]) || 0,
          packets: Number(f[iPk!]) || 0,
          dstPorts: [Number(f[iPort!]) || 0],
          protocols: [Number(f[iProto!]) || 0],
          sampleEventUid: `${o.key.slice(-12)}-${i}`,
        });
      } else {
        p.count += 1;
        if (new Date(t1).toISOString() > p.lastSeen) p.lastSeen = new Date(t1).toISOString();
      }
      if (o.phase === 'history' && o.end <= start + options.trainDays * DAY) {
        if (!seenInObject.has(key)) train.push([inst, ip]);
        seenInObject.add(key);
      } else if (o.phase === 'history' && o.end <= start + (options.trainDays + 1) * DAY)
        held.add(key);
    }
  }
  flush();
  const split = (s: Set<string>) => [...s].sort().map((k) => k.split('|') as [string, string]);
  return {
    events,
    groundTruth: sim.groundTruth(),
    trainPairs: train,
    heldOutPairs: split(held),
    start,
    end,
  };
}
