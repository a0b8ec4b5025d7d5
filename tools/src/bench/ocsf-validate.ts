import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type OcsfRecord, upgradeOcsfRecord, validateOcsfRecord } from '@lakewatch/shared';
import { parseLogObject } from '@lakewatch/sources';

async function* text(value: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(value);
}

/**
 * `npm run bench:ocsf-validate`: how many records/s `validateOcsfRecord` checks against their
 * OCSF 1.1.0 class (compiled once), on real parser output: VPC flow Network Activity and
 * Route 53 DNS Activity records. Also times the rc.2 → 1.1.0 upgrade. Last line one JSON object.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const i = argv.indexOf('--records');
  const n = i >= 0 ? Number(argv[i + 1]) : 200_000;
  let lines = '';
  for (let k = 0; k < 1000; k++)
    lines += `5 123456789012 eni-${k} 10.0.0.${k % 250} 52.94.1.${k % 200} ${1024 + k} 443 6 3 120 ${1_700_000_000 + k} ${1_700_000_060 + k} ${k % 7 ? 'ACCEPT' : 'REJECT'} OK vpc-1 subnet-1 i-${k} 19 IPv4 10.0.0.${k % 250} 52.94.1.${k % 200} us-east-1 use1-az1 - - - AMAZON egress 8\n`;
  const header =
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n';
  const dns = Array.from({ length: 1000 }, (_, k) =>
    JSON.stringify({
      version: '1.100000',
      account_id: '123456789012',
      region: 'us-east-1',
      vpc_id: 'vpc-1',
      query_timestamp: '2024-03-01T10:00:00Z',
      query_name: `host${k}.example.com.`,
      query_type: 'A',
      query_class: 'IN',
      rcode: 'NOERROR',
      answers: [{ Rdata: '93.184.216.34', Type: 'A', Class: 'IN' }],
      srcaddr: '10.0.0.5',
      srcport: '53000',
      transport: 'UDP',
      srcids: { instance: `i-${k}` },
    }),
  ).join('\n');
  const sample: OcsfRecord[] = [];
  for (const [source, body] of [
    ['bench://vpc', header + lines],
    ['bench://dns', dns],
  ] as const)
    for await (const batch of parseLogObject(text(body), { sourceUri: source }))
      sample.push(...batch.records);
  const records = Array.from({ length: n }, (_, k) => sample[k % sample.length]!);
  const load = loadavg()[0]!;

  validateOcsfRecord(records[0]); // compile outside the timing
  const cpu0 = process.cpuUsage();
  let t0 = performance.now();
  let invalid = 0;
  for (const r of records) if (!validateOcsfRecord(r).valid) invalid++;
  const validateSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const validateCpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (invalid > 0) throw new Error(`${invalid} parser records failed validation`);

  const rc2 = records.slice(0, Math.min(n, 50_000)).map((r) => {
    const { cloud, ...rest } = r;
    return {
      ...rest,
      metadata: { ...r.metadata, version: '1.0.0-rc.2' },
      cloud: { provider: 'AWS', account_uid: cloud?.account?.uid, region: cloud?.region },
    };
  });
  t0 = performance.now();
  for (const r of rc2) upgradeOcsfRecord(r);
  const upgradeSeconds = (performance.now() - t0) / 1000;

  const figures = {
    bench: 'ocsf-validate',
    records: n,
    validateRecordsPerSecond: Math.round(n / validateSeconds),
    validateRecordsPerCpuSecond: Math.round(n / validateCpuSeconds),
    upgradeRecordsPerSecond: Math.round(rc2.length / upgradeSeconds),
    loadAverage: Number(load.toFixed(2)),
  };
  console.log(
    `validated ${n} records at ${figures.validateRecordsPerSecond}/s; rc.2 → 1.1.0 upgrade at ${figures.upgradeRecordsPerSecond}/s (load ${figures.loadAverage})`,
  );
  console.log(JSON.stringify(figures));
  return 0;
}
