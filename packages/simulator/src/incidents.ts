import { HOSTILE_RANGES, HOSTILE_TLDS } from './catalog.js';
import type { Environment, Instance } from './environment.js';
import { cidr, hostAt } from './ip.js';
import type { IncidentKind, ResolvedOptions } from './options.js';
import { rngFor } from './random.js';
import type { Topology } from './traffic.js';
import type { WindowContext } from './window.js';

/** Which part of the output an object or incident belongs to. */
export type Phase = 'history' | 'live';

/**
 * How a pairing strategy sees a flagged pair: `source` (the instance with its own source
 * address, the blog's pairing), `peer` (the instance with the remote address), `dns` (the
 * instance with an address a Resolver answer gave it).
 */
export type Pairing = 'source' | 'peer' | 'dns';

/** One (entity, IP) pair an IP Insights detector should flag. */
export interface PairTruth {
  entity: { type: 'instance'; uid: string };
  ip: string;
  /** The pairing strategies under which the pair appears. */
  pairings: Pairing[];
}

/** The ground truth of one injected incident. */
export interface IncidentTruth {
  id: string;
  kind: IncidentKind;
  phase: Phase;
  /** ISO 8601 start and end of the incident's activity. */
  start: string;
  end: string;
  accountId: string;
  vpcId: string;
  description: string;
  pairs: PairTruth[];
  /** Records the incident added, by log type (final once its windows are generated). */
  records: { flow: number; dns: number };
}

/** An incident with what the generator needs to write it. */
export interface PlannedIncident {
  truth: IncidentTruth;
  startMs: number;
  endMs: number;
  vpcIndex: number;
  actor: Instance;
  target?: Instance;
  ip: string;
  names: string[];
}

