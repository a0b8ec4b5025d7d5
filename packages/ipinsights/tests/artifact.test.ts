import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArtifactError,
  calibrate,
  type IpInsightsModel,
  loadModel,
  saveModel,
  train,
  withCalibration,
} from '../src/index.js';
import { SMALL, syntheticPairs, tempDir } from './helpers.js';

describe('Function: saveModel / loadModel', () => {
  const data = syntheticPairs(60, 20);
  let model: IpInsightsModel;
  let dir: string;

  beforeAll(async () => {
    ({ model } = await train(
      data.train,
      { ...SMALL, epochs: 1 },
      { threads: 1, ipHashBuckets: 1024 },
    ));
    dir = await tempDir();
  });

  it('round-trips weights, hyperparameters, version and calibration', async () => {
    // Prepare
    const { metrics } = calibrate(model, data.heldOut, { targetFpr: 0.05 });
    const path = join(dir, 'model');

    // Act
    await saveModel(withCalibration(model, metrics), path);
    const loaded = await loadModel(path);

    // Assess
    expect(loaded.version).toBe(model.version);
    expect(loaded.hyperparameters).toEqual(model.hyperparameters);
    expect(loaded.threshold).toBe(metrics.threshold);
    expect(loaded.calibration?.auc).toBe(metrics.auc);
    expect(loaded.score(data.heldOut.entities, data.heldOut.ips)).toEqual(
      model.score(data.heldOut.entities, data.heldOut.ips),
    );
    expect(loaded.entityEmbedding('user_1')).toEqual(model.entityEmbedding('user_1'));
    expect(loaded.ipEmbedding('10.0.0.1')).toEqual(model.ipEmbedding('10.0.0.1'));
    const manifest = JSON.parse(await readFile(join(path, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'lakewatch-ipinsights-model', formatVersion: 1 });
    expect(manifest.weights.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a corrupted weights file, naming the damaged tensor', async () => {
    // Prepare
    const path = join(dir, 'corrupt');
    await saveModel(model, path);
    const bytes = await readFile(join(path, 'weights.bin'));
    bytes[10] = bytes[10]! ^ 0xff; // inside the entity embeddings
    await writeFile(join(path, 'weights.bin'), bytes);

    // Act / Assess
    await expect(loadModel(path)).rejects.toThrow(ArtifactError);
    await expect(loadModel(path)).rejects.toThrow(
      /fails its SHA-256 checksum \(damaged: entity_embeddings\)/,
    );
  });

  it('refuses a truncated weights file', async () => {
    const path = join(dir, 'truncated');
    await saveModel(model, path);
    const bytes = await readFile(join(path, 'weights.bin'));
    await writeFile(join(path, 'weights.bin'), bytes.subarray(0, bytes.length - 4));
    await expect(loadModel(path)).rejects.toThrow(/weights.bin has \d+ bytes, expected \d+/);
  });

  it('refuses foreign, damaged and missing artifacts with a clear reason', async () => {
    // Prepare
    const foreign = join(dir, 'foreign');
    await saveModel(model, foreign);
    await writeFile(join(foreign, 'manifest.json'), JSON.stringify({ format: 'sagemaker-mxnet' }));
    const badJson = join(dir, 'bad-json');
    await saveModel(model, badJson);
    await writeFile(join(badJson, 'manifest.json'), '{"format": ');
    const future = join(dir, 'future');
    await saveModel(model, future);
    const m = JSON.parse(await readFile(join(future, 'manifest.json'), 'utf8'));
    await writeFile(join(future, 'manifest.json'), JSON.stringify({ ...m, formatVersion: 2 }));

    // Act / Assess
    await expect(loadModel(foreign)).rejects.toThrow("has format 'sagemaker-mxnet'");
    await expect(loadModel(badJson)).rejects.toThrow('manifest.json is not valid JSON');
    await expect(loadModel(future)).rejects.toThrow('unsupported artifact format version 2');
    await expect(loadModel(join(dir, 'nothing-here'))).rejects.toThrow('model artifact not found');
    await expect(loadModel(join(foreign, 'weights.bin'))).rejects.toThrow(
      'not a model artifact directory',
    );
  });
});
