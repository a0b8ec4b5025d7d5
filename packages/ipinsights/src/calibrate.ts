import { CalibrationError } from './errors.js';
import { Rng } from './hash.js';
import { parseIpv4 } from './ip.js';
import { operatingPoint, rocAuc, rocCurve } from './metrics.js';
import { asEmbeddingModel } from './model.js';
import type { CalibrationMetrics, IpInsightsModel, RocPoint } from './types.js';

/** Pairs for calibration; `labels[i] = 1` marks a known anomaly (omit when all are normal). */
export interface CalibrationInput {
  readonly entities: readonly string[];
  readonly ips: readonly string[];
  readonly labels?: ArrayLike<number>;
}

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  /** False-positive rate the threshold is chosen for. @default 0.01 */
  targetFpr?: number;
  /**
   * When the input has no anomalies: generated anomalies per normal pair, as SageMaker's
   * negatives are built: the same entity with a uniformly random IPv4 address, and with the
   * IP of another entity's pair. @default { random: 1, shuffled: 1 }
   */
  generate?: { random?: number; shuffled?: number };
  /** Seed of generated anomalies. @default 0 */
  seed?: number;
}

/** Calibration metrics plus the raw dot products (for the report). */
export interface CalibrationResult {
  readonly metrics: CalibrationMetrics;
  readonly normalDots: Float64Array;
  readonly anomalousDots: Float64Array;
}

/**
 * The threshold on `dot_product` that flags at most `targetFpr` of `normalDots` (flag when
 * `dot < threshold`): the `k`-th smallest normal dot, `k = floor(targetFpr · n)`.
 */
export function thresholdForFpr(normalDots: Float64Array, targetFpr: number): number {
  if (!(targetFpr > 0 && targetFpr < 1))
    throw new CalibrationError(`target FPR must be between 0 and 1 (exclusive), got ${targetFpr}`);
  if (normalDots.length === 0) throw new CalibrationError('no normal pairs to calibrate on');
  const sorted = Float64Array.from(normalDots).sort();
  return sorted[Math.floor(targetFpr * sorted.length)]!;
}

function quantiles(sortedAsc: Float64Array, count: number): number[] {
  const out: number[] = [];
  const last = sortedAsc.length - 1;
  for (let q = 0; q < count; q++) {
    const pos = (q / (count - 1)) * last;
    const lo = Math.floor(pos);
    const hi = Math.min(last, lo + 1);
    out.push(sortedAsc[lo]! + (sortedAsc[hi]! - sortedAsc[lo]!) * (pos - lo));
  }
  return out;
}

/**
 * Measures how well dot products separate normal from anomalous pairs and picks the
 * threshold for a target false-positive rate. Without labeled anomalies, anomalies are
 * generated from the normal pairs (random-IP and shuffled-IP pairs).
 *
 * @throws {CalibrationError} when there are no normal pairs, no anomalies, or a bad target.
 */
