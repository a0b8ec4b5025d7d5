import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogObjectIngestedV1, NetworkPairsObservedV1 } from '@lakewatch/contracts';
import type { EventBus, InMemoryBus, PublishResult, PutEventsEntry } from '@lakewatch/eventbus';
import type { SqsEvent } from '@lakewatch/service-kit';

/** Folder of the fixtures. */
export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A recorded SQS event from `tests/events/sqs/<name>.json`. */
export async function sqsEvent(name: string): Promise<SqsEvent> {
  return JSON.parse(
    await readFile(join(import.meta.dirname, 'events', 'sqs', `${name}.json`), 'utf8'),
  );
}

/** A fresh temporary folder and its removal. */
export async function tempDir(tag: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `lakewatch-ingest-${tag}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

type Rec = Record<string, unknown>;

/** A VPC flow v5 record as the parser writes it, with the cloud ids on the ENI's side. */
export function flowRecord(o: {
  uid?: string;
  time?: number;
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  protocol?: number;
  direction?: 0 | 1 | 2 | 3;
  side?: 'src' | 'dst' | 'both' | 'none';
  instance?: string;
  peerInstance?: string;
  eni?: string;
  bytes?: number;
  packets?: number;
  denied?: boolean;
  account?: string;
  product?: string;
}): Rec {
  const side = o.side ?? 'src';
  const ids = (instance: string | undefined): Rec => ({
    interface_uid: o.eni ?? 'eni-0a1b2c3d4e5f60718',
    vpc_uid: 'vpc-0ad1d4384da1f4415',
    subnet_uid: 'subnet-0fa003fd540d37aea',
    instance_uid: instance ?? '-',
  });
  const src: Rec = { ip: o.src, port: o.srcPort ?? 49152 };
  const dst: Rec = { ip: o.dst, port: o.dstPort ?? 443 };
  if (side === 'src' || side === 'both') Object.assign(src, ids(o.instance));
  if (side === 'dst') Object.assign(dst, ids(o.instance));
  if (side === 'both') Object.assign(dst, ids(o.peerInstance));
  const time = o.time ?? Date.UTC(2026, 10, 3, 0, 0, 0);
  return {
    metadata: {
      uid: o.uid ?? `uid-${time}-${o.src}-${o.dst}`,
      product: { name: o.product ?? 'Amazon VPC' },
    },
    cloud: { provider: 'AWS', account: { uid: o.account ?? '827909205779' }, region: 'us-east-1' },
    class_uid: 4001,
    time,
    start_time: time,
    end_time: time + 10_000,
    src_endpoint: src,
    dst_endpoint: dst,
    connection_info: { protocol_num: o.protocol ?? 6, direction_id: o.direction ?? 0 },
    traffic: { bytes: o.bytes ?? 100, packets: o.packets ?? 2 },
    action_id: o.denied ? 2 : 1,
  };
}

/** A DNS Activity record (Route 53 Resolver shape). */
export function dnsRecord(o: {
  uid?: string;
  time?: number;
  instance?: string;
  srcIp?: string;
  hostname: string;
  queryType?: string;
  answers: { rdata: string; type?: string }[];
  product?: string;
}): Rec {
  const time = o.time ?? Date.UTC(2026, 10, 3, 0, 1, 0);
  return {
    metadata: {
      uid: o.uid ?? `dns-${time}-${o.hostname}`,
      product: { name: o.product ?? 'Route 53' },
    },
    cloud: { provider: 'AWS', account: { uid: '827909205779' }, region: 'us-east-1' },
    class_uid: 4003,
    time,
    src_endpoint: {
      ip: o.srcIp ?? '10.0.32.18',
      vpc_uid: 'vpc-0ad1d4384da1f4415',
      ...(o.instance ? { instance_uid: o.instance } : {}),
    },
    query: { hostname: o.hostname, type: o.queryType ?? 'A', class: 'IN' },
    answers: o.answers,
  };
}

/** A bus that refuses every entry (EventBridge down, throttled for good): a crash before publishing. */
export class DownBus implements EventBus {
  calls = 0;
  async publish(entries: readonly PutEventsEntry[]): Promise<PublishResult> {
    this.calls++;
    return {
      entries: entries.map(() => ({
        ok: false as const,
        errorCode: 'InternalFailure',
        errorMessage: 'the bus is down',
        attempts: 1,
      })),
      failedCount: entries.length,
    };
  }
}

/** The details of the events an in-memory bus received, by detail type. */
export function published(bus: InMemoryBus): {
  logs: LogObjectIngestedV1[];
  batches: NetworkPairsObservedV1[];
} {
  return {
    logs: bus.published
      .filter((e) => e['detail-type'] === 'LogObjectIngested')
      .map((e) => e.detail as unknown as LogObjectIngestedV1),
    batches: bus.published
      .filter((e) => e['detail-type'] === 'NetworkPairsObserved')
      .map((e) => e.detail as unknown as NetworkPairsObservedV1),
  };
}
