import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LandingWatcher, ObjectReadError } from '../src/index.js';
import { tempDir } from './helpers.js';

let dir: { path: string; remove: () => Promise<void> };
let now: number;
let ingested: string[];
let fail: (path: string) => Error | undefined;

function watcher(stableMs = 2000): LandingWatcher {
  return new LandingWatcher({
    dir: dir.path,
    stableMs,
    pollMs: 1000,
    now: () => now,
    ingest: async (path) => {
      const error = fail(path);
      if (error) throw error;
      ingested.push(path);
    },
  });
}

beforeEach(async () => {
  dir = await tempDir('landing');
  now = 1_000_000;
  ingested = [];
  fail = () => undefined;
});

afterEach(async () => {
  await dir.remove();
});

describe('Class: LandingWatcher', () => {
  it('ingests a file once it has stopped changing, then moves it to .processed', async () => {
    // Prepare
    const w = watcher();
    const file = join(dir.path, 'flow.log');
    await writeFile(file, 'first part\n');

    // Act / Assess: seen, but not stable yet.
    await w.scan();
    now += 1500;
    await writeFile(file, 'first part\nsecond part\n');
    await w.scan();
    now += 1999;
    await w.scan();
    expect(ingested).toEqual([]);
    now += 1;
    await w.scan();
    expect(ingested).toEqual([file]);
    expect(await readdir(dir.path)).toEqual(['.processed']);
    expect(await readFile(join(dir.path, '.processed', 'flow.log'), 'utf8')).toBe(
      'first part\nsecond part\n',
    );
  });

  it('never reads .tmp or dot files: a writer renames them when complete', async () => {
    // Prepare
    const w = watcher(0);
    await mkdir(join(dir.path, 'vpc', '2026'), { recursive: true });
    await writeFile(join(dir.path, 'vpc', '2026', 'flow.log.gz.tmp'), 'partial');
    await writeFile(join(dir.path, '.hidden.log'), 'x');

    // Act
    await w.scan();
    const before = [...ingested];
    await rename(
      join(dir.path, 'vpc', '2026', 'flow.log.gz.tmp'),
      join(dir.path, 'vpc', '2026', 'flow.log.gz'),
    );
    await w.scan();

    // Assess
    expect(before).toEqual([]);
    expect(ingested).toEqual([join(dir.path, 'vpc', '2026', 'flow.log.gz')]);
    expect(await readdir(join(dir.path, '.processed', 'vpc', '2026'))).toEqual(['flow.log.gz']);
  });

  it('moves an unreadable file to .failed with the reason, and retries other failures later', async () => {
    // Prepare
    const w = watcher(0);
    await writeFile(join(dir.path, 'bad.log'), 'x');
    await writeFile(join(dir.path, 'later.log'), 'y');
    let busDown = true;
    fail = (path) =>
      path.endsWith('bad.log')
        ? new ObjectReadError(`file://${path}`, 'unknown format')
        : busDown
          ? new Error('the bus is down')
          : undefined;

    // Act
    await w.scan();
    busDown = false;
    await w.scan();
    const tooSoon = [...ingested];
    now += 5000;
    await w.scan();

    // Assess
    expect(await readdir(join(dir.path, '.failed'))).toEqual(['bad.log', 'bad.log.error.txt']);
    expect(await readFile(join(dir.path, '.failed', 'bad.log.error.txt'), 'utf8')).toMatch(
      /bad\.log: unknown format/,
    );
    expect(tooSoon).toEqual([]);
    expect(ingested).toEqual([join(dir.path, 'later.log')]);
  });
});
