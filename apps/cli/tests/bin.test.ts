import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '../../..');

describe('Command: npx lakewatch', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b', 'apps/cli'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }, 120_000);

  it('prints its help from the repository root', () => {
    const run = spawnSync('npx', ['lakewatch', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: lakewatch \[options\] \[command\]/);
    expect(run.stdout).toContain('contracts');
  });

  it('exits 2 on an unknown command', () => {
    const run = spawnSync('node', ['apps/cli/bin/lakewatch.js', 'frobnicate'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });
});
