import type { Entity, ObservedPair, PairContext } from '@lakewatch/contracts';
import { IngestError } from './errors.js';
import { ipFamily, isInternalIp } from './ip.js';

/** How pairs are formed; see the README. */
export type Pairing = 'source' | 'peer' | 'dns';

/** Every pairing strategy, in the order batches are published. */
export const PAIRINGS: readonly Pairing[] = ['source', 'peer', 'dns'];

/** The OCSF class a pairing reads: Network Activity for `source`/`peer`, DNS Activity for `dns`. */
export function pairingClass(pairing: Pairing): 4001 | 4003 {
  return pairing === 'dns' ? 4003 : 4001;
}

/**
 * Parses a pairing list such as `peer,dns` (order kept, duplicates dropped).
 * @throws IngestError naming the unknown strategy.
 */
export function parsePairings(text: string): Pairing[] {
  const out: Pairing[] = [];
  for (const raw of text.split(',')) {
    const p = raw.trim();
    if (p === '') continue;
    if (!(PAIRINGS as readonly string[]).includes(p))
      throw new IngestError(`unknown pairing '${p}'; expected a list of ${PAIRINGS.join(', ')}`);
    if (!out.includes(p as Pairing)) out.push(p as Pairing);
  }
  if (out.length === 0) throw new IngestError(`no pairing in '${text}'`);
  return out;
}

/** One (entity, IP) observation drawn from one record. */
export interface Observation {
  entity: Entity;
  ip: string;
  direction: ObservedPair['direction'];
  context: PairContext;
  /** The entity-side record fields used for the context (own endpoint). */
  queries?: string;
}

type Obj = { readonly [k: string]: unknown };

const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null ? (v as Obj) : undefined;

/** A usable string: parsers write `-` for VPC flow fields that carry no value. */
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v !== '-' ? v : undefined;
}

function cut(v: string | undefined, max: number): string | undefined {
  return v === undefined ? undefined : v.slice(0, max);
}

/** The cloud entity of an endpoint: its instance, else its network interface. */
function endpointEntity(ep: Obj | undefined): Entity | undefined {
  const instance = str(ep?.instance_uid);
  if (instance) return { type: 'instance', uid: instance.slice(0, 256) };
  const eni = str(ep?.interface_uid);
  if (eni) return { type: 'interface', uid: eni.slice(0, 256) };
  return undefined;
}

function isZeek(record: Obj): boolean {
  return obj(obj(record.metadata)?.product)?.name === 'Zeek';
}

/**
 * The entity of an endpoint whose record names no instance or interface: for Zeek the host
 * (its name, else its address: Zeek knows hosts by address), else the record's cloud account.
 */
function fallbackEntity(record: Obj, ep: Obj | undefined): Entity | undefined {
  if (isZeek(record)) {
    const host = str(ep?.hostname) ?? str(ep?.ip);
    return host ? { type: 'hostname', uid: host.slice(0, 256) } : undefined;
  }
  const account = str(obj(obj(record.cloud)?.account)?.uid);
  return account ? { type: 'account', uid: account.slice(0, 256) } : undefined;
}

function contextOf(record: Obj, ep: Obj | undefined): PairContext {
  const cloud = obj(record.cloud);
  const c: PairContext = {};
  const account = cut(str(obj(cloud?.account)?.uid), 64);
  const region = cut(str(cloud?.region), 64);
  const vpc = cut(str(ep?.vpc_uid), 64);
  const subnet = cut(str(ep?.subnet_uid), 64);
  const eni = cut(str(ep?.interface_uid), 64);
  const ip = cut(str(ep?.ip), 64);
  if (account) c.accountUid = account;
  if (region) c.region = region;
  if (vpc) c.vpcUid = vpc;
  if (subnet) c.subnetUid = subnet;
  if (eni) c.interfaceUid = eni;
  if (ip) c.entityIp = ip;
  return c;
}

function recordDirection(record: Obj): ObservedPair['direction'] {
  switch (obj(record.connection_info)?.direction_id) {
    case 1:
      return 'inbound';
    case 2:
      return 'outbound';
    case 3:
      return 'lateral';
    default:
      return 'unknown';
  }
}

