import { IpAddressError } from './errors.js';
import { entityHash } from './hash.js';
import type { Hyperparameters } from './hyperparameters.js';
import { ipv4ToInt, parseIpv4 } from './ip.js';
import { type ParameterLayout, prefixRows } from './layout.js';
import type { CalibrationMetrics, EncoderSettings, IpInsightsModel } from './types.js';

/**
 * The in-memory model: all parameters in one Float32Array laid out by {@link ParameterLayout}.
 *
 * Scoring cost per pair is four row reads plus one `vector_dim` dot product: the last encoder
 * layer is folded into the entity side (`e·(W h + b) = (Wᵀe)·h + e·b`), and `Wᵀe` is cached
 * per entity bucket on first use.
 */
export class EmbeddingModel implements IpInsightsModel {
  readonly version: string;
  readonly hyperparameters: Hyperparameters;
  readonly encoder: EncoderSettings;
  readonly calibration?: CalibrationMetrics;
  readonly threshold?: number;
  /** @internal */
  readonly params: Float32Array;
  /** @internal */
  readonly layout: ParameterLayout;
  private readonly folded: Float32Array;
  private readonly foldedBias: Float32Array;
  private readonly foldedReady: Uint8Array;
  private readonly rows = new Int32Array(4);
  private readonly s: Float32Array;
  private readonly h: Float32Array;
  private readonly h2: Float32Array;

  constructor(init: {
    version: string;
    hyperparameters: Hyperparameters;
    encoder: EncoderSettings;
    params: Float32Array;
    layout: ParameterLayout;
    calibration?: CalibrationMetrics;
  }) {
    this.version = init.version;
    this.hyperparameters = init.hyperparameters;
    this.encoder = init.encoder;
    this.params = init.params;
    this.layout = init.layout;
    if (init.calibration) {
      this.calibration = init.calibration;
      this.threshold = init.calibration.threshold;
    }
    const { vectorDim: d, numEntityVectors: n, numLayers } = init.layout;
    this.folded = new Float32Array(numLayers > 0 ? n * d : 0);
    this.foldedBias = new Float32Array(numLayers > 0 ? n : 0);
    this.foldedReady = new Uint8Array(numLayers > 0 ? n : 0);
    this.s = new Float32Array(d);
    this.h = new Float32Array(d);
    this.h2 = new Float32Array(d);
  }

  /** The entity bucket (row) of `entity`. */
  bucketOf(entity: string): number {
    return entityHash(entity) % this.layout.numEntityVectors;
  }

  score(entities: readonly string[], ips: readonly string[], out?: Float32Array): Float32Array {
    const count = entities.length;
    if (ips.length !== count)
      throw new RangeError(`score: ${count} entities but ${ips.length} IPs`);
    const result = out ?? new Float32Array(count);
    if (result.length < count)
      throw new RangeError(`score: output array holds ${result.length} values, need ${count}`);
    for (let i = 0; i < count; i++) {
      const ipText = ips[i]!;
      const ip = parseIpv4(ipText);
      if (ip < 0) {
        try {
          ipv4ToInt(ipText);
        } catch (e) {
          const err = e as IpAddressError;
          throw new IpAddressError(ipText, `pair ${i}: ${err.message}`);
        }
      }
      result[i] = this.dotBucket(this.bucketOf(entities[i]!), ip);
    }
    return result;
  }

  /** Dot product for an entity bucket and a uint32 IPv4 address. */
  dotBucket(bucket: number, ip: number): number {
    const { vectorDim: d, numLayers } = this.layout;
    const p = this.params;
    const h = this.hidden(ip);
    let dot = 0;
    if (numLayers === 0) {
      const eo = bucket * d;
      for (let k = 0; k < d; k++) dot += p[eo + k]! * h[k]!;
      return dot;
    }
    if (this.foldedReady[bucket] === 0) this.fold(bucket);
    const u = this.folded;
    const uo = bucket * d;
    for (let k = 0; k < d; k++) dot += u[uo + k]! * h[k]!;
    return dot + this.foldedBias[bucket]!;
  }

