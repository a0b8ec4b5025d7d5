import type { FindingEnrichedV1 } from '@lakewatch/contracts';
import type { FindingSummary } from './summary.js';

/** A Splunk HTTP Event Collector event (`/services/collector/event`). */
export function splunkEvent(
  f: FindingEnrichedV1,
  s: FindingSummary,
  route: string,
  options: { index?: string; sourcetype?: string; source?: string } = {},
): Record<string, unknown> {
  return {
    time: s.time.getTime() / 1000,
    source: options.source ?? 'lakewatch',
    sourcetype: options.sourcetype ?? 'lakewatch:finding',
    ...(options.index !== undefined && { index: options.index }),
    event: { route, summary: s.title, ...f },
  };
}

const ECS_SEVERITY: Record<string, number> = {
  informational: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

/** An ECS-shaped document for a finding. */
export function ecsDocument(
  f: FindingEnrichedV1,
  s: FindingSummary,
  route: string,
): Record<string, unknown> {
  return {
    '@timestamp': s.time.toISOString(),
    message: s.title,
    event: {
      kind: 'alert',
      category: ['network', 'threat'],
      type: ['indicator'],
      id: f.findingId,
      dataset: 'lakewatch.finding',
      risk_score: f.risk.score,
      severity: ECS_SEVERITY[f.risk.level] ?? 0,
      created: f.enrichedAt,
      reason: s.reasons.join('; '),
    },
    rule: { name: route },
    related: { ip: [f.ip] },
    destination: { ip: f.ip },
    ...(f.entity.type === 'instance' && { host: { id: f.entity.uid } }),
    ...(f.intel.asn && {
      'destination.as': {
        number: f.intel.asn.number,
        ...(f.intel.asn.organization && { organization: { name: f.intel.asn.organization } }),
      },
    }),
    ...(f.intel.country && { 'destination.geo': { country_iso_code: f.intel.country.code } }),
    tags: f.tags,
    labels: { entity_type: f.entity.type, entity_uid: f.entity.uid, risk_level: f.risk.level },
    lakewatch: {
      finding_id: f.findingId,
      anomaly_id: f.anomalyId,
      ...(f.anomalyScore !== undefined && { anomaly_score: f.anomalyScore }),
      ...(f.modelVersion !== undefined && { model_version: f.modelVersion }),
      guardduty: s.guardDuty,
      reputation: s.reputation,
    },
  };
}

/**
 * An Elasticsearch/OpenSearch `_bulk` body (NDJSON, trailing newline) indexing the document
 * under `_id` = the finding id, so a resend overwrites instead of duplicating.
 */
export function bulkBody(index: string, id: string, doc: Record<string, unknown>): string {
  return `${JSON.stringify({ index: { _index: index, _id: id } })}\n${JSON.stringify(doc)}\n`;
}
