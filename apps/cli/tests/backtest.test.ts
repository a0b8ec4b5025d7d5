import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { buildPutEventsEntry, type FindingEnrichedV1 } from '@lakewatch/contracts';
import { calibrate, saveModel, train, withCalibration } from '@lakewatch/ipinsights';
import { type LocalBus, loadRoutingFile, startLocalBus } from '@lakewatch/local-bus-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../src/backtest/report.js';
import { simulateWeek } from './backtest-fixture.js';
import { runCli } from './helpers.js';
import { waitFor } from './support/wait.js';

const ROOT = join(import.meta.dirname, '../../..');
const ROUTING = join(ROOT, 'contracts/routing/lakewatch.json');
const NOTIFY_BIN = join(ROOT, 'apps/notify/bin/notify.js');
const CREDS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

/** An HTTP server that records every request: the stand-in for every live target. */
async function recorder(): Promise<{
  url: string;
  paths: string[];
  bodies: string[];
  server: Server;
}> {
  const paths: string[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      paths.push(req.url ?? '');
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    bodies,
    server,
  };
}

const cli = (args: string[]) => runCli(...args);

describe('Function: lakewatch backtest (a simulated week replayed from the local bus archive)', () => {
  let dir: string;
  let bus: LocalBus;
  let notify: ChildProcess;
  let notifyUrl = '';
  let live: Awaited<ReturnType<typeof recorder>>;
  let webhook: Awaited<ReturnType<typeof recorder>>;
  let model: string;
  let truth: string;
  let candidateThreshold: number;
  let window: { from: string; to: string };
  let client: EventBridgeClient;

  beforeAll(async () => {
    // Prepare: built score and notify processes; a simulated week archived on a local bus
    // loaded with the pipeline's routing file. Every live service URL of the routing file is a
    // recorder, except notify, which is the real process with a webhook target.
    // (tests/support/global-setup.ts has built the score and notify processes)
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-backtest-'));
    live = await recorder();
    webhook = await recorder();
    await writeFile(
      join(dir, 'notify.json'),
      JSON.stringify({
        defaults: { maxAttempts: 1, suppressionSeconds: 0 },
        targets: {
          'siem-webhook': {
            kind: 'webhook',
            url: `${webhook.url}/siem`,
            allowAddresses: ['127.0.0.1'],
          },
        },
      }),
    );
    notify = spawn(process.execPath, [NOTIFY_BIN], {
      env: {
        ...process.env,
        ...CREDS,
        PORT: '0',
        NOTIFY_CONFIG: join(dir, 'notify.json'),
        NOTIFY_STATE_DIR: join(dir, 'notify-state'),
        EVENT_BUS_NAME: 'lakewatch',
        LOG_LEVEL: 'warn',
        // the bus address is known only once it runs: notify publishes outcomes there
        AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    notifyUrl = await new Promise<string>((resolve, reject) => {
      notify.once('exit', (c) => reject(new Error(`notify exited ${c}`)));
      createInterface({ input: notify.stdout! }).on('line', (l) => {
        if (l.startsWith('{"service":"notify"')) resolve(JSON.parse(l).url as string);
      });
    });
    const routing = loadRoutingFile(ROUTING);
    for (const s of Object.keys(routing.Services)) routing.Services[s] = `${live.url}/${s}`;
    routing.Services.notify = `${notifyUrl}/routed`;
    bus = await startLocalBus({ dataDir: join(dir, 'bus'), port: 0, routing, log: () => {} });
    client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });

    const week = await simulateWeek({ seed: 'backtest', instances: 5, trainDays: 4 });
    for (let i = 0; i < week.events.length; i += 2) {
      const res = await client.send(
        new PutEventsCommand({
          Entries: week.events.slice(i, i + 2).map((e) =>
            buildPutEventsEntry('NetworkPairsObserved', e.detail, {
              eventBusName: 'lakewatch',
              time: e.time,
            }),
          ),
        }),
      );
      expect(res.FailedEntryCount).toBe(0);
    }
    truth = join(dir, 'ground-truth.json');
    await writeFile(truth, JSON.stringify(week.groundTruth));
    window = { from: new Date(week.start).toISOString(), to: new Date(week.end).toISOString() };

    // a model of the first four days, calibrated on the fifth
    const { model: trained } = await train(
      { entities: week.trainPairs.map((p) => p[0]), ips: week.trainPairs.map((p) => p[1]) },
      {
        num_entity_vectors: 64,
        vector_dim: 16,
        epochs: 8,
        mini_batch_size: 128,
        learning_rate: 0.05,
        random_negative_sampling_rate: 3,
      },
      { seed: 7, threads: 1 },
    );
    const held = {
      entities: week.heldOutPairs.map((p) => p[0]),
      ips: week.heldOutPairs.map((p) => p[1]),
    };
    const calibrated = withCalibration(
      trained,
      calibrate(trained, held, { targetFpr: 0.02, seed: 7 }).metrics,
    );
    model = join(dir, 'model');
    await saveModel(calibrated, model);
    // the deliberately worse candidate: a threshold that flags 40 % of normal held-out pairs
    const dots = [...calibrated.score(held.entities, held.ips)].sort((a, b) => a - b);
    candidateThreshold = Number(dots[Math.floor(dots.length * 0.4)]!.toFixed(4));
    await waitFor(
      'the bus to have no delivery pending',
      async () => {
        const h = (await (await fetch(`${bus.url}/health`)).json()) as {
          pendingDeliveries: number;
        };
        return h.pendingDeliveries === 0;
      },
      { timeoutMs: 30_000 },
    );
  }, 120_000);

  afterAll(async () => {
    notify?.kill('SIGTERM');
    client?.destroy();
    await bus?.close();
    live?.server.close();
    webhook?.server.close();
  });

  const backtest = (out: string, extra: string[] = []) =>
    cli([
      'backtest',
      '--from',
      window.from,
      '--to',
      window.to,
      '--candidate',
      model,
      '--threshold',
      String(candidateThreshold),
      '--labels',
      truth,
      '--out',
      out,
      ...extra,
    ]);

  const read = async (name: string) => readFile(join(dir, name, 'report.json'), 'utf8');

  it('shows the worse candidate raising more alerts with lower precision; the same backtest twice gives the same report', async () => {
    // Prepare: forget what archiving the week sent to the live services
    live.paths.length = 0;
    webhook.paths.length = 0;
    // Act: the same backtest twice, at once: on a copy of the bus's data dir, and through the
    // running bus that archived the week (its notify route live, its targets recorded)
    const [first, second] = await Promise.all([
      backtest(join(dir, 'report-1'), ['--bus-dir', join(dir, 'bus')]),
      backtest(join(dir, 'report-2'), ['--endpoint', bus.url]),
    ]);
    expect(first.err).not.toMatch(/lakewatch: /);
    expect([first.code, second.code]).toEqual([0, 0]);
    // Assess
    const text = await read('report-1');
    const report = JSON.parse(text) as BacktestReport;
    const b = report.baseline;
    const c = report.candidate;
    expect(b.verdicts).toBeGreaterThan(5000);
    expect(c.verdicts).toBe(b.verdicts);
    expect(report.perDay.length).toBeGreaterThanOrEqual(7);
    expect(c.alerts).toBeGreaterThan(2 * b.alerts);
    expect(b.metrics!.truePositives).toBeGreaterThan(0);
    expect(c.metrics!.precision!).toBeLessThan(b.metrics!.precision!);
    expect(c.metrics!.recall!).toBeGreaterThanOrEqual(b.metrics!.recall!);
    expect(b.metrics!.auc).toBe(c.metrics!.auc); // same model, another threshold
    expect(report.onlyCandidate.count).toBeGreaterThan(0);
    expect(report.onlyBaseline.count).toBe(0);
    const summary = JSON.parse(first.out.trim().split('\n').pop()!) as { runId: string };
    expect(summary.runId).toBe(report.runId);
    // idempotent: byte-identical comparison and page; the run's own facts are kept apart
    expect(await read('report-2')).toBe(text);
    expect(await readFile(join(dir, 'report-2', 'report.html'), 'utf8')).toBe(
      await readFile(join(dir, 'report-1', 'report.html'), 'utf8'),
    );
    const runs = await Promise.all(
      ['report-1', 'report-2'].map(
        async (r) =>
          JSON.parse(await readFile(join(dir, r, 'run.json'), 'utf8')) as { replayName: string },
      ),
    );
    expect(runs[0]!.replayName).not.toBe(runs[1]!.replayName);
    expect(await readFile(join(dir, 'report-1', 'report.html'), 'utf8')).toContain('<svg');
    const png = await readFile(join(dir, 'report-1', 'alerts-per-day.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    console.log(
      JSON.stringify({
        baseline: { alerts: b.alerts, ...b.metrics },
        candidate: { alerts: c.alerts, ...c.metrics },
      }),
    );
  }, 150_000);

  it('sent nothing to any target during the backtests; a real finding on the same bus does reach the webhook', async () => {
    // Assess: the replays reached the shadow scores only
    await new Promise((r) => setTimeout(r, 500));
    expect(live.paths).toEqual([]);
    expect(webhook.paths).toEqual([]);
    const health = (await (await fetch(`${notifyUrl}/health`)).json()) as Record<string, number>;
    expect([health.delivered, health.failed, health.suppressed]).toEqual([0, 0, 0]);
    // control: the notify route works, so the silence above means something
    const f = JSON.parse(
      await readFile(join(ROOT, 'apps/notify/tests/fixtures/finding-critical.json'), 'utf8'),
    ) as FindingEnrichedV1;
    await client.send(
      new PutEventsCommand({
        Entries: [buildPutEventsEntry('FindingEnriched', f, { eventBusName: 'lakewatch' })],
      }),
    );
    await waitFor('the finding at the webhook', () => webhook.paths.length > 0, {
      timeoutMs: 20_000,
    });
    expect(webhook.paths).toEqual(['/siem']);
  }, 30_000);

  it('refuses --aws offline with a clear message', async () => {
    const res = await cli([
      'backtest',
      '--from',
      window.from,
      '--to',
      window.to,
      '--candidate',
      model,
      '--threshold',
      '0',
      '--aws',
    ]);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/--aws is not implemented.*lakewatch replay --aws/);
  });
});
