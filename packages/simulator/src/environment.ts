import {
  ADMIN_RANGES,
  AWS_SERVICES,
  ONPREM_RANGES,
  SAAS_SERVICES,
  SCANNER_RANGES,
  type ServiceSpec,
  USER_RANGES,
} from './catalog.js';
import { type Cidr, cidr, hostAt } from './ip.js';
import type { ResolvedOptions } from './options.js';
import { type Rng, rngFor } from './random.js';

/** The roles of the simulated EC2 instances. */
export const INSTANCE_ROLES = ['web', 'app', 'db', 'bastion', 'batch'] as const;

/** An EC2 instance role. */
export type InstanceRole = (typeof INSTANCE_ROLES)[number];

/** What owns a network interface. */
export type EniOwner = 'instance' | 'elb' | 'nat' | 'rds' | 'vpce';

/** A network interface whose traffic the VPC's flow log records. */
export interface Eni {
  /** Index into {@link Environment.enis}. */
  index: number;
  id: string;
  ip: string;
  owner: EniOwner;
  accountId: string;
  vpcId: string;
  subnetId: string;
  /** `-` for interfaces of managed services. */
  instanceId: string;
  azId: string;
  /** Precomputed line fragments (`5 <account> <eni>` and `<vpc> <subnet> <instance>`). */
  head: string;
  mid: string;
  tail: string;
}

/** A subnet; its kind says whether it routes to the internet gateway. */
export interface Subnet {
  id: string;
  cidr: string;
  az: string;
  azId: string;
  kind: 'public' | 'private';
}

/** A simulated EC2 instance. */
export interface Instance {
  id: string;
  name: string;
  role: InstanceRole;
  accountId: string;
  vpcId: string;
  subnetId: string;
  ip: string;
  eni: Eni;
  /** False for instances that never send a DNS query (databases talk only by address). */
  resolvesNames: boolean;
  /** External services this instance uses. */
  services: string[];
}

/** An external service with the addresses it answers from in this environment. */
export interface Service extends ServiceSpec {
  hostnames: string[];
  ips: string[];
}

/** A VPC with its subnets, managed services and flow log. */
export interface Vpc {
  index: number;
  id: string;
  accountId: string;
  cidr: string;
  flowLogId: string;
  /** The Amazon-provided DNS server (base + 2): its traffic is never in flow logs. */
  resolverIp: string;
  /** A block inside the VPC's CIDR that no subnet covers. */
  unusedCidr: string;
  subnets: Subnet[];
  instances: Instance[];
  elb: Eni[];
  nat: Eni[];
  rds: Eni[];
  endpoints: Eni[];
  /** Private DNS zone of the VPC (`<name>.internal.`). */
  zone: string;
  /** The inbound Resolver endpoint on-premises clients query (first VPC only). */
  inboundResolver?: { id: string; eni: string };
}

/** The whole simulated AWS estate and the outside world it talks to. */
export interface Environment {
  region: string;
  accounts: string[];
  vpcs: Vpc[];
  instances: Instance[];
  enis: Eni[];
  services: Map<string, Service>;
  users: string[];
  admins: string[];
  scanners: string[];
  /** On-premises clients that query through the inbound Resolver endpoint. */
  onPrem: string[];
}

const ROLE_SERVICES: Record<InstanceRole, { always: string[]; some: string[] }> = {
  web: {
    always: ['s3', 'sts', 'logs', 'monitoring', 'ssm'],
    some: ['datadog', 'sentry', 'ubuntu'],
  },
  app: {
    always: ['s3', 'dynamodb', 'sts', 'logs', 'ssm'],
    some: ['stripe', 'slack', 'datadog', 'sentry', 'ubuntu'],
  },
  batch: { always: ['s3', 'dynamodb', 'sts', 'logs', 'ssm'], some: ['pypi', 'github', 'ubuntu'] },
  bastion: { always: ['sts', 'ec2', 'ssm', 'ubuntu', 'ntp'], some: ['github', 'npm', 'pypi'] },
  db: { always: [], some: [] },
};

