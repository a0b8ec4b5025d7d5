/**
 * IP addresses and CIDR blocks as EventBridge reads them: an IPv4 literal is four dotted
 * decimal numbers, an IPv6 literal is hex groups with colons (no embedded IPv4 part); both
 * become their bytes, compared as unsigned big-endian numbers.
 */

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** Whether `text` has the shape of an IP literal (the test EventBridge applies first). */
export function looksLikeIp(text: string): boolean {
  return IPV4.test(text) || IPV6.test(text);
}

/** The bytes (4 or 16) of an IP literal, or `undefined` when `text` is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  if (IPV4.test(text)) return parseIpv4(text);
  if (IPV6.test(text)) return parseIpv6(text);
  return undefined;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(parts[i]);
    if (!(n <= 255)) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined): number[] | undefined => {
    if (part === undefined || part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.length === 0 || g.length > 4) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * An IPv4 literal as an unsigned 32-bit number, without allocating (the hot path of `cidr` on
 * every event); `undefined` when `text` is not one.
 */
export function ipv4Number(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      part = part * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && digits > 0 && dots < 3) {
      if (part > 255) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return undefined;
  return value * 256 + part;
}

/** An inclusive range of addresses of one family. */
export interface IpRange {
  readonly bottom: Uint8Array;
  readonly top: Uint8Array;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The range as two unsigned numbers, for IPv4 ranges. */
export function ipv4Bounds(range: IpRange): { low: number; high: number } | undefined {
  if (range.bottom.length !== 4) return undefined;
  const num = (b: Uint8Array): number =>
    (((b[0] ?? 0) * 256 + (b[1] ?? 0)) * 256 + (b[2] ?? 0)) * 256 + (b[3] ?? 0);
  return { low: num(range.bottom), high: num(range.top) };
}

/** Whether the address bytes fall in the range (same family only). */
export function inRange(ip: Uint8Array, range: IpRange): boolean {
  return (
    ip.length === range.bottom.length &&
    compare(ip, range.bottom) >= 0 &&
    compare(ip, range.top) <= 0
  );
}

/**
 * Parses a CIDR block, throwing the reason EventBridge gives for a bad one. As EventBridge
 * does, the range starts at the address as written (its host bits are not cleared) and ends
 * at that address with every host bit set.
 */
export function parseCidr(cidr: string): IpRange {
  // Java's String.split drops trailing empty strings: "10.0.0.0/" has no second part.
  const slashed = cidr.split('/');
  while (slashed.length > 0 && slashed[slashed.length - 1] === '') slashed.pop();
  if (slashed.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  const maskText = slashed[1] ?? '';
  if (!/^[+-]?[0-9]+$/.test(maskText) || Math.abs(Number(maskText)) > 2147483647) {
    throw new Error('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw new Error('Malformed CIDR, mask bits must not be negative');
  const ipText = slashed[0] ?? '';
  const ip = looksLikeIp(ipText) ? parseIp(ipText) : new Uint8Array(0);
  if (ip === undefined) throw new Error(`Invalid IP address: ${ipText}`);
  if (ip.length !== 4 && ip.length !== 16) throw new Error(`Nonstandard IP address: ${ipText}`);
  if (ip.length === 4 && maskBits > 31) throw new Error('IPv4 mask bits must be < 32');
  if (ip.length === 16 && maskBits > 127) throw new Error('IPv6 mask bits must be < 128');
  let hostBits = ip.length * 8 - maskBits;
  const top = new Uint8Array(ip.length);
  for (let i = ip.length - 1; i >= 0; i--) {
    const b = ip[i] ?? 0;
    if (hostBits >= 8) top[i] = 0xff;
    else if (hostBits <= 0) top[i] = b;
    else top[i] = b | ((1 << hostBits) - 1);
    hostBits -= 8;
  }
  return { bottom: ip, top };
}
