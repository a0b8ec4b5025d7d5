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

  it('reports a failure it did not foresee as one line naming the problem, exit 1', () => {
    // An output folder under a file: the file system's error, without a stack trace
    const run = spawnSync(
      'node',
      ['apps/cli/bin/lakewatch.js', 'simulate', '--out', 'package.json/sim', '--days', '1'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^lakewatch: ENOTDIR: not a directory, mkdir '.*package\.json\/sim'\n$/,
    );
  });

  it('refuses a --logs folder that does not exist before the demo starts anything', () => {
    const run = spawnSync(
      'node',
      [
        'apps/cli/bin/lakewatch.js',
        'demo',
        '--dir',
        '/tmp/lakewatch-never',
        '--logs',
        'no/such/folder',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('lakewatch: --logs no/such/folder: no such folder\n');
    expect(run.stdout).toBe('');
  });
});
