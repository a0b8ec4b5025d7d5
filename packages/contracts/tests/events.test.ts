import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AnomalyDetectedV1,
  buildPutEventsEntry,
  ContractValidationError,
  currentSchemaVersion,
  listContracts,
  parseEvent,
  rulePattern,
  UnknownContractError,
  validateDetail,
} from '../src/index.js';

const EVENTS = join(import.meta.dirname, '../../../contracts/events');

function example(source: string, detailType: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EVENTS, source, detailType, 'v1/examples', name), 'utf8'));
}

function envelope(detailType: string, source: string, detail: unknown) {
  return {
    version: '0',
    id: '6a7e3c2b-0e4f-4a47-9d43-1c2f9e0b8a11',
    'detail-type': detailType,
    source,
    account: '111122223333',
    time: '2026-11-28T14:06:13Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

describe('Function: validateDetail', () => {
  it('accepts every valid example of every contract', () => {
    for (const c of listContracts()) {
      const dir = join(EVENTS, c.source, c.detailType, `v${c.major}`, 'examples');
      const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const f of files) {
        const detail = JSON.parse(readFileSync(join(dir, f), 'utf8'));
        expect(() => validateDetail(c.detailType as 'AnomalyDetected', detail)).not.toThrow();
      }
    }
  });

  it('names the JSON path and the rule of each failure', () => {
    // Prepare
    const detail = example('lakewatch.score', 'AnomalyDetected', 'unknown-external-ip.json');
    (detail.pair as Record<string, unknown>).ip = '10.0.300.1';
    delete detail.threshold;

    // Act
    let error: unknown;
    try {
      validateDetail('AnomalyDetected', detail);
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(ContractValidationError);
    const issues = (error as ContractValidationError).issues;
    expect(issues).toContainEqual(
      expect.objectContaining({ path: '/threshold', rule: 'required' }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ path: '/pair/ip', rule: 'format' }));
    expect((error as Error).message).toMatch(/^AnomalyDetected v1: .*\/threshold/);
  });
});

describe('Function: buildPutEventsEntry', () => {
  it('builds a PutEvents entry with the contract source and JSON detail', () => {
    const detail = example(
      'lakewatch.score',
      'AnomalyDetected',
      'lateral-sagemaker.json',
    ) as unknown as AnomalyDetectedV1;
    const entry = buildPutEventsEntry('AnomalyDetected', detail, {
      eventBusName: 'lakewatch',
      time: new Date(0),
    });
    expect(entry).toEqual({
      Source: 'lakewatch.score',
      DetailType: 'AnomalyDetected',
      Detail: JSON.stringify(detail),
      EventBusName: 'lakewatch',
      Time: new Date(0),
    });
  });

  it('refuses to build an entry for an off-contract detail', () => {
    const detail = example('lakewatch.score', 'AnomalyDetected', 'lateral-sagemaker.json');
    detail.anomalyScore = 3;
    expect(() =>
      buildPutEventsEntry('AnomalyDetected', detail as unknown as AnomalyDetectedV1),
    ).toThrow(/\/anomalyScore must be <= 1 \(maximum\)/);
  });
});

describe('Function: parseEvent', () => {
  it('parses an envelope given as JSON text into a typed event', () => {
    const detail = example('lakewatch.ingest', 'NetworkPairsObserved', 'peer-pairs.json');
    const event = parseEvent(
      JSON.stringify(envelope('NetworkPairsObserved', 'lakewatch.ingest', detail)),
    );
    expect(event['detail-type']).toBe('NetworkPairsObserved');
    if (event['detail-type'] === 'NetworkPairsObserved') expect(event.detail.pairs).toHaveLength(2);
  });

  it('tolerates fields a newer minor version added, and drops them', () => {
    const detail = example('lakewatch.notify', 'NotificationDelivered', 'slack.json');
    detail.schemaVersion = '1.4';
    detail.channel = '#soc';
    const event = parseEvent(envelope('NotificationDelivered', 'lakewatch.notify', detail));
    expect(event.detail).not.toHaveProperty('channel');
  });

  it('rejects an event whose source does not own the detail type', () => {
    const detail = example('lakewatch.notify', 'NotificationDelivered', 'slack.json');
    expect(() => parseEvent(envelope('NotificationDelivered', 'lakewatch.score', detail))).toThrow(
      /\/source must be 'lakewatch.notify'/,
    );
  });

  it('rejects unknown detail types, unknown majors and broken envelopes', () => {
    expect(() =>
      parseEvent(envelope('SomethingHappened', 'lakewatch.x', { schemaVersion: '1.0' })),
    ).toThrow(UnknownContractError);
    const detail = example('lakewatch.notify', 'NotificationDelivered', 'slack.json');
    detail.schemaVersion = '2.0';
    expect(() => parseEvent(envelope('NotificationDelivered', 'lakewatch.notify', detail))).toThrow(
      /no contract for detail-type 'NotificationDelivered' v2/,
    );
    expect(() => parseEvent('{not json')).toThrow(/EventBridge envelope: \/ is not JSON/);
    const noTime: Record<string, unknown> = envelope(
      'NotificationDelivered',
      'lakewatch.notify',
      detail,
    );
    delete noTime.time;
    expect(() => parseEvent(noTime)).toThrow(/\/time must have required property 'time'/);
  });
});

describe('Function: rulePattern', () => {
  it('selects one detail type and major, and keeps extra detail conditions', () => {
    expect(
      rulePattern('FindingEnriched', 1, { risk: { score: [{ numeric: ['>=', 70] }] } }),
    ).toEqual({
      source: ['lakewatch.enrich'],
      'detail-type': ['FindingEnriched'],
      detail: { risk: { score: [{ numeric: ['>=', 70] }] }, schemaVersion: [{ prefix: '1.' }] },
    });
  });

  it('knows the current schema version producers write', () => {
    expect(currentSchemaVersion('ModelPublished')).toMatch(/^1\.\d+$/);
  });
});
