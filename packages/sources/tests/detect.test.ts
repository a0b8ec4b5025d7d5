import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFormat, UnknownFormatError } from '../src/index.js';
import { readFixture } from './helpers.js';

describe('Function: detectFormat', () => {
  it.each([
    ['vpc-flow-raw/valid_vpc_flow_log.log', 'aws-vpc-flow', 'header'],
    ['vpc-flow-raw/valid_vpc_flow_cw.json', 'aws-vpc-flow-cloudwatch', 'cloudwatch'],
    [
      'security-lake-samples/ocsf-1.1.0/vpc_flow/inputs/vpc_flow-input0.json',
      'aws-vpc-flow',
      'json',
    ],
    [
      'security-lake-samples/ocsf-1.1.0/route53/inputs/example0.json',
      'aws-route53-resolver',
      'json',
    ],
    [
      'security-lake-samples/ocsf-1.0.0-rc.2/route53/inputs/route53-inputs0.json.gz',
      'aws-route53-resolver',
      'gzip json',
    ],
    [
      'security-lake-samples/ocsf-1.1.0/route53/tests_example0.test.parquet',
      'security-lake-parquet',
      'parquet',
    ],
    ['zeek/conn.log', 'zeek-conn', 'tsv'],
    ['zeek/dns.log', 'zeek-dns', 'tsv'],
    ['zeek/conn.jsonl', 'zeek-conn', 'json'],
    ['zeek/dns.jsonl', 'zeek-dns', 'json'],
    ['azure/nsg-flow-v2.json', 'azure-nsg-flow', 'json'],
    ['azure/vnet-flow.json', 'azure-vnet-flow', 'json'],
  ])('detects %s as %s', async (path, format, detail) => {
    // Prepare
    const head = await readFixture(path);
    // Act / Assess
    expect(detectFormat(head)).toEqual({ format, detail });
  });

  it('looks inside gzip and base64 gzip (Firehose record data)', async () => {
    // Prepare
    const doc = await readFixture('vpc-flow-raw/valid_vpc_flow_cw.json');
    // Act / Assess
    expect(detectFormat(gzipSync(doc))).toEqual({
      format: 'aws-vpc-flow-cloudwatch',
      detail: 'gzip cloudwatch',
    });
    expect(detectFormat(Buffer.from(gzipSync(doc).toString('base64')))).toEqual({
      format: 'aws-vpc-flow-cloudwatch',
      detail: 'base64 cloudwatch',
    });
  });

  it('tells Route 53 from VPC flow in the CloudWatch form by the message', () => {
    // Prepare
    const doc = JSON.stringify({
      messageType: 'DATA_MESSAGE',
      owner: '111122223333',
      logEvents: [{ id: '1', timestamp: 1, message: JSON.stringify({ query_name: 'a.example.' }) }],
    });
    // Act / Assess
    expect(detectFormat(Buffer.from(doc)).format).toBe('aws-route53-resolver');
  });

  it('detects a header-less default-format VPC flow line, and uses the name as a last resort', () => {
    expect(
      detectFormat(Buffer.from('2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\n'))
        .format,
    ).toBe('aws-vpc-flow');
    expect(detectFormat(Buffer.from('???'), 's3://b/AWSLogs/1/vpcflowlogs/x.log.gz')).toEqual({
      format: 'aws-vpc-flow',
      detail: 'by name',
    });
  });

  it('throws UnknownFormatError quoting the start of unknown content', () => {
    expect(() => detectFormat(Buffer.from('hello world'))).toThrow(UnknownFormatError);
    expect(() => detectFormat(Buffer.from('hello world'))).toThrow(/starts with 'hello world'/);
  });
});
