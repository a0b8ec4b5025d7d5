import { AddressError } from './errors.js';

/** An address as a number: IPv4 as an unsigned 32-bit integer, IPv6 as a 128-bit bigint. */
export type ParsedIp = { v: 4; n: number } | { v: 6; n: bigint };

/** `a.b.c.d` → unsigned 32-bit integer, or -1 when it is not a dotted quad. */
export function ipv4ToNumber(text: string): number {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || octet > 255) return -1;
      n = n * 256 + octet;
      parts += 1;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      digits += 1;
      if (digits > 3) return -1;
    } else return -1;
  }
  return parts === 4 ? n : -1;
}

/** IPv6 text (with `::`, and an embedded IPv4 tail) → 128-bit bigint, or undefined. */
export function ipv6ToBigInt(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4ToNumber(s.slice(lastColon + 1));
    if (v4 < 0) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const groups: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(Number.parseInt(g, 16));
    }
    return groups;
  };
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

/** Parses an IPv4 or IPv6 address. @throws AddressError naming the text. */
export function parseIp(text: string): ParsedIp {
  const v4 = ipv4ToNumber(text);
  if (v4 >= 0) return { v: 4, n: v4 };
  const v6 = ipv6ToBigInt(text);
  if (v6 !== undefined) return { v: 6, n: v6 };
  throw new AddressError(`not an IP address: '${text}'`);
}

/** A network: its first address (masked) and prefix length. */
export type ParsedCidr =
  | { v: 4; base: number; bits: number }
  | { v: 6; base: bigint; bits: number };

/** Parses `ip` or `ip/len` (host bits are masked off). @throws AddressError naming the text. */
export function parseCidr(text: string): ParsedCidr {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  const max = ip.v === 4 ? 32 : 128;
  const bitsText = slash < 0 ? String(max) : text.slice(slash + 1);
  const bits = Number(bitsText);
  if (!/^\d{1,3}$/.test(bitsText) || bits > max)
    throw new AddressError(`bad prefix length in '${text}'`);
  if (ip.v === 4) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return { v: 4, base: (ip.n & mask) >>> 0, bits };
  }
  const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
  return { v: 6, base: ip.n & mask, bits };
}

/** True for private, loopback, link-local, CGNAT, multicast and other non-public IPv4/IPv6. */
export function isPublicIp(ip: ParsedIp): boolean {
  if (ip.v === 4) {
    const n = ip.n;
    const a = n >>> 24;
    const b = (n >>> 16) & 0xff;
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 169 && b === 254) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    return true;
  }
  const top = Number(ip.n >> 112n);
  if (ip.n <= 1n) return false;
  if ((top & 0xfe00) === 0xfc00 || (top & 0xffc0) === 0xfe80 || (top & 0xff00) === 0xff00)
    return false;
  return (top & 0xe000) === 0x2000;
}
