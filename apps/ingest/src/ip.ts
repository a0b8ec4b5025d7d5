import { isIP } from 'node:net';

/** The family of an IP address text (4 or 6), or 0 when it is not one. */
export function ipFamily(ip: unknown): 0 | 4 | 6 {
  return typeof ip === 'string' ? (isIP(ip) as 0 | 4 | 6) : 0;
}

/**
 * True for addresses that stay inside a network: RFC 1918, shared address space (RFC 6598),
 * loopback, link-local, and IPv6 unique-local / link-local / loopback.
 */
export function isInternalIp(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) {
    const parts = ip.split('.');
    const a = Number(parts[0]);
    const b = Number(parts[1]);
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (family === 6) {
    const lower = ip.toLowerCase();
    if (lower === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1]) return isInternalIp(mapped[1]);
    const head = Number.parseInt(lower.split(':')[0] || '0', 16);
    return (head & 0xfe00) === 0xfc00 || (head & 0xffc0) === 0xfe80;
  }
  return false;
}
