import type { AnyLakewatchEvent, FindingEnrichedV1 } from '@lakewatch/contracts';
import {
  type GeoAsnDatabase,
  type GuardDutyIntel,
  type GuardDutyLookup,
  isPublicIp,
  parseIp,
  type ReputationFeeds,
} from '@lakewatch/intel';
import type { ContractPublisher } from '@lakewatch/service-kit';
import type { Logger } from 'pino';
import { buildFinding, type Intel } from './finding.js';
import { type AssetInventory, rank } from './rank.js';

/** What the enrich service needs; every source of intel is optional. */
export interface EnrichServiceDeps {
  publisher: ContractPublisher;
  guardDuty?: GuardDutyIntel;
  feeds?: ReputationFeeds;
  geo?: GeoAsnDatabase;
  assets?: AssetInventory;
  now?: () => number;
  logger?: Logger;
}

const GUARDDUTY_OFF: GuardDutyLookup = {
  status: 'disabled',
  reason: 'GuardDuty look-ups are off (ENRICH_GUARDDUTY)',
  findings: [],
};

/** Counters reported on `/health`. */
export interface EnrichStats {
  anomalies: number;
  findings: number;
  byLevel: Record<string, number>;
  guardDutyDegraded: number;
}

/** The enrich service's domain: AnomalyDetected → intel → risk → FindingEnriched. */
export class EnrichService {
  readonly stats: EnrichStats = { anomalies: 0, findings: 0, byLevel: {}, guardDutyDegraded: 0 };

  constructor(private readonly deps: EnrichServiceDeps) {}

  /** Gathers what is known about the anomaly's IP and entity; never fails for want of intel. */
  async intelFor(ip: string, entityType: string, entityUid: string): Promise<Intel> {
    let parsed: ReturnType<typeof parseIp> | undefined;
    try {
      parsed = parseIp(ip);
    } catch {
      parsed = undefined;
    }
    const isPublic = parsed ? isPublicIp(parsed) : false;
    const guardDuty = this.deps.guardDuty
      ? await this.deps.guardDuty.lookup(ip, entityType === 'instance' ? entityUid : undefined)
      : GUARDDUTY_OFF;
    const asn = isPublic ? this.deps.geo?.asnOf(ip) : undefined;
    const country = isPublic ? this.deps.geo?.countryOf(ip) : undefined;
    const asset = this.deps.assets?.[entityUid];
    return {
      guardDuty,
      reputation: this.deps.feeds?.lookup(ip) ?? [],
      ...(asn && { asn }),
      ...(country && { country }),
      ...(asset && { asset }),
    };
  }

  /** Enriches one anomaly into a finding (without publishing). */
  async enrich(
    anomaly: Extract<AnyLakewatchEvent, { 'detail-type': 'AnomalyDetected' }>['detail'],
  ): Promise<FindingEnrichedV1> {
    const { ip, entity } = anomaly.pair;
    const intel = await this.intelFor(ip, entity.type, entity.uid);
    let isPublic = false;
    try {
      isPublic = isPublicIp(parseIp(ip));
    } catch {
      isPublic = false;
    }
    const risk = rank({
      anomalyScore: anomaly.anomalyScore,
      direction: anomaly.pair.direction,
      ipIsPublic: isPublic,
      guardDuty: intel.guardDuty,
      reputation: intel.reputation,
      ...(intel.asn && { asn: intel.asn }),
      ...(intel.asset && { asset: intel.asset }),
    });
    return buildFinding(anomaly, intel, risk, this.deps.now?.() ?? Date.now());
  }

  /** Handles one validated event. */
  async handle(event: AnyLakewatchEvent): Promise<void> {
    if (event['detail-type'] !== 'AnomalyDetected') return;
    const finding = await this.enrich(event.detail);
    await this.deps.publisher.publish([{ detailType: 'FindingEnriched', detail: finding }]);
    const s = this.stats;
    s.anomalies += 1;
    s.findings += 1;
    s.byLevel[finding.risk.level] = (s.byLevel[finding.risk.level] ?? 0) + 1;
    if (finding.intel.guardDuty.status === 'degraded') s.guardDutyDegraded += 1;
    this.deps.logger?.info(
      {
        findingId: finding.findingId,
        entity: finding.entity.uid,
        ip: finding.ip,
        risk: finding.risk.score,
        level: finding.risk.level,
      },
      'finding enriched',
    );
  }
}
