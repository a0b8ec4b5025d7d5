import type { RiskReason } from '@lakewatch/contracts';
import type { AsnInfo, GuardDutyLookup, ReputationHit } from '@lakewatch/intel';

/** What the organisation knows about an entity (from the `ENRICH_ASSETS` inventory). */
export interface AssetContext {
  role?: string;
  criticality?: 'low' | 'medium' | 'high' | 'critical';
  owner?: string;
  tags?: string[];
}

/** Entity uid → its context. */
export type AssetInventory = Readonly<Record<string, AssetContext>>;

/** Everything the risk score looks at. */
export interface RankInput {
  /** 0–1 from the score service. */
  anomalyScore: number;
  direction: string;
  ipIsPublic: boolean;
  guardDuty: GuardDutyLookup;
  reputation: readonly ReputationHit[];
  asn?: AsnInfo;
  asset?: AssetContext;
}

/** Risk levels by the lowest score that reaches them. */
export const RISK_LEVELS = [
  [85, 'critical'],
  [70, 'high'],
  [40, 'medium'],
  [20, 'low'],
  [0, 'informational'],
] as const;

/** The ranked risk: 0–100, its level, and the reasons with their points. */
export interface Ranked {
  score: number;
  level: (typeof RISK_LEVELS)[number][1];
  reasons: RiskReason[];
}

const CRITICALITY_POINTS = { low: 0, medium: 5, high: 10, critical: 15 } as const;

/**
 * Ranks an enriched anomaly 0–100: up to 45 points from how unusual the pair is, up to 30
 * from GuardDuty findings (by severity), up to 25 from reputation hits (by feed score), 5 for
 * a public address no AS announces, up to 15 for a critical asset, 5 for lateral movement
 * and 3 for inbound traffic from the internet. Every point is listed with its reason.
 */
export function rank(input: RankInput): Ranked {
  const reasons: RiskReason[] = [];
  const add = (code: string, points: number, description: string) => {
    if (points > 0) reasons.push({ code, points, description });
  };
  const pct = Math.round(input.anomalyScore * 10_000) / 100;
  add(
    'anomaly-score',
    Math.round(45 * input.anomalyScore),
    `more unusual than ${pct}% of normal pairs`,
  );
  const gd = input.guardDuty.findings;
  if (gd.length > 0) {
    const top = gd[0]!;
    const severity = Math.max(...gd.map((f) => f.severity));
    add(
      'guardduty-finding',
      Math.min(30, Math.round(10 + 2 * severity)),
      `GuardDuty ${top.type} (severity ${top.severity})${gd.length > 1 ? ` and ${gd.length - 1} more` : ''} involve this IP or entity`,
    );
  }
  if (input.reputation.length > 0) {
    const best = input.reputation.reduce((a, b) => ((b.score ?? 70) > (a.score ?? 70) ? b : a));
    const strength = Math.min(100, Math.max(0, best.score ?? 70)) / 100;
    add(
      'reputation-hit',
      Math.min(25, Math.round(10 + 15 * strength)),
      `${best.indicator} listed by ${best.feed}${best.category ? ` (${best.category})` : ''}${input.reputation.length > 1 ? ` and ${input.reputation.length - 1} more feed entries` : ''}`,
    );
  }
  if (input.ipIsPublic && !input.asn)
    add('unknown-asn', 5, 'no autonomous system announces this public address');
  if (input.asset?.criticality) {
    add(
      'asset-critical',
      CRITICALITY_POINTS[input.asset.criticality],
      `${input.asset.criticality}-criticality asset${input.asset.role ? ` (${input.asset.role})` : ''}`,
    );
  }
  if (input.direction === 'lateral')
    add('lateral-movement', 5, 'east-west traffic to an unusual internal peer');
  if (input.direction === 'inbound' && input.ipIsPublic)
    add('inbound-from-internet', 3, 'inbound traffic from the internet');
  const score = Math.max(
    0,
    Math.min(
      100,
      reasons.reduce((s, r) => s + r.points, 0),
    ),
  );
  const level = RISK_LEVELS.find(([min]) => score >= min)![1];
  return { score, level, reasons: reasons.sort((a, b) => b.points - a.points) };
}
