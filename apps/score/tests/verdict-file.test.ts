import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CachedVerdict,
  createScoreService,
  FileVerdictCache,
  loadConfig,
  VerdictCache,
} from '../src/index.js';
import { trainCalibratedModel } from './helpers.js';

const TTL = 60_000;
const v = (at: number, anomalous = true, dotProduct = -1.5): CachedVerdict => ({
  dotProduct,
  anomalous,
  at,
});
const line = (key: string, verdict: CachedVerdict) => `${JSON.stringify({ key, ...verdict })}\n`;
const fileLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

async function tempFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'lakewatch-verdicts-')), 'state', 'verdicts.jsonl');
}

function open(
  path: string,
  now: number,
  more: { maxPairs?: number; minCompactLines?: number } = {},
) {
  return new FileVerdictCache(path, { ttlMs: TTL, maxPairs: 100, now: () => now, ...more });
}

describe('Class: FileVerdictCache', () => {
  it('keeps verdicts across a reopen, one JSON line per verdict', async () => {
    // Prepare
    const path = await tempFile();
    const first = open(path, 1_000);
    expect(first.loaded).toMatchObject({ lines: 0, live: 0, compacted: false });

    // Act
    first.setAll([
      ['m1|0.5|i-1|203.0.113.1', v(1_000)],
      ['m1|0.5|i-1|10.0.0.1', v(1_000, false, 2.5)],
    ]);
    first.set('m1|0.5|i-2|203.0.113.2', v(2_000));
    first.close(); // no flush needed: lines are written on set
    const second = open(path, 30_000);

    // Assess
    expect(fileLines(path).map((l) => JSON.parse(l).key)).toEqual([
      'm1|0.5|i-1|203.0.113.1',
      'm1|0.5|i-1|10.0.0.1',
      'm1|0.5|i-2|203.0.113.2',
    ]);
    expect(second.loaded).toEqual({
      lines: 3,
      live: 3,
      expired: 0,
      stale: 0,
      corrupt: 0,
      compacted: false,
    });
    expect(second.get('m1|0.5|i-1|10.0.0.1', 30_000)).toEqual(v(1_000, false, 2.5));
    expect(second.get('m1|0.5|i-2|203.0.113.2', 30_000)?.anomalous).toBe(true);
  });

  it('drops verdicts past the TTL on load and compacts the file to the live ones', async () => {
    // Prepare: two verdicts from an hour ago, one from 10 s ago
    const path = await tempFile();
    const c = open(path, 0);
    c.setAll([
      ['m1|0.5|old-1|1.1.1.1', v(0)],
      ['m1|0.5|old-2|1.1.1.2', v(0)],
    ]);
    c.set('m1|0.5|new|1.1.1.3', v(3_590_000));
    c.close();

    // Act
    const reopened = open(path, 3_600_000);

    // Assess
    expect(reopened.loaded).toMatchObject({ lines: 3, live: 1, expired: 2, compacted: true });
    expect(reopened.get('m1|0.5|old-1|1.1.1.1', 3_600_000)).toBeUndefined();
    expect(reopened.get('m1|0.5|new|1.1.1.3', 3_600_000)).toBeDefined();
    expect(fileLines(path)).toEqual([line('m1|0.5|new|1.1.1.3', v(3_590_000)).trim()]);
  });

  it('compacts on load only past twice the live verdicts, keeping the newest of a key', async () => {
    // Prepare: 4 lines for 2 keys (2×) — not compacted; a 5th line for one key — compacted
    const path = await tempFile();
    const lines = [
      line('k|a', v(1)),
      line('k|b', v(2)),
      line('k|a', v(3)),
      line('k|b', v(4, false)),
    ];
    open(path, 10).close(); // creates the directory
    writeFileSync(path, lines.join(''));
    const atTwice = open(path, 10);
    atTwice.close();
    writeFileSync(path, [...lines, line('k|a', v(5))].join(''));

    // Act
    const past = open(path, 10);

    // Assess
    expect(atTwice.loaded).toMatchObject({ lines: 4, live: 2, compacted: false });
    expect(past.loaded).toMatchObject({ lines: 5, live: 2, compacted: true });
    expect(fileLines(path).map((l) => JSON.parse(l))).toEqual([
      { key: 'k|b', ...v(4, false) },
      { key: 'k|a', ...v(5) },
    ]);
    expect(past.get('k|a', 10)?.at).toBe(5);
    expect(past.get('k|b', 10)?.anomalous).toBe(false);
  });

  it('skips and counts corrupt lines, including a torn last line, and rewrites the file clean', async () => {
    // Prepare
    const path = await tempFile();
    open(path, 0).close();
    writeFileSync(
      path,
      [
        line('k|good-1', v(100)),
        'not json at all\n',
        '{"key":"k|x","dotProduct":"-1","anomalous":true,"at":1}\n', // dotProduct not a number
        '[1,2,3]\n',
        '\n', // blank lines are no lines
        line('k|good-2', v(200)),
        '{"key":"k|torn","dotProduct":-1.2,"anom', // a crash mid-write
      ].join(''),
    );

    // Act
    const c = open(path, 1_000);
    c.set('k|after', v(1_000));
    c.close();
    const again = open(path, 1_000);

    // Assess
    expect(c.loaded).toMatchObject({ lines: 6, live: 2, corrupt: 4, compacted: true });
    expect(again.loaded).toMatchObject({ lines: 3, live: 3, corrupt: 0, compacted: false });
    expect(again.get('k|after', 1_000)).toEqual(v(1_000));
    expect(again.get('k|good-2', 1_000)).toEqual(v(200));
  });

  it('keeps at most maxPairs verdicts (the newest) and drops the ones `keep` refuses', async () => {
    // Prepare
    const path = await tempFile();
    const c = open(path, 0);
    c.setAll(
      Array.from(
        { length: 6 },
        (_, i) => [`m1|0.5|e|10.0.0.${i}`, v(i)] as [string, CachedVerdict],
      ),
    );
    c.set('m0|0.5|e|10.0.0.9', v(9));
    c.close();

    // Act
    const bounded = new FileVerdictCache(path, {
      ttlMs: TTL,
      maxPairs: 3,
      now: () => 10,
      keep: (key) => key.startsWith(VerdictCache.prefix('m1', 0.5)),
    });

    // Assess
    expect(bounded.loaded).toMatchObject({ lines: 7, live: 3, stale: 1, compacted: true });
    expect(bounded.get('m1|0.5|e|10.0.0.2', 10)).toBeUndefined();
    expect(bounded.get('m1|0.5|e|10.0.0.5', 10)).toBeDefined();
    expect(fileLines(path)).toHaveLength(3);
  });

  it('compacts while running once the file has more than twice the live verdicts', async () => {
    // Prepare: 4 pairs re-scored each window, 10 windows
    const path = await tempFile();
    let now = 0;
    const c = new FileVerdictCache(path, {
      ttlMs: 10,
      maxPairs: 100,
      now: () => now,
      minCompactLines: 4,
    });

    // Act
    for (let w = 0; w < 10; w++) {
      now = w * 10;
      c.setAll([0, 1, 2, 3].map((i) => [`k|${i}`, v(now)] as [string, CachedVerdict]));
    }

    // Assess: 40 verdicts written, never more than 2 × 4 lines on disk
    expect(fileLines(path).length).toBeLessThanOrEqual(8);
    expect(c.get('k|3', now)?.at).toBe(90);
  });

  it('clear() empties the file too', async () => {
    const path = await tempFile();
    const c = open(path, 0);
    c.set('k|a', v(0));
    c.clear();
    c.set('k|b', v(0));
    c.close();
    expect(fileLines(path).map((l) => JSON.parse(l).key)).toEqual(['k|b']);
  });
});

