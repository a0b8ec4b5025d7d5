import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShadowVerdictsRecordedV1 } from '@lakewatch/contracts';
import { describe, expect, it } from 'vitest';
import { startCollector } from '../src/backtest/collector.js';

const EXAMPLE = join(
  import.meta.dirname,
  '../../../contracts/events/lakewatch.score/ShadowVerdictsRecorded/v1/examples/candidate.json',
);

const envelope = (id: string, detail: ShadowVerdictsRecordedV1) => ({
  version: '0',
  id,
  'detail-type': 'ShadowVerdictsRecorded',
  source: 'lakewatch.score',
  account: '000000000000',
  time: '2026-11-29T09:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail,
});

describe('Function: backtest verdict collector', () => {
  it('keeps each verdict once across redeliveries, and refuses other runs and off-contract events', async () => {
    // Prepare
    const detail = JSON.parse(await readFile(EXAMPLE, 'utf8')) as ShadowVerdictsRecordedV1;
    const c = await startCollector(detail.runId);
    const post = async (body: unknown) =>
      (
        await fetch(c.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    try {
      // Act: the same event twice, the same batch re-scored under another event id, another
      // run's verdicts, and a detail that breaks the contract
      const statuses = [
        await post(envelope('e-1', detail)),
        await post(envelope('e-1', detail)),
        await post(envelope('e-2', detail)),
        await post(envelope('e-3', { ...detail, runId: 'bt-other' })),
        await post(envelope('e-4', { ...detail, verdicts: [] })),
      ];
      // Assess
      expect(statuses).toEqual([200, 200, 200, 400, 400]);
      expect(c.events).toEqual({ baseline: 0, candidate: 2 });
      expect(c.refused.map((r) => r.reason)).toEqual([
        `verdicts of run bt-other, not ${detail.runId}`,
        expect.stringContaining('verdicts'),
      ]);
      const verdicts = c.verdicts();
      expect(verdicts.map((v) => [v.role, v.entity.uid, v.ip, v.anomalous])).toEqual([
        ['candidate', 'i-0a1b2c3d4e5f60718', '198.51.100.23', true],
        ['candidate', 'i-0a1b2c3d4e5f60718', '52.94.133.131', false],
      ]);
    } finally {
      await c.close();
    }
  });
});
