import { validateOcsfRecord } from '@lakewatch/shared';
import { describe, expect, it } from 'vitest';
import { parseFixture } from '../helpers.js';
import { mismatches } from './compare.js';

// The inputs/ → Parquet pairs of aws-samples/amazon-security-lake-ocsf-validation (MIT-0,
// tests/fixtures/security-lake-samples/*/LICENSE.aws-samples-MIT-0.txt): each raw input must
// normalize to the same values as the Security Lake Parquet beside it, field by field. The
// Parquet side is read by our own Security Lake reader (and so brought to 1.1.0 first).

/**
 * Paths every comparison skips: `metadata.uid` (ours derives from the source URI, theirs from
 * theirs) and the original activity the upgrade keeps under `unmapped` when it turns DNS
 * activity ids that 1.1.0 lacks (4 Fail, 5 Refuse: Security Lake writes them even into rows
 * labelled 1.1.0) into 2 Response; our parser writes 2 from the start.
 */
const ALWAYS = ['metadata.uid', 'unmapped.activity_id', 'unmapped.activity_name'];

/**
 * Known, deliberate differences for rows Security Lake wrote with its OCSF 1.0.0-rc.2
 * mapping (source version 1.0; two rows in the 1.1.0 samples too): our parsers follow the
 * 1.1.0 mapping, which put the DNS Firewall rule group in `firewall_rule.uid` instead of
 * `unmapped`, maps ALERT to disposition Alert (19) instead of No Action (16), and sets
 * `action_id` (rc.2 had none; the upgrade derives it from the disposition).
 */
const RC2_MAPPING = [
  'unmapped.firewall_rule_group_id',
  'disposition',
  'disposition_id',
  'action_id',
  'action',
];

const PAIRS: { input: string; expected: string; rc2Mapping?: boolean }[] = [
  ...[0, 1, 3].map((i) => ({
    input: `ocsf-1.1.0/vpc_flow/inputs/vpc_flow-input${i}.json`,
    expected: `ocsf-1.1.0/vpc_flow/tests_vpc_flow-input${i}.test.parquet`,
  })),
  {
    input: 'ocsf-1.1.0/vpc_flow/inputs/vpc_flow-input2.parquet',
    expected: 'ocsf-1.1.0/vpc_flow/tests_vpc_flow-input2.test.parquet',
  },
  ...[0, 2].map((i) => ({
    input: `ocsf-1.1.0/route53/inputs/example${i}.json`,
    expected: `ocsf-1.1.0/route53/tests_example${i}.test.parquet`,
  })),
  // These two rows carry metadata.version 1.0.0-rc.2 inside the 1.1.0 samples.
  ...[1, 3].map((i) => ({
    input: `ocsf-1.1.0/route53/inputs/example${i}.json`,
    expected: `ocsf-1.1.0/route53/tests_example${i}.test.parquet`,
    rc2Mapping: true,
  })),
  ...['0.json', '1.json', '2.json', '3'].map((i, n) => ({
    input: `ocsf-1.0.0-rc.2/vpc_flow/inputs/vpc_flow-input${i}.parquet`,
    expected: `ocsf-1.0.0-rc.2/vpc_flow/example${n}.gz.parquet`,
    rc2Mapping: true,
  })),
  ...[0, 1, 2, 3].map((i) => ({
    input: `ocsf-1.0.0-rc.2/route53/inputs/route53-inputs${i}.json.gz`,
    expected: `ocsf-1.0.0-rc.2/route53/example${i}.json.gz.parquet`,
    rc2Mapping: true,
  })),
];

describe('Golden: raw inputs normalize as Amazon Security Lake does', () => {
  it.each(PAIRS)('$input → $expected', async ({ input, expected, rc2Mapping }) => {
    // Act
    const ours = await parseFixture(`security-lake-samples/${input}`, { validateSampleRate: 1 });
    const theirs = await parseFixture(`security-lake-samples/${expected}`);
    // Assess
    expect(ours.summary).toMatchObject({ rejected: 0 });
    expect(theirs.summary).toMatchObject({ rejected: 0 });
    expect(ours.records.length).toBe(theirs.records.length);
    expect(ours.records.length).toBeGreaterThan(0);
    const skip = rc2Mapping ? [...ALWAYS, ...RC2_MAPPING] : ALWAYS;
    ours.records.forEach((record, i) => {
      expect(mismatches(theirs.records[i], record, skip)).toEqual([]);
      expect(validateOcsfRecord(record).issues).toEqual([]);
    });
  });

  it('reads the Security Lake Parquet rows as valid OCSF 1.1.0 and says what it changed', async () => {
    // Act
    const { records, summary } = await parseFixture(
      'security-lake-samples/ocsf-1.1.0/route53/tests_example1.test.parquet',
    );
    // Assess
    expect(summary.formatDetail).toBe('ocsf parquet 1.0.0-rc.2');
    expect(summary.changes).toMatchObject({
      "list wrapper 'array' unwrapped": 1,
      'cloud.account_uid→cloud.account.uid': 1,
      'dns activity_id 5→2': 1,
      'version 1.0.0-rc.2→1.1.0': 1,
    });
    expect(records[0]).toMatchObject({
      activity_id: 2,
      type_uid: 400302,
      rcode_id: 5,
      cloud: { account: { uid: '123456789012' } },
      answers: [{ rdata: '127.0.0.62', type: 'A', class: 'IN' }],
      metadata: { version: '1.1.0' },
      unmapped: { activity_id: 5, activity_name: 'Refuse' },
    });
    expect(validateOcsfRecord(records[0]).issues).toEqual([]);
  });
});