/** Chooses where, when and by whom each requested incident happens. */
export function planIncidents(
  env: Environment,
  topologies: Topology[],
  options: ResolvedOptions,
  historyEnd: number,
): PlannedIncident[] {
  const kinds = options.incidents;
  const live = options.liveMinutes > 0;
  const phase: Phase = live ? 'live' : 'history';
  return kinds.map((kind, i) => {
    const rng = rngFor(options.seed, 'incident', kind);
    const vpcIndex = i % env.vpcs.length;
    const topo = topologies[vpcIndex]!;
    const vpc = topo.vpc;
    let startMs: number;
    let endMs: number;
    if (live) {
      const slot = (options.liveMinutes * 60_000) / kinds.length;
      startMs = historyEnd + Math.floor(i * slot + slot * 0.15);
      endMs = startMs + Math.max(60_000, Math.min(8 * 60_000, Math.floor(slot * 0.7)));
      endMs = Math.min(endMs, historyEnd + options.liveMinutes * 60_000);
    } else {
      startMs = historyEnd - 10 * 3_600_000 + i * 45 * 60_000;
      endMs = startMs + 8 * 60_000;
    }
    const pick = (...lists: Instance[][]) =>
      lists.find((l) => l.length > 0)?.[0] ?? vpc.instances[0]!;
    const last = (l: Instance[]) => l[l.length - 1];
    const hostile = (c: string) => hostAt(cidr(c), 2 + rng.int(cidr(c).size - 4));
    let actor: Instance;
    let target: Instance | undefined;
    let ip: string;
    let names: string[] = [];
    let pairs: PairTruth[];
    let description: string;
    const pair = (inst: Instance, addr: string, pairings: Pairing[]): PairTruth => ({
      entity: { type: 'instance', uid: inst.id },
      ip: addr,
      pairings,
    });
    switch (kind) {
      case 'port-scan':
        target = pick(topo.bastion, topo.web);
        ip = hostile(HOSTILE_RANGES.scanner.cidr);
        actor = target;
        pairs = [pair(target, ip, ['peer'])];
        description = `A host never seen before (${ip}, ${HOSTILE_RANGES.scanner.asn}) sweeps TCP ports of ${target.name} (${target.id}); the security group rejects all but SSH.`;
        break;
      case 'lateral-movement':
        actor = pick(topo.web, topo.batch, topo.app);
        target = pick(topo.db, topo.batch);
        ip = target.ip;
        pairs = [pair(actor, target.ip, ['peer']), pair(target, actor.ip, ['peer'])];
        description = `${actor.name} (${actor.id}), which only ever talks to the app tier, probes SSH on ${target.name} (${target.ip}) and then pulls data from its PostgreSQL port.`;
        break;
      case 'unknown-subnet': {
        actor = last(topo.app) ?? pick(topo.batch, topo.web);
        const peer = topo.peers.get(actor.id)?.[0] ?? pick(topo.db, topo.batch);
        target = peer;
        ip = hostAt(cidr(vpc.unusedCidr), 10 + rng.int(200));
        pairs = [pair(actor, ip, ['source']), pair(peer, ip, ['peer'])];
        description = `${actor.name} (${actor.id}) sends traffic from ${ip}, an address in ${vpc.unusedCidr} where the VPC has no subnet, to ${peer.name}.`;
        break;
      }
      case 'exfiltration':
        actor = pick(topo.batch, topo.app, topo.web);
        ip = hostile(HOSTILE_RANGES.exfiltration.cidr);
        pairs = [pair(actor, ip, ['peer'])];
        description = `${actor.name} (${actor.id}) uploads gigabytes over HTTPS to ${ip} (${HOSTILE_RANGES.exfiltration.asn}), an address it never contacted.`;
        break;
      case 'dns-from-silent-instance': {
        actor = last(topo.db) ?? pick(topo.batch);
        ip = hostile(HOSTILE_RANGES.commandAndControl.cidr);
        const tld = rng.pick(HOSTILE_TLDS);
        names = Array.from(
          { length: 6 },
          () => `${rng.hex(10 + rng.int(6)).replace(/^\d/, 'x')}.${tld}.`,
        );
        pairs = [pair(actor, ip, ['dns', 'peer'])];
        description = `${actor.name} (${actor.id}), which never resolves names, looks up generated domains (${names[0]} …); one resolves to ${ip} (${HOSTILE_RANGES.commandAndControl.asn}) and the instance beacons to it.`;
        break;
      }
      case 'ssh-brute-force':
        target = topo.bastion.length > 0 ? topo.bastion[0]! : pick(topo.web);
        actor = target;
        ip = hostile(HOSTILE_RANGES.bruteForce.cidr);
        pairs = [pair(target, ip, ['peer'])];
        description = `${ip} (${HOSTILE_RANGES.bruteForce.asn}) opens hundreds of short SSH sessions to ${target.name} (${target.id}): password guessing.`;
        break;
    }
    const truth: IncidentTruth = {
      id: `inc-${String(i + 1).padStart(2, '0')}-${kind}`,
      kind,
      phase,
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      accountId: vpc.accountId,
      vpcId: vpc.id,
      description,
      pairs,
      records: { flow: 0, dns: 0 },
    };
    return { truth, startMs, endMs, vpcIndex, actor, target, ip, names };
  });
}