/** Builds the environment for `options`: same seed and options, same environment. */
export function buildEnvironment(options: ResolvedOptions): Environment {
  const rng = rngFor(options.seed, 'environment');
  const region = options.region;
  const accounts = Array.from({ length: options.accounts }, () => rng.digits(12));
  const services = buildServices(rng, region);
  const enis: Eni[] = [];
  const vpcs: Vpc[] = [];
  const instances: Instance[] = [];
  const azCount = options.instances >= 40 ? 3 : 2;
  const abbr = regionAbbreviation(region);
  for (let v = 0; v < options.vpcs; v++) {
    const accountId = accounts[v % accounts.length]!;
    const block = cidr(`10.${(v * 16) % 256}.0.0/16`);
    const vpc: Vpc = {
      index: v,
      id: `vpc-0${rng.hex(16)}`,
      accountId,
      cidr: block.text,
      flowLogId: `fl-0${rng.hex(16)}`,
      resolverIp: hostAt(block, 2),
      unusedCidr: hostAt(block, 200 * 256).concat('/21'),
      subnets: [],
      instances: [],
      elb: [],
      nat: [],
      rds: [],
      endpoints: [],
      zone: `${['prod', 'stage', 'shared', 'data'][v % 4]}${v >= 4 ? v : ''}.internal.`,
    };
    const next = new Map<string, number>();
    const addEni = (subnet: Subnet, owner: EniOwner, instanceId: string): Eni => {
      const block2 = cidr(subnet.cidr);
      const offset = (next.get(subnet.id) ?? 10) + rng.range(1, 6);
      next.set(subnet.id, offset);
      const id = `eni-0${rng.hex(16)}`;
      const eni: Eni = {
        index: enis.length,
        id,
        ip: hostAt(block2, offset),
        owner,
        accountId,
        vpcId: vpc.id,
        subnetId: subnet.id,
        instanceId,
        azId: subnet.azId,
        head: `5 ${accountId} ${id}`,
        mid: `${vpc.id} ${subnet.id} ${instanceId}`,
        tail: `${region} ${subnet.azId}`,
      };
      enis.push(eni);
      return eni;
    };
    for (let a = 0; a < azCount; a++) {
      const az = `${region}${'abc'[a]}`;
      const azId = `${abbr}-az${((v + a) % 6) + 1}`;
      vpc.subnets.push(
        {
          id: `subnet-0${rng.hex(16)}`,
          cidr: hostAt(block, a * 256).concat('/24'),
          az,
          azId,
          kind: 'public',
        },
        {
          id: `subnet-0${rng.hex(16)}`,
          cidr: hostAt(block, (32 + a * 16) * 256).concat('/20'),
          az,
          azId,
          kind: 'private',
        },
      );
    }
    const publicSubnets = vpc.subnets.filter((s) => s.kind === 'public');
    const privateSubnets = vpc.subnets.filter((s) => s.kind === 'private');
    for (const s of publicSubnets) {
      vpc.elb.push(addEni(s, 'elb', '-'));
      vpc.nat.push(addEni(s, 'nat', '-'));
    }
    for (const s of privateSubnets) vpc.endpoints.push(addEni(s, 'vpce', '-'));
    vpc.rds.push(addEni(privateSubnets[0]!, 'rds', '-'));
    const count =
      Math.floor(options.instances / options.vpcs) + (v < options.instances % options.vpcs ? 1 : 0);
    const roles = rolesFor(count);
    const perRole = new Map<InstanceRole, number>();
    roles.forEach((role, i) => {
      const n = (perRole.get(role) ?? 0) + 1;
      perRole.set(role, n);
      const subnet =
        role === 'bastion' ? publicSubnets[0]! : privateSubnets[i % privateSubnets.length]!;
      const id = `i-0${rng.hex(16)}`;
      const eni = addEni(subnet, 'instance', id);
      const spec = ROLE_SERVICES[role];
      const some = spec.some.filter(() => rng.chance(0.6));
      if (spec.some.length > 0 && some.length === 0) some.push(rng.pick(spec.some));
      const instance: Instance = {
        id,
        name: `${vpc.zone.split('.')[0]}-${role}-${String(n).padStart(2, '0')}`,
        role,
        accountId,
        vpcId: vpc.id,
        subnetId: subnet.id,
        ip: eni.ip,
        eni,
        resolvesNames: role !== 'db',
        services: [...spec.always, ...some],
      };
      vpc.instances.push(instance);
      instances.push(instance);
    });
    vpcs.push(vpc);
  }
  // Drawn from their own stream so that adding them changed nothing else.
  const extra = rngFor(options.seed, 'environment', 'on-premises');
  const first = vpcs[0];
  if (first)
    first.inboundResolver = { id: `rslvr-in-${extra.hex(17)}`, eni: `rni-${extra.hex(17)}` };
  return {
    region,
    accounts,
    vpcs,
    instances,
    enis,
    services,
    users: pool(rng, USER_RANGES, 40 + options.instances * 60),
    admins: pool(rng, ADMIN_RANGES, 5),
    scanners: pool(rng, SCANNER_RANGES, 24),
    onPrem: pool(extra, ONPREM_RANGES, 20),
  };
}

