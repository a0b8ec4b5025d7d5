import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's python3, the one apt installs torch into (the pyenv python3 on PATH has none). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Why the PyTorch peer cannot run here, or `undefined` when it can (installing if needed). */
export function referenceUnavailable(script: string): string | undefined {
  if (!existsSync(script)) return `no reference script at ${script}`;
  const probe = () =>
    spawnSync(SYSTEM_PYTHON, ['-c', 'import torch, numpy, sklearn'], { encoding: 'utf8' });
  if (probe().status === 0) return undefined;
  process.stderr.write('[peer] installing python3-torch python3-sklearn python3-numpy with apt…\n');
  const apt = spawnSync(
    'apt-get',
    ['install', '-y', '-q', 'python3-torch', 'python3-sklearn', 'python3-numpy'],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (probe().status === 0) return undefined;
  return `python3-torch is not importable by ${SYSTEM_PYTHON} and apt-get could not install it (${(apt.stderr ?? '').trim().split('\n').at(-1) ?? apt.error?.message})`;
}

/**
 * Trains the reference with SageMaker-named hyperparameters; returns the wall seconds.
 * @throws Error with the reference's last output lines when it fails.
 */
export function trainReference(
  script: string,
  trainCsv: string,
  modelPath: string,
  hyperparameters: Record<string, number>,
): number {
  const args = [script, 'train', '--input', trainCsv, '--model', modelPath, '--threads', '2'];
  for (const [k, v] of Object.entries(hyperparameters)) args.push(`--${k}`, String(v));
  const t0 = performance.now();
  const run = spawnSync(SYSTEM_PYTHON, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0)
    throw new Error(
      `reference training exited ${run.status ?? run.signal}: ${`${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-3).join(' | ')}`,
    );
  return (performance.now() - t0) / 1000;
}

// Times the reference's own scoring path in process, as `score` runs it (IPv4 strings parsed
// by its parse_ipv4, then dot_products), so that interpreter start-up and torch import are
// not counted against it. Imports the script as a module; no code of it is copied here.
const TIMING_SNIPPET = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
import torch
import ipinsights_torch as ref
import __main__
# Its checkpoints pickle functions of the script run as __main__ (the train command's
# config): make them findable when the script is imported as a module instead.
for name in dir(ref):
    if not name.startswith("__") and not hasattr(__main__, name):
        setattr(__main__, name, getattr(ref, name))
torch.set_num_threads(2)
model, cfg = ref.load_model(sys.argv[2])
ents, _, _ = ref.read_pairs(sys.argv[3])
with open(sys.argv[3]) as f:
    lines = [l for l in f.read().splitlines()[1:] if l]
ip_strs = [l.split(",")[1] for l in lines]
min_seconds = float(sys.argv[4])
def once():
    return ref.dot_products(model, cfg, ents, ref.parse_ipv4(ip_strs))
once()
runs, t0 = 0, time.perf_counter()
while True:
    once(); runs += 1
    if time.perf_counter() - t0 >= min_seconds: break
elapsed = time.perf_counter() - t0
print(json.dumps({"pairs": runs * len(ents), "seconds": elapsed}))
`;

/** The reference's in-process scoring rate on a labeled CSV, over at least `minSeconds`. */
export function referenceScoreRate(
  script: string,
  modelPath: string,
  pairsCsv: string,
  minSeconds: number,
): number {
  const out = execFileSync(
    SYSTEM_PYTHON,
    ['-c', TIMING_SNIPPET, join(script, '..'), modelPath, pairsCsv, String(minSeconds)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const last = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    pairs: number;
    seconds: number;
  };
  return last.pairs / last.seconds;
}

/** Wall seconds of the reference's `score` command itself (start-up, I/O and all). */
export function referenceScoreCommand(
  script: string,
  modelPath: string,
  pairsCsv: string,
  outCsv: string,
): number {
  const t0 = performance.now();
  execFileSync(
    SYSTEM_PYTHON,
    [
      script,
      'score',
      '--model',
      modelPath,
      '--input',
      pairsCsv,
      '--output',
      outCsv,
      '--threads',
      '2',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return (performance.now() - t0) / 1000;
}