  /** The input of the last encoder layer for `ip` (the prefix sum, through L-1 layers). */
  private hidden(ip: number): Float32Array {
    const { vectorDim: d, numLayers, denseOffset, layerStride } = this.layout;
    const p = this.params;
    const s = this.s;
    const rows = this.rows;
    prefixRows(this.layout, ip, rows, 0);
    const r0 = rows[0]! * d;
    const r1 = rows[1]! * d;
    const r2 = rows[2]! * d;
    const r3 = rows[3]! * d;
    for (let k = 0; k < d; k++) s[k] = p[r0 + k]! + p[r1 + k]! + p[r2 + k]! + p[r3 + k]!;
    let cur = s;
    for (let l = 0; l + 1 < numLayers; l++) {
      const next = cur === this.h ? this.h2 : this.h;
      const wo = denseOffset + l * layerStride;
      const bo = wo + d * d;
      for (let o = 0; o < d; o++) {
        let acc = p[bo + o]!;
        const ro = wo + o * d;
        for (let k = 0; k < d; k++) acc += p[ro + k]! * cur[k]!;
        next[o] = Math.max(acc, 0);
      }
      cur = next;
    }
    return cur;
  }

  private fold(bucket: number): void {
    const { vectorDim: d, numLayers, denseOffset, layerStride } = this.layout;
    const p = this.params;
    const wo = denseOffset + (numLayers - 1) * layerStride;
    const bo = wo + d * d;
    const eo = bucket * d;
    const u = this.folded;
    const uo = bucket * d;
    u.fill(0, uo, uo + d);
    let bias = 0;
    for (let o = 0; o < d; o++) {
      const e = p[eo + o]!;
      bias += e * p[bo + o]!;
      const ro = wo + o * d;
      for (let k = 0; k < d; k++) u[uo + k]! += p[ro + k]! * e;
    }
    this.foldedBias[bucket] = bias;
    this.foldedReady[bucket] = 1;
  }

  entityEmbedding(entity: string): Float32Array {
    const d = this.layout.vectorDim;
    const o = this.bucketOf(entity) * d;
    return this.params.slice(o, o + d);
  }

  ipEmbedding(ipText: string): Float32Array {
    const { vectorDim: d, numLayers, denseOffset, layerStride } = this.layout;
    const h = this.hidden(ipv4ToInt(ipText));
    if (numLayers === 0) return h.slice();
    const p = this.params;
    const wo = denseOffset + (numLayers - 1) * layerStride;
    const bo = wo + d * d;
    const out = new Float32Array(d);
    for (let o = 0; o < d; o++) {
      let acc = p[bo + o]!;
      const ro = wo + o * d;
      for (let k = 0; k < d; k++) acc += p[ro + k]! * h[k]!;
      out[o] = acc;
    }
    return out;
  }

  anomalyScore(dot: number): number {
    const q = this.calibration?.normalQuantiles;
    if (!q || q.length < 2) return Number.NaN;
    const last = q.length - 1;
    if (dot <= q[0]!) return 1;
    if (dot >= q[last]!) return 0;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (q[mid]! <= dot) lo = mid;
      else hi = mid;
    }
    const a = q[lo]!;
    const b = q[hi]!;
    const frac = b > a ? (dot - a) / (b - a) : 0;
    return 1 - (lo + frac) / last;
  }
}

/** A copy of `model` carrying `calibration` (and its threshold); the weights are shared. */
export function withCalibration(
  model: IpInsightsModel,
  calibration: CalibrationMetrics,
): IpInsightsModel {
  const m = asEmbeddingModel(model);
  return new EmbeddingModel({
    version: m.version,
    hyperparameters: m.hyperparameters,
    encoder: m.encoder,
    params: m.params,
    layout: m.layout,
    calibration,
  });
}

/** @internal Narrows to the concrete model class this package builds. */
export function asEmbeddingModel(model: IpInsightsModel): EmbeddingModel {
  if (!(model instanceof EmbeddingModel))
    throw new TypeError('expected a model built by @lakewatch/ipinsights (train or loadModel)');
  return model;
}
