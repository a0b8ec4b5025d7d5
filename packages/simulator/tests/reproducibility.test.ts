import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSimulation, type SimulateOptions } from '../src/index.js';

const OPTIONS: SimulateOptions = { seed: 'repro', days: 0.25, scale: 12, liveMinutes: 20 };

async function digest(options: SimulateOptions, phases?: ('history' | 'live')[]) {
  const hash = createHash('sha256');
  const keys: string[] = [];
  for await (const o of createSimulation(options).objects(phases ? { phases } : {})) {
    hash.update(o.key).update(o.body);
    keys.push(o.key);
  }
  return { digest: hash.digest('hex'), keys };
}

describe('Function: createSimulation (reproducibility)', () => {
  it('gives byte-identical objects and keys for the same seed and options', async () => {
    // Act
    const a = await digest(OPTIONS);
    const b = await digest({ ...OPTIONS });

    // Assess
    expect(a.keys.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
  });

  it('gives different objects for a different seed', async () => {
    // Act
    const a = await digest(OPTIONS);
    const b = await digest({ ...OPTIONS, seed: 'other' });

    // Assess
    expect(b.digest).not.toBe(a.digest);
    expect(b.keys.filter((k) => a.keys.includes(k))).toEqual([]);
  });

  it('produces the same live objects whether or not the history is generated first', async () => {
    // Prepare
    const all = createSimulation(OPTIONS);
    const live: string[] = [];
    for await (const o of all.objects())
      if (o.phase === 'live')
        live.push(`${o.key} ${createHash('sha256').update(o.body).digest('hex')}`);

    // Act
    const only: string[] = [];
    for await (const o of createSimulation(OPTIONS).objects({ phases: ['live'] }))
      only.push(`${o.key} ${createHash('sha256').update(o.body).digest('hex')}`);

    // Assess
    expect(live.length).toBeGreaterThan(0);
    expect(only).toEqual(live);
  });

  it('gives the same ground truth for the same seed', () => {
    // Act
    const a = createSimulation(OPTIONS).groundTruth();
    const b = createSimulation(OPTIONS).groundTruth();

    // Assess
    expect(b).toEqual(a);
    expect(a.incidents).toHaveLength(6);
  });
});
