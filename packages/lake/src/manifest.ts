import { LakeError } from './errors.js';
import { manifestKey } from './layout.js';
import type { LakeStorage } from './storage/types.js';

/** One Parquet object an ingest wrote. */
export interface ManifestObject {
  /** Key relative to the lake root. */
  key: string;
  source: string;
  classUid: number;
  region: string;
  accountId: string;
  eventDay: string;
  rows: number;
  bytes: number;
  /** Earliest and latest event `time` in the object (ms epoch). */
  minTime: number;
  maxTime: number;
}

/** What one ingest of a source object wrote; stored last, so its presence means committed. */
export interface IngestManifest {
  manifestVersion: 1;
  ingestId: string;
  sourceUri: string;
  etag: string;
  /** Input format, as the parser named it. */
  format?: string;
  startedAt: string;
  finishedAt: string;
  /** Records written to the lake. */
  records: number;
  /** Records rejected (by the parser or by the lake writer), all kept under `rejects`. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Values present in records but unusable for their column's type, written as NULL. */
  coercedValues: number;
  /** Event time range of the records written (ISO 8601), when any were. */
  timeRange?: { start: string; end: string };
  classes: number[];
  objects: ManifestObject[];
  /** The rejects object, when there were rejects. */
  rejects?: { key: string; count: number };
}

/** Reads the manifest of an ingest, or undefined when that ingest has not been committed. */
export async function readManifest(
  storage: LakeStorage,
  ingestId: string,
): Promise<IngestManifest | undefined> {
  const bytes = await storage.getBytes(manifestKey(ingestId));
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as IngestManifest;
    if (value.manifestVersion !== 1 || value.ingestId !== ingestId)
      throw new Error('not a lake manifest');
    return value;
  } catch (cause) {
    throw new LakeError(
      `${storage.uri}: manifest of ingest ${ingestId} is unreadable: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

/** Every committed ingest's manifest in the lake, oldest key first. */
export async function listManifests(storage: LakeStorage): Promise<IngestManifest[]> {
  const out: IngestManifest[] = [];
  for (const o of await storage.list('manifests/')) {
    const id = /^manifests\/([0-9a-f]+)\.json$/.exec(o.key)?.[1];
    if (id === undefined) continue;
    const m = await readManifest(storage, id);
    if (m) out.push(m);
  }
  return out;
}
