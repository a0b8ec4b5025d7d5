import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommitLog } from '../src/log-writer.js';

describe('Function: GroupCommitLog', () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'log-writer-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('resolves each synced append only once its line is in the file, in append order', async () => {
    // Prepare
    const path = join(fresh(), 'events.log');
    const log = new GroupCommitLog(path, 0, true);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}\n`);

    // Act: the first append resolving proves its line (and no later one yet) is written.
    const seen: string[] = [];
    await Promise.all(
      lines.map((l) => log.append(l).then(() => seen.push(readFileSync(path, 'utf8')))),
    );
    await log.close();

    // Assess
    expect(readFileSync(path, 'utf8')).toBe(lines.join(''));
    for (const [i, text] of seen.entries()) expect(text).toContain(lines[i]);
    expect(log.size).toBe(Buffer.byteLength(lines.join('')));
  });

  it('writes detached (ack) lines without waiters, and close() flushes the ones still gathered', async () => {
    // Prepare
    const path = join(fresh(), 'acks.log');
    const log = new GroupCommitLog(path, 0, false);

    // Act
    log.appendDetached('a\n');
    log.appendDetached('b\n');
    await log.close();
    log.appendDetached('after close\n');

    // Assess
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
  });

  it('appends to what the file already holds', async () => {
    // Prepare
    const path = join(fresh(), 'events.log');
    const first = new GroupCommitLog(path, 0, true);
    await first.append('one\n');
    await first.close();

    // Act
    const second = new GroupCommitLog(path, 4, true);
    await second.append('two\n');
    await second.close();

    // Assess
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
    expect(second.size).toBe(8);
  });
});
