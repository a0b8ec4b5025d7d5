import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand,
} from '@aws-sdk/client-guardduty';
import { type AnomalyDetectedV1, validateDetail } from '@lakewatch/contracts';
import { type BusEvent, InMemoryBus } from '@lakewatch/eventbus';
import { GeoAsnDatabase, GuardDutyIntel, ReputationFeeds } from '@lakewatch/intel';
import { ContractPublisher } from '@lakewatch/service-kit';
import { validateOcsfRecord } from '@lakewatch/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrichService, findingIdOf } from '../src/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const EVENT = JSON.parse(
  readFileSync(join(import.meta.dirname, 'events/eventbridge/anomaly-detected.json'), 'utf8'),
);
const gd = mockClient(GuardDutyClient);

let feeds: ReputationFeeds;
let geo: GeoAsnDatabase;
beforeAll(async () => {
  [feeds, geo] = await Promise.all([
    ReputationFeeds.load(
      [
        { path: join(FIXTURES, 'firehol_level1.netset'), category: 'attacker' },
        { path: join(FIXTURES, 'scores.csv') },
      ],
      { reloadIntervalMs: 0 },
    ),
    GeoAsnDatabase.load(),
  ]);
}, 120_000);
afterAll(() => feeds.close());

function anomaly(overrides: Partial<AnomalyDetectedV1['pair']> = {}): AnomalyDetectedV1 {
  const a = structuredClone(EVENT.detail) as AnomalyDetectedV1;
  Object.assign(a.pair, overrides);
  return a;
}

describe('Class: EnrichService', () => {
  it('publishes a ranked FindingEnriched with GuardDuty, reputation and a valid OCSF Detection Finding', async () => {
    // Prepare
    gd.reset();
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
    gd.on(ListFindingsCommand).resolves({ FindingIds: ['f-1'] });
    gd.on(GetFindingsCommand).resolves({
      Findings: [{ Id: 'f-1', Type: 'Recon:EC2/PortProbeUnprotectedPort', Severity: 5 } as never],
    });
    const bus = new InMemoryBus();
    const got: BusEvent[] = [];
    bus.subscribe({
      name: 'findings',
      eventPattern: { 'detail-type': ['FindingEnriched'] },
      handler: (e) => void got.push(e),
    });
    const service = new EnrichService({
      publisher: new ContractPublisher(bus),
      guardDuty: new GuardDutyIntel({ client: new GuardDutyClient({ region: 'us-east-1' }) }),
      feeds,
      geo,
      now: () => Date.parse('2026-11-28T14:06:13Z'),
    });

    // Act
    await service.handle({ ...EVENT, detail: anomaly() });

    // Assess
    const detail = got[0]!.detail as Record<string, never>;
    expect(validateDetail('FindingEnriched', detail)).toBeTruthy();
    expect(validateOcsfRecord(detail.finding)).toMatchObject({ valid: true, checked: true });
    expect(detail).toMatchObject({
      findingId: findingIdOf(EVENT.detail.anomalyId),
      ip: '198.51.100.23',
      risk: { level: 'critical' },
      intel: {
        guardDuty: { status: 'ok', findings: [{ id: 'f-1', severity: 5 }] },
        reputation: [
          { feed: 'scores', indicator: '198.51.100.23', category: 'scanner', score: 90 },
          { feed: 'firehol_level1', indicator: '198.51.100.0/24', category: 'attacker' },
        ],
      },
      tags: expect.arrayContaining(['guardduty', 'reputation:scanner', 'direction:inbound']),
      finding: {
        class_uid: 2004,
        type_uid: 200401,
        severity_id: 5,
        finding_info: { uid: findingIdOf(EVENT.detail.anomalyId) },
      },
    });
    expect(feeds.stats.malformed).toEqual([
      expect.objectContaining({ line: 6, text: 'not-a-network' }),
    ]);
  });

  it('adds ASN and country for public addresses, and asset context', async () => {
    const service = new EnrichService({
      publisher: new ContractPublisher(new InMemoryBus()),
      geo,
      assets: { 'i-0db5e1b2c3d4e5f60': { role: 'db', criticality: 'high' } },
    });
    const finding = await service.enrich(anomaly({ ip: '8.8.8.8', direction: 'outbound' }));
    expect(finding.intel).toMatchObject({
      asn: { number: 15169 },
      country: { code: 'US' },
      guardDuty: { status: 'disabled' },
    });
    expect(finding.tags).toEqual(expect.arrayContaining(['asset:db', 'country:US']));
    expect(finding.risk.reasons.map((r) => r.code)).toContain('asset-critical');
  });

  it('still enriches when GuardDuty is throttled, saying so', async () => {
    gd.reset();
    gd.on(ListDetectorsCommand).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    const service = new EnrichService({
      publisher: new ContractPublisher(new InMemoryBus()),
      guardDuty: new GuardDutyIntel({ client: new GuardDutyClient({ region: 'us-east-1' }) }),
    });
    const finding = await service.enrich(anomaly({ ip: '10.0.42.9', direction: 'lateral' }));
    expect(finding.intel.guardDuty).toEqual({
      status: 'degraded',
      reason: 'ThrottlingException (throttled): Rate exceeded',
      findings: [],
    });
    expect(finding.risk.reasons.map((r) => r.code)).toEqual(['anomaly-score', 'lateral-movement']);
  });
});
