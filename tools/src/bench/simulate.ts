import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSimulation, type ScaleName, simulate } from '@lakewatch/simulator';

/**
 * `npm run bench:simulate`: how fast the simulator produces a week of logs. Generates 7 days of
 * the medium environment (48 instances, two accounts and VPCs, about a million flow records)
 * in memory (generation + gzip, the demo's "land objects" path), then writes the small
 * environment's week to a temporary folder (the demo's history step). There is no peer to
 * compare with; the figure to watch is records/s. Options: `--days N --scale S --level L`.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const days = Number(arg('days', '7'));
  const scaleText = arg('scale', 'medium');
  const scale = (Number.isInteger(Number(scaleText)) ? Number(scaleText) : scaleText) as
    | ScaleName
    | number;
  const gzipLevel = Number(arg('level', '6'));
  const load = loadavg()[0]!;

  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const sim = createSimulation({ days, scale, gzipLevel });
  let records = 0;
  let objects = 0;
  let bytes = 0;
  for await (const o of sim.objects()) {
    records += o.records;
    bytes += o.body.length;
    objects++;
  }
  const generateSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU time of the whole process (main thread and the zlib thread pool): less noisy than wall
  // time on a shared machine.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const dir = await mkdtemp(join(tmpdir(), 'lakewatch-bench-sim-'));
  let written: Awaited<ReturnType<typeof simulate>>;
  try {
    written = await simulate({ out: dir, days: 7, scale: 'small', gzipLevel });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const result = {
    bench: 'simulate',
    days,
    scale,
    instances: sim.environment.instances.length,
    gzipLevel,
    objects,
    records,
    compressedMB: Math.round(bytes / 1e4) / 100,
    generateSeconds: Math.round(generateSeconds * 100) / 100,
    recordsPerSecond: Math.round(records / generateSeconds),
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    recordsPerCpuSecond: Math.round(records / cpuSeconds),
    smallWeekRecords: written.records,
    smallWeekObjects: written.objects,
    smallWeekWriteSeconds: written.seconds,
    smallWeekRecordsPerSecond: written.recordsPerSecond,
    loadAverage1m: Math.round(load * 100) / 100,
  };
  console.log(
    `generate: ${days} days × ${result.instances} instances (${scaleText}), gzip ${gzipLevel}: ${objects} objects, ${records.toLocaleString('en')} records, ${result.compressedMB} MB in ${result.generateSeconds} s = ${result.recordsPerSecond.toLocaleString('en')} records/s (${result.cpuSeconds} CPU s = ${result.recordsPerCpuSecond.toLocaleString('en')} records per CPU second)`,
  );
  console.log(
    `write:    7 days × small to a folder: ${written.objects} objects, ${written.records.toLocaleString('en')} records in ${written.seconds} s = ${written.recordsPerSecond.toLocaleString('en')} records/s`,
  );
  console.log(
    `load average (1 min) at start: ${result.loadAverage1m}: figures are noisy when others work`,
  );
  console.log(JSON.stringify(result));
  return 0;
}