describe('Function: createScoreService — verdict file', () => {
  let model: Awaited<ReturnType<typeof trainCalibratedModel>>;
  beforeAll(async () => {
    model = await trainCalibratedModel(1);
  }, 120_000);

  function capture(): { logger: pino.Logger; logs: Record<string, unknown>[] } {
    const logs: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        logs.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return { logger: pino({ level: 'info' }, destination), logs };
  }

  it('loads the current model’s verdicts, warns with the count of corrupt lines', async () => {
    // Prepare
    const path = await tempFile();
    const prefix = VerdictCache.prefix(model.model.version, model.model.threshold!);
    open(path, 0).close();
    writeFileSync(
      path,
      [
        line(`${prefix}i-0001|203.0.113.9`, v(Date.now() - 1_000)),
        line(`old-model|0.1|i-0001|203.0.113.9`, v(Date.now() - 1_000)),
        '{"key":',
        '\n#garbage\n',
      ].join(''),
    );
    const { logger, logs } = capture();

    // Act
    const service = await createScoreService(
      loadConfig({ SCORE_MODEL_PATH: model.path, AWS_REGION: 'us-east-1' }),
      logger,
      { verdictFile: path },
    );
    service.close();

    // Assess
    const warning = logs.find((l) => l.level === 40);
    expect(warning).toMatchObject({ corrupt: 2, live: 1, stale: 1, path, compacted: true });
    expect(warning?.msg).toContain('2 corrupt line(s)');
    expect(fileLines(path)).toHaveLength(1);
  });

  it('keeps no file in shadow mode (the cache is not used there)', async () => {
    const path = await tempFile();
    const service = await createScoreService(
      loadConfig({
        SCORE_MODEL_PATH: model.path,
        SCORE_PUBLISH: 'shadow',
        AWS_REGION: 'us-east-1',
      }),
      undefined,
      { verdictFile: path },
    );
    service.close();
    expect(existsSync(path)).toBe(false);
  });
});
