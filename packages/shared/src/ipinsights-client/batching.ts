import type { PairToScore } from './types.js';

/** One request's worth of pairs: `[start, end)` of the input and its encoded body. */
export interface RequestChunk {
  start: number;
  end: number;
  contentType: 'text/csv' | 'application/json';
  body: string;
}

// CSV has no quoting in SageMaker's format, and the server trims spaces around values: a
// value with a comma, a line break or outer spaces goes as JSON instead, unchanged.
function csvSafe(value: string): boolean {
  return (
    !/[,\r\n]/.test(value) &&
    value.length > 0 &&
    value.charCodeAt(0) > 32 &&
    value.charCodeAt(value.length - 1) > 32
  );
}

function encode(pairs: readonly PairToScore[], start: number, end: number): RequestChunk {
  let csv = true;
  for (let i = start; i < end && csv; i++) csv = csvSafe(pairs[i]!.entity);
  if (csv) {
    let body = '';
    for (let i = start; i < end; i++) body += `${pairs[i]!.entity},${pairs[i]!.ip}\n`;
    return { start, end, contentType: 'text/csv', body };
  }
  const instances = [];
  for (let i = start; i < end; i++) instances.push({ features: [pairs[i]!.entity, pairs[i]!.ip] });
  return { start, end, contentType: 'application/json', body: JSON.stringify({ instances }) };
}

/** Bytes a pair costs in the larger (JSON) encoding: a safe upper bound for either. */
function pairBytes(pair: PairToScore): number {
  return Buffer.byteLength(JSON.stringify(pair.entity)) + pair.ip.length + 20;
}

/**
 * Splits pairs into requests of at most `maxPairs` pairs and `maxBytes` encoded bytes.
 * @throws RangeError naming the pair when a single pair exceeds `maxBytes`.
 */
export function splitIntoRequests(
  pairs: readonly PairToScore[],
  maxPairs: number,
  maxBytes: number,
): RequestChunk[] {
  const chunks: RequestChunk[] = [];
  let start = 0;
  let bytes = 20;
  for (let i = 0; i < pairs.length; i++) {
    const size = pairBytes(pairs[i]!);
    if (size + 20 > maxBytes)
      throw new RangeError(
        `pair ${i}: ${size} bytes alone exceed the ${maxBytes}-byte request limit`,
      );
    if (i > start && (i - start >= maxPairs || bytes + size > maxBytes)) {
      chunks.push(encode(pairs, start, i));
      start = i;
      bytes = 20;
    }
    bytes += size;
  }
  if (start < pairs.length) chunks.push(encode(pairs, start, pairs.length));
  return chunks;
}
