import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** True when `head` starts with the gzip magic bytes 1f 8b. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** True when `head` starts with the Parquet magic `PAR1`. */
export function isParquet(head: Uint8Array): boolean {
  return (
    head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31
  );
}

/** An async byte stream whose first bytes have been read ahead, for detection. */
export interface PeekedStream {
  head: Uint8Array;
  stream: AsyncIterable<Uint8Array>;
}

/**
 * Reads at least `min` bytes (or all there is) from `input` and returns them together with
 * a stream that still yields every byte, the peeked ones first.
 */
export async function peek(input: AsyncIterable<Uint8Array>, min: number): Promise<PeekedStream> {
  const iterator = input[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < min) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  const head = taken.length === 1 ? taken[0]! : Buffer.concat(taken);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, stream: rest() };
}

/** Decompresses a gzip byte stream (multi-member too), chunk by chunk in constant memory. */
export function gunzipStream(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return Readable.from(input, { objectMode: false }).pipe(createGunzip());
}

/** Collects a whole stream into one buffer (for formats that need random access). */
export async function collect(input: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of input) parts.push(chunk);
  return Buffer.concat(parts);
}
