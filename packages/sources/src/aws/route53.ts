import type { OcsfRecord } from '@lakewatch/shared';
import { isoTime, type ParseContext, RecordRejection } from '../context.js';

const CLASS_NAME = 'DNS Activity';
const PROFILES = ['cloud', 'security_control', 'datetime'];

/** DNS response codes (RFC 1035/6895 names) → OCSF rcode id and caption. */
export const DNS_RCODES: Record<string, [number, string]> = {
  NOERROR: [0, 'NoError'],
  FORMERR: [1, 'FormError'],
  SERVFAIL: [2, 'ServError'],
  NXDOMAIN: [3, 'NXDomain'],
  NOTIMP: [4, 'NotImp'],
  REFUSED: [5, 'Refused'],
  YXDOMAIN: [6, 'YXDomain'],
  YXRRSET: [7, 'YXRRSet'],
  NXRRSET: [8, 'NXRRSet'],
  NOTAUTH: [9, 'NotAuth'],
  NOTZONE: [10, 'NotZone'],
  DSOTYPENI: [11, 'DSOTYPENI'],
  BADSIG: [16, 'BADSIG_VERS'],
  BADVERS: [16, 'BADSIG_VERS'],
  BADKEY: [17, 'BADKEY'],
  BADTIME: [18, 'BADTIME'],
  BADMODE: [19, 'BADMODE'],
  BADNAME: [20, 'BADNAME'],
  BADALG: [21, 'BADALG'],
  BADTRUNC: [22, 'BADTRUNC'],
  BADCOOKIE: [23, 'BADCOOKIE'],
};

function str(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new RecordRejection('bad-type', key, v, `${key} must be a string, got ${typeof v}`);
}

/**
 * Maps one Route 53 Resolver query log record to OCSF DNS Activity as Amazon Security Lake
 * does, except that the activity is always Query/Response (1.1.0 has no Fail/Refuse
 * activities for DNS: the rcode carries the outcome). Throws {@link RecordRejection}.
 */
