import type { FindingEnrichedV1 } from '@lakewatch/contracts';

/** What every format says about a finding, taken from the FindingEnriched detail. */
export interface FindingSummary {
  findingId: string;
  title: string;
  entity: string;
  ip: string;
  riskScore: number;
  riskLevel: FindingEnrichedV1['risk']['level'];
  reasons: string[];
  tags: string[];
  country?: string;
  asn?: string;
  guardDuty: string[];
  reputation: string[];
  time: Date;
}

/** The summary of a finding the formats render. */
export function summarize(f: FindingEnrichedV1): FindingSummary {
  return {
    findingId: f.findingId,
    title: f.finding.finding_info.title,
    entity: `${f.entity.type} ${f.entity.uid}`,
    ip: f.ip,
    riskScore: f.risk.score,
    riskLevel: f.risk.level,
    reasons: f.risk.reasons.map((r) => `${r.code} (+${r.points}): ${r.description}`),
    tags: [...f.tags],
    ...(f.intel.country && { country: f.intel.country.code }),
    ...(f.intel.asn && {
      asn: `AS${f.intel.asn.number}${f.intel.asn.organization ? ` ${f.intel.asn.organization}` : ''}`,
    }),
    guardDuty: f.intel.guardDuty.findings.map((g) => `${g.type} (severity ${g.severity})`),
    reputation: f.intel.reputation.map((r) => `${r.feed}${r.category ? `: ${r.category}` : ''}`),
    time: new Date(f.finding.time),
  };
}