/** Writes the part of `inc` that falls in `[from, to)` (Unix seconds) into the window. */
export function injectIncident(
  ctx: WindowContext,
  inc: PlannedIncident,
  from: number,
  to: number,
): void {
  const { rng } = ctx;
  const minutes = Math.max(1, Math.round((to - from) / 60));
  const rec = inc.truth.records;
  const actor = inc.actor;
  const target = inc.target;
  const add = (n: number) => {
    rec.flow += n;
  };
  switch (inc.truth.kind) {
    case 'port-scan': {
      const t = target ?? actor;
      for (let k = 0; k < minutes * 90; k++) {
        const port =
          k % 9 === 0 ? rng.pick([21, 22, 23, 25, 80, 443, 445, 3389, 8080]) : rng.range(1, 10_000);
        add(
          ctx.converse({
            client: { ip: inc.ip },
            server: { ip: t.ip, eni: t.eni },
            dport: port,
            reqBytes: 44,
            respBytes: 40,
            start: ctx.at(0, from, to),
            duration: 0,
            action: port === 22 ? 'ACCEPT' : 'REJECT',
            reqPackets: 2,
            respPackets: 1,
            sport: rng.range(40000, 65000),
          }),
        );
      }
      break;
    }
    case 'lateral-movement': {
      const t = target!;
      for (let k = 0; k < minutes; k++) {
        add(
          ctx.converse({
            client: { ip: actor.ip, eni: actor.eni },
            server: { ip: t.ip, eni: t.eni },
            dport: 22,
            reqBytes: 60,
            respBytes: 0,
            start: ctx.at(1, from, to),
            action: 'REJECT',
          }),
        );
        add(
          ctx.converse({
            client: { ip: actor.ip, eni: actor.eni },
            server: { ip: t.ip, eni: t.eni },
            dport: 5432,
            reqBytes: rng.logNormal(4_000, 0.5),
            respBytes: rng.logNormal(30_000_000, 0.5),
            start: ctx.at(59, from, to),
            duration: rng.range(20, 59),
          }),
        );
      }
      break;
    }
    case 'unknown-subnet': {
      const t = target!;
      for (let k = 0; k < minutes * 2; k++)
        add(
          ctx.converse({
            client: { ip: inc.ip, eni: actor.eni },
            server: { ip: t.ip, eni: t.eni },
            dport: t.role === 'db' ? 5432 : 8080,
            reqBytes: rng.logNormal(2_000, 0.6),
            respBytes: rng.logNormal(12_000, 1),
            start: ctx.at(20, from, to),
          }),
        );
      break;
    }
    case 'exfiltration':
      for (let k = 0; k < minutes; k++)
        add(
          ctx.converse({
            client: { ip: actor.ip, eni: actor.eni },
            server: { ip: inc.ip },
            dport: 443,
            reqBytes: rng.logNormal(400_000_000, 0.3),
            respBytes: rng.logNormal(60_000, 0.5),
            start: ctx.at(59, from, to),
            duration: 59,
            via: 'nat',
          }),
        );
      break;
    case 'dns-from-silent-instance': {
      if (from * 1000 <= inc.startMs) {
        inc.names.forEach((name, j) => {
          const resolves = j === inc.names.length - 1;
          rec.dns += ctx.lookup(actor, name, resolves ? [inc.ip] : [], from + j * 3, {
            force: true,
            rcode: resolves ? 'NOERROR' : 'NXDOMAIN',
          });
        });
        rec.dns += ctx.lookup(actor, inc.names.at(-1)!, [], from + 20, {
          force: true,
          type: 'TXT',
        });
      }
      for (let k = 0; k < minutes; k++)
        add(
          ctx.converse({
            client: { ip: actor.ip, eni: actor.eni },
            server: { ip: inc.ip },
            dport: 443,
            reqBytes: rng.logNormal(900, 0.3),
            respBytes: rng.logNormal(1_800, 0.5),
            start: Math.max(from + 25, ctx.at(5, from, to)),
            duration: rng.range(1, 4),
            via: 'nat',
          }),
        );
      break;
    }
    case 'ssh-brute-force': {
      const t = target ?? actor;
      for (let k = 0; k < minutes * 35; k++)
        add(
          ctx.converse({
            client: { ip: inc.ip },
            server: { ip: t.ip, eni: t.eni },
            dport: 22,
            reqBytes: rng.logNormal(2_400, 0.3),
            respBytes: rng.logNormal(3_100, 0.3),
            start: ctx.at(6, from, to),
            duration: rng.range(2, 6),
          }),
        );
      break;
    }
  }
}
