import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DeliveryError } from './errors.js';

const blocked = new BlockList();
// IPv4: "this" network, private, CGNAT, loopback, link-local (incl. 169.254.169.254
// metadata), IETF protocol assignments, TEST-NETs are public; multicast and reserved.
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
// IPv6: unspecified, loopback, unique local, link-local, site-local, multicast, and the
// AWS metadata address fd00:ec2::254 (inside fc00::/7).
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Host names of cloud metadata services, refused whatever they resolve to. */
const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
]);

function embeddedV4(ip: string): string | undefined {
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64)
  const m = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m?.[1]) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hex?.[1] && hex[2]) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return undefined;
}

/**
 * Whether an IP address is one a notification must not reach by default: loopback,
 * private, link-local (169.254/16, fe80::/10, cloud metadata), unique-local, multicast,
 * reserved, or an IPv4 one of these written as IPv6.
 */
export function isUnsafeAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedV4(ip);
    if (v4 !== undefined) return blocked.check(v4, 'ipv4');
    return blocked.check(ip, 'ipv6');
  }
  return true;
}

/** Addresses a target may reach although they are unsafe (e.g. `127.0.0.1` in tests). */
export type AllowList = readonly string[];

/** Resolves a host name to every address DNS gives for it. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const defaultResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Resolves `host` and checks EVERY address it resolves to; returns the first, which the
 * caller must connect to (no second resolution, so no DNS-rebinding window).
 * @throws DeliveryError `unsafe-address` (not retryable) naming the target, never the URL.
 */
export async function resolveSafe(
  host: string,
  targetId: string,
  allow: AllowList,
  resolver: Resolver = defaultResolver,
): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTS.has(bare.replace(/\.$/, ''))) {
    throw new DeliveryError(
      'unsafe-address',
      `target ${targetId}: host is a cloud metadata service`,
      false,
    );
  }
  let addresses: { address: string; family: number }[];
  if (isIP(bare)) addresses = [{ address: bare, family: isIP(bare) }];
  else {
    try {
      addresses = await resolver(bare);
    } catch (e) {
      throw new DeliveryError(
        'dns-failure',
        `target ${targetId}: host does not resolve (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        true,
      );
    }
  }
  if (addresses.length === 0) {
    throw new DeliveryError('dns-failure', `target ${targetId}: host resolves to nothing`, true);
  }
  for (const a of addresses) {
    if (isUnsafeAddress(a.address) && !allow.includes(a.address)) {
      throw new DeliveryError(
        'unsafe-address',
        `target ${targetId}: host resolves to ${a.address}, a loopback, private, link-local or metadata address not allowed for this target`,
        false,
      );
    }
  }
  const first = addresses[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
