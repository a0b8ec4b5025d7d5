/**
 * ROC analysis. Convention: `labels[i] = 1` marks the positive class (for anomaly detection:
 * anomalous), and a higher `scores[i]` means "more positive".
 */

/** A ROC curve at every distinct score, from the highest threshold down. */
export interface RocCurve {
  /** `fpr[k]`, `tpr[k]`: rates when flagging scores ≥ `thresholds[k]`; index 0 is (0, 0). */
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  readonly thresholds: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

function sortedIndexDescending(scores: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const s = Float64Array.from(scores);
  idx.sort((a, b) => s[b]! - s[a]!);
  return idx;
}

function countPositives(labels: ArrayLike<number>): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) p++;
  return p;
}

/** The ROC curve of `scores` against binary `labels` (ties form one step). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  if (scores.length !== labels.length)
    throw new RangeError(`rocCurve: ${scores.length} scores but ${labels.length} labels`);
  const positives = countPositives(labels);
  const negatives = labels.length - positives;
  const idx = sortedIndexDescending(scores);
  const fpr = [0];
  const tpr = [0];
  const thr = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = idx[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      fpr.push(negatives ? fp / negatives : 0);
      tpr.push(positives ? tp / positives : 0);
      thr.push(scores[i]!);
    }
  }
  return {
    fpr: Float64Array.from(fpr),
    tpr: Float64Array.from(tpr),
    thresholds: Float64Array.from(thr),
    positives,
    negatives,
  };
}

/** Area under the ROC curve (trapezoids; ties count one half). NaN if a class is empty. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const c = rocCurve(scores, labels);
  if (c.positives === 0 || c.negatives === 0) return Number.NaN;
  let area = 0;
  for (let k = 1; k < c.fpr.length; k++)
    area += ((c.fpr[k]! - c.fpr[k - 1]!) * (c.tpr[k]! + c.tpr[k - 1]!)) / 2;
  return area;
}

/**
 * The ROC vertex with the largest FPR not above `target`: its TPR, FPR and threshold
 * (flag scores ≥ threshold). A deterministic operating point, as in scikit-learn's
 * `roc_curve` followed by a search.
 */
export function operatingPoint(
  curve: RocCurve,
  target: number,
): { tpr: number; fpr: number; threshold: number; index: number } {
  let best = 0;
  for (let k = 0; k < curve.fpr.length; k++) if (curve.fpr[k]! <= target) best = k;
  return {
    tpr: curve.tpr[best]!,
    fpr: curve.fpr[best]!,
    threshold: curve.thresholds[best]!,
    index: best,
  };
}

/** Metrics of an anomaly score against labels (1 = anomalous), as `lakewatch eval` prints them. */
export interface EvalMetrics {
  auc: number;
  tpr_at_fpr_1pct: number;
  tpr_at_fpr_0_1pct: number;
  n: number;
}

/**
 * AUC and TPR at 1 % and 0.1 % FPR of `dots` (higher = more expected) against `labels`
 * (1 = anomalous): the anomaly score is `-dot_product`.
 */
export function evaluateDots(dots: ArrayLike<number>, labels: ArrayLike<number>): EvalMetrics {
  const anomaly = new Float64Array(dots.length);
  for (let i = 0; i < dots.length; i++) anomaly[i] = -dots[i]!;
  return evaluateScores(anomaly, labels);
}

/** Like {@link evaluateDots} for an anomaly score where higher = more anomalous. */
export function evaluateScores(anomaly: ArrayLike<number>, labels: ArrayLike<number>): EvalMetrics {
  const curve = rocCurve(anomaly, labels);
  return {
    auc: rocAuc(anomaly, labels),
    tpr_at_fpr_1pct: operatingPoint(curve, 0.01).tpr,
    tpr_at_fpr_0_1pct: operatingPoint(curve, 0.001).tpr,
    n: labels.length,
  };
}
