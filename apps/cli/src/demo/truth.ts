import type { describeEnvironment, GroundTruth, IncidentKind, Pairing } from '@lakewatch/simulator';

/** The simulator's `environment.json` (`describeEnvironment`). */
export type EnvironmentJson = ReturnType<typeof describeEnvironment>;

/** One delivered alert: a line of the notify file target (`{at, route, eventId, finding}`). */
export interface Alert {
  at: string;
  route: string;
  eventId: string;
  finding: {
    findingId: string;
    entity: { type: string; uid: string };
    ip: string;
    dotProduct?: number;
    anomalyScore?: number;
    risk: {
      score: number;
      level: string;
      reasons: { code: string; points: number; description: string }[];
    };
    intel?: {
      country?: { code?: string } | null;
      asn?: { number?: number; organization?: string } | null;
    };
    tags?: string[];
    source?: { object?: { uri?: string } };
  };
}

/** How an alert relates to the ground truth. */
export type AlertMatch =
  | { kind: 'pair'; incident: string; incidentKind: IncidentKind }
  | { kind: 'incident-address'; incident: string; incidentKind: IncidentKind }
  | { kind: 'false-positive' };

/** Detection per incident kind. */
export interface KindScore {
  kind: IncidentKind;
  incidents: number;
  /** Incidents with at least one alert on one of their pairs. */
  detected: number;
  /** Ground-truth pairs the pairing in use can see, and how many of them were alerted. */
  observablePairs: number;
  alertedPairs: number;
  /** Pairs only another pairing strategy shows (e.g. `source` when ingest pairs by `peer`). */
  unobservablePairs: number;
}

/** Precision and recall of a set of alerts against the simulator's ground truth. */
export interface TruthScore {
  alerts: number;
  /** Alerts on a ground-truth (entity, IP) pair. */
  pairAlerts: number;
  /** Alerts on an incident's outside address seen on another interface of its VPC (NAT gateway, load balancer). */
  incidentAddressAlerts: number;
  falsePositives: number;
  /** (pair + incident-address alerts) / alerts; null without alerts. */
  precision: number | null;
  /** pair alerts / alerts; null without alerts. */
  pairPrecision: number | null;
  /** Alerted observable ground-truth pairs / observable ground-truth pairs. */
  recall: number | null;
  /** Incidents detected / incidents. */
  incidentRecall: number | null;
  byKind: KindScore[];
  /** The alerts that matched nothing. */
  unmatched: { entity: string; ip: string }[];
}

/**
 * Scores alerts against the ground truth.
 *
 * Matching (documented in the README): an alert on (entity, IP) is
 * 1. a **pair** hit when the ground truth lists that exact pair for an incident;
 * 2. an **incident-address** hit when its IP is one of an incident's addresses that belong to
 *    no interface or instance of the environment (the scanner, the exfiltration or C2 host,
 *    the brute-forcer, the address from the unused block) and its entity is an interface or
 *    instance of the incident's VPC: the same hostile traffic seen on the NAT gateway or load
 *    balancer that carried it (the ground truth lists only the instance's pair);
 * 3. otherwise a false positive.
 * Precision counts 1 and 2; recall counts ground-truth pairs the ingest `pairing` can observe
 * (a pair listed only under another pairing is reported per kind, not hidden).
 */
export function scoreAlerts(
  alerts: readonly Alert[],
  truth: GroundTruth,
  environment: EnvironmentJson,
  pairings: readonly Pairing[],
): TruthScore {
  const vpcOf = new Map<string, string>();
  const own = new Set<string>();
  for (const v of environment.vpcs)
    for (const e of [...v.loadBalancer, ...v.natGateways, ...v.rds, ...v.vpcEndpoints]) {
      vpcOf.set(e.eni, v.id);
      own.add(e.ip);
    }
  for (const i of environment.instances) {
    vpcOf.set(i.id, i.vpcId);
    vpcOf.set(i.eni, i.vpcId);
    own.add(i.ip);
  }
  const pairOf = new Map<string, (typeof truth.incidents)[number]>();
  const addressOf = new Map<string, (typeof truth.incidents)[number]>();
  for (const inc of truth.incidents)
    for (const p of inc.pairs) {
      pairOf.set(`${p.entity.uid},${p.ip}`, inc);
      if (!own.has(p.ip)) addressOf.set(p.ip, inc);
    }
  const alertedPairs = new Set<string>();
  const detected = new Set<string>();
  let pairAlerts = 0;
  let addressAlerts = 0;
  const unmatched: { entity: string; ip: string }[] = [];
  for (const a of alerts) {
    const m = matchAlert(a, pairOf, addressOf, vpcOf);
    if (m.kind === 'pair') {
      pairAlerts++;
      alertedPairs.add(`${a.finding.entity.uid},${a.finding.ip}`);
      detected.add(m.incident);
    } else if (m.kind === 'incident-address') addressAlerts++;
    else unmatched.push({ entity: a.finding.entity.uid, ip: a.finding.ip });
  }
  const kinds = new Map<IncidentKind, KindScore>();
  let observable = 0;
  let alerted = 0;
  for (const inc of truth.incidents) {
    const k =
      kinds.get(inc.kind) ??
      ({
        kind: inc.kind,
        incidents: 0,
        detected: 0,
        observablePairs: 0,
        alertedPairs: 0,
        unobservablePairs: 0,
      } satisfies KindScore);
    kinds.set(inc.kind, k);
    k.incidents++;
    if (detected.has(inc.id)) k.detected++;
    for (const p of inc.pairs) {
      if (!p.pairings.some((x) => pairings.includes(x))) {
        k.unobservablePairs++;
        continue;
      }
      k.observablePairs++;
      observable++;
      if (alertedPairs.has(`${p.entity.uid},${p.ip}`)) {
        k.alertedPairs++;
        alerted++;
      }
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    alerts: alerts.length,
    pairAlerts,
    incidentAddressAlerts: addressAlerts,
    falsePositives: unmatched.length,
    precision: ratio(pairAlerts + addressAlerts, alerts.length),
    pairPrecision: ratio(pairAlerts, alerts.length),
    recall: ratio(alerted, observable),
    incidentRecall: ratio(detected.size, truth.incidents.length),
    byKind: [...kinds.values()],
    unmatched,
  };
}

/** How one alert matches the ground truth (see {@link scoreAlerts}). */
export function matchAlert(
  alert: Alert,
  pairOf: ReadonlyMap<string, GroundTruth['incidents'][number]>,
  addressOf: ReadonlyMap<string, GroundTruth['incidents'][number]>,
  vpcOf: ReadonlyMap<string, string>,
): AlertMatch {
  const { entity, ip } = alert.finding;
  const inc = pairOf.get(`${entity.uid},${ip}`);
  if (inc) return { kind: 'pair', incident: inc.id, incidentKind: inc.kind };
  const byAddress = addressOf.get(ip);
  if (byAddress && vpcOf.get(entity.uid) === byAddress.vpcId)
    return { kind: 'incident-address', incident: byAddress.id, incidentKind: byAddress.kind };
  return { kind: 'false-positive' };
}

/** The `p`-th percentile (0–100, nearest rank) of the values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}
