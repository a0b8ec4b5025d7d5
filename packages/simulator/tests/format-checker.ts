/**
 * A strict checker of the formats AWS documents, written from the AWS documentation
 * independently of the simulator: VPC Flow Logs version 5 custom format with a header line,
 * Route 53 Resolver query log JSON records, and the S3 key layouts of both.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The v5 custom header the simulator must write (field names as AWS spells them). */
export const EXPECTED_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';

/** Problems found in one flow log object (empty when it is valid). */
export function checkFlowLog(text: string, window: { start: number; end: number }): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) !== '') problems.push('object does not end with a newline');
  if (lines[0] !== EXPECTED_HEADER) problems.push(`bad header: ${lines[0]}`);
  for (let i = 1; i < lines.length - 1; i++) {
    const p = checkFlowLine(lines[i]!, window);
    if (p) problems.push(`line ${i + 1}: ${p}: ${lines[i]}`);
    if (problems.length > 20) break;
  }
  return problems;
}

function checkFlowLine(line: string, window: { start: number; end: number }): string | undefined {
  const f = line.split(' ');
  if (f.length !== 27) return `expected 27 fields, got ${f.length}`;
  const [
    version,
    account,
    eni,
    src,
    dst,
    sport,
    dport,
    proto,
    packets,
    bytes,
    start,
    end,
    action,
    status,
  ] = f;
  const [
    vpc,
    subnet,
    instance,
    flags,
    type,
    pktSrc,
    pktDst,
    region,
    az,
    srcSvc,
    dstSvc,
    direction,
    path,
  ] = f.slice(14);
  if (version !== '5') return `version ${version}`;
  if (!/^\d{12}$/.test(account!)) return `account-id ${account}`;
  if (!/^eni-[0-9a-f]{17}$/.test(eni!)) return `interface-id ${eni}`;
  if (!/^vpc-[0-9a-f]{17}$/.test(vpc!)) return `vpc-id ${vpc}`;
  if (!/^subnet-[0-9a-f]{17}$/.test(subnet!)) return `subnet-id ${subnet}`;
  if (!/^(i-[0-9a-f]{17}|-)$/.test(instance!)) return `instance-id ${instance}`;
  if (!REGION.test(region!)) return `region ${region}`;
  if (!/^[a-z]{3,}\d-az\d$/.test(az!)) return `az-id ${az}`;
  const t0 = Number(start);
  const t1 = Number(end);
  if (!Number.isInteger(t0) || !Number.isInteger(t1) || t1 < t0 || t1 - t0 > 60)
    return `start/end ${start} ${end}`;
  if (t0 * 1000 < window.start || t1 * 1000 >= window.end)
    return `time ${start}–${end} outside the object's window`;
  if (status === 'NODATA' || status === 'SKIPDATA') {
    const dashes = [
      src,
      dst,
      sport,
      dport,
      proto,
      packets,
      bytes,
      action,
      flags,
      type,
      pktSrc,
      pktDst,
      srcSvc,
      dstSvc,
      direction,
      path,
    ];
    return dashes.every((v) => v === '-') ? undefined : `${status} record with values`;
  }
  if (status !== 'OK') return `log-status ${status}`;
  for (const [name, v] of [
    ['srcaddr', src],
    ['dstaddr', dst],
    ['pkt-srcaddr', pktSrc],
    ['pkt-dstaddr', pktDst],
  ] as const)
    if (!IPV4.test(v!)) return `${name} ${v}`;
  for (const [name, v] of [
    ['srcport', sport],
    ['dstport', dport],
  ] as const) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) return `${name} ${v}`;
  }
  if (!['1', '6', '17'].includes(proto!)) return `protocol ${proto}`;
  const pk = Number(packets);
  const by = Number(bytes);
  if (!Number.isInteger(pk) || pk < 1 || !Number.isInteger(by) || by < pk * 20)
    return `packets/bytes ${packets} ${bytes}`;
  if (action !== 'ACCEPT' && action !== 'REJECT') return `action ${action}`;
  const fl = Number(flags);
  if (!Number.isInteger(fl) || (fl & ~(1 | 2 | 4 | 16)) !== 0) return `tcp-flags ${flags}`;
  if (proto !== '6' && fl !== 0) return 'tcp-flags on a non-TCP flow';
  if (type !== 'IPv4') return `type ${type}`;
  for (const s of [srcSvc, dstSvc])
    if (!/^(-|[A-Z][A-Z0-9_]*)$/.test(s!)) return `aws-service ${s}`;
  if (direction === 'ingress') {
    if (path !== '-') return 'traffic-path on ingress';
  } else if (direction === 'egress') {
    if (!/^[1-8]$/.test(path!)) return `traffic-path ${path}`;
  } else return `flow-direction ${direction}`;
  return undefined;
}

