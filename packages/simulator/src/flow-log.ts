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

const SPACE = 32;
const NEWLINE = 10;
const ASCII = new Map<string, Uint8Array>();

/** Interface fields are the same in every record: encode them once. */
const ENI_BYTES = new WeakMap<Eni, { head: Uint8Array; mid: Uint8Array; tail: Uint8Array }>();

function eniBytes(e: Eni) {
  let b = ENI_BYTES.get(e);
  if (!b) {
    b = {
      head: Buffer.from(e.head, 'latin1'),
      mid: Buffer.from(e.mid, 'latin1'),
      tail: Buffer.from(e.tail, 'latin1'),
    };
    ENI_BYTES.set(e, b);
  }
  return b;
}

/**
 * Accumulates the lines of one flow log object as ASCII bytes. This is the simulator's hot path:
 * writing fields straight into a buffer avoids building and flattening a string per record.
 */
export class FlowBuffer {
  /** Records written per ENI index in this object. */
  readonly touched: Uint32Array;
  private buf: Buffer = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  private count = 0;

  constructor(eniCount: number) {
    this.touched = new Uint32Array(eniCount);
    this.text(FLOW_LOG_HEADER);
    this.buf[this.len++] = NEWLINE;
  }

  /** Number of records (the header is not one). */
  get records(): number {
    return this.count;
  }

  /** Adds one record. */
  add(f: FlowFields): void {
    const e = f.eni;
    this.touched[e.index]!++;
    this.count++;
    this.reserve(512);
    const b = eniBytes(e);
    this.raw(b.head);
    this.sp();
    this.text(f.srcaddr);
    this.sp();
    this.text(f.dstaddr);
    this.sp();
    this.uint(f.srcport);
    this.sp();
    this.uint(f.dstport);
    this.sp();
    this.uint(f.protocol);
    this.sp();
    this.uint(f.packets);
    this.sp();
    this.uint(f.bytes);
    this.sp();
    this.uint(f.start);
    this.sp();
    this.uint(f.end);
    this.sp();
    this.text(f.action === 'ACCEPT' ? 'ACCEPT OK ' : 'REJECT OK ');
    this.raw(b.mid);
    this.sp();
    this.uint(f.protocol === 6 ? f.tcpFlags : 0);
    this.text(' IPv4 ');
    this.text(f.pktSrc ?? f.srcaddr);
    this.sp();
    this.text(f.pktDst ?? f.dstaddr);
    this.sp();
    this.raw(b.tail);
    this.sp();
    this.text(f.srcService ?? '-');
    this.sp();
    this.text(f.dstService ?? '-');
    if (f.direction === 'egress') {
      this.text(' egress ');
      this.text(f.path);
    } else this.text(' ingress -');
    this.buf[this.len++] = NEWLINE;
  }

  /** Adds a NODATA or SKIPDATA record for an interface (no traffic, or capacity exceeded). */
  status(eni: Eni, start: number, end: number, status: 'NODATA' | 'SKIPDATA'): void {
    this.touched[eni.index]!++;
    this.count++;
    this.reserve(512);
    const b = eniBytes(eni);
    this.raw(b.head);
    this.text(' - - - - - - - ');
    this.uint(start);
    this.sp();
    this.uint(end);
    this.text(` - ${status} `);
    this.raw(b.mid);
    this.text(' - - - - ');
    this.raw(b.tail);
    this.text(' - - - -');
    this.buf[this.len++] = NEWLINE;
  }

  /** The object's bytes: header, then one record a line. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private sp(): void {
    this.buf[this.len++] = SPACE;
  }

  private raw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  private text(s: string): void {
    if (s.length > 24) {
      let cached = ASCII.get(s);
      if (!cached) {
        cached = Buffer.from(s, 'latin1');
        if (ASCII.size < 4096) ASCII.set(s, cached);
      }
      this.reserve(cached.length);
      this.raw(cached);
      return;
    }
    const b = this.buf;
    let l = this.len;
    for (let i = 0; i < s.length; i++) b[l++] = s.charCodeAt(i);
    this.len = l;
  }

  private uint(n: number): void {
    const b = this.buf;
    let l = this.len;
    if (n < 10) {
      b[l++] = 48 + n;
    } else {
      let digits = 1;
      for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
      let p = l + digits - 1;
      let v = n;
      while (v >= 10) {
        const q = Math.floor(v / 10);
        b[p--] = 48 + (v - q * 10);
        v = q;
      }
      b[p] = 48 + v;
      l += digits;
    }
    this.len = l;
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
