import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { modelVersionOf } from './artifact.js';
import { type PairRows, readPairsCsv, tableToRows } from './csv.js';
import { TrainingError } from './errors.js';
import { entityHash, Rng } from './hash.js';
import { type Hyperparameters, validateHyperparameters } from './hyperparameters.js';
import { runTrainingWorker } from './kernel.js';
import {
  CTL,
  type KernelBuffers,
  type KernelConfig,
  STATS_STRIDE,
  type WorkerMessage,
} from './kernel-shared.js';
import { parameterLayout } from './layout.js';
import { rocAuc } from './metrics.js';
import { EmbeddingModel } from './model.js';
import type {
  EpochReport,
  IpInsightsModel,
  PairSource,
  TrainOptions,
  TrainReport,
} from './types.js';

/** Default rows of each hashed IP prefix table (/24 and /32). */
export const DEFAULT_IP_HASH_BUCKETS = 262_144;

/**
 * Prefix levels learned by default: /8 and /16. Measured on the tutorial-style login data
 * (`ipinsights-dev`, tutorial hyperparameters), adding the hashed /24 and /32 levels lets the
 * model memorise training addresses and its test AUC and TPR at 1 % FPR fall after the first
 * epoch (3 epochs: 0.973 / 0.05 with all four levels, 0.977 / 0.15 with /8–/24, 0.983 / 0.42
 * with /8–/16). Pass `[8, 16, 24, 32]` where addresses repeat (e.g. flow logs to fixed hosts).
 */
export const DEFAULT_IP_PREFIX_LEVELS: readonly number[] = [8, 16];

function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  // Running from the TypeScript sources (tests): use the built worker.
  const built = new URL('../dist/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new TrainingError(
    `training worker script not found at ${fileURLToPath(here)}: build the package first (npx tsc -b packages/ipinsights)`,
  );
}

async function loadRows(pairs: PairSource): Promise<PairRows> {
  return typeof pairs === 'string' ? readPairsCsv(pairs) : tableToRows(pairs);
}

/**
 * SageMaker's `validation:discriminator_auc`: real held-out pairs against the same entities
 * each paired with one uniformly random IPv4 address.
 */
export function discriminatorAuc(model: EmbeddingModel, rows: PairRows, seed: number): number {
  const rng = new Rng(seed ^ 0x0a0c);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows.entities.length; i++) {
    const ip = rows.ips[i]!;
    if (ip < 0) continue;
    const bucket = model.bucketOf(rows.entities[i]!);
    scores.push(model.dotBucket(bucket, ip), model.dotBucket(bucket, rng.nextU32()));
    labels.push(1, 0);
  }
  return rocAuc(scores, labels);
}

/**
 * Trains an IP Insights model on `(entity, ip)` pairs with SageMaker's hyperparameters.
 * Runs `threads` worker threads over shared memory; the result is deterministic for a
 * given seed and thread count. Rejected input rows are counted and reported, not fatal.
 *
 * @throws {HyperparameterError} on bad hyperparameters; {@link TrainingError} when no
 * usable pair remains or a worker fails.
 * @example
 * const { model, report } = await train('train.csv', { num_entity_vectors: 20000, vector_dim: 128 });
 */
