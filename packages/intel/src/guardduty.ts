import {
  GetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand,
} from '@aws-sdk/client-guardduty';

/** A GuardDuty finding, reduced to what a Lakewatch finding carries. */
export interface GuardDutyFindingSummary {
  id: string;
  arn?: string;
  type: string;
  severity: number;
  title?: string;
  updatedAt?: string;
}

/** What GuardDuty said about an IP or instance; `degraded` never blocks enrichment. */
export interface GuardDutyLookup {
  status: 'ok' | 'degraded' | 'disabled';
  reason?: string;
  findings: GuardDutyFindingSummary[];
}

/** Options of {@link GuardDutyIntel}. */
export interface GuardDutyIntelOptions {
  /** @default a new client (region and credentials from the environment) */
  client?: GuardDutyClient;
  /** Detector to query. @default the first one ListDetectors returns */
  detectorId?: string;
  /** How long a lookup is remembered (ms). @default 300000 */
  cacheTtlMs?: number;
  /** Most findings fetched per lookup. @default 20 */
  maxFindings?: number;
  now?: () => number;
}

/** FindingCriteria fields that name a remote IP or an instance in GuardDuty findings. */
export const IP_CRITERIA = [
  'service.action.networkConnectionAction.remoteIpDetails.ipAddressV4',
  'service.action.awsApiCallAction.remoteIpDetails.ipAddressV4',
  'service.action.portProbeAction.portProbeDetails.remoteIpDetails.ipAddressV4',
] as const;
export const INSTANCE_CRITERION = 'resource.instanceDetails.instanceId';

const DEGRADING = new Map<string, string>([
  ['ThrottlingException', 'throttled'],
  ['TooManyRequestsException', 'throttled'],
  ['AccessDeniedException', 'access denied'],
  ['UnrecognizedClientException', 'bad credentials'],
  ['ExpiredTokenException', 'expired credentials'],
]);

function reasonOf(error: unknown): string {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = (error as Error).message ?? String(error);
  const kind = DEGRADING.get(name);
  return kind ? `${name} (${kind}): ${message}` : `${name}: ${message}`;
}

/**
 * GuardDuty findings that involve an IP (as the remote address of a connection, API call or
 * port probe) or an instance, with ListDetectors → ListFindings → GetFindings; cached for
 * `cacheTtlMs`. Throttling, AccessDenied and any other failure degrade the answer (status
 * `degraded` with the reason) instead of failing it; no detector means `disabled`.
 */
export class GuardDutyIntel {
  private readonly client: GuardDutyClient;
  private detector: Promise<string | undefined> | undefined;
  private readonly cache = new Map<string, { at: number; value: GuardDutyLookup }>();

  constructor(private readonly options: GuardDutyIntelOptions = {}) {
    this.client = options.client ?? new GuardDutyClient({});
  }

  private detectorId(): Promise<string | undefined> {
    if (this.options.detectorId) return Promise.resolve(this.options.detectorId);
    this.detector ??= this.client.send(new ListDetectorsCommand({ MaxResults: 1 })).then(
      (out) => out.DetectorIds?.[0],
      (e) => {
        this.detector = undefined; // try again next time
        throw e;
      },
    );
    return this.detector;
  }

  /** Findings involving `ip` or `instanceId`. Never throws. */
  async lookup(ip: string | undefined, instanceId: string | undefined): Promise<GuardDutyLookup> {
    const key = `${ip ?? ''}|${instanceId ?? ''}`;
    const now = this.options.now?.() ?? Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < (this.options.cacheTtlMs ?? 300_000)) return hit.value;
    const value = await this.query(ip, instanceId);
    // a degraded answer is not cached: the next anomaly tries again
    if (value.status !== 'degraded') this.cache.set(key, { at: now, value });
    return value;
  }

  private async query(
    ip: string | undefined,
    instanceId: string | undefined,
  ): Promise<GuardDutyLookup> {
    let detectorId: string | undefined;
    try {
      detectorId = await this.detectorId();
    } catch (e) {
      return { status: 'degraded', reason: reasonOf(e), findings: [] };
    }
    if (!detectorId)
      return {
        status: 'disabled',
        reason: 'no GuardDuty detector in this account and region',
        findings: [],
      };
    const max = this.options.maxFindings ?? 20;
    const criteria: { field: string; value: string }[] = [];
    if (ip && !ip.includes(':'))
      for (const field of IP_CRITERIA) criteria.push({ field, value: ip });
    if (instanceId) criteria.push({ field: INSTANCE_CRITERION, value: instanceId });
    try {
      const ids = new Set<string>();
      for (const c of criteria) {
        const out = await this.client.send(
          new ListFindingsCommand({
            DetectorId: detectorId,
            FindingCriteria: { Criterion: { [c.field]: { Equals: [c.value] } } },
            SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'DESC' },
            MaxResults: max,
          }),
        );
        for (const id of out.FindingIds ?? []) ids.add(id);
      }
      if (ids.size === 0) return { status: 'ok', findings: [] };
      const got = await this.client.send(
        new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [...ids].slice(0, max) }),
      );
      const findings = (got.Findings ?? [])
        .map((f) => ({
          id: f.Id ?? '',
          ...(f.Arn !== undefined && { arn: f.Arn }),
          type: f.Type ?? 'unknown',
          severity: f.Severity ?? 0,
          ...(f.Title !== undefined && { title: f.Title }),
          ...(f.UpdatedAt !== undefined && { updatedAt: new Date(f.UpdatedAt).toISOString() }),
        }))
        .sort((a, b) => b.severity - a.severity);
      return { status: 'ok', findings };
    } catch (e) {
      return { status: 'degraded', reason: reasonOf(e), findings: [] };
    }
  }
}
