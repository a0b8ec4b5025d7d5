import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/normalize');

describe('Command: lakewatch normalize', () => {
  it('prints OCSF JSON lines on stdout and the summary on stderr', async () => {
    // Act
    const { code, out, err } = await runCli(
      'normalize',
      '--input',
      join(FIXTURES, 'vpc-flow-v2.log'),
    );
    // Assess
    expect(code).toBe(0);
    const records = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      class_uid: 4001,
      activity_id: 6,
      src_endpoint: { ip: '172.31.16.139' },
    });
    expect(JSON.parse(err)).toEqual({
      format: 'aws-vpc-flow',
      formatDetail: 'header v2',
      read: 2,
      normalized: 2,
      rejected: 0,
      rejectedByReason: {},
    });
  });

  it('counts bad lines by reason and still exits 0', async () => {
    // Act
    const { code, out, err } = await runCli(
      'normalize',
      '--input',
      join(FIXTURES, 'vpc-flow-bad-lines.log'),
      '--format',
      'aws-vpc-flow',
      '--rejects',
    );
    // Assess
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const lines = err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].reject).toMatchObject({
      line: 3,
      reason: 'bad-number',
      field: 'srcport',
      value: 'http',
    });
    expect(lines.at(-1)).toMatchObject({
      read: 3,
      normalized: 1,
      rejected: 2,
      rejectedByReason: { 'bad-number': 1, 'field-count': 1 },
    });
  });

  it('exits 1 naming the file when the input cannot be read', async () => {
    // Act
    const { code, err } = await runCli('normalize', '--input', join(FIXTURES, 'missing.log'));
    // Assess
    expect(code).toBe(1);
    expect(err).toContain('cannot read');
    expect(err).toContain('missing.log');
  });

  it('exits 1 when the content is no known format', async () => {
    // Act
    const { code, err } = await runCli(
      'normalize',
      '--input',
      join(FIXTURES, 'LICENSE.Apache-2.0.txt'),
    );
    // Assess
    expect(code).toBe(1);
    expect(err).toContain('unknown input format');
  });

  it('exits 2 on an unknown --format', async () => {
    // Act
    const { code, err } = await runCli(
      'normalize',
      '--input',
      join(FIXTURES, 'vpc-flow-v2.log'),
      '--format',
      'csv',
    );
    // Assess
    expect(code).toBe(2);
    expect(err).toContain('--format must be one of');
  });
});
