import { describe, expect, it } from 'vitest';
import { parseLogObject, SourcesError, UnreadableInputError } from '../src/index.js';
import { bytes, parseAll } from './helpers.js';

const LINE = '2 123456789012 eni-1 10.0.0.1 10.0.0.2 80 443 6 1 2 1418530010 1418530070 ACCEPT OK';

describe('Function: parseLogObject', () => {
  it('yields batches no larger than batchSize', async () => {
    // Prepare
    const text = Array.from({ length: 25 }, () => LINE).join('\n');
    const result = parseLogObject(bytes(Buffer.from(text)), { sourceUri: 'x', batchSize: 10 });
    // Act
    const sizes: number[] = [];
    for await (const batch of result) sizes.push(batch.records.length + batch.rejects.length);
    // Assess
    expect(sizes).toEqual([10, 10, 5]);
    expect(result.summary().read).toBe(25);
  });

  it('gives stable metadata.uid from source URI and line, unique within the object', async () => {
    // Prepare
    const text = `${LINE}\n${LINE}\n`;
    // Act
    const a = await parseAll(text, { sourceUri: 's3://b/k1' });
    const b = await parseAll(text, { sourceUri: 's3://b/k1' });
    const c = await parseAll(text, { sourceUri: 's3://b/k2' });
    // Assess
    const uids = (r: typeof a) => r.records.map((x) => x.metadata.uid);
    expect(uids(a)).toEqual(uids(b));
    expect(new Set(uids(a)).size).toBe(2);
    expect(uids(c)[0]).not.toBe(uids(a)[0]);
  });

  it('reads a header-less file with a format string, and fills cloud from options', async () => {
    // Act
    const { records } = await parseAll('eni-9 10.0.0.1 10.0.0.2 1700000000 ACCEPT\n', {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the AWS format string syntax
      vpcFlowFormat: '${interface-id} ${srcaddr} ${dstaddr} ${start} ${action}',
      format: 'aws-vpc-flow',
      cloud: { accountUid: '999988887777', region: 'ap-south-1' },
    });
    // Assess
    expect(records[0]).toMatchObject({
      src_endpoint: { ip: '10.0.0.1', interface_uid: 'eni-9' },
      cloud: { account: { uid: '999988887777' }, region: 'ap-south-1' },
      time: 1_700_000_000_000,
    });
  });

  it('rejects records that fail validation when sampled, as ocsf-invalid', async () => {
    // Prepare: protocol 6 with a tcp-flags value the schema accepts, but no start: end only.
    const text =
      'version account-id interface-id srcaddr dstaddr end action\n2 123456789012 eni-1 10.0.0.1 10.0.0.2 1418530070 ACCEPT\n';
    // Act
    const { summary, records } = await parseAll(text, { validateSampleRate: 1 });
    // Assess
    expect(summary.rejected).toBe(0);
    expect(records[0]).toMatchObject({ time: 1418530070000, end_time: 1418530070000 });
  });

  it('throws UnreadableInputError for content of no known format', async () => {
    await expect(parseAll('just some words')).rejects.toThrow(UnreadableInputError);
  });

  it('refuses an unknown format option and a second iteration', async () => {
    expect(() =>
      parseLogObject(bytes(Buffer.from('')), { sourceUri: 'x', format: 'csv' as never }),
    ).toThrow(/unknown format 'csv'/);
    const result = parseLogObject(bytes(Buffer.from(LINE)), { sourceUri: 'x' });
    for await (const _ of result) {
      // drain
    }
    expect(() => result[Symbol.asyncIterator]()).toThrow(SourcesError);
  });

  it('counts a truncated gzip stream as a corrupt-compression reject after what it could read', async () => {
    // Prepare
    const { gzipSync } = await import('node:zlib');
    const gz = gzipSync(Buffer.from(Array.from({ length: 2000 }, () => LINE).join('\n')));
    // Act
    const { summary } = await parseAll(gz.subarray(0, gz.length - 200));
    // Assess
    expect(summary.rejectedByReason['corrupt-compression']).toBe(1);
    expect(summary.read).toBe(summary.normalized + summary.rejected);
  });
});
