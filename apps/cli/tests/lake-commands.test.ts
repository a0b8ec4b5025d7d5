import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIngest } from '../src/commands/ingest.js';
import { registerPairs } from '../src/commands/pairs.js';
import { registerQuery } from '../src/commands/query.js';
import { CliError } from '../src/errors.js';

/** Runs the lake commands in process (only them, so other commands' state cannot interfere). */
async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    out: (t: string) => {
      out += t;
    },
    err: (t: string) => {
      err += t;
    },
  };
  const program = new Command('lakewatch')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  registerIngest(program, io);
  registerPairs(program, io);
  registerQuery(program, io);
  try {
    await program.parseAsync(['node', 'lakewatch', ...args]);
    return { code: 0, out, err };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return { code: e.exitCode, out, err: `${err}lakewatch: ${e.message}\n` };
  }
}

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';

/** VPC flow v5 lines: 3 instances talking to 4 remote IPs, egress, on 2023-11-14. */
function flowLines(n: number): string[] {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const start = 1_699_920_000 + i * 10;
    const src = `10.0.1.${10 + (i % 3)}`;
    const dst = `52.94.0.${i % 4}`;
    lines.push(
      `5 123456789012 eni-0a${i % 3} ${src} ${dst} ${40000 + i} 443 6 10 ${1000 + i} ${start} ${start + 60} ACCEPT OK vpc-0a subnet-0a i-0abc${i % 3} 19 IPv4 ${src} ${dst} us-east-1 use1-az1 - - - AMAZON egress 8`,
    );
  }
  return lines;
}

let dir: string;
let input: string;
let lake: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakewatch-cli-lake-'));
  input = join(dir, 'flows.log');
  lake = join(dir, 'lake');
  const lines = flowLines(30);
  const bad = (lines[1] as string).split(' ');
  bad[5] = 'notaport';
  lines.splice(5, 0, bad.join(' '));
  await writeFile(input, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Command: lakewatch ingest', () => {
  it('normalizes a VPC flow file into the lake, keeps the bad line as a reject, and skips it the second time', async () => {
    // Act
    const first = await runCli('ingest', '--input', input, '--lake', lake, '--quiet');
    const second = await runCli('ingest', '--input', input, '--lake', lake, '--quiet');

    // Assess
    expect(first.code).toBe(0);
    const s = JSON.parse(first.out);
    expect(s).toMatchObject({
      objects: 1,
      skipped: 0,
      failed: 0,
      read: 31,
      normalized: 30,
      rejected: 1,
      written: 30,
    });
    expect(s.results[0].format).toBe('aws-vpc-flow');
    expect(s.results[0].lakeObjects[0]).toMatch(
      /^ext\/vpc_flow\/region=us-east-1\/accountId=123456789012\/eventDay=20231114\/[0-9a-f]+-\d{4}\.4001\.zstd\.parquet$/,
    );
    expect(JSON.parse(second.out)).toMatchObject({ objects: 1, skipped: 1, written: 0 });
    // The first run loads the parsers, the lake and DuckDB: slow on a busy 2-core machine.
  }, 120_000);

  it('fails with a message naming the input when it does not exist', async () => {
    const r = await runCli('ingest', '--input', join(dir, 'missing.log'), '--lake', lake);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read --input .*missing\.log/);
  });
});

describe('Command: lakewatch pairs', () => {
  it('writes the headerless entity,ip training CSV', async () => {
    // Prepare
    const out = join(dir, 'train.csv');

    // Act
    const r = await runCli(
      'pairs',
      '--lake',
      lake,
      '--table',
      'vpc_flow',
      '--entity',
      'instance',
      '--ip',
      'dst',
      '--out',
      out,
    );

    // Assess
    expect(r.code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    const want = new Set(Array.from({ length: 30 }, (_, i) => `i-0abc${i % 3},52.94.0.${i % 4}`));
    expect(new Set(lines)).toEqual(want);
    expect(JSON.parse(r.out).rows).toBe(want.size);
  });
});

describe('Command: lakewatch query', () => {
  it('runs SQL over the lake tables, rejects included', async () => {
    // Act
    const counts = await runCli(
      'query',
      '--lake',
      lake,
      'SELECT count(*) AS n, min(time_dt) AS first FROM vpc_flow',
    );
    const rejects = await runCli(
      'query',
      '--lake',
      lake,
      '--json',
      'SELECT reason, field, line FROM rejects',
    );
    const bad = await runCli('query', '--lake', lake, 'SELECT * FROM nope');

    // Assess
    expect(counts.out).toBe('n,first\n30,2023-11-14 00:00:00\n');
    expect(JSON.parse(rejects.out)).toMatchObject({ field: 'srcport', line: '6' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/nope[\s\S]*lake tables: .*vpc_flow/);
  });
});
