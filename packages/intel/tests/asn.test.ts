import { beforeAll, describe, expect, it } from 'vitest';
import { GeoAsnDatabase } from '../src/index.js';

describe('Class: GeoAsnDatabase', () => {
  let db: GeoAsnDatabase;
  beforeAll(async () => {
    db = await GeoAsnDatabase.load();
  }, 60_000);

  it('knows the AS and country of well-known public addresses', () => {
    expect(db.asnOf('1.0.0.1')).toEqual({ number: 13335, organization: 'Cloudflare, Inc.' });
    expect(db.asnOf('8.8.8.8')?.number).toBe(15169);
    expect(db.countryOf('8.8.8.8')).toBe('US');
    expect(db.asnOf('2001:4860:4860::8888')?.number).toBe(15169);
    expect(db.size.asnRanges).toBeGreaterThan(100_000);
  });

  it('knows nothing of private or malformed addresses', () => {
    expect(db.asnOf('10.0.0.1')).toBeUndefined();
    expect(db.countryOf('192.168.1.1')).toBeUndefined();
    expect(db.asnOf('nope')).toBeUndefined();
  });
});
