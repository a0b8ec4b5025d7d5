import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { OcsfRecord } from '@lakewatch/shared';
import { type ParseOptions, type ParseSummary, parseLogObject, type Reject } from '../src/index.js';

/** Absolute path of a fixture under tests/fixtures. */
export function fixture(path: string): string {
  return fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url));
}

/** Parses everything and collects the records, rejects and summary. */
export async function parseAll(
  input: AsyncIterable<Uint8Array> | Uint8Array | string,
  options: Partial<ParseOptions> = {},
): Promise<{ records: OcsfRecord[]; rejects: Reject[]; summary: ParseSummary }> {
  const stream =
    typeof input === 'string'
      ? bytes(Buffer.from(input))
      : input instanceof Uint8Array
        ? bytes(input)
        : input;
  const result = parseLogObject(stream, { sourceUri: 'test://input', ...options });
  const records: OcsfRecord[] = [];
  const rejects: Reject[] = [];
  for await (const batch of result) {
    records.push(...batch.records);
    rejects.push(...batch.rejects);
  }
  return { records, rejects, summary: result.summary() };
}

/** Parses a fixture file, streamed in small chunks to exercise chunk boundaries. */
export function parseFixture(path: string, options: Partial<ParseOptions> = {}) {
  return parseAll(createReadStream(fixture(path), { highWaterMark: 97 }), {
    sourceUri: `fixture://${path}`,
    ...options,
  });
}

/** A byte stream yielding `data` in chunks of `size` bytes. */
export async function* bytes(data: Uint8Array, size = 64): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Reads a fixture as bytes. */
export function readFixture(path: string): Promise<Buffer> {
  return readFile(fixture(path));
}
