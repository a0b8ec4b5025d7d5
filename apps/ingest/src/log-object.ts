import { pathToFileURL } from 'node:url';
import type { LogObjectIngestedV1, ObjectRef } from '@lakewatch/contracts';
import type { IngestManifest, LakeStorage } from '@lakewatch/lake';
import type { ParseSummary } from '@lakewatch/sources';

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
