import { validateOcsfRecord } from '@lakewatch/shared';
import { describe, expect, it } from 'vitest';
import { parseAll } from '../helpers.js';

const base = {
  version: '1.100000',
  account_id: '111122223333',
  region: 'eu-west-1',
  vpc_id: 'vpc-1',
  query_timestamp: '2024-03-01T10:00:00Z',
  query_name: 'example.com.',
  query_type: 'A',
  query_class: 'IN',
  rcode: 'NXDOMAIN',
  answers: [],
  srcaddr: '10.0.0.5',
  srcport: '53000',
  transport: 'UDP',
  srcids: { instance: 'i-0abc' },
};

describe('Function: parseLogObject (Route 53 Resolver)', () => {
  it('maps JSON lines to DNS Activity with the source instance and rcode', async () => {
    // Prepare
    const text = `${JSON.stringify(base)}\n${JSON.stringify({ ...base, rcode: 'NOERROR', answers: [{ Rdata: '93.184.216.34', Type: 'A', Class: 'IN' }] })}\n`;
    // Act
    const { records, summary } = await parseAll(text, { validateSampleRate: 1 });
    // Assess
    expect(summary).toMatchObject({ format: 'aws-route53-resolver', read: 2, normalized: 2 });
    expect(records[0]).toMatchObject({
      class_uid: 4003,
      activity_id: 2,
      type_uid: 400302,
      rcode_id: 3,
      rcode: 'NXDomain',
      src_endpoint: { ip: '10.0.0.5', port: 53000, instance_uid: 'i-0abc', vpc_uid: 'vpc-1' },
      query: { hostname: 'example.com.' },
      cloud: { account: { uid: '111122223333' }, region: 'eu-west-1' },
      time: Date.parse('2024-03-01T10:00:00Z'),
      action_id: 0,
    });
    expect(records[1]?.answers).toEqual([{ rdata: '93.184.216.34', type: 'A', class: 'IN' }]);
  });

  it('maps DNS Firewall actions: BLOCK → Denied/Blocked, ALERT → Allowed/Alert', async () => {
    // Prepare
    const lines = ['BLOCK', 'ALERT', 'ALLOW'].map((a) =>
      JSON.stringify({ ...base, firewall_rule_action: a, firewall_rule_group_id: 'rslvr-frg-1' }),
    );
    // Act
    const { records } = await parseAll(lines.join('\n'));
    // Assess
    expect(records.map((r) => [r.action_id, r.disposition_id, r.disposition])).toEqual([
      [2, 2, 'Blocked'],
      [1, 19, 'Alert'],
      [1, 1, 'Allowed'],
    ]);
    expect(records[0]).toMatchObject({ firewall_rule: { uid: 'rslvr-frg-1' } });
  });

  it('reads the CloudWatch Logs form, taking the account from owner when absent', async () => {
    // Prepare
    const { account_id: _a, ...noAccount } = base;
    const doc = {
      messageType: 'DATA_MESSAGE',
      owner: '444455556666',
      logGroup: '/aws/route53resolver',
      logEvents: [
        { id: '1', timestamp: 1, message: JSON.stringify(noAccount) },
        { id: '2', timestamp: 2, message: 'not json' },
      ],
    };
    // Act
    const { records, rejects, summary } = await parseAll(JSON.stringify(doc));
    // Assess
    expect(summary).toMatchObject({
      format: 'aws-route53-resolver',
      formatDetail: 'cloudwatch',
      read: 2,
      rejected: 1,
    });
    expect(records[0]?.cloud?.account?.uid).toBe('444455556666');
    expect(rejects[0]).toMatchObject({ line: 2, reason: 'bad-json' });
  });

  it('rejects a record without query_name or with a bad time, naming the field', async () => {
    // Prepare
    const { query_name: _q, ...noName } = base;
    const text = [
      JSON.stringify(noName),
      JSON.stringify({ ...base, query_timestamp: 'yesterday' }),
      '{"broken": ',
    ].join('\n');
    // Act
    const { rejects, summary } = await parseAll(text, { format: 'aws-route53-resolver' });
    // Assess
    expect(summary).toMatchObject({ read: 3, normalized: 0, rejected: 3 });
    expect(rejects.map((r) => [r.line, r.reason, r.field])).toEqual([
      [1, 'missing-field', 'query_name'],
      [2, 'bad-time', 'query_timestamp'],
      [3, 'bad-json', undefined],
    ]);
  });

  it('writes records that validate against OCSF 1.1.0 DNS Activity', async () => {
    const { records } = await parseAll(JSON.stringify(base));
    expect(validateOcsfRecord(records[0]).issues).toEqual([]);
  });
});
