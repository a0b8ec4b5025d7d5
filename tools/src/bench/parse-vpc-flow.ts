import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseLogObject } from '@lakewatch/sources';

/** The custom v5 header the benchmark file carries (every v3–v5 field, as Security Lake reads). */
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ' +
  'vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id ' +
  'pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';

/** Writes `lines` VPC flow v5 records (deterministic, 500 instances, sorted by start). */
export async function writeVpcFlowFile(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(`${HEADER}\n`);
  let buf = '';
  for (let i = 0; i < lines; i++) {
    const start = 1_700_000_000 + Math.floor(i / 64);
    const local = `10.0.${(i >> 8) & 255}.${i & 255}`;
    const remote = `52.94.${i % 200}.${i % 250}`;
    const egress = i % 3 !== 0;
    const action = i % 17 === 0 ? 'REJECT' : 'ACCEPT';
    buf +=
      `5 123456789012 eni-0abc${i % 500} ${egress ? local : remote} ${egress ? remote : local} ` +
      `${1024 + (i % 60_000)} 443 6 ${1 + (i % 50)} ${40 + (i % 9000)} ${start} ${start + 60} ${action} OK ` +
      `vpc-0a1b2c subnet-0c2d${i % 8} i-0${i % 500} 19 IPv4 ${egress ? local : remote} ${egress ? remote : local} ` +
      `us-east-1 use1-az${1 + (i % 3)} - - - ${egress ? 'AMAZON' : '-'} ${egress ? 'egress' : 'ingress'} ${egress ? 8 : 1}\n`;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

/**
 * `npm run bench:parse`: the VPC Flow Logs parser's own rate. Writes a 1 M-line v5 file
 * (`--lines N`), then parses it from disk with `parseLogObject` (records only consumed, not
 * stored). Prints records/s (wall), records per CPU-second (less sensitive to other load),
 * peak RSS and the machine load; the last line is one JSON object. No peer: the DuckDB
 * comparison is `npm run bench:ingest`.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const i = argv.indexOf('--lines');
  const lines = i >= 0 ? Number(argv[i + 1]) : 1_000_000;
  const dir = await mkdtemp(join(tmpdir(), 'lakewatch-bench-parse-'));
  try {
    const file = join(dir, 'vpc-flow-v5.log');
    await writeVpcFlowFile(file, lines);
    const size = (await stat(file)).size;
    const load = loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = parseLogObject(createReadStream(file, { highWaterMark: 1 << 20 }), {
      sourceUri: `file://${file}`,
    });
    let records = 0;
    for await (const batch of result) records += batch.records.length;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const summary = result.summary();
    if (summary.read !== lines || summary.rejected !== 0)
      throw new Error(`expected ${lines} records and no rejects, got ${JSON.stringify(summary)}`);
    const figures = {
      bench: 'parse-vpc-flow',
      lines,
      megabytes: Math.round(size / 2 ** 20),
      seconds: Number(seconds.toFixed(2)),
      recordsPerSecond: Math.round(records / seconds),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      recordsPerCpuSecond: Math.round(records / cpuSeconds),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAverage: Number(load.toFixed(2)),
    };
    console.log(
      `parsed ${lines} VPC flow v5 lines (${figures.megabytes} MB) in ${figures.seconds} s: ` +
        `${figures.recordsPerSecond} records/s, ${figures.recordsPerCpuSecond} records per CPU-second, ` +
        `peak RSS ${figures.peakRssMB} MB, load ${figures.loadAverage}`,
    );
    console.log(JSON.stringify(figures));
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
