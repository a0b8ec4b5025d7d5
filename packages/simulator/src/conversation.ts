import type { Eni } from './environment.js';
import { PATH, TCP } from './flow-log.js';
import type { Conversation, WindowContext } from './window.js';

/**
 * Writes the flow log records of one conversation as every interface on its path sees it:
 * the client's and the server's interfaces (request and response each), and the NAT gateway's
 * four records when the client goes out through it. Returns the number of records.
 */
export function writeConversation(ctx: WindowContext, c: Conversation): number {
  const rng = ctx.rng;
  const proto = c.protocol ?? 6;
  const duration = Math.min(59, c.duration ?? rng.range(1, 20));
  const start = Math.min(c.start, Math.max(ctx.t0, ctx.t1 - 1 - duration));
  const end = start + duration;
  const sport = c.sport ?? ctx.ephemeral();
  const action = c.action ?? 'ACCEPT';
  const via = c.via ?? 'direct';
  const reqPkts = c.reqPackets ?? Math.max(1, Math.ceil(c.reqBytes / 1100)) + (proto === 6 ? 2 : 0);
  const respPkts =
    c.respPackets ?? Math.max(1, Math.ceil(c.respBytes / 1400)) + (proto === 6 ? 1 : 0);
  // Every packet carries at least its IP and TCP/UDP headers.
  const reqBytes = Math.max(c.reqBytes, reqPkts * (proto === 6 ? 52 : 28));
  const respBytes = Math.max(c.respBytes, respPkts * (proto === 6 ? 52 : 28));
  const open = c.established ? 0 : TCP.SYN | TCP.FIN;
  const answer = c.established ? 0 : TCP.SYN_ACK | TCP.FIN;
  const cl = c.client;
  const sv = c.server;
  const flow = ctx.flow;
  let n = 0;
  if (action === 'REJECT') {
    const pk = rng.range(1, 3);
    const bytes = pk * (proto === 6 ? 44 : 60 + rng.int(80));
    if (cl.eni) {
      flow.add({
        eni: cl.eni,
        direction: 'egress',
        srcaddr: cl.ip,
        dstaddr: sv.ip,
        srcport: sport,
        dstport: c.dport,
        protocol: proto,
        packets: pk,
        bytes,
        start,
        end,
        action: 'ACCEPT',
        tcpFlags: TCP.SYN,
        path: sv.eni ? PATH.sameVpc : egressPath(cl.eni),
        dstService: sv.awsService,
      });
      n++;
    }
    if (sv.eni) {
      flow.add({
        eni: sv.eni,
        direction: 'ingress',
        srcaddr: cl.ip,
        dstaddr: sv.ip,
        srcport: sport,
        dstport: c.dport,
        protocol: proto,
        packets: pk,
        bytes,
        start,
        end,
        action: 'REJECT',
        tcpFlags: TCP.SYN,
        path: PATH.none,
        srcService: cl.awsService,
      });
      n++;
    }
    return n;
  }
  if (cl.eni) {
    const path =
      via === 'nat' || sv.eni
        ? PATH.sameVpc
        : via === 'gateway-endpoint'
          ? PATH.gatewayEndpoint
          : egressPath(cl.eni);
    flow.add({
      eni: cl.eni,
      direction: 'egress',
      srcaddr: cl.ip,
      dstaddr: sv.ip,
      srcport: sport,
      dstport: c.dport,
      protocol: proto,
      packets: reqPkts,
      bytes: reqBytes,
      start,
      end,
      action,
      tcpFlags: open,
      path,
      dstService: sv.awsService,
    });
    flow.add({
      eni: cl.eni,
      direction: 'ingress',
      srcaddr: sv.ip,
      dstaddr: cl.ip,
      srcport: c.dport,
      dstport: sport,
      protocol: proto,
      packets: respPkts,
      bytes: respBytes,
      start,
      end,
      action,
      tcpFlags: answer,
      path: PATH.none,
      srcService: sv.awsService,
    });
    n += 2;
  }
  if (via === 'nat') {
    const nat = ctx.natFor(cl.eni);
    const natPort = rng.range(1024, 65535);
    flow.add({
      eni: nat,
      direction: 'ingress',
      srcaddr: cl.ip,
      dstaddr: nat.ip,
      pktSrc: cl.ip,
      pktDst: sv.ip,
      srcport: sport,
      dstport: c.dport,
      protocol: proto,
      packets: reqPkts,
      bytes: reqBytes,
      start,
      end,
      action,
      tcpFlags: open,
      path: PATH.none,
      dstService: sv.awsService,
    });
    flow.add({
      eni: nat,
      direction: 'egress',
      srcaddr: nat.ip,
      dstaddr: sv.ip,
      srcport: natPort,
      dstport: c.dport,
      protocol: proto,
      packets: reqPkts,
      bytes: reqBytes,
      start,
      end,
      action,
      tcpFlags: open,
      path: PATH.internetGateway,
      dstService: sv.awsService,
    });
    flow.add({
      eni: nat,
      direction: 'ingress',
      srcaddr: sv.ip,
      dstaddr: nat.ip,
      srcport: c.dport,
      dstport: natPort,
      protocol: proto,
      packets: respPkts,
      bytes: respBytes,
      start,
      end,
      action,
      tcpFlags: answer,
      path: PATH.none,
      srcService: sv.awsService,
    });
    flow.add({
      eni: nat,
      direction: 'egress',
      srcaddr: nat.ip,
      dstaddr: cl.ip,
      pktSrc: sv.ip,
      pktDst: cl.ip,
      srcport: c.dport,
      dstport: sport,
      protocol: proto,
      packets: respPkts,
      bytes: respBytes,
      start,
      end,
      action,
      tcpFlags: answer,
      path: PATH.sameVpc,
      srcService: sv.awsService,
    });
    n += 4;
  }
  if (sv.eni) {
    flow.add({
      eni: sv.eni,
      direction: 'ingress',
      srcaddr: cl.ip,
      dstaddr: sv.ip,
      srcport: sport,
      dstport: c.dport,
      protocol: proto,
      packets: reqPkts,
      bytes: reqBytes,
      start,
      end,
      action,
      tcpFlags: open,
      path: PATH.none,
      srcService: cl.awsService,
    });
    flow.add({
      eni: sv.eni,
      direction: 'egress',
      srcaddr: sv.ip,
      dstaddr: cl.ip,
      srcport: c.dport,
      dstport: sport,
      protocol: proto,
      packets: respPkts,
      bytes: respBytes,
      start,
      end,
      action,
      tcpFlags: answer,
      path: cl.eni ? PATH.sameVpc : egressPath(sv.eni),
      dstService: cl.awsService,
    });
    n += 2;
  }
  return n;
}

/** The path of traffic leaving `eni` for the internet: Nitro instances report 8, managed ENIs 2. */
function egressPath(eni: Eni): string {
  return eni.owner === 'instance' ? PATH.internetGatewayNitro : PATH.internetGateway;
}
