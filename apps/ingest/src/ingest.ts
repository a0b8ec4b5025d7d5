import { pathToFileURL } from 'node:url';
import type { LogObjectIngestedV1, ObjectRef } from '@lakewatch/contracts';
import { type IngestManifest, LakeIngest, type LakeStorage } from '@lakewatch/lake';
import type { ContractPublisher, Outgoing } from '@lakewatch/service-kit';
import { type InputFormat, type ParseSummary, parseLogObject } from '@lakewatch/sources';
import type { Logger } from 'pino';
import { type BatchOptions, pairBatches } from './batching.js';
import { IngestError, ObjectReadError } from './errors.js';
import type { ObjectLocation, ObjectOpener, OpenedObject } from './objects.js';
import { PairCollector } from './pair-collector.js';
import type { Pairing } from './pairing.js';
import { type IngestRecord, readRecord, writeRecord } from './state.js';

/** What {@link ingestObject} needs. */
export interface IngestDependencies {
  /** The lake the records go to. */
  lake: LakeStorage;
  /** Publishes the events (validated against their contracts). */
  publisher: Pick<ContractPublisher, 'publish'>;
  /** Opens the log object. */
  open: ObjectOpener;
  /** Pairing strategies. @default ['peer'] */
  pairings?: readonly Pairing[];
  /** Input format. @default detected from the content */
  format?: InputFormat;
  /** VPC flow field list for objects without a header line. @default the parser's */
  vpcFlowFormat?: string;
  /** Lake source name. @default the lake's (`vpc_flow`, `route53`, …) */
  source?: string;
  /** Batch sizes. @default {@link pairBatches}'s */
  batch?: BatchOptions;
  /** @default () => new Date() */
  clock?: () => Date;
  logger?: Logger;
}

/** What happened to one object. */
export interface IngestOutcome {
  ingestId: string;
  sourceObject: ObjectRef;
  /**
   * `ingested`: written to the lake and published; `duplicate`: this version was ingested and
   * published before (only LogObjectIngested with duplicate=true was published);
   * `republished`: the lake had it but its events had not all been published (a crash):
   * they were published now, from the record or by reading the object again.
   */
  status: 'ingested' | 'duplicate' | 'republished';
  counts: LogObjectIngestedV1['counts'];
  pairBatches: number;
  pairs: number;
  /** Event ids the bus returned. */
  eventIds: string[];
}

function lakeUri(lake: LakeStorage, key: string): string {
  return lake.localRoot
    ? pathToFileURL(`${lake.localRoot.replace(/\/+$/, '')}/${key}`).href
    : `${lake.uri.replace(/\/+$/, '')}/${key}`;
}

function single(values: readonly string[]): string | undefined {
  const set = new Set(values.filter((v) => v !== 'unknown'));
  return set.size === 1 ? [...set][0] : undefined;
}

/** The LogObjectIngested detail of a committed ingest. */
export function logObjectIngested(
  lake: LakeStorage,
  source: ObjectRef,
  manifest: IngestManifest,
  summary: Pick<ParseSummary, 'format' | 'formatDetail'>,
  meta: { duplicate: boolean; durationMs: number; now: Date },
): LogObjectIngestedV1 {
  const account = single(manifest.objects.map((o) => o.accountId));
  const region = single(manifest.objects.map((o) => o.region));
  return {
    schemaVersion: '1.0',
    ingestId: manifest.ingestId,
    sourceObject: source,
    format: summary.format,
    ...(summary.formatDetail ? { formatDetail: summary.formatDetail.slice(0, 2048) } : {}),
    ocsfClasses: manifest.classes.slice(0, 16),
    counts: {
      read: manifest.records + manifest.rejected,
      normalized: manifest.records,
      rejected: manifest.rejected,
      rejectedByReason: { ...manifest.rejectedByReason },
    },
    lakeObjects: manifest.objects.slice(0, 500).map((o) => ({
      uri: lakeUri(lake, o.key),
      classUid: o.classUid,
      records: o.rows,
      eventDay: o.eventDay,
      bytes: o.bytes,
    })),
    timeRange: manifest.timeRange ?? null,
    rejects: manifest.rejects
      ? { uri: lakeUri(lake, manifest.rejects.key), count: manifest.rejects.count }
      : null,
    duplicate: meta.duplicate,
    ...(account ? { accountUid: account } : {}),
    ...(region ? { region } : {}),
    durationMs: Math.max(0, Math.round(meta.durationMs)),
    ingestedAt: meta.now.toISOString(),
  };
}

/** Parses the object, feeding every batch to `sink`; a failure names the object. */
async function parseInto(
  opened: OpenedObject,
  deps: IngestDependencies,
  sink: (batch: Parameters<LakeIngest['add']>[0] & { records: object[] }) => Promise<void>,
): Promise<ParseSummary> {
  const parsed = parseLogObject(opened.body, {
    sourceUri: opened.ref.uri,
    ...(deps.format ? { format: deps.format } : {}),
    ...(deps.vpcFlowFormat ? { vpcFlowFormat: deps.vpcFlowFormat } : {}),
  });
  try {
    for await (const batch of parsed) await sink(batch);
  } catch (cause) {
    opened.discard();
    if (cause instanceof IngestError) throw cause;
    throw new ObjectReadError(opened.ref.uri, (cause as Error).message, { cause });
  }
  return parsed.summary();
}

