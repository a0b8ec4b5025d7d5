import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { createS3Client, IngestManifest, LakeStorage } from '@lakewatch/lake';
import type { InputFormat, ParseSummary } from '@lakewatch/sources';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

/** One input object: where it is, its version, and how to read it. */
interface InputObject {
  uri: string;
  etag: string;
  open: () => Promise<AsyncIterable<Uint8Array>>;
}

/** What `lakewatch ingest` reports for one input object. */
interface ObjectReport {
  sourceUri: string;
  ingestId?: string;
  skipped?: boolean;
  error?: string;
  format?: string;
  formatDetail?: string;
  read?: number;
  normalized?: number;
  rejected?: number;
  rejectedByReason?: Record<string, number>;
  written?: number;
  lakeObjects?: string[];
  rejects?: string;
  timeRange?: IngestManifest['timeRange'];
}

/**
 * An S3 client for the CLI: the endpoint from `--s3-endpoint`, else the SDK's environment
 * (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`), with path-style addressing for such endpoints.
 */
export async function cliS3Client(endpoint: string | undefined): ReturnType<typeof createS3Client> {
  const lake = await import('@lakewatch/lake');
  const url = endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return lake.createS3Client(url ? { endpoint: url } : {});
}

/** Opens the lake at `location` (folder or `s3://`). */
export async function cliLakeStorage(
  location: string,
  endpoint: string | undefined,
): Promise<LakeStorage> {
  const { openStorage } = await import('@lakewatch/lake');
  return location.startsWith('s3://')
    ? openStorage(location, { s3Client: await cliS3Client(endpoint) })
    : openStorage(location);
}

async function localInputs(path: string): Promise<InputObject[]> {
  const info = await stat(path).catch((cause: Error) => {
    throw new CliError(`cannot read --input ${path}: ${cause.message}`, { cause });
  });
  const file = (p: string, size: number, mtimeMs: number): InputObject => ({
    uri: resolve(p),
    // A file's version: its size and modification time (S3 objects have their ETag).
    etag: `${size}-${Math.trunc(mtimeMs)}`,
    open: async () => createReadStream(p),
  });
  if (info.isFile()) return [file(path, info.size, info.mtimeMs)];
  const out: InputObject[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        const s = await stat(p);
        out.push(file(p, s.size, s.mtimeMs));
      }
    }
  };
  await walk(path);
  return out;
}

async function s3Inputs(uri: string, endpoint: string | undefined): Promise<InputObject[]> {
  const { S3Storage } = await import('@lakewatch/lake');
  const client = await cliS3Client(endpoint);
  const asFolder = new S3Storage(uri, client);
  let storage = asFolder;
  let objects = await asFolder.list('');
  if (objects.length === 0) {
    // Not a prefix: a single object.
    const cut = uri.lastIndexOf('/');
    storage = new S3Storage(uri.slice(0, cut), client);
    objects = (await storage.list('')).filter((o) => o.key === uri.slice(cut + 1));
  }
  if (objects.length === 0) throw new CliError(`--input ${uri}: no such S3 object or prefix`);
  const base =
    storage.prefix === '' ? `s3://${storage.bucket}/` : `s3://${storage.bucket}/${storage.prefix}/`;
  return objects.map((o) => ({
    uri: base + o.key,
    etag: o.etag ?? `${o.size}`,
    open: async () => (await storage.open(o.key)).body,
  }));
}

interface IngestCommandOptions {
  input: string;
  lake: string;
  format?: string;
  source?: string;
  vpcFlowFormat?: string;
  force?: boolean;
  s3Endpoint?: string;
  quiet?: boolean;
}

