import { writeConversation } from './conversation.js';
import type { Eni, Environment, Instance, Vpc } from './environment.js';
import type { FlowBuffer } from './flow-log.js';
import type { Rng } from './random.js';
import type { DnsAnswer, DnsBuffer } from './resolver-log.js';

/** One side of a conversation: an address, and the logged interface when it is in the VPC. */
export interface Peer {
  ip: string;
  /** The interface in this VPC that owns `ip`; absent for addresses outside the VPC. */
  eni?: Eni;
  /** `pkt-*-aws-service` of the address, when it is an AWS range. */
  awsService?: string;
}

/** How the client reaches the server. */
export type Via = 'direct' | 'nat' | 'gateway-endpoint';

/** One TCP or UDP conversation, written as the flow log records every interface on its path sees. */
export interface Conversation {
  client: Peer;
  server: Peer;
  dport: number;
  /** @default 6 (TCP) */
  protocol?: 6 | 17;
  reqBytes: number;
  respBytes: number;
  /** Unix seconds. */
  start: number;
  /** Seconds, at most 59 (Nitro aggregation interval). @default 1–20 */
  duration?: number;
  /** `REJECT`: the server's security group drops the request. @default 'ACCEPT' */
  action?: 'ACCEPT' | 'REJECT';
  /** @default 'direct' */
  via?: Via;
  /** A connection open before this interval: no SYN/FIN flags. @default false */
  established?: boolean;
  /** Client port. @default an ephemeral port */
  sport?: number;
  /** Packets each way. @default from the bytes (plus handshake packets for TCP) */
  reqPackets?: number;
  respPackets?: number;
}

/** Everything the traffic generators of one VPC and one object window share. */
export class WindowContext {
  /** Window start and end, Unix seconds. */
  readonly t0: number;
  readonly t1: number;
  private readonly looked = new Set<string>();

  constructor(
    readonly env: Environment,
    readonly vpc: Vpc,
    readonly rng: Rng,
    readonly flow: FlowBuffer,
    readonly dns: DnsBuffer,
    startMs: number,
    endMs: number,
  ) {
    this.t0 = startMs / 1000;
    this.t1 = endMs / 1000;
  }

  /** A random second inside the window, leaving room for `duration`. */
  at(duration = 0, from = this.t0, to = this.t1): number {
    const hi = Math.max(from, to - 1 - duration);
    return this.rng.range(from, hi);
  }

  /** A Linux ephemeral port. */
  ephemeral(): number {
    return this.rng.range(32768, 60999);
  }

  /** The NAT gateway interface in the client's zone. */
  natFor(eni: Eni | undefined): Eni {
    return this.vpc.nat.find((n) => n.azId === eni?.azId) ?? this.vpc.nat[0]!;
  }

  /** Writes the records of one conversation; returns how many. */
  converse(c: Conversation): number {
    return writeConversation(this, c);
  }

  /**
   * Logs a Resolver query from `instance` for `name` unless the instance already asked in this
   * window (the Resolver logs only queries it could not answer from its cache). Instances that
   * never resolve names are skipped unless `force`. Returns the number of records written.
   */
  lookup(
    instance: Instance,
    name: string,
    ips: readonly string[],
    time: number,
    opts: {
      force?: boolean;
      type?: 'A' | 'AAAA' | 'TXT';
      rcode?: 'NOERROR' | 'NXDOMAIN';
      cname?: string;
    } = {},
  ): number {
    if (!instance.resolvesNames && !opts.force) return 0;
    const type = opts.type ?? 'A';
    const key = `${instance.id} ${name} ${type}`;
    if (this.looked.has(key) && !opts.force) return 0;
    this.looked.add(key);
    const answers: DnsAnswer[] = [];
    if (opts.cname) answers.push({ Rdata: opts.cname, Type: 'CNAME', Class: 'IN' });
    if (type === 'A') for (const ip of ips) answers.push({ Rdata: ip, Type: 'A', Class: 'IN' });
    this.dns.add({
      time: Math.max(this.t0, time - 1) * 1000 + this.rng.int(1000),
      name,
      type,
      rcode: opts.rcode ?? 'NOERROR',
      answers,
      srcaddr: instance.ip,
      srcport: this.ephemeral(),
      transport: 'UDP',
      instanceId: instance.id,
    });
    let n = 1;
    // Dual-stack resolvers ask for AAAA too; the answer is empty for IPv4-only services.
    if (type === 'A' && this.rng.chance(0.04)) {
      this.dns.add({
        time: time * 1000,
        name,
        type: 'AAAA',
        rcode: 'NOERROR',
        answers: [],
        srcaddr: instance.ip,
        srcport: this.ephemeral(),
        transport: 'UDP',
        instanceId: instance.id,
      });
      n++;
    }
    return n;
  }

  /** Logs a query from an on-premises client through the VPC's inbound Resolver endpoint. */
  endpointQuery(srcaddr: string, name: string, ips: readonly string[], time: number): number {
    const ep = this.vpc.inboundResolver;
    if (!ep) return 0;
    this.dns.add({
      time: time * 1000 + this.rng.int(1000),
      name,
      type: 'A',
      rcode: 'NOERROR',
      answers: ips.map((ip) => ({ Rdata: ip, Type: 'A', Class: 'IN' as const })),
      srcaddr,
      srcport: this.rng.range(1024, 65535),
      transport: 'UDP',
      endpoint: ep,
    });
    return 1;
  }
}
