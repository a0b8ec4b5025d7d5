import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CidrIndex, ipv4ToNumber, isPublicIp, parseCidr, parseIp } from '../src/index.js';

describe('Function: parseIp / parseCidr', () => {
  it('parses IPv4, IPv6 (compressed, embedded IPv4) and masks host bits', () => {
    expect(parseIp('10.1.2.3')).toEqual({ v: 4, n: 0x0a010203 });
    expect(parseIp('2001:db8::1')).toEqual({ v: 6, n: 0x20010db8000000000000000000000001n });
    expect(parseIp('::ffff:192.0.2.1')).toEqual({ v: 6, n: 0xffffc0000201n });
    expect(parseCidr('10.1.2.3/16')).toEqual({ v: 4, base: 0x0a010000, bits: 16 });
    expect(parseCidr('2001:db8:abcd::/32')).toEqual({ v: 6, base: 0x20010db8n << 96n, bits: 32 });
  });

  it('refuses malformed text with the text in the message', () => {
    for (const bad of ['10.0.300.1', '1.2.3', '01.2.3.4', '1:2:3:4:5:6:7:8:9', 'a::b::c', 'host']) {
      expect(() => parseIp(bad)).toThrow(`not an IP address: '${bad}'`);
    }
    expect(() => parseCidr('10.0.0.0/33')).toThrow("bad prefix length in '10.0.0.0/33'");
  });

  it('tells public from private, loopback, link-local and CGNAT addresses', () => {
    const pub = (ip: string) => isPublicIp(parseIp(ip));
    expect(['8.8.8.8', '52.94.133.131', '2600:1f18::1'].map(pub)).toEqual([true, true, true]);
    expect(
      [
        '10.0.0.1',
        '172.20.1.1',
        '192.168.1.1',
        '127.0.0.1',
        '169.254.169.254',
        '100.64.0.1',
        'fe80::1',
        'fd00::1',
        '::1',
      ].map(pub),
    ).toEqual(new Array(9).fill(false));
  });
});

describe('Class: CidrIndex', () => {
  it('finds every network holding an address, most specific first', () => {
    const index = CidrIndex.from([
      ['198.51.100.0/24', 'net'],
      ['198.51.100.23', 'host'],
      ['198.0.0.0/8', 'wide'],
      ['2001:db8::/32', 'v6'],
    ]);
    expect(index.lookup('198.51.100.23')).toEqual(['host', 'net', 'wide']);
    expect(index.lookup('198.51.101.1')).toEqual(['wide']);
    expect(index.lookup('2001:db8:1::9')).toEqual(['v6']);
    expect(index.lookup('203.0.113.1')).toEqual([]);
    expect(index.lookup('not-an-ip')).toEqual([]);
  });

  it('finds a network listed more than once (by two feeds) once per listing', () => {
    const index = CidrIndex.from([
      ['10.0.0.16/28', 'feed-a'],
      ['10.0.0.0/8', 'wide'],
      ['10.0.0.16/28', 'feed-b'],
      ['2001:db8::/32', 'v6-a'],
      ['2001:db8::/32', 'v6-b'],
    ]);
    expect(index.lookup('10.0.0.20')).toEqual(['feed-a', 'feed-b', 'wide']);
    expect(index.lookup('10.0.0.1')).toEqual(['wide']);
    expect(index.lookup('2001:db8::1')).toEqual(['v6-a', 'v6-b']);
  });

  it('agrees with a brute-force scan on random networks and addresses', () => {
    const cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 32 }));
    fc.assert(
      fc.property(
        fc.array(cidr, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 30 }),
        (nets, ips) => {
          const texts = nets.map(
            ([n, bits]) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${bits}`,
          );
          const index = CidrIndex.from(texts.map((t, i) => [t, i] as const));
          for (const n of ips) {
            const ip = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
            const expected = texts
              .map((t, i) => ({ c: parseCidr(t), i }))
              .filter(
                ({ c }) =>
                  c.v === 4 &&
                  (ipv4ToNumber(ip) & (c.bits === 0 ? 0 : (0xffffffff << (32 - c.bits)) >>> 0)) >>>
                    0 ===
                    c.base,
              )
              .map(({ i }) => i)
              .sort((a, b) => a - b);
            expect([...index.lookup(ip)].sort((a, b) => a - b)).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
