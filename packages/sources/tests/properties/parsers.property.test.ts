import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InputFormat, UnreadableInputError } from '../../src/index.js';
import { bytes, parseAll, readFixture } from '../helpers.js';

/** Valid samples per format, mutated by the properties below. */
const SAMPLES: [InputFormat, string][] = [
  ['aws-vpc-flow', 'vpc-flow-raw/valid_vpc_flow_log_ecs.log'],
  ['aws-vpc-flow', 'security-lake-samples/ocsf-1.1.0/vpc_flow/inputs/vpc_flow-input0.json'],
  ['aws-vpc-flow-cloudwatch', 'vpc-flow-raw/valid_vpc_flow_cw.json'],
  ['aws-route53-resolver', 'security-lake-samples/ocsf-1.1.0/route53/inputs/example0.json'],
  ['zeek-conn', 'zeek/conn.log'],
  ['zeek-dns', 'zeek/dns.log'],
  ['zeek-conn', 'zeek/conn.jsonl'],
  ['azure-nsg-flow', 'azure/nsg-flow-v2.json'],
  ['azure-vnet-flow', 'azure/vnet-flow.json'],
  ['security-lake-parquet', 'security-lake-samples/ocsf-1.1.0/route53/tests_example0.test.parquet'],
];

/** One edit of a byte string: delete, insert, replace a range, or duplicate a slice. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    data: fc.uint8Array({ maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('text' as const),
    at: fc.nat(),
    data: fc.constantFrom(
      '\n',
      ' ',
      '-',
      '"',
      '{',
      '}',
      ',',
      '\t',
      'NODATA',
      '99999999999999999999',
      'null',
      '#fields\t',
    ),
  }),
  fc.record({
    kind: fc.constant('dup' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 200 }),
  }),
);

type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; data: Uint8Array }
  | { kind: 'text'; at: number; data: string }
  | { kind: 'dup'; at: number; len: number };

function mutate(data: Buffer, edits: Mutation[]): Buffer {
  let b = data;
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % (b.length + 1);
    if (e.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.len)]);
    else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), e.data, b.subarray(at)]);
    else if (e.kind === 'text')
      b = Buffer.concat([b.subarray(0, at), Buffer.from(e.data), b.subarray(at)]);
    else
      b = Buffer.concat([
        b.subarray(0, at + e.len),
        b.subarray(at, at + e.len),
        b.subarray(at + e.len),
      ]);
  }
  return b;
}

/** Parses; the only error allowed out is "this object cannot be read at all". */
async function parsesOrUnreadable(
  data: Uint8Array,
  format?: InputFormat,
  chunk = 7,
): Promise<void> {
  try {
    const options = format ? { format } : {};
    const { records, rejects, summary } = await parseAll(bytes(data, chunk), options);
    expect(summary.read).toBe(summary.normalized + summary.rejected);
    expect(records.length).toBe(summary.normalized);
    expect(rejects.length).toBe(summary.rejected);
    const byReason = Object.values(summary.rejectedByReason).reduce((a, b) => a + b, 0);
    expect(byReason).toBe(summary.rejected);
    for (const r of rejects) expect(r.reason).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
  }
}

describe('Property: parsers never throw on bad input and counts reconcile', () => {
  it.each(SAMPLES)('%s: mutated %s', async (format, path) => {
    // Prepare
    const sample = await readFixture(path);
    // Act / Assess
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 300 }),
        async (edits, gzip, chunk) => {
          const mutated = mutate(sample, edits);
          await parsesOrUnreadable(gzip ? gzipSync(mutated) : mutated, format, chunk);
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([...new Set(SAMPLES.map(([f]) => f))])('%s: arbitrary bytes and text', async (format) => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.string({ maxLength: 400 }).map((s) => Buffer.from(s)),
        ),
        async (data) => parsesOrUnreadable(data, format),
      ),
      { numRuns: 60 },
    );
  });

  it('auto-detection: arbitrary input parses or is reported unreadable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => parsesOrUnreadable(data)),
      { numRuns: 100 },
    );
  });

  it('VPC flow text: every non-empty line after the header is one record or one reject', async () => {
    const header =
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const field = fc.oneof(
      fc.constantFrom('-', 'ACCEPT', 'REJECT', 'OK', 'NODATA', '10.0.0.1', 'eni-1'),
      fc.nat().map(String),
      fc.string({ maxLength: 5 }).filter((s) => !/[\s]/.test(s)),
    );
    const line = fc.array(field, { minLength: 0, maxLength: 16 }).map((f) => f.join(' '));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), async (lines) => {
        const text = `${header}\n${lines.join('\n')}\n`;
        const { summary } = await parseAll(text, { format: 'aws-vpc-flow' });
        const expected = lines.filter((l) => l.length > 0 && l !== header).length;
        expect(summary.read).toBe(expected);
        expect(summary.read).toBe(summary.normalized + summary.rejected);
      }),
      { numRuns: 100 },
    );
  });
});