async function ingestCommand(opts: IngestCommandOptions, io: CliIo): Promise<boolean> {
  const { ingestBatches, ingestIdOf } = await import('@lakewatch/lake');
  const { parseLogObject, INPUT_FORMATS } = await import('@lakewatch/sources');
  if (opts.format !== undefined && !(INPUT_FORMATS as readonly string[]).includes(opts.format))
    throw new CliError(`--format must be one of ${INPUT_FORMATS.join(', ')}, got '${opts.format}'`);
  const started = performance.now();
  const storage = await cliLakeStorage(opts.lake, opts.s3Endpoint);
  const inputs = opts.input.startsWith('s3://')
    ? await s3Inputs(opts.input, opts.s3Endpoint)
    : await localInputs(opts.input);
  const reports: ObjectReport[] = [];
  let read = 0;
  let lastProgress = performance.now();
  for (const [n, input] of inputs.entries()) {
    let summary: ParseSummary | undefined;
    let result: Awaited<ReturnType<typeof ingestBatches>>;
    try {
      result = await ingestBatches(
        storage,
        {
          sourceUri: input.uri,
          etag: input.etag,
          force: opts.force === true,
          ...(opts.source ? { source: opts.source } : {}),
          format: () => summary?.format,
          onBatch: (batch) => {
            read += batch.records.length + (batch.rejects?.length ?? 0);
            if (!opts.quiet && performance.now() - lastProgress > 2000) {
              lastProgress = performance.now();
              const rate = Math.round(read / ((lastProgress - started) / 1000));
              io.err(
                `ingest: ${read} records read, object ${n + 1}/${inputs.length}, ${rate} records/s\n`,
              );
            }
          },
        },
        async function* () {
          const parsed = parseLogObject(await input.open(), {
            sourceUri: input.uri,
            ...(opts.format ? { format: opts.format as InputFormat } : {}),
            ...(opts.vpcFlowFormat ? { vpcFlowFormat: opts.vpcFlowFormat } : {}),
          });
          yield* parsed;
          summary = parsed.summary();
        },
      );
    } catch (e) {
      reports.push({
        sourceUri: input.uri,
        ingestId: ingestIdOf(input.uri, input.etag),
        error: (e as Error).message,
      });
      continue;
    }
    const manifest = result.manifest;
    if (result.skipped) {
      reports.push({
        sourceUri: input.uri,
        ingestId: manifest.ingestId,
        skipped: true,
        written: manifest.records,
        rejected: manifest.rejected,
      });
      continue;
    }
    const s = summary as ParseSummary;
    reports.push({
      sourceUri: input.uri,
      ingestId: manifest.ingestId,
      format: s.format,
      ...(s.formatDetail ? { formatDetail: s.formatDetail } : {}),
      read: s.read,
      normalized: s.normalized,
      rejected: manifest.rejected,
      rejectedByReason: manifest.rejectedByReason,
      written: manifest.records,
      lakeObjects: manifest.objects.map((o) => o.key),
      ...(manifest.rejects ? { rejects: manifest.rejects.key } : {}),
      ...(manifest.timeRange ? { timeRange: manifest.timeRange } : {}),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const sum = (f: (r: ObjectReport) => number | undefined) =>
    reports.reduce((a, r) => a + (f(r) ?? 0), 0);
  const fresh = reports.filter((r) => !r.skipped && !r.error);
  const summary = {
    lake: opts.lake,
    objects: reports.length,
    skipped: reports.filter((r) => r.skipped).length,
    failed: reports.filter((r) => r.error).length,
    read: sum((r) => r.read),
    normalized: sum((r) => r.normalized),
    rejected: fresh.reduce((a, r) => a + (r.rejected ?? 0), 0),
    written: fresh.reduce((a, r) => a + (r.written ?? 0), 0),
    seconds: Math.round(seconds * 1000) / 1000,
    recordsPerSecond: Math.round(sum((r) => r.read) / Math.max(seconds, 1e-3)),
    results: reports,
  };
  io.out(`${JSON.stringify(summary, null, 2)}\n`);
  return summary.failed === 0;
}

/** `lakewatch ingest`: normalize log objects and write them into the lake. */
export function registerIngest(program: Command, io: CliIo): void {
  program
    .command('ingest')
    .description(
      'normalize log objects to OCSF and write them into the lake (Security Lake layout, zstd Parquet,\n' +
        'rejects beside the data); an object version already in the lake is skipped. Prints a JSON summary;\n' +
        'progress on stderr. Exit 1 when an object could not be read (the others are still ingested).',
    )
    .requiredOption(
      '--input <path>',
      'a log file, a folder (every file under it), or s3://bucket/prefix-or-key',
    )
    .requiredOption('--lake <location>', 'the lake: a folder or s3://bucket/prefix')
    .option('--format <format>', 'input format (default: detected from the content)')
    .option('--vpc-flow-format <fields>', 'VPC flow field list for objects without a header line')
    .option(
      '--source <name>',
      'lake source name (default: vpc_flow, route53, else <product>_<class>)',
    )
    .option(
      '--force',
      'ingest again objects whose version is already in the lake, replacing their rows',
    )
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3 or AWS S3)',
    )
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: IngestCommandOptions) => {
      if (!(await ingestCommand(opts, io)))
        throw new CliError(
          'some objects could not be read (see "failed" and "error" in the summary)',
        );
    });
}
