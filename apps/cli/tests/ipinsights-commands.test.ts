import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '@lakewatch/ipinsights';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

// A learnable set: user_e logs in from 10.e.x.y; anomalies come from elsewhere.
function trainingCsv(): string {
  const lines: string[] = [];
  for (let e = 0; e < 60; e++)
    for (let i = 0; i < 25; i++) lines.push(`user_${e},10.${e}.${i % 4}.${(i * 37) % 256}`);
  return `${lines.join('\n')}\n`;
}

function labeledCsv(): string {
  const lines = ['entity,ip,label'];
  for (let e = 0; e < 60; e++) {
    lines.push(`user_${e},10.${e}.${e % 4}.200,0`);
    lines.push(`user_${e},${150 + (e % 50)}.${e}.7.9,1`);
  }
  return `${lines.join('\n')}\n`;
}

const HYPERPARAMETERS = [
  '--num_entity_vectors',
  '500',
  '--vector-dim',
  '16',
  '--epochs',
  '6',
  '--mini_batch_size',
  '200',
  '--learning-rate',
  '0.02',
  '--random_negative_sampling_rate',
  '2',
];

describe('Command: lakewatch train / score / eval / calibrate', () => {
  let dir: string;
  let model: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-cli-ipi-'));
    model = join(dir, 'model');
    await writeFile(join(dir, 'train.csv'), trainingCsv());
    await writeFile(join(dir, 'labeled.csv'), labeledCsv());
  });

  it('trains with SageMaker (and kebab-case) hyperparameter names and saves the artifact', async () => {
    // Act
    const r = await runCli(
      'train',
      '--input',
      join(dir, 'train.csv'),
      '--out',
      model,
      '--threads',
      '1',
      ...HYPERPARAMETERS,
    );

    // Assess
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ positives: 1500, rejected: 0, threads: 1 });
    expect(summary.epochs).toHaveLength(6);
    expect(r.err).toContain('[epoch 6] loss');
    const loaded = await loadModel(model);
    expect(loaded.version).toBe(summary.version);
    expect(loaded.hyperparameters).toMatchObject({
      vector_dim: 16,
      learning_rate: 0.02,
      epochs: 6,
    });
  });

  it('reports a bad hyperparameter like SageMaker and exits 1', async () => {
    const r = await runCli(
      'train',
      '--input',
      join(dir, 'train.csv'),
      '--out',
      join(dir, 'x'),
      '--num_entity_vectors',
      '10',
      '--vector_dim',
      '2',
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "Hyperparameter 'vector_dim' must be an integer between 4 and 4096, got '2'",
    );
  });

  it('scores every input row in order, keeping rows it cannot score', async () => {
    // Prepare
    await writeFile(
      join(dir, 'pairs.csv'),
      'entity,ip\nuser_1,10.1.0.5\nuser_2,not-an-ip\nuser_3,192.0.2.1\n',
    );

    // Act
    const r = await runCli(
      'score',
      '--model',
      model,
      '--input',
      join(dir, 'pairs.csv'),
      '--output',
      join(dir, 'scores.csv'),
    );

    // Assess
    expect(r.code).toBe(0);
    const lines = (await readFile(join(dir, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('entity,ip,dot_product');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^user_1,10\.1\.0\.5,-?\d/);
    expect(lines[2]).toBe('user_2,not-an-ip,');
    expect(lines[3]).toMatch(/^user_3,192\.0\.2\.1,-?\d/);
    expect(r.err).toContain("line 3: field 2 'ip' is not an IPv4 address: 'not-an-ip'");
    const dots = (await loadModel(model)).score(['user_1'], ['10.1.0.5']);
    expect(Number(lines[1]!.split(',')[2])).toBeCloseTo(dots[0]!, 5);
  });

  it('evaluates labeled pairs and prints the JSON metrics', async () => {
    const r = await runCli('eval', '--model', model, '--input', join(dir, 'labeled.csv'));
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out);
    expect(Object.keys(m).sort()).toEqual(['auc', 'n', 'tpr_at_fpr_0_1pct', 'tpr_at_fpr_1pct']);
    expect(m.n).toBe(120);
    expect(m.auc).toBeGreaterThan(0.8);
  });

  it('calibrates: writes the threshold into the artifact and an HTML report with charts', async () => {
    // Act
    const r = await runCli(
      'calibrate',
      '--model',
      model,
      '--input',
      join(dir, 'labeled.csv'),
      '--target-fpr',
      '0.05',
    );

    // Assess
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    const loaded = await loadModel(model);
    expect(loaded.threshold).toBe(summary.threshold);
    expect(loaded.calibration).toMatchObject({
      targetFpr: 0.05,
      anomalySource: 'labeled',
      nNormal: 60,
      nAnomalous: 60,
    });
    await access(join(model, 'calibration', 'report.html'));
    await access(join(model, 'calibration', 'roc.png'));
    await access(join(model, 'calibration', 'histogram.png'));
  });

  it('fails clearly on a foreign model directory', async () => {
    const r = await runCli('eval', '--model', dir, '--input', join(dir, 'labeled.csv'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('not a Lakewatch IP Insights model');
  });
});
