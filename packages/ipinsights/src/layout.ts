import { fmix32 } from './hash.js';

/**
 * Where every parameter lives in the model's single Float32Array.
 *
 * Rows (each `vectorDim` floats), in order:
 * - `numEntityVectors` entity rows;
 * - the IP prefix tables: 256 rows for the /8 prefix and 65,536 rows for the /16 prefix
 *   (exact: the prefix is the row), then `ipHashBuckets` rows for /24 prefixes and as many
 *   for full /32 addresses (hashed: a salted murmur3 finaliser modulo `ipHashBuckets`).
 *
 * Then the dense IP encoder layers, each `W` (`d×d`, row-major, `out = W·in + b`) and `b`.
 */
export interface ParameterLayout {
  readonly vectorDim: number;
  readonly numEntityVectors: number;
  readonly ipHashBuckets: number;
  readonly numLayers: number;
  readonly base8: number;
  readonly base16: number;
  readonly base24: number;
  readonly base32: number;
  readonly totalRows: number;
  /** Float offset where the dense layers start (`totalRows * vectorDim`). */
  readonly denseOffset: number;
  /** Floats per dense layer (`d*d + d`). */
  readonly layerStride: number;
  readonly totalFloats: number;
}

/** Builds the layout for the given sizes. */
export function parameterLayout(
  vectorDim: number,
  numEntityVectors: number,
  ipHashBuckets: number,
  numLayers: number,
): ParameterLayout {
  const base8 = numEntityVectors;
  const base16 = base8 + 256;
  const base24 = base16 + 65_536;
  const base32 = base24 + ipHashBuckets;
  const totalRows = base32 + ipHashBuckets;
  const denseOffset = totalRows * vectorDim;
  const layerStride = vectorDim * vectorDim + vectorDim;
  return {
    vectorDim,
    numEntityVectors,
    ipHashBuckets,
    numLayers,
    base8,
    base16,
    base24,
    base32,
    totalRows,
    denseOffset,
    layerStride,
    totalFloats: denseOffset + numLayers * layerStride,
  };
}

const SALT24 = 0x18000000;
const SALT32 = 0x5bd1e995;

/** Writes the four prefix-table rows of `ip` (uint32) into `out[at..at+3]`. */
export function prefixRows(layout: ParameterLayout, ip: number, out: Int32Array, at: number): void {
  const h = layout.ipHashBuckets;
  out[at] = layout.base8 + (ip >>> 24);
  out[at + 1] = layout.base16 + (ip >>> 16);
  out[at + 2] = layout.base24 + (fmix32((ip >>> 8) ^ SALT24) % h);
  out[at + 3] = layout.base32 + (fmix32(ip ^ SALT32) % h);
}
