import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CalibrationError,
  calibrate,
  evaluateDots,
  type IpInsightsModel,
  readPairsCsv,
  train,
  withCalibration,
  writeCalibrationReport,
} from '../src/index.js';
import { SMALL, tempDir } from './helpers.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

describe('Function: calibrate', () => {
  let model: IpInsightsModel;

  beforeAll(async () => {
    // A slice of the shared dev data (see fixtures/README.md).
    ({ model } = await train(
      `${FIXTURES}dev-train-6k.csv`,
      {
        ...SMALL,
        num_entity_vectors: 2000,
        vector_dim: 32,
        epochs: 6,
        random_negative_sampling_rate: 5,
      },
      { threads: 2, ipHashBuckets: 16384 },
    ));
  });

  it('separates the labeled dev anomalies (AUC well above 0.5)', async () => {
    // Prepare
    const test = await readPairsCsv(`${FIXTURES}dev-test-1k.csv`, true);

    // Act
    const metrics = evaluateDots(model.score(test.entities, test.ipTexts), test.labels!);

    // Assess
    expect(metrics.n).toBe(1000);
    expect(metrics.auc).toBeGreaterThan(0.75);
  });

  it('picks the threshold for the target FPR on labeled pairs', async () => {
    // Prepare
    const test = await readPairsCsv(`${FIXTURES}dev-test-1k.csv`, true);

    // Act
    const { metrics, normalDots } = calibrate(
      model,
      { entities: test.entities, ips: test.ipTexts, labels: test.labels! },
      { targetFpr: 0.05 },
    );

    // Assess
    expect(metrics.anomalySource).toBe('labeled');
    expect(metrics.nNormal).toBe(498);
    expect(metrics.nAnomalous).toBe(502);
    expect(metrics.fpr).toBeLessThanOrEqual(0.05);
    expect(normalDots.filter((d) => d < metrics.threshold).length).toBe(Math.floor(0.05 * 498));
    const calibrated = withCalibration(model, metrics);
    expect(calibrated.threshold).toBe(metrics.threshold);
    expect(calibrated.anomalyScore!(metrics.normalQuantiles[0]! - 1)).toBe(1);
    expect(calibrated.anomalyScore!(metrics.normalQuantiles[100]! + 1)).toBe(0);
    expect(calibrated.anomalyScore!(metrics.normalQuantiles[50]!)).toBeCloseTo(0.5, 6);
  });

  it('generates random-IP and shuffled-IP anomalies when given only normal pairs', async () => {
    // Prepare
    const test = await readPairsCsv(`${FIXTURES}dev-test-1k.csv`, true);
    const normal = { entities: [] as string[], ips: [] as string[] };
    test.entities.forEach((e, i) => {
      if (test.labels![i] === 0) {
        normal.entities.push(e);
        normal.ips.push(test.ipTexts[i]!);
      }
    });

    // Act
    const result = calibrate(model, normal, { generate: { random: 2, shuffled: 1 } });

    // Assess
    expect(result.metrics.anomalySource).toContain('generated');
    expect(result.metrics.nAnomalous).toBeGreaterThan(2 * 498);
    expect(result.metrics.auc).toBeGreaterThan(0.7);
    expect(() => calibrate(model, normal, { generate: { random: 0, shuffled: 0 } })).toThrow(
      CalibrationError,
    );
  });

  it('writes an HTML report with histogram and ROC charts as SVG and PNG', async () => {
    // Prepare
    const test = await readPairsCsv(`${FIXTURES}dev-test-1k.csv`, true);
    const result = calibrate(model, {
      entities: test.entities,
      ips: test.ipTexts,
      labels: test.labels!,
    });
    const dir = await tempDir();

    // Act
    const files = await writeCalibrationReport(dir, result, model.version);

    // Assess
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('threshold');
    expect(html).toContain(model.version);
    const png = await readFile(files.rocPng);
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await readFile(files.histogramSvg, 'utf8')).startsWith('<svg')).toBe(true);
  });
});
