import { compactTime, datePath } from './flow-log.js';

/** One answer of a Route 53 Resolver query log record. */
export interface DnsAnswer {
  Rdata: string;
  Type: string;
  Class: 'IN';
}

/** One query's variable fields. */
export interface DnsQuery {
  /** Unix milliseconds; written with second precision as AWS does. */
  time: number;
  name: string;
  type: 'A' | 'AAAA' | 'TXT' | 'CNAME' | 'PTR' | 'MX';
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  answers: readonly DnsAnswer[];
  srcaddr: string;
  srcport: number;
  transport: 'UDP' | 'TCP';
  /** The instance that sent the query; absent for queries through an inbound Resolver endpoint. */
  instanceId?: string;
  /** The inbound Resolver endpoint (and its network interface) that received the query. */
  endpoint?: { id: string; eni: string };
}

/** The Route 53 Resolver query log format version AWS writes. */
export const RESOLVER_LOG_VERSION = '1.100000';

/**
 * Accumulates the JSON lines of one Route 53 Resolver query log object for one VPC, with the
 * fields in the order AWS delivers them.
 */
export class DnsBuffer {
  readonly lines: string[] = [];
  private readonly prefix: string;

  constructor(account: string, region: string, vpcId: string) {
    this.prefix = `{"version":"${RESOLVER_LOG_VERSION}","account_id":"${account}","region":"${region}","vpc_id":"${vpcId}","query_timestamp":"`;
  }

  get records(): number {
    return this.lines.length;
  }

  /** Adds one query record. */
  add(q: DnsQuery): void {
    const ts = `${new Date(Math.floor(q.time / 1000) * 1000).toISOString().slice(0, 19)}Z`;
    this.lines.push(
      `${this.prefix}${ts}","query_name":${JSON.stringify(q.name)},"query_type":"${q.type}","query_class":"IN","rcode":"${q.rcode}","answers":${JSON.stringify(q.answers)},"srcaddr":"${q.srcaddr}","srcport":"${q.srcport}","transport":"${q.transport}","srcids":${srcIds(q)}}`,
    );
  }

  /** The object's text: one JSON record a line. */
  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}

function srcIds(q: DnsQuery): string {
  if (q.endpoint)
    return `{"resolver_endpoint":"${q.endpoint.id}","resolver_network_interface":"${q.endpoint.eni}"}`;
  return `{"instance":"${q.instanceId}"}`;
}

/**
 * The S3 key AWS gives a Resolver query log object:
 * `AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/<yyyy>/<mm>/<dd>/<vpc-id>_vpcdnsquerylogs_<account>_<yyyymmddTHHmmZ>_<hash>.log.gz`.
 */
export function resolverLogKey(account: string, vpcId: string, time: number, hash: string): string {
  return `AWSLogs/${account}/vpcdnsquerylogs/${vpcId}/${datePath(time)}/${vpcId}_vpcdnsquerylogs_${account}_${compactTime(time)}_${hash}.log.gz`;
}