function ipOf(ep: Obj | undefined): string | undefined {
  const ip = ep?.ip;
  return ipFamily(ip) === 0 ? undefined : (ip as string);
}

/** Pairs of the blog: the source endpoint's entity with the source IP. */
function sourcePairs(record: Obj, out: Observation[]): void {
  const src = obj(record.src_endpoint);
  const ip = ipOf(src);
  if (!ip) return;
  let entity = endpointEntity(src);
  if (!entity) {
    // The destination is the cloud side: the source is a remote peer, not an entity's own IP.
    if (endpointEntity(obj(record.dst_endpoint))) return;
    entity = fallbackEntity(record, src);
  }
  if (entity)
    out.push({ entity, ip, direction: recordDirection(record), context: contextOf(record, src) });
}

function peerObservation(
  record: Obj,
  own: Obj | undefined,
  remote: Obj | undefined,
  entity: Entity | undefined,
  side: 'src' | 'dst',
  out: Observation[],
): void {
  const ip = ipOf(remote);
  if (!entity || !ip) return;
  const ownIp = ipOf(own);
  const lateral =
    recordDirection(record) === 'lateral' ||
    (ownIp !== undefined && isInternalIp(ownIp) && isInternalIp(ip));
  out.push({
    entity,
    ip,
    direction: lateral ? 'lateral' : side === 'src' ? 'outbound' : 'inbound',
    context: contextOf(record, own),
  });
}

/**
 * Pairs of the entity with the remote endpoint's IP, in both directions: the entity is on the
 * side that carries the instance (or interface) id; when both do, the record's direction
 * decides, or both sides are paired; when neither does, the direction picks the local side.
 */
function peerPairs(record: Obj, out: Observation[]): void {
  const src = obj(record.src_endpoint);
  const dst = obj(record.dst_endpoint);
  const srcEntity = endpointEntity(src);
  const dstEntity = endpointEntity(dst);
  const direction = recordDirection(record);
  if (srcEntity && dstEntity) {
    if (direction !== 'inbound') peerObservation(record, src, dst, srcEntity, 'src', out);
    if (direction !== 'outbound') peerObservation(record, dst, src, dstEntity, 'dst', out);
  } else if (srcEntity) peerObservation(record, src, dst, srcEntity, 'src', out);
  else if (dstEntity) peerObservation(record, dst, src, dstEntity, 'dst', out);
  else if (direction === 'inbound')
    peerObservation(record, dst, src, fallbackEntity(record, dst), 'dst', out);
  else peerObservation(record, src, dst, fallbackEntity(record, src), 'src', out);
}

const ADDRESS_TYPES = new Set(['A', 'AAAA']);

/** Pairs of the querying entity with each A/AAAA answer address of its lookup. */
function dnsPairs(record: Obj, out: Observation[]): void {
  const answers = record.answers;
  if (!Array.isArray(answers) || answers.length === 0) return;
  const src = obj(record.src_endpoint);
  const entity = endpointEntity(src) ?? fallbackEntity(record, src);
  if (!entity) return;
  const query = obj(record.query);
  const queryType = str(query?.type)?.toUpperCase();
  const hostname = cut(str(query?.hostname), 255);
  const context = contextOf(record, src);
  for (const a of answers) {
    const answer = obj(a);
    const rdata = answer?.rdata;
    const family = ipFamily(rdata);
    if (family === 0) continue;
    const type = str(answer?.type)?.toUpperCase() ?? queryType;
    if (type === undefined || !ADDRESS_TYPES.has(type)) continue;
    if ((type === 'A') !== (family === 4)) continue;
    out.push({
      entity,
      ip: rdata as string,
      direction: 'outbound',
      context,
      ...(hostname ? { queries: hostname } : {}),
    });
  }
}

/**
 * The (entity, IP) observations one OCSF record yields under a pairing: `source` and `peer`
 * read Network Activity (4001), `dns` reads DNS Activity (4003); other records yield none.
 */
export function observe(record: Obj, pairing: Pairing, out: Observation[] = []): Observation[] {
  const cls = record.class_uid;
  if (pairing === 'dns') {
    if (cls === 4003) dnsPairs(record, out);
  } else if (cls === 4001) {
    if (pairing === 'source') sourcePairs(record, out);
    else peerPairs(record, out);
  }
  return out;
}