const R53_KEYS = [
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
];

/** Problems found in one Route 53 Resolver query log object. */
export function checkResolverLog(
  text: string,
  window: { start: number; end: number },
  vpcId: string,
): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) !== '') problems.push('object does not end with a newline');
  for (let i = 0; i < lines.length - 1; i++) {
    const p = checkQuery(lines[i]!, window, vpcId);
    if (p) problems.push(`line ${i + 1}: ${p}: ${lines[i]}`);
    if (problems.length > 20) break;
  }
  return problems;
}

function checkQuery(
  line: string,
  window: { start: number; end: number },
  vpcId: string,
): string | undefined {
  let q: Record<string, unknown>;
  try {
    q = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (Object.keys(q).join() !== R53_KEYS.join()) return `fields ${Object.keys(q).join()}`;
  if (q.version !== '1.100000') return `version ${q.version}`;
  if (!/^\d{12}$/.test(String(q.account_id))) return 'account_id';
  if (!REGION.test(String(q.region))) return 'region';
  if (q.vpc_id !== vpcId) return `vpc_id ${q.vpc_id} in an object of ${vpcId}`;
  const ts = String(q.query_timestamp);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(ts)) return `query_timestamp ${ts}`;
  const t = Date.parse(ts);
  if (t < window.start - 1000 || t >= window.end)
    return `query_timestamp ${ts} outside the object's window`;
  const name = String(q.query_name);
  if (!/^([a-z0-9-]+\.)+$/.test(name)) return `query_name ${name}`;
  if (!['A', 'AAAA', 'TXT', 'CNAME', 'PTR', 'MX'].includes(String(q.query_type)))
    return 'query_type';
  if (q.query_class !== 'IN') return 'query_class';
  if (!['NOERROR', 'NXDOMAIN', 'SERVFAIL'].includes(String(q.rcode))) return 'rcode';
  if (!Array.isArray(q.answers)) return 'answers';
  for (const a of q.answers as Record<string, unknown>[]) {
    if (Object.keys(a).join() !== 'Rdata,Type,Class' || a.Class !== 'IN')
      return `answer ${JSON.stringify(a)}`;
    if (a.Type === 'A' && !IPV4.test(String(a.Rdata))) return `A answer ${a.Rdata}`;
  }
  if (q.rcode === 'NXDOMAIN' && (q.answers as unknown[]).length > 0) return 'NXDOMAIN with answers';
  if (!IPV4.test(String(q.srcaddr))) return 'srcaddr';
  const port = Number(q.srcport);
  if (typeof q.srcport !== 'string' || !Number.isInteger(port) || port < 1 || port > 65535)
    return 'srcport';
  if (q.transport !== 'UDP' && q.transport !== 'TCP') return 'transport';
  const ids = q.srcids as Record<string, unknown>;
  const keys = Object.keys(ids).join();
  if (keys === 'instance') {
    if (!/^i-[0-9a-f]{17}$/.test(String(ids.instance))) return 'srcids.instance';
  } else if (keys === 'resolver_endpoint,resolver_network_interface') {
    if (!/^rslvr-in-[0-9a-f]{17}$/.test(String(ids.resolver_endpoint)))
      return 'srcids.resolver_endpoint';
    if (!/^rni-[0-9a-f]{17}$/.test(String(ids.resolver_network_interface)))
      return 'srcids.resolver_network_interface';
  } else return `srcids ${keys}`;
  return undefined;
}

/** The S3 key layouts AWS documents for both log types. */
export const FLOW_KEY =
  /^AWSLogs\/(\d{12})\/vpcflowlogs\/([a-z0-9-]+)\/(\d{4})\/(\d\d)\/(\d\d)\/\1_vpcflowlogs_\2_fl-[0-9a-f]{17}_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)Z_[0-9a-f]{8}\.log\.gz$/;
export const RESOLVER_KEY =
  /^AWSLogs\/(\d{12})\/vpcdnsquerylogs\/(vpc-[0-9a-f]{17})\/(\d{4})\/(\d\d)\/(\d\d)\/\2_vpcdnsquerylogs_\1_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)Z_[0-9a-f]{8}\.log\.gz$/;
