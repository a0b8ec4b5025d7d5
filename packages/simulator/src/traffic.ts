import type { Eni, Environment, Instance, Vpc } from './environment.js';
import { rngFor } from './random.js';
import { external, service } from './services.js';
import type { WindowContext } from './window.js';

/** Who talks to whom inside one VPC: fixed for the whole simulation. */
export interface Topology {
  vpc: Vpc;
  web: Instance[];
  app: Instance[];
  db: Instance[];
  batch: Instance[];
  bastion: Instance[];
  /** Sticky peers: web → app, app → db, batch → app. */
  peers: Map<string, Instance[]>;
  /** The app tier's DNS record (up to 8 addresses); clients keep to their sticky peers. */
  appRecord: string[];
  /** The RDS cluster's DNS name. */
  rdsName: string;
  /** Every interface of the VPC (for NODATA/SKIPDATA records). */
  enis: Eni[];
}

/** How busy the window is: 0–1 factors of the daily rhythm. */
export interface Activity {
  /** Business-hours factor (users, services, administrators). */
  business: number;
  /** Night factor (batch jobs). */
  night: number;
  /** Volume multiplier: intensity × minutes per object / 10. */
  volume: number;
}

/** Builds the sticky peer sets of every VPC. */
export function buildTopologies(env: Environment, seed: string): Topology[] {
  return env.vpcs.map((vpc) => {
    const rng = rngFor(seed, 'topology', vpc.index);
    const by = (role: Instance['role']) => vpc.instances.filter((i) => i.role === role);
    const t: Topology = {
      vpc,
      web: by('web'),
      app: by('app'),
      db: by('db'),
      batch: by('batch'),
      bastion: by('bastion'),
      peers: new Map(),
      appRecord: [],
      rdsName: `orders.cluster-${rng.hex(12)}.${env.region}.rds.amazonaws.com.`,
      enis: [
        ...vpc.instances.map((i) => i.eni),
        ...vpc.elb,
        ...vpc.nat,
        ...vpc.rds,
        ...vpc.endpoints,
      ],
    };
    const sample = (from: Instance[], k: number, offset: number) =>
      from.length === 0
        ? []
        : Array.from(
            { length: Math.min(k, from.length) },
            (_, j) => from[(offset + j) % from.length]!,
          );
    t.appRecord = t.app.slice(0, 8).map((a) => a.ip);
    t.web.forEach((w, i) => {
      t.peers.set(w.id, sample(t.app, 4, i));
    });
    t.app.forEach((a, i) => {
      t.peers.set(a.id, sample(t.db, 2, i));
    });
    t.batch.forEach((b, i) => {
      t.peers.set(b.id, sample(t.app, 2, i * 2));
    });
    return t;
  });
}

/**
 * Daily rhythm at `t` (Unix seconds) for a business in US Eastern time: users and services peak
 * in the afternoon on weekdays, batch jobs run at night.
 */
export function activityAt(t: number, volume: number): Activity {
  const hour = (((t / 3600 - 5) % 24) + 24) % 24;
  const day = Math.floor((t / 3600 - 5) / 24);
  const weekday = ((day % 7) + 7 + 4) % 7; // 1970-01-01 was a Thursday (4)
  const weekend = weekday === 0 || weekday === 6;
  const peak = Math.exp(-(((hour - 14) / 3.2) ** 2));
  const business = weekend ? 0.12 + 0.25 * peak : 0.1 + 0.9 * peak;
  const d = Math.min(Math.abs(hour - 2.5), 24 - Math.abs(hour - 2.5));
  const night = 0.05 + 0.95 * Math.exp(-((d / 1.6) ** 2));
  return { business, night, volume };
}

