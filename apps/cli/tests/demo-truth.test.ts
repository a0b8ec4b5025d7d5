import { createSimulation, describeEnvironment } from '@lakewatch/simulator';
import { describe, expect, it } from 'vitest';
import { type Alert, percentile, scoreAlerts } from '../src/demo/truth.js';

const sim = createSimulation({ days: 1, seed: 'truth-test', liveMinutes: 60 });
const truth = sim.groundTruth();
const env = describeEnvironment(sim.environment);

function alert(entity: string, ip: string): Alert {
  return {
    at: '2026-11-03T00:10:00.000Z',
    route: 'demo-all-findings',
    eventId: `e-${entity}-${ip}`,
    finding: {
      findingId: `f-${entity}-${ip}`,
      entity: { type: 'instance', uid: entity },
      ip,
      risk: { score: 50, level: 'medium', reasons: [] },
    },
  };
}

const incident = (kind: string) => {
  const inc = truth.incidents.find((i) => i.kind === kind);
  if (!inc) throw new Error(`no ${kind} incident`);
  return inc;
};

describe('Function: scoreAlerts', () => {
  it('counts exact pairs, incident addresses on another interface of the VPC, and false positives', () => {
    // Prepare: the exfiltration pair, the same address on the NAT gateway, a normal pair
    const exfil = incident('exfiltration');
    const pair = exfil.pairs[0];
    if (!pair) throw new Error('no pair');
    const nat = env.vpcs.find((v) => v.id === exfil.vpcId)?.natGateways[0]?.eni ?? '';
    const normal = env.instances[0]?.id ?? '';
    const alerts = [
      alert(pair.entity.uid, pair.ip),
      alert(nat, pair.ip),
      alert(normal, '52.94.1.1'),
    ];

    // Act
    const score = scoreAlerts(alerts, truth, env, ['peer']);

    // Assess
    expect(score.pairAlerts).toBe(1);
    expect(score.incidentAddressAlerts).toBe(1);
    expect(score.falsePositives).toBe(1);
    expect(score.precision).toBeCloseTo(2 / 3);
    expect(score.pairPrecision).toBeCloseTo(1 / 3);
    const observable = truth.incidents
      .flatMap((i) => i.pairs)
      .filter((p) => p.pairings.includes('peer'));
    expect(score.recall).toBeCloseTo(1 / observable.length);
    expect(score.byKind.find((k) => k.kind === 'exfiltration')).toMatchObject({
      detected: 1,
      alertedPairs: 1,
    });
  });

  it("does not credit an internal address of the estate seen elsewhere (lateral movement's peer)", () => {
    const lateral = incident('lateral-movement');
    const ip = lateral.pairs[0]?.ip ?? '';
    const other =
      env.instances.find((i) => !lateral.pairs.some((p) => p.entity.uid === i.id))?.id ?? '';
    const score = scoreAlerts([alert(other, ip)], truth, env, ['peer']);
    expect(score.falsePositives).toBe(1);
  });

  it("reports pairs only another pairing shows as not observable, outside the recall's count", () => {
    const score = scoreAlerts([], truth, env, ['peer']);
    const unknown = score.byKind.find((k) => k.kind === 'unknown-subnet');
    expect(unknown?.unobservablePairs).toBe(1);
    expect(score.recall).toBe(0);
    expect(score.precision).toBeNull();
  });
});

describe('Function: percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
    expect(percentile([], 50)).toBeNull();
  });
});
