import type { LogObjectIngestedV1, ObjectRef } from '@lakewatch/contracts';
import {
  type IngestManifest,
  ingestBatches,
  ingestIdOf,
  type LakeStorage,
  readManifest,
} from '@lakewatch/lake';
import type { ContractPublisher, Outgoing } from '@lakewatch/service-kit';
import {
  type InputFormat,
  type ParseBatch,
  type ParseSummary,
  parseLogObject,
} from '@lakewatch/sources';
import type { Logger } from 'pino';
import { type BatchOptions, pairBatches } from './batching.js';
import { ObjectReadError } from './errors.js';
import { logObjectIngested } from './log-object.js';
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

/**
 * The parsed batches of the object; `done` receives the parse summary after the last one.
 * A failure to read names the object ({@link ObjectReadError}).
 */
async function* parsedBatches(
  opened: OpenedObject,
  deps: IngestDependencies,
  done: (summary: ParseSummary) => void,
): AsyncGenerator<ParseBatch> {
  const parsed = parseLogObject(opened.body, {
    sourceUri: opened.ref.uri,
    ...(deps.format ? { format: deps.format } : {}),
    ...(deps.vpcFlowFormat ? { vpcFlowFormat: deps.vpcFlowFormat } : {}),
  });
  try {
    yield* parsed;
  } catch (cause) {
    opened.discard();
    throw new ObjectReadError(opened.ref.uri, (cause as Error).message, { cause });
  }
  done(parsed.summary());
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
  const ingestId = ingestIdOf(ref.uri, ref.etag);
  let committed = await readManifest(deps.lake, ingestId);
  const previous = committed ? await readRecord(deps.lake, ingestId) : undefined;
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
      deps.logger?.info({ uri: ref.uri, ingestId }, 'duplicate object');
      return outcome('duplicate', previous, ids);
    }
    const ids = await publishRecord(deps, previous, previous.events);
    deps.logger?.warn(
      { uri: ref.uri, ingestId },
      'published the recorded events of an earlier attempt',
    );
    return outcome('republished', previous, ids);
  }

  const collector = new PairCollector(pairings);
  let summary: ParseSummary | undefined;
  const setSummary = (s: ParseSummary) => {
    summary = s;
  };
  if (!committed) {
    const result = await ingestBatches(
      deps.lake,
      {
        sourceUri: ref.uri,
        etag: ref.etag,
        ...(deps.source ? { source: deps.source } : {}),
        format: () => summary?.format,
        onBatch: (b) => collector.addAll(b.records),
      },
      () => parsedBatches(opened, deps, setSummary),
    );
    if (!result.skipped)
      return finish(deps, ref, result.manifest, summary, collector, started, 'ingested');
    // Skipped only when another writer committed this version meanwhile: read it for pairs.
    committed = result.manifest;
  }
  // In the lake (an earlier attempt crashed before its record, or another tool ingested it)
  // but never published: read the object again for its pairs only.
  for await (const b of parsedBatches(opened, deps, setSummary)) collector.addAll(b.records);
  return finish(deps, ref, committed as IngestManifest, summary, collector, started, 'republished');
}

async function finish(
  deps: IngestDependencies,
  ref: ObjectRef,
  manifest: IngestManifest,
  parsed: ParseSummary | undefined,
  collector: PairCollector,
  started: number,
  status: 'ingested' | 'republished',
): Promise<IngestOutcome> {
  const clock = deps.clock ?? (() => new Date());
  const summary: Pick<ParseSummary, 'format' | 'formatDetail'> = parsed ?? {
    format: (manifest.format ?? 'aws-vpc-flow') as InputFormat,
  };
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
