import type { LakeStorage } from '@lakewatch/lake';
import type { SimulatedObject, Simulation } from '@lakewatch/simulator';

/** What the history ingest wrote. */
export interface HistoryIngest {
  objects: number;
  /** Lake commits (one manifest each). */
  commits: number;
  read: number;
  records: number;
  rejected: number;
  seconds: number;
}

/** A raw log object to ingest: its name (URI), and its bytes. */
export interface RawObject {
  uri: string;
  body: () => Promise<Uint8Array | AsyncIterable<Uint8Array>>;
}

/** Options of {@link ingestHistory}. */
export interface IngestHistoryOptions {
  /**
   * Raw objects per lake commit. The lake writes one Parquet object per class and commit, and
   * that write dominates for small objects (a simulated day of 288 objects: 53 s one commit
   * per object, 14 s with 48 per commit on the shared 2-core machine), so the history is
   * committed in groups. Each record still carries its own object's URI-derived
   * `metadata.uid`, and rejects their object's URI.
   * @default 48
   */
  objectsPerCommit?: number;
  /** Name of the group commits (`<prefix>/<n>`). */
  prefix: string;
  onProgress?: (done: { objects: number; records: number }) => void;
}

/** The simulation's history objects as raw objects. */
export async function* simulatedHistory(sim: Simulation): AsyncGenerator<RawObject> {
  for await (const o of sim.objects({ phases: ['history'] }))
    yield { uri: `sim://${o.key}`, body: async () => (o as SimulatedObject).body };
}

/**
 * Ingests raw log objects into the lake in process (`@lakewatch/sources` parsers →
 * `@lakewatch/lake`), the same code `lakewatch ingest` runs, in groups of objects per commit.
 */
export async function ingestHistory(
  storage: LakeStorage,
  objects: AsyncIterable<RawObject>,
  options: IngestHistoryOptions,
): Promise<HistoryIngest> {
  const { ingestBatches } = await import('@lakewatch/lake');
  const { parseLogObject } = await import('@lakewatch/sources');
  const started = performance.now();
  const perCommit = options.objectsPerCommit ?? 48;
  const it = objects[Symbol.asyncIterator]();
  const out: HistoryIngest = {
    objects: 0,
    commits: 0,
    read: 0,
    records: 0,
    rejected: 0,
    seconds: 0,
  };
  let next = await it.next();
  while (!next.done) {
    let inGroup = 0;
    const result = await ingestBatches(
      storage,
      { sourceUri: `${options.prefix}/${out.commits}`, etag: String(out.commits), force: true },
      async function* () {
        // The first object of a group is already read, so no commit is ever empty.
        while (!next.done && inGroup < perCommit) {
          const raw = next.value;
          inGroup++;
          const body = await raw.body();
          const source =
            body instanceof Uint8Array
              ? (async function* () {
                  yield body;
                })()
              : body;
          const parsed = parseLogObject(source, { sourceUri: raw.uri });
          yield* parsed;
          out.read += parsed.summary().read;
          next = await it.next();
        }
      },
    );
    out.objects += inGroup;
    out.commits++;
    out.records += result.manifest.records;
    out.rejected += result.manifest.rejected;
    options.onProgress?.({ objects: out.objects, records: out.records });
  }
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
