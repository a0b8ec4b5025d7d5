import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const EVENT = join(import.meta.dirname, 'fixtures/anomaly-detected-event.json');

describe('Command: lakewatch contracts', () => {
  it('lists every contract with its current version', async () => {
    const { code, out } = await runCli('contracts', 'list');
    expect(code).toBe(0);
    expect(out).toContain('lakewatch.score\tAnomalyDetected\tv1\t1.0\n');
    expect(out.trim().split('\n')).toHaveLength(8);
  });

  it('prints the rule pattern of a detail type', async () => {
    const { code, out } = await runCli('contracts', 'pattern', 'NetworkPairsObserved');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      source: ['lakewatch.ingest'],
      'detail-type': ['NetworkPairsObserved'],
      detail: { schemaVersion: [{ prefix: '1.' }] },
    });
  });

  it('validates an EventBridge event file', async () => {
    const { code, out } = await runCli('contracts', 'validate', EVENT);
    expect(code).toBe(0);
    expect(out).toBe(
      'valid lakewatch.score AnomalyDetected event 6a7e3c2b-0e4f-4a47-9d43-1c2f9e0b8a11\n',
    );
  });

  it('names the path and rule when an event breaks its contract, with exit code 1', async () => {
    // Prepare
    const event = JSON.parse(readFileSync(EVENT, 'utf8'));
    event.detail.pair.ip = 'not-an-ip';
    const file = join(tmpdir(), `lakewatch-bad-event-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(event));

    // Act
    const { code, err } = await runCli('contracts', 'validate', file);

    // Assess
    expect(code).toBe(1);
    expect(err).toContain('AnomalyDetected v1: /detail/pair/ip must match format "ipv4" (format)');
  });

  it('validates a bare detail with --detail-type and rejects unknown types', async () => {
    const detailFile = join(tmpdir(), `lakewatch-detail-${process.pid}.json`);
    writeFileSync(detailFile, JSON.stringify(JSON.parse(readFileSync(EVENT, 'utf8')).detail));
    expect(
      (await runCli('contracts', 'validate', detailFile, '--detail-type', 'AnomalyDetected')).out,
    ).toBe('valid AnomalyDetected v1 detail\n');
    const unknown = await runCli('contracts', 'pattern', 'SomethingHappened');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no contract for detail-type 'SomethingHappened' v1/);
  });

  it('reports a missing file and a usage error clearly', async () => {
    const missing = await runCli('contracts', 'validate', '/nonexistent/event.json');
    expect(missing).toMatchObject({
      code: 1,
      err: expect.stringContaining('cannot read /nonexistent/event.json'),
    });
    const usage = await runCli('contracts', 'pattern', 'AnomalyDetected', '--major', 'two');
    expect(usage.code).toBe(1);
    expect(usage.err).toContain("--major must be a whole number from 1, got 'two'");
  });
});
