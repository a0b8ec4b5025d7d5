import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileIdempotencyStore, MemoryIdempotencyStore } from '../src/index.js';

describe('Class: MemoryIdempotencyStore', () => {
  it('runs work once per key, sharing a concurrent run', async () => {
    const store = new MemoryIdempotencyStore();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 10));
      return runs;
    };
    const [a, b] = await Promise.all([store.once('e1', work), store.once('e1', work)]);
    const c = await store.once('e1', work);
    expect(runs).toBe(1);
    expect([a, b, c].filter((o) => o.duplicate)).toHaveLength(2);
    expect(a).toEqual({ duplicate: false, result: 1 });
  });

  it('forgets a key whose work failed, so a retry runs it again', async () => {
    const store = new MemoryIdempotencyStore();
    await expect(
      store.once('e1', async () => Promise.reject(new Error('target down'))),
    ).rejects.toThrow('target down');
    expect(await store.once('e1', async () => 'ok')).toEqual({ duplicate: false, result: 'ok' });
  });

  it('forgets the oldest keys beyond maxKeys', async () => {
    const store = new MemoryIdempotencyStore({ maxKeys: 2 });
    for (const k of ['a', 'b', 'c']) await store.once(k, async () => k);
    expect([store.has('a'), store.has('b'), store.has('c')]).toEqual([false, true, true]);
  });
});

describe('Class: FileIdempotencyStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lakewatch-idem-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers processed keys across a restart and compacts its file', async () => {
    const path = join(dir, 'seen.log');
    const first = new FileIdempotencyStore(path, { maxKeys: 3 });
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await first.once(k, async () => k);
    first.close();
    expect(readFileSync(path, 'utf8').trim().split('\n').length).toBeLessThanOrEqual(6);

    const second = new FileIdempotencyStore(path, { maxKeys: 3 });
    expect(await second.once('g', async () => 'again')).toEqual({ duplicate: true });
    expect(await second.once('a', async () => 'again')).toEqual({
      duplicate: false,
      result: 'again',
    });
    second.close();
  });
});
