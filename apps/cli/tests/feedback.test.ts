import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '@lakewatch/ipinsights';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadPairLabels } from '../src/backtest/labels.js';
import { buildReport, type CollectedVerdict } from '../src/backtest/report.js';
import { readLabels } from '../src/feedback/store.js';
import { runCli } from './helpers.js';

const cli = (args: string[]) => runCli(...args);

/** One line of the notify service's file target: {at, route, eventId, finding}. */
const audited = (findingId: string, uid: string, ip: string) =>
  `${JSON.stringify({ at: '2026-11-28T14:06:14Z', route: 'findings-high-risk', eventId: 'e1', finding: { findingId, entity: { type: 'instance', uid }, ip, risk: { score: 80 } } })}\n`;

describe('Function: lakewatch feedback', () => {
  let dir: string;
  let store: string;
  let findings: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-feedback-'));
    store = join(dir, 'feedback', 'labels.jsonl');
    findings = join(dir, 'findings.jsonl');
    await writeFile(
      findings,
      audited('fnd-aaaa0001', 'i-0001', '198.51.100.7') +
        audited('fnd-aaaa0002', 'i-0002', '203.0.113.9'),
    );
  });

  it('resolves entity and IP from the findings the notify service wrote, and stores the label', async () => {
    // Act
    const res = await cli([
      'feedback',
      '--finding',
      'fnd-aaaa0001',
      '--verdict',
      'false-positive',
      '--note',
      'backup job',
      '--findings',
      findings,
      '--store',
      store,
    ]);
    // Assess
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({ stored: 1, rejected: 0, falsePositives: 1 });
    const { labels } = await readLabels(store);
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({
      findingId: 'fnd-aaaa0001',
      verdict: 'false-positive',
      entity: { type: 'instance', uid: 'i-0001' },
      ip: '198.51.100.7',
      note: 'backup job',
      resolvedFrom: findings,
    });
  });

  it('refuses an unknown finding without --entity/--ip, and stores it with them', async () => {
    const unknown = await cli([
      'feedback',
      '--finding',
      'fnd-zzzz9999',
      '--verdict',
      'true-positive',
      '--findings',
      findings,
      '--store',
      store,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(
      /finding fnd-zzzz9999 is not in .*findings\.jsonl; give its entity and ip/,
    );
    const bad = await cli([
      'feedback',
      '--finding',
      'fnd-aaaa0001',
      '--verdict',
      'maybe',
      '--findings',
      findings,
      '--store',
      store,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/verdict must be false-positive or true-positive, got 'maybe'/);
    const given = await cli([
      'feedback',
      '--finding',
      'fnd-zzzz9999',
      '--verdict',
      'true-positive',
      '--entity',
      'i-0009',
      '--ip',
      '192.0.2.1',
      '--findings',
      findings,
      '--store',
      store,
    ]);
    expect(given.code).toBe(0);
    const { labels } = await readLabels(store);
    expect(labels.map((l) => [l.findingId, l.entity.uid, l.ip, l.resolvedFrom])).toEqual([
      ['fnd-zzzz9999', 'i-0009', '192.0.2.1', 'analyst'],
    ]);
  });

  it('takes a bulk CSV: good rows stored, bad rows counted and kept with their reason', async () => {
    const bulk = join(dir, 'bulk.csv');
    await writeFile(
      bulk,
      'finding,verdict,note\nfnd-aaaa0001,false-positive,"nightly, expected"\nfnd-aaaa0002,true-positive,\nfnd-nope0000,false-positive,\n,false-positive,\n',
    );
    const res = await cli(['feedback', '--file', bulk, '--findings', findings, '--store', store]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.out.trim())).toMatchObject({ stored: 2, rejected: 2, falsePositives: 1 });
    const { labels } = await readLabels(store);
    expect(labels.map((l) => [l.findingId, l.verdict, l.note])).toEqual([
      ['fnd-aaaa0001', 'false-positive', 'nightly, expected'],
      ['fnd-aaaa0002', 'true-positive', undefined],
    ]);
    const rejected = (await readFile(join(dir, 'feedback', 'labels.rejected.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string });
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, expect.stringContaining('fnd-nope0000 is not in')],
      [5, 'no finding id'],
    ]);
  });

  it('gives backtests labels: only labelled pairs count, the last verdict wins', async () => {
    // Prepare: two findings labelled, one relabelled
    await cli([
      'feedback',
      '--finding',
      'fnd-aaaa0001',
      '--verdict',
      'true-positive',
      '--findings',
      findings,
      '--store',
      store,
    ]);
    await cli([
      'feedback',
      '--finding',
      'fnd-aaaa0001',
      '--verdict',
      'false-positive',
      '--findings',
      findings,
      '--store',
      store,
    ]);
    await cli([
      'feedback',
      '--finding',
      'fnd-aaaa0002',
      '--verdict',
      'true-positive',
      '--findings',
      findings,
      '--store',
      store,
    ]);
    const labels = await loadPairLabels([store]);
    const v = (
      role: CollectedVerdict['role'],
      uid: string,
      ip: string,
      dot: number,
      anomalous: boolean,
    ): CollectedVerdict => ({
      role,
      batchId: 'npo-00000001',
      entity: { type: 'instance', uid },
      ip,
      dotProduct: dot,
      anomalous,
      lastSeen: '2026-11-05T10:20:00Z',
    });
    const verdicts = [
      v('baseline', 'i-0001', '198.51.100.7', -1, false),
      v('baseline', 'i-0002', '203.0.113.9', -3, true),
      v('baseline', 'i-0003', '192.0.2.50', 2, false),
      v('candidate', 'i-0001', '198.51.100.7', -1, true),
      v('candidate', 'i-0002', '203.0.113.9', -3, true),
      v('candidate', 'i-0003', '192.0.2.50', 2, true),
    ];
    const input = {
      runId: 'bt-test',
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-11-09T00:00:00.000Z',
      baseline: { model: 'm', threshold: -2 },
      candidate: { model: 'm', threshold: 3 },
      labels: labels!,
      alertWindowSeconds: 3600,
    };
    // Act: and again with the verdicts in another order
    const report = buildReport({ ...input, verdicts });
    const again = buildReport({ ...input, verdicts: [...verdicts].reverse() });
    // Assess
    expect(labels!.complete).toBe(false);
    expect(report.baseline.metrics).toMatchObject({
      labelledPairs: 2,
      truePositives: 1,
      falsePositives: 0,
      precision: 1,
      recall: 1,
      auc: 1,
    });
    expect(report.candidate.metrics).toMatchObject({
      labelledPairs: 2,
      truePositives: 1,
      falsePositives: 1,
      precision: 0.5,
      recall: 1,
    });
    expect(report.candidate.alerts).toBe(3);
    expect(report.onlyCandidate.alerts.map((a) => [a.entity, a.label])).toEqual([
      ['i-0001', 0],
      ['i-0003', undefined],
    ]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
  });
});

describe('Function: lakewatch train --extra-normals', () => {
  it("adds the analysts' false positives as normal pairs, so the next model finds them less unusual", async () => {
    // Prepare: instance k talks to 10.k.1.x; the analyst says (i-0000, 10.3.1.7) is normal
    const dir = await mkdtemp(join(tmpdir(), 'lakewatch-extra-normals-'));
    const rows: string[] = [];
    for (let k = 0; k < 8; k++) for (let j = 0; j < 40; j++) rows.push(`i-000${k},10.${k}.1.${j}`);
    await writeFile(join(dir, 'pairs.csv'), `${rows.join('\n')}\n`);
    const store = join(dir, 'labels.jsonl');
    await writeFile(
      store,
      `${JSON.stringify({ findingId: 'fnd-aaaa0001', verdict: 'false-positive', entity: { type: 'instance', uid: 'i-0000' }, ip: '10.3.1.7', resolvedFrom: 'analyst', labeledAt: '2026-11-29T00:00:00Z' })}\n`,
    );
    const common = [
      '--input',
      join(dir, 'pairs.csv'),
      '--seed',
      '3',
      '--threads',
      '1',
      '--no-progress',
      '--num_entity_vectors',
      '32',
      '--vector_dim',
      '8',
      '--epochs',
      '6',
      '--mini_batch_size',
      '64',
      '--learning_rate',
      '0.05',
    ];
    // Act
    const plain = await cli(['train', ...common, '--out', join(dir, 'plain')]);
    const fed = await cli([
      'train',
      ...common,
      '--out',
      join(dir, 'fed'),
      '--extra-normals',
      store,
      '--extra-normals-weight',
      '20',
    ]);
    // Assess
    expect([plain.code, fed.code]).toEqual([0, 0]);
    expect(JSON.parse(fed.out.trim())).toMatchObject({
      extra_normal_pairs: 1,
      positives: 320 + 20,
    });
    const score = async (m: string) =>
      (await loadModel(join(dir, m))).score(['i-0000'], ['10.3.1.7'])[0]!;
    expect(await score('fed')).toBeGreaterThan(await score('plain'));
  }, 90_000);
});
