import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type IpInsightsModel, loadModel, saveModel, train } from '@lakewatch/ipinsights';
import { findRepoRoot } from '../repo-root.js';
import { openLoopLatency, throughput } from './score-load.js';
import {
  referenceScoreCommand,
  referenceScoreRate,
  referenceUnavailable,
  trainReference,
} from './score-reference.js';
import { cpuSeconds, startBare, startServer } from './score-servers.js';

/**
 * `npm run bench:score`: scoring speed on the dev test pairs (`../shared/data/ipinsights-dev/
 * test.csv`), in one run: this engine in process, the PyTorch reference's scoring in process
 * (same hyperparameters), the model server (`apps/model-server`, a separate process on
 * 127.0.0.1) with 1000-pair requests, and the latency of single-pair requests sent open-loop
 * at 1000 requests/s. The last line is one JSON object with the figures and `ratio`.
 *
 * Both models have the tutorial's hyperparameters (num_entity_vectors 20000, vector_dim 128,
 * …), which set the cost of scoring. How long and on how much they trained does not change
 * that cost, so by default both train one epoch (`bench:train` measures training):
 * `--epochs N` (default 1; 5 is the tutorial's), `--train-rows N` (train on the first N rows
 * of train.csv only, default all), `--model DIR` (score an existing engine artifact instead of
 * training one), `--peer-model FILE` (an existing reference checkpoint), `--seconds S` (per
 * measurement, default 3), `--no-peer`.
 */

const TUTORIAL = {
  num_entity_vectors: 20000,
  vector_dim: 128,
  random_negative_sampling_rate: 5,
  mini_batch_size: 1000,
  epochs: 5,
  learning_rate: 0.01,
};

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function readTestPairs(path: string): { entities: string[]; ips: string[] } {
  const lines = readFileSync(path, 'utf8').split('\n');
  const entities: string[] = [];
  const ips: string[] = [];
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [entity = '', ip = ''] = line.split(',');
    entities.push(entity);
    ips.push(ip);
  }
  return { entities, ips };
}

