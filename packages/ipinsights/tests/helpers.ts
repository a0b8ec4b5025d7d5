import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/hash.js';
import { intToIpv4, type PairTable } from '../src/index.js';

/** A fresh temporary directory. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lakewatch-ipinsights-'));
}

/**
 * A learnable synthetic set: each entity lives in one home /16 (a few /24s in it) and logs
 * in from addresses there. Returns training pairs and held-out normal pairs.
 */
export function syntheticPairs(
  entities: number,
  perEntity: number,
  seed = 1,
): { train: PairTable; heldOut: PairTable } {
  const rng = new Rng(seed);
  const train = { entities: [] as string[], ips: [] as string[] };
  const heldOut = { entities: [] as string[], ips: [] as string[] };
  for (let e = 0; e < entities; e++) {
    const home = (rng.nextU32() & 0xffff0000) >>> 0;
    const subnets = [rng.below(256), rng.below(256), rng.below(256)];
    for (let i = 0; i < perEntity + 5; i++) {
      const ip = (home + subnets[rng.below(3)]! * 256 + rng.below(256)) >>> 0;
      const target = i < perEntity ? train : heldOut;
      target.entities.push(`user_${e}`);
      target.ips.push(intToIpv4(ip));
    }
  }
  return { train, heldOut };
}

/** Small, fast hyperparameters for tests. */
export const SMALL = {
  num_entity_vectors: 1000,
  vector_dim: 16,
  epochs: 4,
  mini_batch_size: 256,
  learning_rate: 0.02,
  random_negative_sampling_rate: 2,
} as const;
