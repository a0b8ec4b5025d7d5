import { describe, expect, it } from 'vitest';
import { typeUid, upgradeOcsfRecord, validateOcsfRecord } from '../../src/index.js';
import { networkActivity, rc2DnsActivity } from './records.js';

describe('Function: upgradeOcsfRecord', () => {
  it('converts an rc.2 DNS Activity record to a valid 1.1.0 one and says what changed', () => {
    // Prepare
    const input = rc2DnsActivity();
    // Act
    const { record, changes } = upgradeOcsfRecord(input);
    // Assess
    expect(record.cloud).toEqual({
      account: { uid: '111122223333' },
      region: 'us-east-1',
      provider: 'AWS',
    });
    expect(record.metadata.version).toBe('1.1.0');
    expect(record).toMatchObject({
      activity_id: 2,
      type_uid: 400302,
      type_name: 'DNS Activity: Response',
      action_id: 2,
    });
    expect(record.unmapped).toEqual({ activity_id: 5, activity_name: 'Refuse', confidence: 80 });
    expect(changes).toEqual([
      'cloud.account_uid→cloud.account.uid',
      'dns activity_id 5→2',
      'type_uid recomputed',
      'type_name recomputed',
      'action_id from disposition_id',
      'unmapped confidence',
      'version 1.0.0-rc.2→1.1.0',
    ]);
    expect(validateOcsfRecord(record)).toMatchObject({ valid: true });
    expect(input.cloud).toHaveProperty('account_uid');
  });

  it('moves nested attributes unknown to 1.1.0 under unmapped by dotted path', () => {
    // Prepare
    const input = networkActivity();
    (input.src_endpoint as Record<string, unknown>).zone_name = 'z1';
    // Act
    const { record, changes } = upgradeOcsfRecord(input);
    // Assess
    expect(record.unmapped).toEqual({ 'src_endpoint.zone_name': 'z1' });
    expect(changes).toEqual(['unmapped src_endpoint.zone_name']);
  });

  it('leaves a valid 1.1.0 record unchanged', () => {
    // Prepare
    const input = networkActivity();
    // Act
    const { record, changes } = upgradeOcsfRecord(input);
    // Assess
    expect(changes).toEqual([]);
    expect(record).toEqual(input);
  });
});

describe('Function: typeUid', () => {
  it('is class_uid * 100 + activity_id', () => {
    expect(typeUid(4001, 6)).toBe(400106);
    expect(typeUid(4003, 99)).toBe(400399);
  });

  it('refuses an activity outside 0–99, naming it', () => {
    expect(() => typeUid(4001, 100)).toThrow(/activity_id .* got 100/);
  });
});
