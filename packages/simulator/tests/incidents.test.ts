import { describe, expect, it } from 'vitest';
import { INCIDENT_KINDS } from '../src/index.js';
import { pairsOf, run, SMALL } from './helpers.js';

describe('Function: createSimulation (incidents and ground truth)', () => {
  it('injects every incident kind into the live window, with its pairs in the records', async () => {
    // Prepare
    const { objects, truth } = await run(SMALL);
    const live = pairsOf(objects.filter((o) => o.obj.phase === 'live'));
    const history = pairsOf(objects.filter((o) => o.obj.phase === 'history'));

    // Act
    const kinds = truth.incidents.map((i) => i.kind);

    // Assess
    expect(kinds).toEqual([...INCIDENT_KINDS]);
    for (const inc of truth.incidents) {
      expect(inc.phase).toBe('live');
      expect(Date.parse(inc.start)).toBeGreaterThanOrEqual(Date.parse(truth.live!.start));
      expect(Date.parse(inc.end)).toBeLessThanOrEqual(Date.parse(truth.live!.end));
      expect(inc.records.flow + inc.records.dns, inc.id).toBeGreaterThan(0);
      expect(inc.pairs.length).toBeGreaterThan(0);
      for (const p of inc.pairs) {
        expect(p.entity.type).toBe('instance');
        for (const how of p.pairings) {
          const key = `${p.entity.uid} ${p.ip}`;
          expect(live[how].has(key), `${inc.id}: ${how} pair ${key} in live records`).toBe(true);
          expect(history[how].has(key), `${inc.id}: ${how} pair ${key} never in history`).toBe(
            false,
          );
        }
      }
    }
  });

  it('keeps instances that never resolve names silent in the history, and the DNS incident breaks that', async () => {
    // Prepare
    const { objects, truth } = await run(SMALL);
    const dns = (phase: string) =>
      objects
        .filter((o) => o.obj.type === 'aws-route53-resolver' && o.obj.phase === phase)
        .flatMap((o) => o.text.split('\n').filter((l) => l !== ''))
        .map(
          (l) =>
            JSON.parse(l) as { srcids: { instance: string }; query_name: string; rcode: string },
        );

    // Act
    const silent = new Set(truth.silentInstances);
    const historyAsking = dns('history').filter((q) => silent.has(q.srcids.instance));
    const liveAsking = dns('live').filter((q) => silent.has(q.srcids.instance));
    const incident = truth.incidents.find((i) => i.kind === 'dns-from-silent-instance')!;

    // Assess
    expect(silent.size).toBeGreaterThan(0);
    expect(dns('history').length).toBeGreaterThan(1000);
    expect(historyAsking).toEqual([]);
    expect(liveAsking.length).toBe(incident.records.dns);
    expect(liveAsking.every((q) => q.srcids.instance === incident.pairs[0]!.entity.uid)).toBe(true);
    expect(liveAsking.some((q) => q.rcode === 'NXDOMAIN')).toBe(true);
  });

  it('shows each incident as its kind looks in flow logs', async () => {
    // Prepare
    const { objects, truth } = await run(SMALL);
    const live = objects.filter((o) => o.obj.phase === 'live' && o.obj.type === 'aws-vpc-flow');
    const rows = live.flatMap((o) => o.text.split('\n').slice(1)).map((l) => l.split(' '));
    const ip = (kind: string) => truth.incidents.find((i) => i.kind === kind)!.pairs[0]!.ip;
    const from = (addr: string) => rows.filter((r) => r[3] === addr && r[25] === 'ingress');

    // Act
    const scan = from(ip('port-scan'));
    const brute = from(ip('ssh-brute-force'));
    const exfil = rows.filter(
      (r) => r[4] === ip('exfiltration') && r[25] === 'egress' && r[16] !== '-',
    );

    // Assess
    expect(new Set(scan.map((r) => r[6])).size).toBeGreaterThan(100); // many ports
    expect(scan.filter((r) => r[12] === 'REJECT').length / scan.length).toBeGreaterThan(0.8);
    expect(brute.length).toBeGreaterThan(100);
    expect(brute.every((r) => r[6] === '22' && r[12] === 'ACCEPT')).toBe(true);
    expect(exfil.reduce((s, r) => s + Number(r[9]), 0)).toBeGreaterThan(1e9); // gigabytes out
  });

  it('puts the incidents into the last history day when there is no live window', async () => {
    // Act
    const { truth, objects } = await run({
      ...SMALL,
      liveMinutes: 0,
      incidents: ['exfiltration', 'port-scan'],
    });

    // Assess
    expect(truth.live).toBeNull();
    expect(objects.every((o) => o.obj.phase === 'history')).toBe(true);
    expect(truth.incidents.map((i) => [i.kind, i.phase])).toEqual([
      ['exfiltration', 'history'],
      ['port-scan', 'history'],
    ]);
    expect(truth.incidents.every((i) => i.records.flow > 0)).toBe(true);
  });
});

describe('Function: createSimulation (short live window)', () => {
  it('keeps every incident inside a one-minute live window', async () => {
    // Act
    const { truth } = await run({ seed: 'short', days: 0.1, scale: 8, liveMinutes: 1 });

    // Assess
    for (const inc of truth.incidents) {
      expect(Date.parse(inc.start)).toBeGreaterThanOrEqual(Date.parse(truth.live!.start));
      expect(Date.parse(inc.end)).toBeLessThanOrEqual(Date.parse(truth.live!.end));
      expect(inc.records.flow + inc.records.dns, inc.id).toBeGreaterThan(0);
    }
  });
});
