import { describe, expect, it } from 'vitest';
import {
  evaluateDots,
  metricsFromDots,
  operatingPoint,
  rocAuc,
  rocCurve,
  thresholdForFpr,
} from '../src/index.js';

describe('Function: rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for all ties', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
  });

  it('counts the fraction of correctly ordered (positive, negative) pairs, ties as one half', () => {
    // Prepare: positives 0.8, 0.4; negatives 0.6, 0.4, 0.1 -> ordered pairs:
    // 0.8 beats all 3; 0.4 beats 0.1, ties 0.4 (1/2), loses to 0.6 -> (3 + 1.5) / 6
    const scores = [0.8, 0.4, 0.6, 0.4, 0.1];
    const labels = [1, 1, 0, 0, 0];

    // Act / Assess
    expect(rocAuc(scores, labels)).toBeCloseTo(4.5 / 6, 12);
  });

  it('is NaN when a class is missing', () => {
    expect(rocAuc([1, 2], [0, 0])).toBeNaN();
  });
});

describe('Function: operatingPoint', () => {
  it('takes the ROC vertex with the largest FPR not above the target', () => {
    // Prepare: 4 negatives, 2 positives
    const curve = rocCurve([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 0, 0]);

    // Act
    const at25 = operatingPoint(curve, 0.25);
    const at10 = operatingPoint(curve, 0.1);

    // Assess
    expect(at25).toMatchObject({ fpr: 0.25, tpr: 1, threshold: 0.7 });
    expect(at10).toMatchObject({ fpr: 0, tpr: 0.5, threshold: 0.9 });
  });
});

describe('Function: evaluateDots', () => {
  it('treats low dot products as anomalous', () => {
    // Act
    const m = evaluateDots([5, 4, 3, -1, -2], [0, 0, 0, 1, 1]);

    // Assess
    expect(m).toEqual({ auc: 1, tpr_at_fpr_1pct: 1, tpr_at_fpr_0_1pct: 1, n: 5 });
  });
});

describe('Function: thresholdForFpr', () => {
  it('flags at most the target fraction of normal pairs (dot < threshold)', () => {
    // Prepare: normal dots 0..99
    const normal = Float64Array.from({ length: 100 }, (_, i) => 99 - i);

    // Act
    const t = thresholdForFpr(normal, 0.05);

    // Assess: 0..4 are below 5 -> exactly 5 % flagged
    expect(t).toBe(5);
    expect(normal.filter((v) => v < t).length).toBe(5);
  });

  it('rejects targets outside (0, 1) and empty inputs', () => {
    expect(() => thresholdForFpr(Float64Array.of(1), 0)).toThrow(
      'target FPR must be between 0 and 1',
    );
    expect(() => thresholdForFpr(new Float64Array(0), 0.01)).toThrow('no normal pairs');
  });
});

describe('Function: metricsFromDots', () => {
  it('computes precision, recall, FPR and quantiles at the chosen threshold', () => {
    // Prepare: normal 0..99; anomalies -10..-1 (all below) and 50 (above)
    const normal = Float64Array.from({ length: 100 }, (_, i) => i);
    const anomalous = Float64Array.from([-10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 50]);

    // Act
    const m = metricsFromDots(normal, anomalous, 0.02, 'labeled');

    // Assess: threshold = 2 -> normal 0, 1 flagged; 10 of 11 anomalies flagged
    expect(m.threshold).toBe(2);
    expect(m.fpr).toBeCloseTo(0.02, 12);
    expect(m.tpr).toBeCloseTo(10 / 11, 12);
    expect(m.precision).toBeCloseTo(10 / 12, 12);
    expect(m.recall).toBe(m.tpr);
    expect(m.normalQuantiles).toHaveLength(101);
    expect(m.normalQuantiles[0]).toBe(0);
    expect(m.normalQuantiles[50]).toBeCloseTo(49.5, 9);
    expect(m.normalQuantiles[100]).toBe(99);
    expect(m.auc).toBeCloseTo((10 * 100 + 49.5) / 1100, 12);
    expect(m.roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(m.roc[m.roc.length - 1]).toMatchObject({ fpr: 1, tpr: 1 });
  });
});