export async function train(
  pairs: PairSource,
  hyperparameters: Partial<Hyperparameters> | Record<string, number | string>,
  options: TrainOptions = {},
): Promise<{ model: IpInsightsModel; report: TrainReport }> {
  const wallStart = performance.now();
  const h = validateHyperparameters(hyperparameters);
  const threads = options.threads ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new TrainingError(`threads must be an integer from 1 to 64, got '${threads}'`);
  const requestedBuckets = options.ipHashBuckets ?? DEFAULT_IP_HASH_BUCKETS;
  if (!Number.isInteger(requestedBuckets) || requestedBuckets < 1 || requestedBuckets > 1 << 28)
    throw new TrainingError(
      `ipHashBuckets must be an integer from 1 to 2^28, got '${requestedBuckets}'`,
    );
  const seed = options.seed ?? 0;
  const levels = options.ipPrefixLevels ?? DEFAULT_IP_PREFIX_LEVELS;
  let levelMask = 0;
  for (const l of levels) {
    const bit = [8, 16, 24, 32].indexOf(l);
    if (bit < 0) throw new TrainingError(`ipPrefixLevels may contain 8, 16, 24 and 32, got '${l}'`);
    levelMask |= 1 << bit;
  }
  if (levelMask === 0)
    throw new TrainingError('ipPrefixLevels must name at least one prefix level');
  // Without the hashed levels their tables would only hold zeros: keep one row each.
  const ipHashBuckets = (levelMask & 0b1100) === 0 ? 1 : requestedBuckets;
  for (const [name, v] of [
    ['initStd', options.initStd],
    ['hashedInitStd', options.hashedInitStd],
  ] as const)
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 10))
      throw new TrainingError(`${name} must be a number from 0 to 10, got '${v}'`);
  const rows = await loadRows(pairs);
  const validation = options.validation ? await loadRows(options.validation) : undefined;

  const n = rows.entities.length - rows.rejects.length;
  if (n === 0)
    throw new TrainingError(
      `no usable training pairs (${rows.rejects.length} rejected${rows.rejects[0] ? `, e.g. line ${rows.rejects[0].line}: ${rows.rejects[0].reason}` : ''})`,
    );
  const N = h.num_entity_vectors;
  const entityBuf = new SharedArrayBuffer(n * 4);
  const ipBuf = new SharedArrayBuffer(n * 4);
  const entArr = new Int32Array(entityBuf);
  const ipArr = new Uint32Array(ipBuf);
  const bucketCache = new Map<string, number>();
  for (let i = 0, k = 0; i < rows.entities.length; i++) {
    const ip = rows.ips[i]!;
    if (ip < 0) continue;
    const e = rows.entities[i]!;
    let b = bucketCache.get(e);
    if (b === undefined) {
      b = entityHash(e) % N;
      bucketCache.set(e, b);
    }
    entArr[k] = b;
    ipArr[k++] = ip;
  }

  const layout = parameterLayout(h.vector_dim, N, ipHashBuckets, h.num_ip_encoder_layers);
  const B = Math.min(h.mini_batch_size, n);
  const K = 1 + h.random_negative_sampling_rate + h.shuffled_negative_sampling_rate;
  const d = h.vector_dim;
  const denseFloats = layout.numLayers * layout.layerStride;
  const buf: KernelBuffers = {
    params: new SharedArrayBuffer(layout.totalFloats * 4),
    adamState: new SharedArrayBuffer(layout.totalFloats * 8),
    entity: entityBuf,
    ip: ipBuf,
    occRows: new SharedArrayBuffer(B * K * 4 * 4),
    occGrad: new SharedArrayBuffer(B * K * d * 4),
    posEntity: new SharedArrayBuffer(B * 4),
    entGrad: new SharedArrayBuffer(B * d * 4),
    densePart: new SharedArrayBuffer(Math.max(1, threads * denseFloats) * 4),
    rowSlot: new SharedArrayBuffer(layout.totalRows * 4),
    stats: new SharedArrayBuffer(threads * STATS_STRIDE * 8),
    ctl: new SharedArrayBuffer(CTL.size * 4),
  };
  new Int32Array(buf.rowSlot).fill(-1);
  const ctl = new Int32Array(buf.ctl);
  Atomics.store(ctl, CTL.allowedEpochs, 1);
  const cfg: KernelConfig = {
    threads,
    vectorDim: d,
    numEntityVectors: N,
    ipHashBuckets,
    numLayers: h.num_ip_encoder_layers,
    randomRate: h.random_negative_sampling_rate,
    shuffledRate: h.shuffled_negative_sampling_rate,
    batchSize: h.mini_batch_size,
    epochs: h.epochs,
    learningRate: h.learning_rate,
    weightDecay: h.weight_decay,
    seed,
    initStd: options.initStd ?? 0.1,
    hashedInitStd: options.hashedInitStd ?? 0,
    levelMask,
    n,
  };
  const encoder = {
    ipHashBuckets,
    prefixLevels: [8, 16, 24, 32].filter((_, i) => (levelMask >> i) & 1),
  };
  const params = new Float32Array(buf.params);
  const stats = new Float64Array(buf.stats);
  const batches = Math.ceil(n / B);
  const epochs: EpochReport[] = [];
  const workers: Worker[] = [];
  let progressTimer: NodeJS.Timeout | undefined;

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      for (const wk of workers) void wk.terminate();
      reject(
        err instanceof TrainingError
          ? err
          : new TrainingError(`training worker failed: ${(err as Error).message}`, { cause: err }),
      );
    };
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'done') {
        settled = true;
        resolve();
        return;
      }
      let loss = 0;
      let pairsCount = 0;
      let correct = 0;
      for (let t = 0; t < threads; t++) {
        loss += stats[t * STATS_STRIDE]!;
        pairsCount += stats[t * STATS_STRIDE + 1]!;
        correct += stats[t * STATS_STRIDE + 2]!;
      }
      const report: EpochReport = {
        epoch: m.epoch,
        loss: loss / pairsCount,
        accuracy: correct / pairsCount,
        pairs: pairsCount,
        seconds: m.seconds,
        pairsPerSecond: pairsCount / m.seconds,
        ...(validation
          ? {
              discriminatorAuc: discriminatorAuc(
                new EmbeddingModel({
                  version: 'training',
                  hyperparameters: h,
                  encoder,
                  params,
                  layout,
                }),
                validation,
                seed + m.epoch,
              ),
            }
          : {}),
      };
      epochs.push(report);
      try {
        options.onEpoch?.(
          report,
          new EmbeddingModel({
            version: `epoch-${m.epoch}`,
            hyperparameters: h,
            encoder,
            params,
            layout,
          }),
        );
      } catch (e) {
        fail(e);
        if (threads === 1) throw e; // unwinds the in-thread kernel
        return;
      }
      Atomics.store(ctl, CTL.allowedEpochs, m.epoch + 1);
      Atomics.notify(ctl, CTL.allowedEpochs);
    };
    if (threads === 1) {
      // One thread: run the kernel here (no worker script needed, e.g. from TypeScript
      // sources); the epoch hand-shake then happens synchronously inside `post`.
      setImmediate(() => {
        try {
          runTrainingWorker(cfg, buf, 0, onMessage);
        } catch (e) {
          fail(e);
        }
      });
      return;
    }
    const url = workerUrl();
    for (let w = 0; w < threads; w++) {
      const wk = new Worker(url, { workerData: { cfg, buf, w } });
      wk.on('message', onMessage);
      wk.on('error', fail);
      wk.on('exit', (code) => {
        if (code !== 0) fail(new TrainingError(`training worker ${w} exited with code ${code}`));
      });
      workers.push(wk);
    }
    if (options.onProgress) {
      const onProgress = options.onProgress;
      progressTimer = setInterval(() => {
        onProgress({
          epoch: Math.min(epochs.length + 1, h.epochs),
          epochs: h.epochs,
          batch: Atomics.load(ctl, CTL.batchesDone),
          batches,
        });
      }, options.progressIntervalMs ?? 200);
    }
  }).finally(() => {
    if (progressTimer) clearInterval(progressTimer);
  });
  await Promise.all(workers.map((wk) => wk.terminate()));

  const model = new EmbeddingModel({
    version: modelVersionOf(params),
    hyperparameters: h,
    encoder,
    params,
    layout,
  });
  const trainSeconds = epochs.reduce((a, e) => a + e.seconds, 0);
  const totalPairs = epochs.reduce((a, e) => a + e.pairs, 0);
  const last = epochs[epochs.length - 1];
  const report: TrainReport = {
    epochs,
    positives: n,
    distinctEntities: bucketCache.size,
    rejected: rows.rejects.length,
    rejects: rows.rejects.slice(0, 100),
    threads,
    trainSeconds,
    wallSeconds: (performance.now() - wallStart) / 1000,
    pairsPerSecond: totalPairs / trainSeconds,
    ...(last?.discriminatorAuc !== undefined
      ? { finalDiscriminatorAuc: last.discriminatorAuc }
      : {}),
  };
  return { model, report };
}