export function metricsFromDots(
  normalDots: Float64Array,
  anomalousDots: Float64Array,
  targetFpr: number,
  anomalySource: string,
): CalibrationMetrics {
  if (anomalousDots.length === 0) throw new CalibrationError('no anomalous pairs to calibrate on');
  const threshold = thresholdForFpr(normalDots, targetFpr);
  const nN = normalDots.length;
  const nA = anomalousDots.length;
  let fp = 0;
  let tp = 0;
  for (const v of normalDots) if (v < threshold) fp++;
  for (const v of anomalousDots) if (v < threshold) tp++;
  const scores = new Float64Array(nN + nA);
  const labels = new Uint8Array(nN + nA);
  for (let i = 0; i < nN; i++) scores[i] = -normalDots[i]!;
  for (let i = 0; i < nA; i++) {
    scores[nN + i] = -anomalousDots[i]!;
    labels[nN + i] = 1;
  }
  const curve = rocCurve(scores, labels);
  const step = Math.max(1, Math.floor(curve.fpr.length / 200));
  const roc: RocPoint[] = [];
  for (let k = 0; k < curve.fpr.length; k += step)
    roc.push({ fpr: curve.fpr[k]!, tpr: curve.tpr[k]!, threshold: -curve.thresholds[k]! });
  const lastK = curve.fpr.length - 1;
  if (lastK % step !== 0)
    roc.push({
      fpr: curve.fpr[lastK]!,
      tpr: curve.tpr[lastK]!,
      threshold: -curve.thresholds[lastK]!,
    });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp / nA;
  return {
    threshold,
    targetFpr,
    auc: rocAuc(scores, labels),
    fpr: fp / nN,
    tpr: recall,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    tprAtFpr1pct: operatingPoint(curve, 0.01).tpr,
    tprAtFpr01pct: operatingPoint(curve, 0.001).tpr,
    nNormal: nN,
    nAnomalous: nA,
    anomalySource,
    normalQuantiles: quantiles(Float64Array.from(normalDots).sort(), 101),
    roc: roc.map((r) => ({ ...r, threshold: Number.isFinite(r.threshold) ? r.threshold : 0 })),
    calibratedAt: new Date().toISOString(),
  };
}

/**
 * Calibrates `model` on held-out pairs: computes ROC, AUC, precision/recall and the
 * threshold for `targetFpr` (default 1 %). Rows with a bad IP are skipped and counted.
 *
 * @example
 * const { metrics } = calibrate(model, { entities, ips }); // generated anomalies
 * const calibrated = withCalibration(model, metrics);
 */
export function calibrate(
  model: IpInsightsModel,
  input: CalibrationInput,
  options: CalibrateOptions = {},
): CalibrationResult & { skipped: number } {
  const m = asEmbeddingModel(model);
  const targetFpr = options.targetFpr ?? 0.01;
  const normal: number[] = [];
  const anomalous: number[] = [];
  const buckets: number[] = [];
  const ips: number[] = [];
  let skipped = 0;
  for (let i = 0; i < input.entities.length; i++) {
    const ip = parseIpv4(input.ips[i] ?? '');
    if (ip < 0 || !input.entities[i]) {
      skipped++;
      continue;
    }
    const bucket = m.bucketOf(input.entities[i]!);
    const dot = m.dotBucket(bucket, ip);
    if (input.labels && input.labels[i] === 1) anomalous.push(dot);
    else {
      normal.push(dot);
      buckets.push(bucket);
      ips.push(ip);
    }
  }
  if (normal.length === 0) throw new CalibrationError('no normal (label 0) pairs to calibrate on');
  let source = 'labeled';
  if (anomalous.length === 0) {
    const random = options.generate?.random ?? 1;
    const shuffled = options.generate?.shuffled ?? 1;
    if (random + shuffled <= 0)
      throw new CalibrationError(
        'no labeled anomalies and generation is disabled (random = shuffled = 0)',
      );
    const rng = new Rng((options.seed ?? 0) ^ 0xca11b);
    for (let i = 0; i < buckets.length; i++) {
      for (let r = 0; r < random; r++) anomalous.push(m.dotBucket(buckets[i]!, rng.nextU32()));
      for (let r = 0; r < shuffled; r++) {
        // Another pair's IP whose entity differs (a few tries; skip if all collide).
        for (let attempt = 0; attempt < 8; attempt++) {
          const j = rng.below(buckets.length);
          if (buckets[j] === buckets[i]) continue;
          anomalous.push(m.dotBucket(buckets[i]!, ips[j]!));
          break;
        }
      }
    }
    source = `generated (${random} random-IP + ${shuffled} shuffled-IP per normal pair)`;
  }
  const normalDots = Float64Array.from(normal);
  const anomalousDots = Float64Array.from(anomalous);
  return {
    metrics: metricsFromDots(normalDots, anomalousDots, targetFpr, source),
    normalDots,
    anomalousDots,
    skipped,
  };
}
