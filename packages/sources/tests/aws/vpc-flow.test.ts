import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseAll, parseFixture, readFixture } from '../helpers.js';

// Raw samples: open-telemetry/opentelemetry-collector-contrib awslogsencodingextension
// testdata (Apache-2.0, tests/fixtures/vpc-flow-raw/LICENSE.Apache-2.0.txt).
describe('Function: parseLogObject (VPC Flow Logs)', () => {
  it.each([
    'valid_vpc_flow_log.log',
    'valid_vpc_flow_log_multi.log',
    'valid_vpc_flow_log_ecs.log',
    'valid_vpc_flow_cw.json',
  ])('parses the raw sample %s with nothing rejected', async (name) => {
    // Act
    const { records, summary } = await parseFixture(`vpc-flow-raw/${name}`);
    // Assess
    expect(summary.rejected).toBe(0);
    expect(summary.read).toBe(summary.normalized);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.class_uid).toBe(4001);
      expect(r.type_uid).toBe(400100 + r.activity_id);
      expect(r.metadata.version).toBe('1.1.0');
      expect(r.cloud?.account?.uid).toMatch(/^\d{11,12}$/);
    }
  });

  it('maps a default v2 line field by field', async () => {
    // Prepare
    const text =
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n' +
      '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK\n';
    // Act
    const { records, summary } = await parseAll(text);
    // Assess
    expect(summary).toMatchObject({ format: 'aws-vpc-flow', read: 1, normalized: 1, rejected: 0 });
    expect(records[0]).toMatchObject({
      class_uid: 4001,
      activity_id: 5,
      type_uid: 400105,
      action_id: 2,
      disposition_id: 2,
      time: 1418530010000,
      end_time: 1418530070000,
      src_endpoint: { ip: '172.31.9.69', port: 49761, interface_uid: 'eni-1235b8ca123456789' },
      dst_endpoint: { ip: '172.31.9.12', port: 3389 },
      traffic: { packets: 20, bytes: 4249 },
      connection_info: { protocol_num: 6, direction_id: 0 },
      cloud: { provider: 'AWS', account: { uid: '123456789010' } },
      status_code: 'OK',
    });
  });

  it('reads custom v5 fields in any order, gzip, and puts the ENI on the side the direction says', async () => {
    // Prepare
    const text =
      'flow-direction start srcaddr pkt-srcaddr dstaddr pkt-dstaddr action end interface-id instance-id traffic-path account-id region\n' +
      'ingress 1700000000 10.0.0.5 203.0.113.7 10.0.1.9 10.0.1.9 ACCEPT 1700000060 eni-1 i-1 2 111122223333 eu-west-1\n';
    // Act
    const { records } = await parseAll(gzipSync(Buffer.from(text)));
    // Assess
    expect(records[0]).toMatchObject({
      src_endpoint: { ip: '203.0.113.7', intermediate_ips: ['10.0.0.5'] },
      dst_endpoint: { ip: '10.0.1.9', interface_uid: 'eni-1', instance_uid: 'i-1' },
      connection_info: { direction_id: 1, boundary_id: 5 },
      cloud: { region: 'eu-west-1', account: { uid: '111122223333' } },
      activity_id: 6,
    });
    expect(records[0]?.dst_endpoint).not.toHaveProperty('intermediate_ips');
    expect(records[0]?.src_endpoint).not.toHaveProperty('interface_uid');
  });

  it('rejects bad lines with line, field, value and reason, and keeps going', async () => {
    // Prepare
    const text =
      '2 123456789010 eni-1 10.0.0.1 10.0.0.2 80 443 6 1 2 1418530010 1418530070 ACCEPT OK\n' +
      '2 123456789010 eni-1 10.0.0.1 10.0.0.2 http 443 6 1 2 1418530010 1418530070 ACCEPT OK\n' +
      '2 123456789010 eni-1 10.0.0.1\n' +
      '2 123456789010 eni-1 - - - - - - - 1418530010 1418530070 - NODATA\n';
    // Act
    const { rejects, summary } = await parseAll(text, { sourceUri: 's3://b/k' });
    // Assess
    expect(summary).toMatchObject({ read: 4, normalized: 2, rejected: 2 });
    expect(summary.rejectedByReason).toEqual({ 'bad-number': 1, 'field-count': 1 });
    expect(rejects[0]).toMatchObject({
      sourceUri: 's3://b/k',
      line: 2,
      field: 'srcport',
      value: 'http',
    });
    expect(rejects[1]).toMatchObject({ line: 3, reason: 'field-count' });
  });

  it('reads the CloudWatch Logs form as base64 gzip lines (Firehose record data)', async () => {
    // Prepare
    const doc = await readFixture('vpc-flow-raw/valid_vpc_flow_cw.json');
    const line = gzipSync(doc).toString('base64');
    // Act
    const { records, summary } = await parseAll(`${line}\n${line}\n`);
    // Assess
    expect(summary).toMatchObject({ format: 'aws-vpc-flow-cloudwatch', read: 4, rejected: 0 });
    expect(new Set(records.map((r) => r.metadata.uid)).size).toBe(4);
  });
});

