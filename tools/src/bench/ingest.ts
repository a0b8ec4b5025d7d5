import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openDuckDb } from '@lakewatch/lake';
import { findRepoRoot } from '../repo-root.js';
import { writeVpcFlowFile } from './ingest-flows.js';

/**
 * `npm run bench:ingest`: generates a realistic VPC Flow Logs v5 file (1 M lines by
 * default), then in one run times `lakewatch ingest` of it into a fresh lake (a child
 * process, as users run it: parse, normalize to OCSF, write zstd Parquet in the Security
 * Lake layout) and DuckDB's own `COPY (SELECT * FROM read_csv(…)) TO '….parquet'` of the
 * same file (in process, zstd, both cores). Prints records/s for both, their ratio, and the
 * ingest process's peak RSS (VmHWM, read from /proc while it runs). The last line is one
 * JSON object with the figures and `ratio` (ingest rate / DuckDB rate), plus the CPU seconds
 * of each side and the load average before and after (the machine is shared: wall times
 * depend on it).
 *
 * Flags: `--lines N` (default 1000000), `--keep` (keep the work folder), `--runs N` (best of
 * N for each side, default 1).
 */

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  peakRssMb: number;
  /** User + system CPU seconds of the process (all its threads), as last sampled. */
  cpuSeconds: number;
}

