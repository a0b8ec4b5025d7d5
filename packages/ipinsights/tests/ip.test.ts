import { describe, expect, it } from 'vitest';
import { IpAddressError, intToIpv4, ipv4ToInt, parseIpv4 } from '../src/index.js';

describe('Function: parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', 4294967295],
    ['192.0.2.1', 3221225985],
    ['::ffff:192.0.2.1', 3221225985],
    ['::FFFF:10.0.0.1', 167772161],
  ])('parses %s', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
    expect(intToIpv4(value)).toBe(text.replace(/^::ffff:/i, ''));
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.-4',
    '01.2.3.4',
    'a.b.c.d',
    '1..2.3',
    '2001:db8::1',
    ' 1.2.3.4',
  ])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBe(-1);
  });
});

describe('Function: ipv4ToInt', () => {
  it('names the bad value, with a specific message for IPv6', () => {
    expect(() => ipv4ToInt('300.1.1.1')).toThrow("not a valid IPv4 address: '300.1.1.1'");
    expect(() => ipv4ToInt('2001:db8::1')).toThrow(IpAddressError);
    expect(() => ipv4ToInt('2001:db8::1')).toThrow("IPv6 address '2001:db8::1' is not supported");
  });
});
