import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation, type Landed, landObjects } from '../src/index.js';

const OPTIONS = { seed: 'land', days: 0.1, scale: 6, liveMinutes: 30 };

describe('Function: landObjects', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-land-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lands the live objects in time order, whole, under their S3 keys, with no partial files left', async () => {
    // Prepare
    const expected = new Map<string, Buffer>();
    for await (const o of createSimulation(OPTIONS).objects({ phases: ['live'] }))
      expected.set(o.key, o.body);

    // Act
    const landed: Landed[] = [];
    for await (const l of landObjects(createSimulation(OPTIONS), { dir, delayMs: 5 }))
      landed.push(l);

    // Assess
    expect(landed.map((l) => l.object.key)).toEqual([...expected.keys()]);
    for (const l of landed) expect(await readFile(l.path)).toEqual(expected.get(l.object.key));
    const files = await readdir(dir, { recursive: true });
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(landed.every((l, i) => i === 0 || l.landedAt >= landed[i - 1]!.landedAt + 4)).toBe(true);
    expect(landed.every((l) => l.object.phase === 'live')).toBe(true);
  });

  it('stops when aborted', async () => {
    // Prepare
    const controller = new AbortController();
    const out = join(dir, 'aborted');

    // Act
    const landed: Landed[] = [];
    for await (const l of landObjects(createSimulation(OPTIONS), {
      dir: out,
      delayMs: 1,
      signal: controller.signal,
    })) {
      landed.push(l);
      if (landed.length === 2) controller.abort();
    }

    // Assess
    expect(landed).toHaveLength(2);
  });
});
