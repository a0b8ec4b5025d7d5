import { describe, expect, it } from 'vitest';
import { Rng } from '../src/hash.js';
import { HyperparameterError, rocAuc, TrainingError, train } from '../src/index.js';
import { SMALL, syntheticPairs } from './helpers.js';

const OPTIONS = { ipHashBuckets: 4096 } as const;

function heldOutAuc(
  model: Awaited<ReturnType<typeof train>>['model'],
  heldOut: { entities: readonly string[]; ips: readonly string[] },
): number {
  // Real held-out pairs against the same entities with random IPs.
  const rng = new Rng(99);
  const randomIps = heldOut.ips.map(
    () => `${rng.below(224) + 1}.${rng.below(256)}.${rng.below(256)}.${rng.below(256)}`,
  );
  const pos = model.score(heldOut.entities, heldOut.ips);
  const neg = model.score(heldOut.entities, randomIps);
  return rocAuc([...pos, ...neg], [...pos.map(() => 1), ...neg.map(() => 0)]);
}

describe('Function: train', () => {
  const data = syntheticPairs(150, 30);

  it('learns a synthetic set: held-out pairs score far above random IPs (2 worker threads)', async () => {
    // Prepare
    const liveAuc: number[] = [];

    // Act
    const { model, report } = await train(data.train, SMALL, {
      ...OPTIONS,
      threads: 2,
      validation: data.heldOut,
      onEpoch: (_e, live) => liveAuc.push(heldOutAuc(live, data.heldOut)),
    });

    // Assess
    expect(report.threads).toBe(2);
    expect(report.epochs).toHaveLength(SMALL.epochs);
    expect(report.positives).toBe(150 * 30);
    expect(report.epochs[3]!.loss).toBeLessThan(report.epochs[0]!.loss);
    expect(report.finalDiscriminatorAuc).toBeGreaterThan(0.9);
    expect(heldOutAuc(model, data.heldOut)).toBeGreaterThan(0.9);
    expect(liveAuc).toHaveLength(SMALL.epochs);
    expect(liveAuc[SMALL.epochs - 1]).toBeCloseTo(heldOutAuc(model, data.heldOut), 9);
    expect(model.version).toMatch(/^ipi-[0-9a-f]{16}$/);
  });

  it('is deterministic for a given seed and thread count', async () => {
    // Prepare
    const small = syntheticPairs(60, 20, 3);

    // Act
    const a = await train(
      small.train,
      { ...SMALL, epochs: 2 },
      { ...OPTIONS, threads: 2, seed: 7 },
    );
    const b = await train(
      small.train,
      { ...SMALL, epochs: 2 },
      { ...OPTIONS, threads: 2, seed: 7 },
    );
    const c = await train(
      small.train,
      { ...SMALL, epochs: 2 },
      { ...OPTIONS, threads: 2, seed: 8 },
    );
    const one = await train(
      small.train,
      { ...SMALL, epochs: 2 },
      { ...OPTIONS, threads: 1, seed: 7 },
    );

    // Assess
    expect(a.model.version).toBe(b.model.version);
    expect(a.model.score(small.heldOut.entities, small.heldOut.ips)).toEqual(
      b.model.score(small.heldOut.entities, small.heldOut.ips),
    );
    expect(c.model.version).not.toBe(a.model.version);
    // Another thread count sums the dense gradients in another order: close, not bit-equal.
    const dotsA = a.model.score(small.heldOut.entities, small.heldOut.ips);
    const dotsOne = one.model.score(small.heldOut.entities, small.heldOut.ips);
    for (let i = 0; i < dotsA.length; i++) expect(dotsOne[i]).toBeCloseTo(dotsA[i]!, 2);
  });

  it('trains without an encoder layer and with two (ReLU between) as well', async () => {
    for (const layers of [0, 2]) {
      const { model } = await train(
        data.train,
        { ...SMALL, num_ip_encoder_layers: layers },
        { ...OPTIONS, threads: 1 },
      );
      expect(heldOutAuc(model, data.heldOut)).toBeGreaterThan(0.85);
      expect(model.ipEmbedding('10.1.2.3')).toHaveLength(SMALL.vector_dim);
    }
  });

  it('counts and keeps rejected rows, and trains on the rest', async () => {
    // Prepare
    const pairs = {
      entities: [...data.train.entities.slice(0, 500), 'bad', '', 'v6'],
      ips: [...data.train.ips.slice(0, 500), '1.2.3.400', '1.2.3.4', '2001:db8::1'],
    };

    // Act
    const { report } = await train(pairs, { ...SMALL, epochs: 1 }, { ...OPTIONS, threads: 1 });

    // Assess
    expect(report.positives).toBe(500);
    expect(report.rejected).toBe(3);
    expect(report.rejects.map((r) => r.line)).toEqual([501, 502, 503]);
    expect(report.rejects[0]!.reason).toContain("'1.2.3.400'");
  });

  it('fails clearly without usable pairs or with bad hyperparameters', async () => {
    await expect(train({ entities: ['a'], ips: ['nope'] }, SMALL, OPTIONS)).rejects.toThrow(
      TrainingError,
    );
    await expect(train(data.train, { ...SMALL, vector_dim: 3 }, OPTIONS)).rejects.toThrow(
      HyperparameterError,
    );
    await expect(train(data.train, SMALL, { ...OPTIONS, threads: 0 })).rejects.toThrow(
      'threads must be',
    );
  });
});
