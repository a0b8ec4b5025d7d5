import { describe, expect, it } from 'vitest';
import { validatableClasses, validateOcsfRecord } from '../../src/index.js';
import { networkActivity } from './records.js';

describe('Function: validateOcsfRecord', () => {
  it('accepts a valid Network Activity record', () => {
    // Act
    const result = validateOcsfRecord(networkActivity());
    // Assess
    expect(result).toEqual({ valid: true, checked: true, issues: [] });
  });

  it('knows the three generated classes', () => {
    expect(validatableClasses().sort()).toEqual([2004, 4001, 4003]);
  });

  it.each([
    ['a missing required attribute', (r: Record<string, unknown>) => delete r.time, '/time'],
    [
      'an activity outside the enum',
      (r: Record<string, unknown>) => (r.activity_id = 7),
      '/activity_id',
    ],
    [
      'a wrong type',
      (r: Record<string, unknown>) => ((r.src_endpoint as Record<string, unknown>).port = '443'),
      '/src_endpoint/port',
    ],
    ['an unknown attribute', (r: Record<string, unknown>) => (r.confidence = 3), '/confidence'],
    [
      'cloud missing under the cloud profile',
      (r: Record<string, unknown>) => delete r.cloud,
      '/cloud',
    ],
  ])('rejects %s and names the path', (_name, mutate, path) => {
    // Prepare
    const record = networkActivity();
    mutate(record);
    // Act
    const result = validateOcsfRecord(record);
    // Assess
    expect(result.valid).toBe(false);
    expect(result.issues[0]?.path).toBe(path);
  });

  it('does not require cloud when the cloud profile is not applied', () => {
    // Prepare
    const record = networkActivity();
    delete record.cloud;
    (record.metadata as { profiles: string[] }).profiles = ['security_control'];
    // Act / Assess
    expect(validateOcsfRecord(record).valid).toBe(true);
  });

  it('passes classes without a generated schema as unchecked', () => {
    expect(validateOcsfRecord({ class_uid: 3002 })).toEqual({
      valid: true,
      checked: false,
      issues: [],
    });
  });

  it('rejects a record without class_uid', () => {
    expect(validateOcsfRecord({}).valid).toBe(false);
  });
});