export function route53Record(
  obj: Record<string, unknown>,
  ctx: ParseContext,
  uid: string,
  accountFallback?: string,
): OcsfRecord {
  const ts = str(obj, 'query_timestamp');
  const time = ts === undefined ? Number.NaN : Date.parse(ts);
  if (!Number.isFinite(time))
    throw new RecordRejection(
      'bad-time',
      'query_timestamp',
      ts,
      `query_timestamp is not an ISO 8601 time: '${ts}'`,
    );
  const hostname = str(obj, 'query_name');
  if (hostname === undefined)
    throw new RecordRejection('missing-field', 'query_name', undefined, 'query_name is missing');
  const src: Record<string, unknown> = {};
  const vpc = str(obj, 'vpc_id');
  if (vpc !== undefined) src.vpc_uid = vpc;
  const srcaddr = str(obj, 'srcaddr');
  if (srcaddr !== undefined) src.ip = srcaddr;
  const srcport = str(obj, 'srcport');
  if (srcport !== undefined && srcport !== '-') {
    const port = Number(srcport);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new RecordRejection(
        'bad-number',
        'srcport',
        srcport,
        `srcport is not a port number: '${srcport}'`,
      );
    src.port = port;
  }
  const dst: Record<string, unknown> = {};
  const ids = obj.srcids;
  if (ids !== undefined && ids !== null) {
    if (typeof ids !== 'object')
      throw new RecordRejection('bad-type', 'srcids', ids, 'srcids must be an object');
    const s = ids as Record<string, unknown>;
    const instance = str(s, 'instance');
    if (instance !== undefined) src.instance_uid = instance;
    const endpoint = str(s, 'resolver_endpoint');
    if (endpoint !== undefined) dst.instance_uid = endpoint;
    const eni = str(s, 'resolver_network_interface');
    if (eni !== undefined) dst.interface_uid = eni;
  }
  const query: Record<string, unknown> = { hostname };
  const qtype = str(obj, 'query_type');
  if (qtype !== undefined) query.type = qtype;
  const qclass = str(obj, 'query_class');
  if (qclass !== undefined) query.class = qclass;

  const record: OcsfRecord = {
    metadata: {
      uid,
      product: {
        name: 'Route 53',
        vendor_name: 'AWS',
        feature: { name: 'Resolver Query Logs' },
      },
      profiles: PROFILES,
      version: '1.1.0',
    },
    cloud: { provider: 'AWS' },
    src_endpoint: src,
    time,
    time_dt: isoTime(time, 'query_timestamp', ts),
    query,
    connection_info: { direction_id: 0, direction: 'Unknown' },
    severity_id: 1,
    severity: 'Informational',
    class_name: CLASS_NAME,
    class_uid: 4003,
    category_name: 'Network Activity',
    category_uid: 4,
    activity_id: 2,
    activity_name: 'Response',
    type_uid: 400302,
    type_name: `${CLASS_NAME}: Response`,
  };
  const version = str(obj, 'version');
  if (version !== undefined) record.metadata.product.version = version;
  const account = str(obj, 'account_id') ?? accountFallback ?? ctx.options.cloud?.accountUid;
  if (account !== undefined) record.cloud!.account = { uid: account };
  const region = str(obj, 'region') ?? ctx.options.cloud?.region;
  if (region !== undefined) record.cloud!.region = region;
  const transport = str(obj, 'transport');
  if (transport !== undefined)
    (record.connection_info as Record<string, unknown>).protocol_name = transport;
  if (Object.keys(dst).length > 0) record.dst_endpoint = dst;

  const rcodeName = str(obj, 'rcode');
  if (rcodeName !== undefined) {
    const rc = DNS_RCODES[rcodeName.toUpperCase()];
    record.rcode_id = rc ? rc[0] : 99;
    record.rcode = rc ? rc[1] : rcodeName;
  }
  const answers = obj.answers;
  if (answers !== undefined && answers !== null) {
    if (!Array.isArray(answers))
      throw new RecordRejection('bad-type', 'answers', answers, 'answers must be an array');
    record.answers = answers.map((a: unknown) => {
      const ans = (a ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const type = str(ans, 'Type');
      if (type !== undefined) out.type = type;
      const rdata = str(ans, 'Rdata');
      if (rdata !== undefined) out.rdata = rdata;
      const cls = str(ans, 'Class');
      if (cls !== undefined) out.class = cls;
      return out;
    });
  }

  const unmapped: Record<string, unknown> = {};
  const fwAction = str(obj, 'firewall_rule_action');
  const fwGroup = str(obj, 'firewall_rule_group_id');
  if (fwGroup !== undefined) record.firewall_rule = { uid: fwGroup };
  if (fwAction === undefined) {
    // No DNS Firewall verdict: the security_control profile still requires an action.
    record.action_id = 0;
    record.action = 'Unknown';
  } else {
    const a = fwAction.toUpperCase();
    if (a === 'BLOCK') {
      record.action_id = 2;
      record.action = 'Denied';
      record.disposition_id = 2;
      record.disposition = 'Blocked';
    } else if (a === 'ALERT') {
      record.action_id = 1;
      record.action = 'Allowed';
      record.disposition_id = 19;
      record.disposition = 'Alert';
    } else if (a === 'ALLOW') {
      record.action_id = 1;
      record.action = 'Allowed';
      record.disposition_id = 1;
      record.disposition = 'Allowed';
    } else {
      record.action_id = 99;
      record.action = fwAction;
      record.disposition_id = 99;
      record.disposition = fwAction;
    }
  }
  const domainList = str(obj, 'firewall_domain_list_id');
  if (domainList !== undefined) unmapped.firewall_domain_list_id = domainList;
  for (const key of Object.keys(obj)) if (!KNOWN.has(key)) unmapped[key] = obj[key];
  if (Object.keys(unmapped).length > 0) record.unmapped = unmapped;
  return record;
}

const KNOWN = new Set([
  'version',
  'account_id',
  'region',
  'vpc_id',
  'query_timestamp',
  'query_name',
  'query_type',
  'query_class',
  'rcode',
  'answers',
  'srcaddr',
  'srcport',
  'transport',
  'srcids',
  'firewall_rule_action',
  'firewall_rule_group_id',
  'firewall_domain_list_id',
]);
