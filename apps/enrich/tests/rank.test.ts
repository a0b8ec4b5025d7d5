import { describe, expect, it } from 'vitest';
import { rank } from '../src/index.js';

const NONE = { status: 'ok' as const, findings: [] };

describe('Function: rank', () => {
  it('scores a bare anomaly by how unusual it is', () => {
    const r = rank({
      anomalyScore: 0.5,
      direction: 'outbound',
      ipIsPublic: false,
      guardDuty: NONE,
      reputation: [],
    });
    expect(r).toEqual({
      score: 23,
      level: 'low',
      reasons: [
        { code: 'anomaly-score', points: 23, description: 'more unusual than 50% of normal pairs' },
      ],
    });
  });

  it('adds GuardDuty, reputation, asset and direction points, most first, capped at 100', () => {
    const r = rank({
      anomalyScore: 0.999,
      direction: 'inbound',
      ipIsPublic: true,
      guardDuty: {
        status: 'ok',
        findings: [{ id: 'f1', type: 'Recon:EC2/PortProbeUnprotectedPort', severity: 8 }],
      },
      reputation: [
        { feed: 'firehol_level1', indicator: '198.51.100.0/24', category: 'scanner', score: 90 },
      ],
      asset: { role: 'db', criticality: 'critical' },
    });
    expect(r.reasons.map((x) => [x.code, x.points])).toEqual([
      ['anomaly-score', 45],
      ['guardduty-finding', 26],
      ['reputation-hit', 24],
      ['asset-critical', 15],
      ['unknown-asn', 5],
      ['inbound-from-internet', 3],
    ]);
    expect(r).toMatchObject({ score: 100, level: 'critical' });
  });

  it('maps scores to levels at 20, 40, 70 and 85', () => {
    const level = (s: number) =>
      rank({
        anomalyScore: s / 45,
        direction: 'x',
        ipIsPublic: false,
        guardDuty: NONE,
        reputation: [],
      }).level;
    expect([level(19), level(20), level(40), level(44)]).toEqual([
      'informational',
      'low',
      'medium',
      'medium',
    ]);
  });
});