function engineRate(model: IpInsightsModel, entities: string[], ips: string[], seconds: number) {
  const out = new Float32Array(entities.length);
  for (let i = 0; i < 3; i++) model.score(entities, ips, out);
  let runs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    model.score(entities, ips, out);
    runs++;
  }
  return (runs * entities.length) / ((performance.now() - t0) / 1000);
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/** Runs the benchmark; resolves with the process exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      epochs: { type: 'string', default: '1' },
      'train-rows': { type: 'string' },
      model: { type: 'string' },
      'peer-model': { type: 'string' },
      seconds: { type: 'string', default: '3' },
      'no-peer': { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const repo = findRepoRoot(import.meta.dirname);
  const shared = join(repo, '..', 'shared');
  const fullTrainCsv = join(shared, 'data', 'ipinsights-dev', 'train.csv');
  const testCsv = join(shared, 'data', 'ipinsights-dev', 'test.csv');
  const script = join(shared, 'bench', 'ipinsights_torch.py');
  const work = mkdtempSync(join(tmpdir(), 'lakewatch-bench-score-'));
  const { entities, ips } = readTestPairs(testCsv);
  const hyperparameters = { ...TUTORIAL, epochs: Number(values.epochs) };
  log(`[data] ${entities.length} test pairs from ${testCsv}`);
  let trainCsv = fullTrainCsv;
  if (values['train-rows']) {
    const rows = readFileSync(fullTrainCsv, 'utf8')
      .split('\n')
      .slice(0, Number(values['train-rows']));
    trainCsv = join(work, 'train-rows.csv');
    writeFileSync(trainCsv, `${rows.join('\n')}\n`);
    log(`[data] training on the first ${rows.length} rows of ${fullTrainCsv}`);
  }

  let modelPath = values.model;
  if (!modelPath) {
    log(`[engine] training on ${trainCsv} with ${JSON.stringify(hyperparameters)}…`);
    const t0 = performance.now();
    const { model } = await train(trainCsv, hyperparameters, { threads: 2 });
    log(`[engine] trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    modelPath = join(work, 'engine-model');
    await saveModel(model, modelPath);
  }
  const model = await loadModel(modelPath);
  const engine = engineRate(model, entities, ips, seconds);
  log(`[engine] in process: ${round(engine).toLocaleString('en')} pairs/s (1 thread)`);

  const unavailable = values['no-peer'] ? 'skipped by --no-peer' : referenceUnavailable(script);
  let reference: Record<string, number | string> = { skipped: unavailable ?? '' };
  if (unavailable) log(`[peer] SKIPPED: ${unavailable}`);
  else {
    const peerModel = values['peer-model'] ?? join(work, 'reference.pt');
    try {
      let trainSeconds = Number.NaN;
      if (!values['peer-model']) {
        log(`[peer] training the PyTorch reference with ${JSON.stringify(hyperparameters)}…`);
        trainSeconds = trainReference(script, trainCsv, peerModel, hyperparameters);
      }
      const rate = referenceScoreRate(script, peerModel, testCsv, seconds);
      const commandSeconds = referenceScoreCommand(
        script,
        peerModel,
        testCsv,
        join(work, 'ref.csv'),
      );
      reference = {
        inProcessPairsPerSec: round(rate),
        scoreCommandSeconds: round(commandSeconds, 2),
        scoreCommandPairsPerSec: round(entities.length / commandSeconds),
        trainSeconds: round(trainSeconds, 1),
      };
      log(
        `[peer] in process: ${round(rate).toLocaleString('en')} pairs/s (torch, 2 threads); its score command: ${commandSeconds.toFixed(2)} s wall for ${entities.length} pairs`,
      );
    } catch (error) {
      reference = { skipped: (error as Error).message };
      log(`[peer] SKIPPED: ${(error as Error).message}`);
    }
  }

  const { url, child } = await startServer(repo, modelPath);
  let server: Awaited<ReturnType<typeof throughput>>;
  let serverCpuPerBatchMs = Number.NaN;
  let serverCpuPerSingleMs = Number.NaN;
  let latency: Awaited<ReturnType<typeof openLoopLatency>>;
  try {
    const batches: string[] = [];
    for (let s = 0; s + 1000 <= entities.length; s += 1000) {
      let body = '';
      for (let i = s; i < s + 1000; i++) body += `${entities[i]},${ips[i]}\n`;
      batches.push(body);
    }
    const invocations = `${url}/endpoints/lakewatch-bench/invocations`;
    await throughput(invocations, batches, 1000, { connections: 2, seconds: 1, maxRequests: 5000 });
    const cpu0 = cpuSeconds(child.pid);
    server = await throughput(invocations, batches, 1000, {
      connections: 2,
      seconds,
      maxRequests: 100_000,
    });
    log(
      `[server] 1000-pair requests: ${round(server.pairsPerSec).toLocaleString('en')} pairs/s (${round(server.requestsPerSec)} req/s, ${server.failed} failed)`,
    );
    serverCpuPerBatchMs = ((cpuSeconds(child.pid) - cpu0) * 1000) / server.requests;
    const singles = entities.slice(0, 2000).map((e, i) => `${e},${ips[i]}\n`);
    const cpu1 = cpuSeconds(child.pid);
    latency = await openLoopLatency(invocations, singles, {
      ratePerSec: 1000,
      count: Math.round(seconds * 1000) + 2000,
      warmup: 500,
    });
    serverCpuPerSingleMs = ((cpuSeconds(child.pid) - cpu1) * 1000) / (latency.requests + 500);
    log(
      `[server] single pairs at 1000 req/s: p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms, max ${latency.maxMs.toFixed(1)} ms (${latency.failed} failed, sent ${round(latency.sentPerSec)}/s)`,
    );
  } finally {
    child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }

  const bare = await startBare();
  let floor: Awaited<ReturnType<typeof openLoopLatency>>;
  let floorCpuMs = Number.NaN;
  try {
    const cpu = cpuSeconds(bare.child.pid);
    floor = await openLoopLatency(`${bare.url}/`, ['x'], {
      ratePerSec: 1000,
      count: Math.round(seconds * 1000) + 2000,
      warmup: 500,
    });
    floorCpuMs = ((cpuSeconds(bare.child.pid) - cpu) * 1000) / (floor.requests + 500);
  } finally {
    bare.child.kill('SIGTERM');
  }
  log(
    `[floor] bare node:http at 1000 req/s: p50 ${floor.p50Ms.toFixed(2)} ms, p99 ${floor.p99Ms.toFixed(2)} ms`,
  );

  const peerRate =
    typeof reference.inProcessPairsPerSec === 'number' ? reference.inProcessPairsPerSec : undefined;
  const result = {
    bench: 'score',
    pairs: entities.length,
    model: { hyperparameters, version: model.version },
    engine: { inProcessPairsPerSec: round(engine), threads: 1 },
    reference,
    server: {
      pairsPerSec: round(server.pairsPerSec),
      requestsPerSec: round(server.requestsPerSec),
      pairsPerRequest: 1000,
      connections: 2,
      failed: server.failed,
      serverCpuMsPerRequest: round(serverCpuPerBatchMs, 3),
    },
    latency: {
      ratePerSec: latency.ratePerSec,
      requests: latency.requests,
      failed: latency.failed,
      p50Ms: round(latency.p50Ms, 3),
      p99Ms: round(latency.p99Ms, 3),
      maxMs: round(latency.maxMs, 2),
      p99FromScheduleMs: round(latency.p99FromScheduleMs, 3),
      serverCpuMsPerRequest: round(serverCpuPerSingleMs, 3),
      bareHttpP50Ms: round(floor.p50Ms, 3),
      bareHttpP99Ms: round(floor.p99Ms, 3),
      bareHttpCpuMsPerRequest: round(floorCpuMs, 3),
    },
    loadAverage: loadavg().map((x) => round(x, 1)),
    ratio: peerRate ? round(engine / peerRate, 2) : null,
    serverRatio: peerRate ? round(server.pairsPerSec / peerRate, 2) : null,
    aims: {
      inProcessAtLeastReference: peerRate ? engine >= peerRate : null,
      serverAtLeastHalfReference: peerRate ? server.pairsPerSec >= peerRate / 2 : null,
      p99Under5ms: latency.p99Ms < 5,
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
