import { type ParsedCidr, type ParsedIp, parseCidr, parseIp } from './address.js';

/**
 * Networks (IPv4 and IPv6 CIDRs, possibly nested) with a value each, answering "which networks
 * hold this address" fast for millions of entries: per prefix length, a sorted typed array of
 * network bases searched by bisection (IPv4: Uint32Array; IPv6: the high and low 64 bits in
 * BigUint64Arrays). A lookup costs one bisection per prefix length present.
 */
export class CidrIndex<T> {
  private readonly v4: { bits: number; bases: Uint32Array; values: T[] }[];
  private readonly v6: { bits: number; hi: BigUint64Array; lo: BigUint64Array; values: T[] }[];
  readonly size: number;

  private constructor(entries: readonly { cidr: ParsedCidr; value: T }[]) {
    const groups4 = new Map<number, { base: number; value: T }[]>();
    const groups6 = new Map<number, { base: bigint; value: T }[]>();
    for (const { cidr, value } of entries) {
      if (cidr.v === 4) {
        const g = groups4.get(cidr.bits) ?? [];
        g.push({ base: cidr.base, value });
        groups4.set(cidr.bits, g);
      } else {
        const g = groups6.get(cidr.bits) ?? [];
        g.push({ base: cidr.base, value });
        groups6.set(cidr.bits, g);
      }
    }
    // most specific first, so lookup() lists the closest network first
    this.v4 = [...groups4]
      .sort(([a], [b]) => b - a)
      .map(([bits, g]) => {
        g.sort((x, y) => x.base - y.base);
        return { bits, bases: Uint32Array.from(g, (x) => x.base), values: g.map((x) => x.value) };
      });
    this.v6 = [...groups6]
      .sort(([a], [b]) => b - a)
      .map(([bits, g]) => {
        g.sort((x, y) => (x.base < y.base ? -1 : x.base > y.base ? 1 : 0));
        return {
          bits,
          hi: BigUint64Array.from(g, (x) => x.base >> 64n),
          lo: BigUint64Array.from(g, (x) => x.base & 0xffffffffffffffffn),
          values: g.map((x) => x.value),
        };
      });
    this.size = entries.length;
  }

  /** Builds an index from `[cidr text, value]` entries. @throws AddressError on a bad CIDR. */
  static from<T>(entries: Iterable<readonly [string, T]>): CidrIndex<T> {
    const parsed: { cidr: ParsedCidr; value: T }[] = [];
    for (const [text, value] of entries) parsed.push({ cidr: parseCidr(text), value });
    return new CidrIndex(parsed);
  }

  /** Builds an index from parsed networks. */
  static fromParsed<T>(entries: readonly { cidr: ParsedCidr; value: T }[]): CidrIndex<T> {
    return new CidrIndex(entries);
  }

  /** Every network holding `ip` (most specific first); `[]` for none or a malformed address. */
  lookup(ip: string | ParsedIp): T[] {
    let parsed: ParsedIp;
    try {
      parsed = typeof ip === 'string' ? parseIp(ip) : ip;
    } catch {
      return [];
    }
    const found: T[] = [];
    if (parsed.v === 4) {
      for (const level of this.v4) {
        const mask = level.bits === 0 ? 0 : (0xffffffff << (32 - level.bits)) >>> 0;
        const key = (parsed.n & mask) >>> 0;
        const bases = level.bases;
        // The first base >= key, then every network listed with that base (the same network
        // may come from several feeds).
        let lo = 0;
        let hi = bases.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (bases[mid]! < key) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < bases.length && bases[i] === key; i++) found.push(level.values[i]!);
      }
      return found;
    }
    for (const level of this.v6) {
      const shift = BigInt(128 - level.bits);
      const key = level.bits === 0 ? 0n : (parsed.n >> shift) << shift;
      const kh = key >> 64n;
      const kl = key & 0xffffffffffffffffn;
      let lo = 0;
      let hi = level.hi.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const h = level.hi[mid]!;
        if (h < kh || (h === kh && level.lo[mid]! < kl)) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < level.hi.length && level.hi[i] === kh && level.lo[i] === kl; i++)
        found.push(level.values[i]!);
    }
    return found;
  }
}

/**
 * Non-overlapping address ranges `[start, end]` with a value each (ASN and country tables):
 * bisection over the range starts.
 */
export class RangeIndex<T> {
  constructor(
    private readonly starts4: Uint32Array,
    private readonly ends4: Uint32Array,
    private readonly values4: T[],
    private readonly starts6: bigint[],
    private readonly ends6: bigint[],
    private readonly values6: T[],
  ) {}

  get size(): number {
    return this.values4.length + this.values6.length;
  }

  /** The value of the range holding `ip`, if any. */
  lookup(ip: string | ParsedIp): T | undefined {
    let p: ParsedIp;
    try {
      p = typeof ip === 'string' ? parseIp(ip) : ip;
    } catch {
      return undefined;
    }
    const starts: ArrayLike<number | bigint> = p.v === 4 ? this.starts4 : this.starts6;
    let lo = 0;
    let hi = starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= p.n) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0) return undefined;
    if (p.v === 4) return p.n <= this.ends4[at]! ? this.values4[at] : undefined;
    return p.n <= this.ends6[at]! ? this.values6[at] : undefined;
  }
}
