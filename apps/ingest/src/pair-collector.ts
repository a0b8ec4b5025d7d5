import type { ObservedPair, PairContext } from '@lakewatch/contracts';
import { type Observation, observe, type Pairing } from './pairing.js';

/** Destination ports listed per pair (the contract's limit); the rest are only counted. */
export const MAX_LISTED_PORTS = 16;
const MAX_PROTOCOLS = 8;
const MAX_QUERIES = 8;

interface Accumulator {
  entity: ObservedPair['entity'];
  ip: string;
  count: number;
  first: number;
  last: number;
  directions: Set<ObservedPair['direction']>;
  bytes: number;
  packets: number;
  hasTraffic: boolean;
  ports: Map<number, number>;
  protocols: Set<number>;
  rejected: number;
  queries: Set<string>;
  context: PairContext;
  sample: string;
}

type Obj = { readonly [k: string]: unknown };

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** What {@link PairCollector} saw, per pairing. */
export interface CollectedPairs {
  pairing: Pairing;
  /** Unique pairs, sorted by entity type, entity uid and IP (deterministic). */
  pairs: ObservedPair[];
  /** Records of the pairing's class that yielded no pair (no entity or no usable IP). */
  unpaired: number;
}

/**
 * Collects the unique (entity, IP) pairs of one log object while its records stream past,
 * with counts, first/last seen, traffic, ports, protocols, denied records, DNS names, context
 * and a sample event uid. Memory grows with the number of unique pairs, not records.
 *
 * @example
 * const collector = new PairCollector(['peer', 'dns']);
 * for await (const batch of parsed) collector.addAll(batch.records);
 * const [peer, dns] = collector.result();
 */
export class PairCollector {
  private readonly maps: Map<Pairing, Map<string, Accumulator>>;
  private readonly unpaired = new Map<Pairing, number>();
  private readonly scratch: Observation[] = [];

  constructor(readonly pairings: readonly Pairing[]) {
    this.maps = new Map(pairings.map((p) => [p, new Map()]));
    for (const p of pairings) this.unpaired.set(p, 0);
  }

  /** Adds the records of one parse batch. */
  addAll(records: readonly Obj[]): void {
    for (const r of records) this.add(r);
  }

  /** Adds one OCSF record under every configured pairing. */
  add(record: Obj): void {
    const time = num(record.time);
    if (time === undefined) return;
    const metadata = record.metadata as { uid?: unknown } | undefined;
    const uid = typeof metadata?.uid === 'string' && metadata.uid !== '' ? metadata.uid : undefined;
    if (uid === undefined) return;
    const start = num(record.start_time) ?? time;
    const end = Math.max(num(record.end_time) ?? time, start);
    for (const [pairing, map] of this.maps) {
      const seen = observe(record, pairing, this.scratch);
      if (seen.length === 0) {
        const cls = record.class_uid;
        if ((pairing === 'dns' && cls === 4003) || (pairing !== 'dns' && cls === 4001))
          this.unpaired.set(pairing, (this.unpaired.get(pairing) ?? 0) + 1);
        continue;
      }
      for (const o of seen) this.accumulate(map, o, record, start, end, uid);
      seen.length = 0;
    }
  }

  private accumulate(
    map: Map<string, Accumulator>,
    o: Observation,
    record: Obj,
    start: number,
    end: number,
    uid: string,
  ): void {
    const key = `${o.entity.type}\u0000${o.entity.uid}\u0000${o.ip}`;
    let a = map.get(key);
    if (!a) {
      a = {
        entity: o.entity,
        ip: o.ip,
        count: 0,
        first: start,
        last: end,
        directions: new Set(),
        bytes: 0,
        packets: 0,
        hasTraffic: false,
        ports: new Map(),
        protocols: new Set(),
        rejected: 0,
        queries: new Set(),
        context: o.context,
        sample: uid.slice(0, 256),
      };
      map.set(key, a);
    }
    a.count++;
    if (start < a.first) a.first = start;
    if (end > a.last) a.last = end;
    a.directions.add(o.direction);
    if (o.queries !== undefined) {
      if (a.queries.size < MAX_QUERIES) a.queries.add(o.queries);
      return;
    }
    const traffic = record.traffic as Obj | undefined;
    const bytes = num(traffic?.bytes);
    const packets = num(traffic?.packets);
    if (bytes !== undefined || packets !== undefined) a.hasTraffic = true;
    a.bytes += bytes ?? 0;
    a.packets += packets ?? 0;
    const port = (record.dst_endpoint as Obj | undefined)?.port;
    if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535)
      a.ports.set(port, (a.ports.get(port) ?? 0) + 1);
    const proto = (record.connection_info as Obj | undefined)?.protocol_num;
    if (
      typeof proto === 'number' &&
      Number.isInteger(proto) &&
      proto >= 0 &&
      proto <= 255 &&
      a.protocols.size < MAX_PROTOCOLS
    )
      a.protocols.add(proto);
    if (record.action_id === 2) a.rejected++;
  }

  /** The pairs per configured pairing, in the configured order. */
  result(): CollectedPairs[] {
    return this.pairings.map((pairing) => {
      const map = this.maps.get(pairing) ?? new Map<string, Accumulator>();
      const pairs = [...map.values()].sort(comparePairs).map((a) => toPair(a, pairing));
      return { pairing, pairs, unpaired: this.unpaired.get(pairing) ?? 0 };
    });
  }
}

function comparePairs(a: Accumulator, b: Accumulator): number {
  const x = `${a.entity.type}\u0000${a.entity.uid}\u0000${a.ip}`;
  const y = `${b.entity.type}\u0000${b.entity.uid}\u0000${b.ip}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function toPair(a: Accumulator, pairing: Pairing): ObservedPair {
  const direction: ObservedPair['direction'] =
    a.directions.size === 1 ? ([...a.directions][0] ?? 'unknown') : 'mixed';
  const pair: ObservedPair = {
    entity: a.entity,
    ip: a.ip,
    count: a.count,
    firstSeen: new Date(a.first).toISOString(),
    lastSeen: new Date(a.last).toISOString(),
    direction,
    sampleEventUid: a.sample,
  };
  if (a.hasTraffic) {
    pair.bytes = a.bytes;
    pair.packets = a.packets;
  }
  if (a.ports.size > 0) {
    // Most frequent first, lower port first on ties: the same input lists the same ports.
    pair.dstPorts = [...a.ports]
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, MAX_LISTED_PORTS)
      .map(([p]) => p);
    pair.dstPortCount = a.ports.size;
  }
  if (a.protocols.size > 0) pair.protocols = [...a.protocols].sort((x, y) => x - y);
  if (pairing !== 'dns') pair.rejected = a.rejected;
  if (a.queries.size > 0) pair.queries = [...a.queries].sort();
  if (Object.keys(a.context).length > 0) pair.context = a.context;
  return pair;
}
