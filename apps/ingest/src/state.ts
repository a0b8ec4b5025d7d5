import type { LakeStorage } from '@lakewatch/lake';
import type { Outgoing } from '@lakewatch/service-kit';
import { IngestError } from './errors.js';

/**
 * What the service recorded about one ingest, beside the lake's manifest: the events it
 * publishes for the object, and whether they were all published. Written before publishing,
 * so a crash between the lake write and the publish is repaired on the next delivery by
 * publishing the recorded events (same batch ids) instead of losing the pairs.
 */
export interface IngestRecord {
  recordVersion: 1;
  ingestId: string;
  sourceUri: string;
  etag: string;
  events: Outgoing[];
  /** Set once every event was accepted by the bus. */
  publishedAt?: string;
}

/** The lake key of an ingest's record. */
export function recordKey(ingestId: string): string {
  return `state/ingest/${ingestId}.json`;
}

/** Reads an ingest's record, or undefined when there is none. */
export async function readRecord(
  lake: LakeStorage,
  ingestId: string,
): Promise<IngestRecord | undefined> {
  const bytes = await lake.getBytes(recordKey(ingestId));
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as IngestRecord;
    if (value.recordVersion !== 1 || value.ingestId !== ingestId || !Array.isArray(value.events))
      throw new Error('not an ingest record');
    return value;
  } catch (cause) {
    throw new IngestError(
      `${lake.uri}: ${recordKey(ingestId)} is unreadable: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** Writes (replaces) an ingest's record. */
export async function writeRecord(lake: LakeStorage, record: IngestRecord): Promise<void> {
  await lake.putBytes(recordKey(record.ingestId), `${JSON.stringify(record)}\n`);
}
