import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidOptionError,
  resolveOptions,
  type SimulationResult,
  SimulatorError,
  simulate,
} from '../src/index.js';

describe('Function: simulate', () => {
  let dir: string;
  let result: SimulationResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-sim-'));
    result = await simulate({ out: dir, seed: 7, days: 0.5, scale: 10, liveMinutes: 20 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes history and live objects, the ground truth and the environment, and counts them', async () => {
    // Act
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.log.gz'));
    const truth = JSON.parse(await readFile(result.paths.groundTruth, 'utf8'));
    const env = JSON.parse(await readFile(result.paths.environment, 'utf8'));
    let lines = 0;
    for (const f of files) {
      const text = gunzipSync(await readFile(join(dir, f))).toString();
      lines += text.split('\n').length - (f.includes('vpcflowlogs') ? 2 : 1);
    }

    // Assess
    expect(files.length).toBe(result.objects);
    expect(files.filter((f) => f.startsWith('live/')).length).toBe(result.live.objects);
    expect(lines).toBe(result.records);
    expect(result.records).toBe(result.flowRecords + result.dnsRecords);
    expect(truth.incidents.map((i: { id: string }) => i.id)).toEqual(
      result.incidents.map((i) => i.id),
    );
    expect(env.instances).toHaveLength(10);
    expect(new Set(env.instances.map((i: { role: string }) => i.role))).toEqual(
      new Set(['web', 'app', 'db', 'bastion', 'batch']),
    );
    expect(result.recordsPerSecond).toBeGreaterThan(0);
  });

  it('refuses to mix runs in one folder unless asked to overwrite', async () => {
    // Act
    const again = simulate({ out: dir, seed: 8, days: 0.1, scale: 5, liveMinutes: 10 });

    // Assess
    await expect(again).rejects.toThrow(SimulatorError);
    await expect(again).rejects.toThrow(/already exists; pass overwrite/);
    const replaced = await simulate({
      out: dir,
      seed: 8,
      days: 0.1,
      scale: 5,
      liveMinutes: 10,
      overwrite: true,
    });
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.log.gz'));
    expect(files.length).toBe(replaced.objects);
  });
});

describe('Function: resolveOptions', () => {
  it.each([
    [{ days: -1 }, "option 'days' must be a number from 0 to 366, got -1"],
    [
      { scale: 'huge' as never },
      "option 'scale' must be 'small', 'medium', 'large' or 5–5000 instances, got 'huge'",
    ],
    [{ scale: 3 }, "option 'scale'"],
    [{ liveMinutes: 1.5 }, "option 'liveMinutes' must be a whole number"],
    [
      { incidents: ['port-scan', 'ddos'] as never },
      "option 'incidents' must be 'all', 'none' or kinds from port-scan",
    ],
    [{ start: 'yesterday' }, "option 'start' must be an ISO 8601 time, got 'yesterday'"],
    [{ objectMinutes: 15 as never }, "option 'objectMinutes' must be 5 or 10, got 15"],
    [{ region: 'mars' }, "option 'region' must be an AWS region name"],
    [{ days: 0, liveMinutes: 0 }, "option 'days'"],
  ])('rejects %j naming the option and value', (options, message) => {
    // Act
    const act = () => resolveOptions(options);

    // Assess
    expect(act).toThrow(InvalidOptionError);
    expect(act).toThrow(message);
  });

  it('applies the documented defaults', () => {
    // Act
    const o = resolveOptions();

    // Assess
    expect(o).toMatchObject({
      seed: 'lakewatch',
      days: 7,
      scale: 'small',
      instances: 16,
      liveMinutes: 60,
      objectMinutes: 10,
      region: 'us-east-1',
      gzipLevel: 6,
    });
    expect(o.incidents).toHaveLength(6);
    expect(new Date(o.start).toISOString()).toBe('2026-11-02T00:00:00.000Z');
  });
});