/** Roles for `count` instances: one bastion, then web/app/db/batch in production-like shares. */
function rolesFor(count: number): InstanceRole[] {
  const roles: InstanceRole[] = ['bastion'];
  const rest = Math.max(0, count - 1);
  const share: [InstanceRole, number][] = [
    ['web', 0.27],
    ['app', 0.35],
    ['db', 0.16],
    ['batch', 0.22],
  ];
  const n = share.map(
    ([role, s]) => [role, rest >= 4 ? Math.max(1, Math.floor(rest * s)) : 0] as const,
  );
  let left = rest - n.reduce((sum, [, k]) => sum + k, 0);
  const counts = new Map<InstanceRole, number>(n);
  for (const role of ['app', 'web', 'batch', 'db'] as const) {
    if (left <= 0) break;
    counts.set(role, (counts.get(role) ?? 0) + 1);
    left--;
    if (left > 0 && role === 'db') {
      counts.set('app', (counts.get('app') ?? 0) + left);
      left = 0;
    }
  }
  for (const role of ['web', 'app', 'db', 'batch'] as const)
    for (let i = 0; i < (counts.get(role) ?? 0); i++) roles.push(role);
  return roles.slice(0, Math.max(1, count));
}

function buildServices(rng: Rng, region: string): Map<string, Service> {
  const out = new Map<string, Service>();
  for (const spec of [...AWS_SERVICES, ...SAAS_SERVICES]) {
    out.set(spec.key, {
      ...spec,
      hostnames: spec.names.map((n) => `${n.replaceAll('{region}', region)}.`),
      ips: spec.cidrs.length > 0 ? pool(rng, spec.cidrs, spec.pool) : [],
    });
  }
  return out;
}

/** `n` distinct addresses drawn from `ranges` (never network or broadcast addresses). */
function pool(rng: Rng, ranges: readonly string[], n: number): string[] {
  const blocks: Cidr[] = ranges.map(cidr);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const b = rng.pick(blocks);
    const ip = hostAt(b, 1 + rng.int(Math.max(1, b.size - 2)));
    if (seen.has(ip)) continue;
    seen.add(ip);
    out.push(ip);
  }
  return out;
}

/** `us-east-1` → `use1`, as AWS zone ids spell it. */
function regionAbbreviation(region: string): string {
  const parts = region.split('-');
  return `${parts[0]}${parts
    .slice(1, -1)
    .map((p) => p[0])
    .join('')}${parts.at(-1)}`;
}