/** Writes one window of normal traffic and DNS of a VPC. */
export function normalTraffic(ctx: WindowContext, topo: Topology, act: Activity): void {
  const { rng, vpc, env } = ctx;
  const v = act.volume;
  const b = act.business;
  // Users reach the web tier through the load balancer; every node checks every target's health.
  for (const elb of vpc.elb) {
    for (let k = rng.poisson(20 * b * v); k > 0; k--) {
      const user = rng.zipf(env.users, 1.3);
      ctx.converse({
        client: { ip: user },
        server: { ip: elb.ip, eni: elb },
        dport: 443,
        reqBytes: rng.logNormal(1400, 0.6),
        respBytes: rng.logNormal(24_000, 1.2),
        start: ctx.at(20),
      });
    }
    for (const w of topo.web)
      if (rng.chance(0.7 * Math.min(1, v)))
        ctx.converse({
          client: { ip: elb.ip, eni: elb },
          server: { ip: w.ip, eni: w.eni },
          dport: 8080,
          reqBytes: 180,
          respBytes: 320,
          start: ctx.at(2),
          duration: 1,
          sport: rng.range(1024, 65535),
        });
  }
  for (const w of topo.web) {
    for (let k = rng.poisson(9 * b * v); k > 0; k--) {
      const elb = rng.pick(vpc.elb);
      ctx.converse({
        client: { ip: elb.ip, eni: elb },
        server: { ip: w.ip, eni: w.eni },
        dport: 8080,
        reqBytes: rng.logNormal(1200, 0.5),
        respBytes: rng.logNormal(20_000, 1.1),
        start: ctx.at(20),
        sport: rng.range(1024, 65535),
      });
    }
    const apps = topo.peers.get(w.id) ?? [];
    for (let k = apps.length > 0 ? rng.poisson(6 * b * v) : 0; k > 0; k--) {
      const a = rng.pick(apps);
      const t = ctx.at(20);
      ctx.lookup(w, `app.${vpc.zone}`, topo.appRecord, t);
      ctx.converse({
        client: { ip: w.ip, eni: w.eni },
        server: { ip: a.ip, eni: a.eni },
        dport: 8080,
        reqBytes: rng.logNormal(900, 0.5),
        respBytes: rng.logNormal(6_000, 1),
        start: t,
      });
    }
    external(ctx, w, rng.poisson((1.5 * b + 0.3) * v));
  }
  for (const a of topo.app) {
    const dbs = topo.peers.get(a.id) ?? [];
    for (let k = dbs.length > 0 ? rng.poisson(5 * b * v) : 0; k > 0; k--) {
      const d = rng.pick(dbs);
      const t = ctx.at(30);
      ctx.lookup(a, `${d.name}.${vpc.zone}`, [d.ip], t);
      ctx.converse({
        client: { ip: a.ip, eni: a.eni },
        server: { ip: d.ip, eni: d.eni },
        dport: 5432,
        reqBytes: rng.logNormal(2_000, 0.8),
        respBytes: rng.logNormal(15_000, 1.2),
        start: t,
        duration: rng.range(5, 59),
        established: rng.chance(0.4),
      });
    }
    for (let k = rng.poisson(3 * b * v); k > 0; k--) {
      const rds = rng.pick(vpc.rds);
      const t = ctx.at(30);
      ctx.lookup(a, topo.rdsName, [rds.ip], t);
      ctx.converse({
        client: { ip: a.ip, eni: a.eni },
        server: { ip: rds.ip, eni: rds },
        dport: 3306,
        reqBytes: rng.logNormal(1_500, 0.8),
        respBytes: rng.logNormal(9_000, 1.2),
        start: t,
        duration: rng.range(2, 40),
      });
    }
    external(ctx, a, rng.poisson((2.5 * b + 0.4) * v));
  }
  for (const bt of topo.batch) {
    const n = act.night;
    for (let k = rng.poisson((1 + 12 * n) * v); k > 0; k--) service(ctx, bt, 's3', 40);
    for (let k = rng.poisson(4 * n * v); k > 0; k--) service(ctx, bt, 'dynamodb', 1);
    const apps = topo.peers.get(bt.id) ?? [];
    for (let k = apps.length > 0 ? rng.poisson((2 * n + 0.2) * v) : 0; k > 0; k--) {
      const a = rng.pick(apps);
      const t = ctx.at(20);
      ctx.lookup(bt, `app.${vpc.zone}`, topo.appRecord, t);
      ctx.converse({
        client: { ip: bt.ip, eni: bt.eni },
        server: { ip: a.ip, eni: a.eni },
        dport: 8080,
        reqBytes: rng.logNormal(3_000, 0.8),
        respBytes: rng.logNormal(40_000, 1),
        start: t,
      });
    }
    external(ctx, bt, rng.poisson(0.5 * v));
  }
  for (const h of topo.bastion) bastion(ctx, topo, h, act);
  for (let i = 0; i < topo.db.length && topo.db.length > 1; i += 2) {
    // Streaming replication from each primary to its replica: one long-lived connection.
    const primary = topo.db[i]!;
    const replica = topo.db[(i + 1) % topo.db.length]!;
    if (primary === replica) continue;
    if (rng.chance(0.9))
      ctx.converse({
        client: { ip: replica.ip, eni: replica.eni },
        server: { ip: primary.ip, eni: primary.eni },
        dport: 5432,
        reqBytes: rng.logNormal(8_000, 0.4),
        respBytes: rng.logNormal(2_000_000 * (0.2 + b), 0.5),
        start: ctx.at(59),
        duration: 59,
        established: true,
        sport: 40000 + i,
      });
  }
  // Offices resolve internal names through the inbound Resolver endpoint over the VPN.
  if (vpc.inboundResolver)
    for (let k = rng.poisson(3 * b * v); k > 0; k--) {
      const t = ctx.at();
      const target = rng.pick(vpc.instances);
      const client = rng.pick(env.onPrem);
      const r = rng.next();
      if (r < 0.5) ctx.endpointQuery(client, `app.${vpc.zone}`, topo.appRecord, t);
      else if (r < 0.75)
        ctx.endpointQuery(
          client,
          topo.rdsName,
          vpc.rds.map((x) => x.ip),
          t,
        );
      else ctx.endpointQuery(client, `${target.name}.${vpc.zone}`, [target.ip], t);
    }
  // The SSM agent on every instance that resolves names polls the interface endpoint.
  for (const inst of vpc.instances)
    if (inst.services.includes('ssm') && rng.chance(Math.min(1, 0.9 * v)))
      service(ctx, inst, 'ssm', 1);
}

