import { describe, expect, it } from 'vitest';
import { isUnsafeAddress, resolveSafe } from '../src/index.js';

describe('Function: isUnsafeAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'not-an-ip',
  ])('refuses %s', (ip) => {
    expect(isUnsafeAddress(ip)).toBe(true);
  });

  it.each(['198.51.100.23', '8.8.8.8', '2001:db8::1', '2600:1f18::1', '::ffff:8.8.8.8'])(
    'accepts %s',
    (ip) => {
      expect(isUnsafeAddress(ip)).toBe(false);
    },
  );
});

describe('Function: resolveSafe', () => {
  it('checks every address a name resolves to and returns the checked one to connect to', async () => {
    // Prepare: a name resolving to a public and a metadata address (a rebinding attempt)
    const resolver = async () => [
      { address: '203.0.113.9', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    // Act & Assess
    await expect(resolveSafe('hooks.example.com', 't1', [], resolver)).rejects.toMatchObject({
      code: 'unsafe-address',
      retryable: false,
    });
    await expect(
      resolveSafe('hooks.example.com', 't1', [], async () => [
        { address: '203.0.113.9', family: 4 },
      ]),
    ).resolves.toEqual({ address: '203.0.113.9', family: 4 });
  });

  it('refuses metadata host names and literal addresses; allows an explicitly allowed address', async () => {
    await expect(resolveSafe('metadata.google.internal', 't', [])).rejects.toMatchObject({
      code: 'unsafe-address',
    });
    await expect(resolveSafe('[fe80::1]', 't', [])).rejects.toMatchObject({
      code: 'unsafe-address',
    });
    await expect(resolveSafe('127.0.0.1', 't', ['127.0.0.1'])).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    await expect(
      resolveSafe('localhost', 't', [], async () => [{ address: '127.0.0.1', family: 4 }]),
    ).rejects.toMatchObject({ code: 'unsafe-address' });
  });
});