describe('Function: isoTime', () => {
  it('formats like Date#toISOString across days, hours and milliseconds', async () => {
    const { isoTime } = await import('../../src/context.js');
    for (const ms of [
      0, 1, 999, 59_999, 86_399_999, 86_400_000, 1_649_721_732_000, 1_709_287_260_456,
      4_102_444_800_000,
    ])
      expect(isoTime(ms, 'start')).toBe(new Date(ms).toISOString());
    expect(() => isoTime(9e15, 'start')).toThrow(/start is out of range/);
  });
});

describe('Function: parseLogObject (VPC Flow Logs v3–v8 fields)', () => {
  it('maps traffic-path to boundary, keeps ECS and reject-reason under unmapped, SKIPDATA as status', async () => {
    // Prepare
    const text =
      'version start end action log-status flow-direction traffic-path srcaddr dstaddr ecs-cluster-name reject-reason\n' +
      '8 1700000000 1700000060 REJECT OK ingress 1 10.0.0.1 10.0.0.2 prod BPA\n' +
      '8 1700000000 1700000060 ACCEPT OK egress 5 10.0.0.1 10.0.0.2 prod -\n' +
      '8 1700000000 1700000060 - SKIPDATA - - - - - -\n';
    // Act
    const { records, summary } = await parseAll(text, { validateSampleRate: 1 });
    // Assess
    expect(summary).toMatchObject({ formatDetail: 'header v8', read: 3, rejected: 0 });
    expect(records[0]).toMatchObject({
      connection_info: { boundary_id: 4, boundary: 'Same VPC', direction_id: 1 },
      unmapped: { ecs_cluster_name: 'prod', reject_reason: 'BPA' },
      activity_id: 5,
    });
    expect(records[1]).toMatchObject({ connection_info: { boundary_id: 8, direction_id: 2 } });
    expect(records[2]).toMatchObject({
      status_code: 'SKIPDATA',
      activity_id: 0,
      action_id: 99,
      connection_info: { direction_id: 99, boundary_id: 99 },
    });
  });
});

describe('Function: parseLogObject (CloudWatch Logs via Firehose to S3)', () => {
  it('reads concatenated gzip members of CloudWatch documents, skipping control messages', async () => {
    // Prepare
    const doc = await readFixture('vpc-flow-raw/valid_vpc_flow_cw.json');
    const control = Buffer.from(
      JSON.stringify({ messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logEvents: [] }),
    );
    const object = Buffer.concat([gzipSync(doc), gzipSync(control), gzipSync(doc)]);
    // Act
    const { records, summary } = await parseAll(object);
    // Assess
    expect(summary).toMatchObject({ format: 'aws-vpc-flow-cloudwatch', read: 4, rejected: 0 });
    expect(records[1]).toMatchObject({
      activity_id: 5,
      cloud: { account: { uid: '123456789010' } },
    });
  });
});
