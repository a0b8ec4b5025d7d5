import type { Eni } from './environment.js';

/** The custom (version 5) field list of the simulated flow logs, as the header line spells it. */
export const FLOW_LOG_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
] as const;

/** The header line of every flow log object. */
export const FLOW_LOG_HEADER = FLOW_LOG_FIELDS.join(' ');

/** TCP flag values as VPC Flow Logs report them (OR-ed over the aggregation interval). */
export const TCP = { FIN: 1, SYN: 2, RST: 4, SYN_ACK: 18 } as const;

/** `traffic-path` values (egress only; `-` on ingress). */
export const PATH = {
  sameVpc: '1',
  internetGateway: '2',
  gatewayEndpoint: '7',
  internetGatewayNitro: '8',
  none: '-',
} as const;

/** One flow log record's variable fields. */
export interface FlowFields {
  eni: Eni;
  direction: 'ingress' | 'egress';
  srcaddr: string;
  dstaddr: string;
  /** Packet-level addresses when they differ from srcaddr/dstaddr (NAT, load balancer). */
  pktSrc?: string;
  pktDst?: string;
  srcport: number;
  dstport: number;
  protocol: number;
  packets: number;
  bytes: number;
  /** Unix seconds. */
  start: number;
  end: number;
  action: 'ACCEPT' | 'REJECT';
  tcpFlags: number;
  path: string;
  srcService?: string;
  dstService?: string;
}

/**
 * Accumulates the lines of one flow log object. Lines are built directly as strings: this is
 * the simulator's hot path (a million records take about a second).
 */
export class FlowBuffer {
  readonly lines: string[] = [FLOW_LOG_HEADER];
  /** Records written per ENI index in this object. */
  readonly touched: Uint32Array;

  constructor(eniCount: number) {
    this.touched = new Uint32Array(eniCount);
  }

  /** Number of records (the header is not one). */
  get records(): number {
    return this.lines.length - 1;
  }

  /** Adds one record. */
  add(f: FlowFields): void {
    const e = f.eni;
    this.touched[e.index]!++;
    this.lines.push(
      `${e.head} ${f.srcaddr} ${f.dstaddr} ${f.srcport} ${f.dstport} ${f.protocol} ${f.packets} ${f.bytes} ${f.start} ${f.end} ${f.action} OK ${e.mid} ${f.protocol === 6 ? f.tcpFlags : 0} IPv4 ${f.pktSrc ?? f.srcaddr} ${f.pktDst ?? f.dstaddr} ${e.tail} ${f.srcService ?? '-'} ${f.dstService ?? '-'} ${f.direction} ${f.direction === 'egress' ? f.path : '-'}`,
    );
  }

  /** Adds a NODATA or SKIPDATA record for an interface (no traffic, or capacity exceeded). */
  status(eni: Eni, start: number, end: number, status: 'NODATA' | 'SKIPDATA'): void {
    this.touched[eni.index]!++;
    this.lines.push(
      `${eni.head} - - - - - - - ${start} ${end} - ${status} ${eni.mid} - - - - ${eni.tail} - - - -`,
    );
  }

  /** The object's text: header, then one record a line. */
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** `yyyymmddTHHmmZ` of a time in milliseconds. */
export function compactTime(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
}

/** `yyyy/mm/dd` of a time in milliseconds. */
export function datePath(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}`;
}

/**
 * The S3 key AWS gives a flow log object:
 * `AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/<account>_vpcflowlogs_<region>_<flow-log-id>_<yyyymmddTHHmmZ>_<hash>.log.gz`.
 */
export function flowLogKey(
  account: string,
  region: string,
  flowLogId: string,
  time: number,
  hash: string,
): string {
  return `AWSLogs/${account}/vpcflowlogs/${region}/${datePath(time)}/${account}_vpcflowlogs_${region}_${flowLogId}_${compactTime(time)}_${hash}.log.gz`;
}