async function publishRecord(
  deps: IngestDependencies,
  record: IngestRecord,
  events: readonly Outgoing[],
): Promise<string[]> {
  const ids = await deps.publisher.publish(events);
  await writeRecord(deps.lake, {
    ...record,
    publishedAt: (deps.clock ?? (() => new Date()))().toISOString(),
  });
  return ids;
}

function outcome(
  status: IngestOutcome['status'],
  record: IngestRecord,
  eventIds: string[],
): IngestOutcome {
  const log = record.events[0]?.detail as LogObjectIngestedV1;
  const batches = record.events.slice(1);
  return {
    ingestId: record.ingestId,
    sourceObject: log.sourceObject,
    status,
    counts: log.counts,
    pairBatches: status === 'duplicate' ? 0 : batches.length,
    pairs:
      status === 'duplicate'
        ? 0
        : batches.reduce((n, e) => n + ((e.detail as { pairs: unknown[] }).pairs?.length ?? 0), 0),
    eventIds,
  };
}

/**
 * Ingests one log object: reads it, detects its format, normalizes it to OCSF, writes the
 * lake (rejects kept beside the data), collects its unique (entity, IP) pairs, records the
 * events, then publishes `LogObjectIngested` and the `NetworkPairsObserved` batches.
 *
 * Idempotent on the object version (URI + etag): a version already in the lake is not written
 * again; if its events were published, only `LogObjectIngested` with `duplicate: true` is;
 * if they were not (a crash between the lake write and the publish), they are published now
 * from the record, or from the object read again when the crash came before the record.
 *
 * @throws ObjectReadError naming the object when it cannot be read at all (the trigger fails
 * and is delivered again); PublishError when the bus refuses an event.
 */
export async function ingestObject(
  location: ObjectLocation,
  deps: IngestDependencies,
): Promise<IngestOutcome> {
  const clock = deps.clock ?? (() => new Date());
  const started = performance.now();
  const pairings = deps.pairings ?? ['peer'];
  const opened = await deps.open(location);
  const ref = opened.ref;
  const ingest = await LakeIngest.begin(deps.lake, {
    sourceUri: ref.uri,
    etag: ref.etag,
    ...(deps.source ? { source: deps.source } : {}),
  });
  const previous = ingest.skipped ? await readRecord(deps.lake, ingest.ingestId) : undefined;
  if (previous) {
    opened.discard();
    if (previous.publishedAt) {
      const first = previous.events[0] as Outgoing<'LogObjectIngested'>;
      const again: Outgoing<'LogObjectIngested'> = {
        detailType: 'LogObjectIngested',
        detail: {
          ...first.detail,
          duplicate: true,
          durationMs: Math.round(performance.now() - started),
          ingestedAt: clock().toISOString(),
        },
      };
      const ids = await deps.publisher.publish([again as unknown as Outgoing]);
      deps.logger?.info({ uri: ref.uri, ingestId: ingest.ingestId }, 'duplicate object');
      return outcome('duplicate', previous, ids);
    }
    const ids = await publishRecord(deps, previous, previous.events);
    deps.logger?.warn(
      { uri: ref.uri, ingestId: ingest.ingestId },
      'published the recorded events of an earlier attempt',
    );
    return outcome('republished', previous, ids);
  }

  const collector = new PairCollector(pairings);
  let manifest: IngestManifest;
  let summary: ParseSummary;
  if (ingest.skipped) {
    // In the lake (an earlier attempt crashed before its record, or another tool ingested
    // it) but never published: read the object again for its pairs only.
    summary = await parseInto(opened, deps, async (b) => collector.addAll(b.records));
    manifest = ingest.previous as IngestManifest;
  } else {
    try {
      summary = await parseInto(opened, deps, async (b) => {
        await ingest.add(b);
        collector.addAll(b.records);
      });
    } catch (e) {
      await ingest.abort();
      throw e;
    }
    manifest = (await ingest.commit({ format: summary.format })).manifest;
  }
  const log = logObjectIngested(deps.lake, ref, manifest, summary, {
    duplicate: false,
    durationMs: performance.now() - started,
    now: clock(),
  });
  const batches = pairBatches(ref, manifest.ingestId, collector.result(), deps.batch);
  const events: Outgoing[] = [
    { detailType: 'LogObjectIngested', detail: log },
    ...batches.map((detail) => ({ detailType: 'NetworkPairsObserved' as const, detail })),
  ];
  const record: IngestRecord = {
    recordVersion: 1,
    ingestId: manifest.ingestId,
    sourceUri: ref.uri,
    etag: ref.etag,
    events,
  };
  await writeRecord(deps.lake, record);
  const ids = await publishRecord(deps, record, events);
  const status = ingest.skipped ? 'republished' : 'ingested';
  deps.logger?.info(
    {
      uri: ref.uri,
      ingestId: manifest.ingestId,
      status,
      counts: log.counts,
      batches: batches.length,
    },
    'object ingested',
  );
  return outcome(status, record, ids);
}
