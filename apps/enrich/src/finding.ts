import { createHash } from 'node:crypto';
import type { AnomalyDetectedV1, FindingEnrichedV1 } from '@lakewatch/contracts';
import { currentSchemaVersion } from '@lakewatch/contracts';
import type { AsnInfo, GuardDutyLookup, ReputationHit } from '@lakewatch/intel';
import { type DetectionFinding, validateOcsfRecord } from '@lakewatch/shared';
import { InvalidFindingError } from './errors.js';
import type { AssetContext, Ranked } from './rank.js';

const SEVERITY_ID = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 } as const;
const SEVERITY = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
} as const;
const RISK_LEVEL_ID = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/** The finding id of an anomaly: deterministic, so a redelivered anomaly gives the same finding. */
export function findingIdOf(anomalyId: string): string {
  return `fnd-${createHash('sha256').update(anomalyId).digest('hex').slice(0, 32)}`;
}

/** What was found about the anomaly. */
export interface Intel {
  guardDuty: GuardDutyLookup;
  reputation: readonly ReputationHit[];
  asn?: AsnInfo;
  country?: string;
  asset?: AssetContext;
}

function tagsOf(anomaly: AnomalyDetectedV1, intel: Intel): string[] {
  const tags = new Set<string>([
    `entity:${anomaly.pair.entity.type}`,
    `direction:${anomaly.pair.direction}`,
  ]);
  if (intel.guardDuty.findings.length > 0) tags.add('guardduty');
  for (const hit of intel.reputation)
    tags.add(`reputation:${(hit.category ?? hit.feed).toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`);
  if (intel.asset?.role) tags.add(`asset:${intel.asset.role}`);
  for (const t of intel.asset?.tags ?? []) tags.add(t);
  if (intel.country) tags.add(`country:${intel.country}`);
  return [...tags].slice(0, 32);
}

/**
 * Builds the FindingEnriched detail: the ranked risk, the intel, routing tags, and an OCSF
 * 1.1.0 Detection Finding (class 2004) validated against the OCSF model before it leaves.
 * @throws InvalidFindingError if the OCSF finding does not validate (a bug, never published).
 */
export function buildFinding(
  anomaly: AnomalyDetectedV1,
  intel: Intel,
  risk: Ranked,
  now: number,
): FindingEnrichedV1 {
  const findingId = findingIdOf(anomaly.anomalyId);
  const { entity, ip } = anomaly.pair;
  const ctx = anomaly.pair.context;
  const title = `Unusual IP for ${entity.type} ${entity.uid}: ${ip}`;
  const finding: DetectionFinding = {
    activity_id: 1,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2004,
    class_name: 'Detection Finding',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    severity_id: SEVERITY_ID[risk.level],
    severity: SEVERITY[risk.level],
    action_id: anomaly.pair.rejected && anomaly.pair.rejected === anomaly.pair.count ? 2 : 1,
    time: now,
    status_id: 1,
    finding_info: {
      uid: findingId,
      title,
      desc: `IP Insights dot product ${anomaly.dotProduct.toFixed(3)} is below the threshold ${anomaly.threshold.toFixed(3)} of model ${anomaly.model.version}. ${risk.reasons.map((r) => r.description).join('; ')}.`,
      types: ['IP Insights anomaly'],
      created_time: now,
      first_seen_time: Date.parse(anomaly.pair.firstSeen),
      last_seen_time: Date.parse(anomaly.pair.lastSeen),
    },
    metadata: {
      version: '1.1.0',
      uid: findingId,
      product: { name: 'Lakewatch', vendor_name: 'Lakewatch' },
      profiles: ['cloud', 'security_control'],
    },
    cloud: {
      provider: 'AWS',
      ...(ctx?.region && { region: ctx.region }),
      ...(ctx?.accountUid && { account: { uid: ctx.accountUid } }),
    },
    risk_score: risk.score,
    risk_level_id: RISK_LEVEL_ID[risk.level],
    observables: [
      { name: 'ip', type_id: 2, value: ip },
      { name: `${entity.type}.uid`, type_id: 99, value: entity.uid },
    ],
  };
  const check = validateOcsfRecord(finding);
  if (!check.valid) {
    throw new InvalidFindingError(
      `finding ${findingId} is not a valid OCSF Detection Finding: ${check.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    );
  }
  return {
    schemaVersion: currentSchemaVersion('FindingEnriched'),
    findingId,
    anomalyId: anomaly.anomalyId,
    entity,
    ip,
    dotProduct: anomaly.dotProduct,
    anomalyScore: anomaly.anomalyScore,
    risk: { score: risk.score, level: risk.level, reasons: risk.reasons },
    intel: {
      guardDuty: {
        status: intel.guardDuty.status,
        ...(intel.guardDuty.reason !== undefined && {
          reason: intel.guardDuty.reason.slice(0, 512),
        }),
        findings: intel.guardDuty.findings.slice(0, 20),
      },
      reputation: intel.reputation.slice(0, 32).map((h) => ({ ...h })),
      asn: intel.asn
        ? { number: intel.asn.number, organization: intel.asn.organization.slice(0, 256) }
        : null,
      country: intel.country ? { code: intel.country } : null,
    },
    tags: tagsOf(anomaly, intel),
    modelVersion: anomaly.model.version,
    source: anomaly.source,
    finding: finding as FindingEnrichedV1['finding'],
    enrichedAt: new Date(now).toISOString(),
  };
}