/** User + system CPU seconds of a running process (from /proc; 0 once it is gone). */
async function cpuSecondsOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** The 1-minute load average, rounded (the machine is shared: timings depend on it). */
function load1(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

async function vmHwmKb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Runs a command, sampling its peak RSS (VmHWM is the kernel's high-water mark) every 20 ms. */
async function runMeasured(command: string, args: string[]): Promise<Measured> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let peak = 0;
  let cpu = 0;
  let running = true;
  const sampler = (async () => {
    while (running && child.pid !== undefined) {
      peak = Math.max(peak, await vmHwmKb(child.pid));
      cpu = Math.max(cpu, await cpuSecondsOf(child.pid));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await sampler;
  return { code, stdout, stderr, seconds, peakRssMb: Math.round(peak / 1024), cpuSeconds: cpu };
}

/** The benchmark; returns the exit code. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      lines: { type: 'string', default: '1000000' },
      keep: { type: 'boolean' },
      runs: { type: 'string', default: '1' },
    },
  });
  const lines = Number(values.lines);
  const runs = Number(values.runs);
  if (!Number.isInteger(lines) || lines < 1)
    throw new Error(`--lines must be a positive whole number, got '${values.lines}'`);
  const root = findRepoRoot();
  const work = await mkdtemp(join(tmpdir(), 'lakewatch-bench-ingest-'));
  try {
    const file = join(work, 'vpc-flow-v5.log');
    let t = performance.now();
    await writeVpcFlowFile(file, lines);
    const size = (await stat(file)).size;
    log(
      `bench:ingest: generated ${lines} VPC flow v5 lines (${(size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    let best:
      | { seconds: number; cpuSeconds: number; peakRssMb: number; summary: Record<string, unknown> }
      | undefined;
    const loadStart = load1();
    for (let i = 0; i < runs; i++) {
      const lake = join(work, `lake-${i}`);
      const r = await runMeasured(process.execPath, [
        join(root, 'apps/cli/bin/lakewatch.js'),
        'ingest',
        '--input',
        file,
        '--lake',
        lake,
        '--quiet',
      ]);
      if (r.code !== 0)
        throw new Error(
          `lakewatch ingest exited ${r.code}: ${r.stderr.slice(-2000)} ${r.stdout.slice(-3000)}`,
        );
      const summary = JSON.parse(r.stdout) as Record<string, unknown>;
      log(
        `bench:ingest: lakewatch ingest: ${r.seconds.toFixed(2)} s (${r.cpuSeconds.toFixed(1)} CPU s), peak RSS ${r.peakRssMb} MB, written ${String(summary.written)}, rejected ${String(summary.rejected)}`,
      );
      if (!best || r.seconds < best.seconds)
        best = {
          seconds: r.seconds,
          cpuSeconds: r.cpuSeconds,
          peakRssMb: Math.max(r.peakRssMb, best?.peakRssMb ?? 0),
          summary,
        };
      else best.peakRssMb = Math.max(best.peakRssMb, r.peakRssMb);
      await rm(lake, { recursive: true, force: true });
    }
    if (!best) throw new Error('no ingest run');
    if (best.summary.read !== lines)
      throw new Error(
        `lakewatch ingest read ${String(best.summary.read)} records, expected ${lines}`,
      );

    const db = await openDuckDb({
      memoryLimit: '2GB',
      threads: 2,
      tempDirectory: join(work, 'duckdb'),
    });
    let duckSeconds = Number.POSITIVE_INFINITY;
    let duckCpuSeconds = Number.POSITIVE_INFINITY;
    let duckRows = 0;
    try {
      for (let i = 0; i < runs; i++) {
        const out = join(work, `duckdb-${i}.parquet`);
        t = performance.now();
        const cpu0 = process.cpuUsage();
        await db.connection.run(
          `COPY (SELECT * FROM read_csv('${file}', delim = ' ', header = true)) TO '${out}' (FORMAT parquet, COMPRESSION zstd)`,
        );
        const s = (performance.now() - t) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        log(
          `bench:ingest: DuckDB COPY read_csv → Parquet: ${s.toFixed(2)} s (${cpuSeconds.toFixed(1)} CPU s)`,
        );
        if (s < duckSeconds) duckCpuSeconds = cpuSeconds;
        duckSeconds = Math.min(duckSeconds, s);
        const count = await db.connection.runAndReadAll(
          `SELECT count(*) FROM read_parquet('${out}')`,
        );
        duckRows = Number(count.getRowsJson()[0]?.[0]);
        await rm(out, { force: true });
      }
    } finally {
      db.close();
    }
    if (duckRows !== lines) throw new Error(`DuckDB wrote ${duckRows} rows, expected ${lines}`);

    const ingestRate = Math.round(lines / best.seconds);
    const duckRate = Math.round(lines / duckSeconds);
    const ratio = Math.round((ingestRate / duckRate) * 1000) / 1000;
    log(
      `lakewatch ingest: ${ingestRate} records/s (${best.seconds.toFixed(2)} s, peak RSS ${best.peakRssMb} MB)`,
    );
    log(`DuckDB read_csv → Parquet: ${duckRate} records/s (${duckSeconds.toFixed(2)} s)`);
    log(`ratio (ingest / DuckDB): ${ratio} (aim ≥ 0.5); peak RSS aim < 500 MB`);
    const loadEnd = load1();
    log(
      `CPU seconds: ingest ${best.cpuSeconds.toFixed(1)}, DuckDB ${duckCpuSeconds.toFixed(1)}; load average ${loadStart} → ${loadEnd} on ${availableParallelism()} cores`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'ingest',
        lines,
        fileMb: Math.round(size / 1e5) / 10,
        ingest_records_per_s: ingestRate,
        ingest_seconds: Math.round(best.seconds * 1000) / 1000,
        ingest_peak_rss_mb: best.peakRssMb,
        written: best.summary.written,
        rejected: best.summary.rejected,
        duckdb_records_per_s: duckRate,
        duckdb_seconds: Math.round(duckSeconds * 1000) / 1000,
        ingest_cpu_seconds: Math.round(best.cpuSeconds * 10) / 10,
        duckdb_cpu_seconds: Math.round(duckCpuSeconds * 10) / 10,
        load_average_start: loadStart,
        load_average_end: loadEnd,
        ratio,
      })}\n`,
    );
    return 0;
  } finally {
    if (values.keep) log(`bench:ingest: kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = await main();
  } catch (error) {
    process.stderr.write(
      `bench:ingest: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
