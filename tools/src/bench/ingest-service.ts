import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { ingestBatches, LocalStorage } from '@lakewatch/lake';
import { parseRoutingFile, startLocalBus } from '@lakewatch/local-bus-server';
import { createSimulation, type ScaleName } from '@lakewatch/simulator';
import { parseLogObject } from '@lakewatch/sources';
import { findRepoRoot } from '../repo-root.js';

async function startIngest(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(findRepoRoot(import.meta.dirname), 'apps/ingest/bin/ingest.js')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url) resolve(entry.url);
    });
    child.on('exit', (code) => reject(new Error(`ingest exited ${code}`)));
  });
  return { child, url };
}

/**
 * `npm run bench:ingest-service`: the ingest service end to end on a simulated day of VPC
 * flow and Route 53 Resolver objects. Peer: the lake-only ingest `lakewatch ingest` does
 * (`ingestBatches`: parse + lake write) in process. Measured: the service process, one
 * `POST /objects` per object (read, parse, lake write, pairing with source,peer,dns, the
 * ingest record, PutEvents to the local bus), and the time until every event reached the
 * rule's HTTP target. `ratio` = service records/s ÷ lake-only records/s. Options:
 * `--days N --scale S`. Figures are noisy on a shared machine (load average printed).
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
  };
  const days = Number(arg('days', '1'));
  const scaleText = arg('scale', 'small');
  const scale = (Number.isInteger(Number(scaleText)) ? Number(scaleText) : scaleText) as
    | ScaleName
    | number;
  const dir = await mkdtemp(join(tmpdir(), 'lakewatch-bench-ingest-service-'));
  let child: ChildProcess | undefined;
  try {
    // The objects, written once as files.
    const files: string[] = [];
    let records = 0;
    await mkdir(join(dir, 'objects'));
    for await (const o of createSimulation({ days, scale, liveMinutes: 0 }).objects()) {
      const path = join(dir, 'objects', `${files.length}-${o.key.split('/').pop()}`);
      await writeFile(path, o.body);
      files.push(path);
      records += o.records;
    }

    // Peer: lake-only ingest in process.
    const lakeOnly = new LocalStorage(join(dir, 'lake-only'));
    let t = performance.now();
    for (const [i, path] of files.entries()) {
      const sourceUri = pathToFileURL(path).href;
      await ingestBatches(lakeOnly, { sourceUri, etag: `e${i}` }, () =>
        parseLogObject(createReadStream(path), { sourceUri }),
      );
    }
    const lakeOnlySeconds = (performance.now() - t) / 1000;

    // The service behind the local bus, a rule delivering every ingest event to a receiver.
    let delivered = 0;
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        delivered++;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const bus = await startLocalBus({
      dataDir: join(dir, 'bus'),
      port: 0,
      log: () => {},
      routing: parseRoutingFile({
        Version: 1,
        Services: {},
        Endpoints: {},
        EventBuses: [
          {
            Name: 'lakewatch',
            Rules: [
              {
                Name: 'ingest-events',
                EventPattern: { source: ['lakewatch.ingest'] },
                Targets: [
                  { Id: 'r', Url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` },
                ],
              },
            ],
            Archives: [],
          },
        ],
      }),
    });
    const ingest = await startIngest({
      INGEST_LAKE: join(dir, 'lake'),
      INGEST_PAIRING: 'source,peer,dns',
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    });
    child = ingest.child;
    t = performance.now();
    let batches = 0;
    let pairs = 0;
    for (const path of files) {
      const res = await fetch(`${ingest.url}/objects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ uri: pathToFileURL(path).href }),
      });
      const out = (await res.json()) as { pairBatches: number; pairs: number };
      if (res.status !== 200) throw new Error(`POST /objects ${path}: ${JSON.stringify(out)}`);
      batches += out.pairBatches;
      pairs += out.pairs;
    }
    const serviceSeconds = (performance.now() - t) / 1000;
    const expected = files.length + batches;
    while (delivered < expected) await new Promise((r) => setTimeout(r, 20));
    const deliveredSeconds = (performance.now() - t) / 1000;
    await bus.close();
    receiver.close();

    const rate = (s: number) => Math.round(records / s);
    const result = {
      bench: 'ingest-service',
      days,
      scale,
      objects: files.length,
      records,
      pairBatches: batches,
      pairs,
      lakeOnlySeconds: Math.round(lakeOnlySeconds * 100) / 100,
      lakeOnlyRecordsPerSecond: rate(lakeOnlySeconds),
      serviceSeconds: Math.round(serviceSeconds * 100) / 100,
      serviceRecordsPerSecond: rate(serviceSeconds),
      allDeliveredSeconds: Math.round(deliveredSeconds * 100) / 100,
      ratio: Math.round((lakeOnlySeconds / serviceSeconds) * 1000) / 1000,
      loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    };
    process.stdout.write(
      `ingest service: ${files.length} objects, ${records} records, ${pairs} pairs in ${batches} batches\n` +
        `  lake-only (parse + lake write): ${result.lakeOnlyRecordsPerSecond} records/s\n` +
        `  service (+ pairing, record, publish): ${result.serviceRecordsPerSecond} records/s; every event delivered after ${result.allDeliveredSeconds} s\n` +
        `  load average ${result.loadAverage} (figures are noisy on a shared machine)\n`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    child?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