function bastion(ctx: WindowContext, topo: Topology, h: Instance, act: Activity): void {
  const { rng, env } = ctx;
  const b = act.business;
  const v = act.volume;
  for (let k = rng.poisson(0.8 * b * b * v); k > 0; k--) {
    const admin = rng.pick(env.admins);
    ctx.converse({
      client: { ip: admin },
      server: { ip: h.ip, eni: h.eni },
      dport: 22,
      reqBytes: rng.logNormal(20_000, 1),
      respBytes: rng.logNormal(90_000, 1.2),
      start: ctx.at(59),
      duration: 59,
      established: rng.chance(0.5),
    });
  }
  const targets = topo.vpc.instances.filter((i) => i.role !== 'bastion');
  for (let k = targets.length > 0 ? rng.poisson(0.8 * b * b * v) : 0; k > 0; k--) {
    const t = rng.pick(targets);
    const at = ctx.at(59);
    ctx.lookup(h, `${t.name}.${topo.vpc.zone}`, [t.ip], at);
    ctx.converse({
      client: { ip: h.ip, eni: h.eni },
      server: { ip: t.ip, eni: t.eni },
      dport: 22,
      reqBytes: rng.logNormal(15_000, 1),
      respBytes: rng.logNormal(60_000, 1.2),
      start: at,
      duration: rng.range(10, 59),
    });
  }
  // Research scanners sweep every public address all day; the security group drops them.
  for (let k = rng.poisson(1.5 * v); k > 0; k--) {
    const port = rng.pick(SCANNED_PORTS);
    ctx.converse({
      client: { ip: rng.pick(env.scanners) },
      server: { ip: h.ip, eni: h.eni },
      dport: port,
      reqBytes: 60,
      respBytes: 40,
      start: ctx.at(1),
      duration: 0,
      action: port === 22 ? 'ACCEPT' : 'REJECT',
      reqPackets: 2,
      respPackets: 1,
    });
  }
  external(ctx, h, rng.poisson((0.5 * b + 0.1) * v));
}

const SCANNED_PORTS = [22, 23, 80, 443, 445, 1433, 3306, 3389, 5900, 6379, 8080, 9200];
