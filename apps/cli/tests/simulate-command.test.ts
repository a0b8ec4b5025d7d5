import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('Command: lakewatch simulate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-cli-sim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the logs and prints a JSON summary with objects, records, incidents and paths', async () => {
    // Act
    const res = await runCli(
      'simulate',
      '--out',
      dir,
      '--days',
      '0.2',
      '--scale',
      '8',
      '--seed',
      's1',
      '--live-minutes',
      '20',
      '--incidents',
      'port-scan,exfiltration',
    );

    // Assess
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out);
    expect(summary.objects).toBeGreaterThan(0);
    expect(summary.records).toBe(summary.flowRecords + summary.dnsRecords);
    expect(summary.instances).toBe(8);
    expect(summary.incidents.map((i: { kind: string }) => i.kind)).toEqual([
      'port-scan',
      'exfiltration',
    ]);
    const truth = JSON.parse(await readFile(summary.paths.groundTruth, 'utf8'));
    expect(truth.seed).toBe('s1');
    expect(truth.incidents).toHaveLength(2);
  });

  it('fails with a usage error naming a bad incident kind or scale', async () => {
    // Act
    const kind = await runCli('simulate', '--out', join(dir, 'x'), '--incidents', 'port-scan,ddos');
    const scale = await runCli('simulate', '--out', join(dir, 'y'), '--scale', 'enormous');

    // Assess
    expect(kind.code).toBe(2);
    expect(kind.err).toContain("'ddos'");
    expect(scale.code).toBe(2);
    expect(scale.err).toContain(
      "--scale must be small, medium, large or a number of instances, got 'enormous'",
    );
  });

  it('refuses to overwrite an earlier run without --overwrite', async () => {
    // Act
    const res = await runCli('simulate', '--out', dir, '--days', '0.1', '--scale', '5');

    // Assess
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/already exists; pass overwrite/);
  });
});
