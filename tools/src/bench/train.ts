/**
 * `npm run bench:train`: trains this repository's IP Insights engine and the PyTorch
 * reference (`../shared/bench/ipinsights_torch.py`) on the same data with the same
 * hyperparameters (the SageMaker tutorial's), evaluates both on the labeled test pairs, and
 * prints pairs/s, wall time, peak RSS and AUC for each and the ratio. The last line is one
 * JSON object.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateDots, readPairsCsv, train } from '@lakewatch/ipinsights';
import { findRepoRoot } from '../repo-root.js';

const PY = '/usr/bin/python3';
const HYPERPARAMETERS = {
  num_entity_vectors: 20000,
  vector_dim: 128,
  random_negative_sampling_rate: 5,
  mini_batch_size: 1000,
  epochs: 5,
  learning_rate: 0.01,
} as const;
const THREADS = 2;

/** What one side of the benchmark measured. */
export interface TrainFigures {
  pairs_per_second: number;
  train_seconds: number;
  wall_seconds: number;
  peak_rss_mb: number;
  auc: number;
  tpr_at_fpr_1pct: number;
  tpr_at_fpr_0_1pct: number;
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Child mode: train this engine and print its figures as JSON (separate process for RSS). */
async function engineChild(trainCsv: string, testCsv: string): Promise<void> {
  const t0 = performance.now();
  const { model, report } = await train(trainCsv, HYPERPARAMETERS, {
    threads: THREADS,
    seed: 0,
    onEpoch: (e) =>
      log(
        `  [engine] epoch ${e.epoch}: loss ${e.loss.toFixed(4)} accuracy ${e.accuracy.toFixed(4)} ${Math.round(e.pairsPerSecond).toLocaleString('en-US')} pairs/s ${e.seconds.toFixed(1)}s`,
      ),
  });
  const wall = (performance.now() - t0) / 1000;
  const test = await readPairsCsv(testCsv, true);
  const m = evaluateDots(model.score(test.entities, test.ipTexts), test.labels ?? []);
  const figures: TrainFigures = {
    pairs_per_second: report.pairsPerSecond,
    train_seconds: report.trainSeconds,
    wall_seconds: wall,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    auc: m.auc,
    tpr_at_fpr_1pct: m.tpr_at_fpr_1pct,
    tpr_at_fpr_0_1pct: m.tpr_at_fpr_0_1pct,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function ensureTorch(): string | undefined {
  const probe = () => spawnSync(PY, ['-c', 'import torch, sklearn, numpy'], { encoding: 'utf8' });
  if (!existsSync(PY)) return `${PY} not found`;
  if (probe().status === 0) return undefined;
  log(
    '[reference] python3-torch missing: apt-get install -y python3-torch python3-sklearn python3-numpy',
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync(
    'apt-get',
    ['install', '-y', 'python3-torch', 'python3-sklearn', 'python3-numpy'],
    {
      stdio: 'inherit',
      env,
    },
  );
  if (update.status !== 0 || install.status !== 0 || probe().status !== 0)
    return 'could not install python3-torch/python3-sklearn with apt-get';
  return undefined;
}

function runReference(
  script: string,
  trainCsv: string,
  testCsv: string,
  dir: string,
): TrainFigures | string {
  const model = join(dir, 'reference.pt');
  const args = [
    script,
    'train',
    '--input',
    trainCsv,
    '--model',
    model,
    ...Object.entries(HYPERPARAMETERS).flatMap(([k, v]) => [`--${k}`, String(v)]),
    '--threads',
    String(THREADS),
  ];
  const t0 = performance.now();
  const trained = spawnSync(PY, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  const wall = (performance.now() - t0) / 1000;
  for (const line of trained.stdout.split('\n'))
    if (line.startsWith('[epoch')) log(`  [reference] ${line}`);
  if (trained.status !== 0) return `reference training failed (exit ${trained.status})`;
  const done = /\[done\] training loop ([\d.]+)s, mean ([\d,]+) pairs\/s;.*peak_rss (\d+) MB/.exec(
    trained.stdout,
  );
  if (!done) return 'could not parse the reference training summary';
  const evaluated = spawnSync(
    PY,
    [script, 'eval', '--model', model, '--input', testCsv, '--threads', String(THREADS)],
    {
      encoding: 'utf8',
    },
  );
  if (evaluated.status !== 0) return `reference eval failed: ${evaluated.stderr.slice(-500)}`;
  const last = evaluated.stdout.trim().split('\n').pop() ?? '{}';
  const res = JSON.parse(last) as Record<string, number>;
  return {
    pairs_per_second: Number(done[2]!.replace(/,/g, '')),
    train_seconds: Number(done[1]),
    wall_seconds: wall,
    peak_rss_mb: Number(done[3]),
    auc: res.auc ?? Number.NaN,
    tpr_at_fpr_1pct: res['tpr@0.01fpr'] ?? Number.NaN,
    tpr_at_fpr_0_1pct: res['tpr@0.001fpr'] ?? Number.NaN,
  };
}

function row(name: string, f: TrainFigures): string {
  return `${name.padEnd(22)} ${Math.round(f.pairs_per_second).toLocaleString('en-US').padStart(10)} pairs/s  train ${f.train_seconds.toFixed(1).padStart(6)}s  wall ${f.wall_seconds.toFixed(1).padStart(6)}s  peak RSS ${Math.round(f.peak_rss_mb).toString().padStart(5)} MB  AUC ${f.auc.toFixed(4)}  TPR@1%FPR ${f.tpr_at_fpr_1pct.toFixed(4)}  TPR@0.1%FPR ${f.tpr_at_fpr_0_1pct.toFixed(4)}`;
}

/** Runs the benchmark; returns the process exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  if (argv[0] === '--engine-child') {
    await engineChild(argv[1]!, argv[2]!);
    return 0;
  }
  const root = findRepoRoot();
  const shared = resolve(root, '..', 'shared');
  const trainCsv = join(shared, 'data/ipinsights-dev/train.csv');
  const testCsv = join(shared, 'data/ipinsights-dev/test.csv');
  const script = join(shared, 'bench/ipinsights_torch.py');
  if (!existsSync(trainCsv) || !existsSync(testCsv)) {
    log(`bench:train: data not found at ${trainCsv} / ${testCsv}`);
    return 1;
  }
  log(
    `bench:train: ${trainCsv}, hyperparameters ${JSON.stringify(HYPERPARAMETERS)}, ${THREADS} threads`,
  );
  log('(figures are noisy when other work shares the CPU)');

  log('[engine] training @lakewatch/ipinsights …');
  const self = fileURLToPath(import.meta.url);
  const t0 = performance.now();
  const child = spawnSync(
    process.execPath,
    [self.replace(/train\.js$/, 'train-child.js'), trainCsv, testCsv],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) {
    log(`bench:train: the engine run failed (exit ${child.status})`);
    return 1;
  }
  const engine = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as TrainFigures;
  engine.wall_seconds = (performance.now() - t0) / 1000;

  let reference: TrainFigures | undefined;
  let skipped: string | undefined;
  const missing = existsSync(script) ? ensureTorch() : `${script} not found`;
  if (missing) skipped = missing;
  else {
    log('[reference] training ipinsights_torch.py …');
    const dir = await mkdtemp(join(tmpdir(), 'bench-train-'));
    try {
      const r = runReference(script, trainCsv, testCsv, dir);
      if (typeof r === 'string') skipped = r;
      else reference = r;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  log('');
  log(row('@lakewatch/ipinsights', engine));
  if (reference) log(row('PyTorch reference', reference));
  else log(`PyTorch reference: skipped — ${skipped}`);
  const ratio = reference ? engine.pairs_per_second / reference.pairs_per_second : null;
  if (reference && ratio !== null)
    log(
      `ratio (engine / reference pairs/s): ${ratio.toFixed(2)}x; AUC difference ${(engine.auc - reference.auc).toFixed(4)}`,
    );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'train',
      hyperparameters: HYPERPARAMETERS,
      threads: THREADS,
      engine,
      reference: reference ?? null,
      ...(skipped ? { reference_skipped: skipped } : {}),
      ratio,
      auc_difference: reference ? engine.auc - reference.auc : null,
    })}\n`,
  );
  return 0;
}
