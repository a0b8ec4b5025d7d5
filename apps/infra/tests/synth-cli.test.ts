import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const INFRA = resolve(import.meta.dirname, '..');

describe('Command: npm run synth (nx run infra:synth)', () => {
  let outdir: string;

  beforeAll(() => {
    // Prepare: the synth command runs the built app (dist/), as nx runs it after ^build
    const build = spawnSync('npx', ['tsc', '-b', 'tsconfig.json'], {
      cwd: INFRA,
      encoding: 'utf8',
    });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    outdir = mkdtempSync(join(tmpdir(), 'lakewatch-synth-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes the CloudFormation template offline, with no AWS credentials or network', () => {
    // Act: no credentials, no region look-up, no instance metadata: nothing to ask AWS with
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: outdir };
    env.AWS_EC2_METADATA_DISABLED = 'true';
    const run = spawnSync(
      process.execPath,
      ['dist/synth.js', 'config/example.json', join(outdir, 'cdk.out')],
      { cwd: INFRA, env, encoding: 'utf8', timeout: 170_000 },
    );

    // Assess: exit 0, the printed template exists and holds the bus, its rules and the functions
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const path = /: (\S+\.template\.json) \(\d+ bytes\)/.exec(run.stdout)?.[1];
    expect(path, run.stdout).toBeDefined();
    expect(existsSync(path as string)).toBe(true);
    const template = JSON.parse(readFileSync(path as string, 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).toContain('AWS::Events::EventBus');
    expect(types).toContain('AWS::Events::Archive');
    expect(types.filter((t) => t === 'AWS::Events::Rule').length).toBeGreaterThanOrEqual(7);
    expect(types.filter((t) => t === 'AWS::Lambda::Function').length).toBeGreaterThanOrEqual(4);
    expect(run.stdout).toMatch(/synthesized in \d+\.\d s/);
  }, 180_000);
});
