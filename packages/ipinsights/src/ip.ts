import { IpAddressError } from './errors.js';

/**
 * Parses a dotted-quad IPv4 address (or an IPv4-mapped IPv6 address such as
 * `::ffff:192.0.2.1`) into its 32-bit value, or returns -1. No allocation.
 */
export function parseIpv4(text: string): number {
  let start = 0;
  const len = text.length;
  if (len >= 14 && text.charCodeAt(0) === 58 /* : */) {
    const lower = text.slice(0, 7).toLowerCase();
    if (lower !== '::ffff:') return -1;
    start = 7;
  }
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero ("01") is ambiguous (octal)
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/**
 * Like {@link parseIpv4} but throws a clear error naming the bad value. IPv6 addresses
 * other than IPv4-mapped ones are rejected with their own message: the encoder is built
 * on IPv4 prefix structure.
 *
 * @throws {IpAddressError}
 */
export function ipv4ToInt(text: string): number {
  const v = parseIpv4(text);
  if (v >= 0) return v;
  if (text.includes(':'))
    throw new IpAddressError(
      text,
      `IPv6 address '${text}' is not supported: the model encodes IPv4 addresses (IPv4-mapped ::ffff:a.b.c.d is accepted)`,
    );
  throw new IpAddressError(text);
}

/** Formats a 32-bit value as a dotted quad. */
export function intToIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}
