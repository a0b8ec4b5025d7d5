import { SimulatorError } from './errors.js';

/** An IPv4 CIDR block as numbers. */
export interface Cidr {
  /** The text form, e.g. `10.0.0.0/16`. */
  text: string;
  /** First address as an unsigned 32-bit integer. */
  base: number;
  /** Prefix length. */
  bits: number;
  /** Number of addresses. */
  size: number;
}

/** Parses a dotted IPv4 address to an unsigned 32-bit integer. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new SimulatorError(`not an IPv4 address: '${ip}'`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0 || v > 255 || p === '')
      throw new SimulatorError(`not an IPv4 address: '${ip}'`);
    n = n * 256 + v;
  }
  return n;
}

/** Formats an unsigned 32-bit integer as a dotted IPv4 address. */
export function intToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Parses `a.b.c.d/n`. */
export function cidr(text: string): Cidr {
  const [ip, len] = text.split('/');
  const bits = Number(len);
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32)
    throw new SimulatorError(`not an IPv4 CIDR block: '${text}'`);
  const size = 2 ** (32 - bits);
  const base = ipToInt(ip) - (ipToInt(ip) % size);
  return { text, base, bits, size };
}

/** True when `ip` (as an integer) lies inside `block`. */
export function contains(block: Cidr, ip: number): boolean {
  return ip >= block.base && ip < block.base + block.size;
}

/** The address at `offset` from the start of `block`. */
export function hostAt(block: Cidr, offset: number): string {
  return intToIp(block.base + (offset % block.size));
}
