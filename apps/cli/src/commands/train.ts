import {
  type EpochReport,
  HYPERPARAMETER_NAMES,
  IpInsightsError,
  saveModel,
  type TrainProgress,
  train,
} from '@lakewatch/ipinsights';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import { withExtraNormals } from '../feedback/extra-normals.js';
import type { CliIo } from '../io.js';
import {
  addCloudTrainOptions,
  requireLocalTrainOptions,
  trainOnSageMaker,
  uploadTrained,
} from './train-cloud.js';

function kebab(name: string): string {
  return name.replace(/_/g, '-');
}

function camel(name: string): string {
  return name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
}

function parseInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n))
      throw new CliError(`${flag} must be an integer, got '${value}'`, { exitCode: 2 });
    return n;
  };
}

function progressBar(p: TrainProgress, width = 30): string {
  const frac = p.batches > 0 ? p.batch / p.batches : 0;
  const filled = Math.round(frac * width);
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}`;
}

function epochLine(e: EpochReport): string {
  const auc =
    e.discriminatorAuc !== undefined
      ? `  validation discriminator_auc ${e.discriminatorAuc.toFixed(4)}`
      : '';
  return `[epoch ${e.epoch}] loss ${e.loss.toFixed(4)}  accuracy ${e.accuracy.toFixed(4)}  pairs ${e.pairs.toLocaleString('en-US')}  throughput ${Math.round(e.pairsPerSecond).toLocaleString('en-US')} pairs/s  time ${e.seconds.toFixed(1)}s${auc}\n`;
}

/**
 * `lakewatch train`: trains IP Insights on a headerless `entity,ip` CSV (SageMaker's training
 * channel format) with SageMaker's hyperparameter names (snake_case or kebab-case).
 */
export function registerTrain(program: Command, io: CliIo): void {
  const cmd = program
    .command('train')
    .description('train an IP Insights model on headerless entity,ip pairs and save the artifact')
    .option('--input <file>', 'local: training pairs, headerless entity,ip CSV (required)')
    .option('--out <dir>', 'local: where to write the model artifact, a directory (required)')
    .option('--validation <file>', 'held-out entity,ip pairs: prints discriminator_auc per epoch')
    .option('--seed <n>', 'random seed', parseInteger('--seed'), 0)
    .option('--threads <n>', 'worker threads (default: up to 2)', parseInteger('--threads'))
    .option(
      '--ip-hash-buckets <n>',
      'rows of each hashed IP prefix table',
      parseInteger('--ip-hash-buckets'),
    )
    .option(
      '--ip-prefix-levels <list>',
      'comma-separated IP prefix levels to learn, of 8,16,24,32 (default 8,16)',
      (v: string) => v.split(',').map((x) => Number(x.trim())),
    )
    .option('--no-progress', 'no progress bar')
    .option(
      '--extra-normals <labels>',
      'feedback store (labels.jsonl): its false-positive pairs are added as normal training pairs',
    )
    .option(
      '--extra-normals-weight <n>',
      'times each false-positive pair is added',
      parseInteger('--extra-normals-weight'),
      3,
    );
  for (const name of HYPERPARAMETER_NAMES) {
    cmd.addOption(new Option(`--${name} <value>`, `SageMaker hyperparameter ${name}`));
    if (kebab(name) !== name) cmd.addOption(new Option(`--${kebab(name)} <value>`).hideHelp());
  }
  addCloudTrainOptions(cmd);
  cmd.action(async (opts: Record<string, unknown>) => {
    const hyperparameters: Record<string, string> = {};
    for (const name of HYPERPARAMETER_NAMES) {
      const v = opts[name] ?? opts[camel(name)];
      if (v !== undefined) hyperparameters[name] = String(v);
    }
    if (opts.backend === 'sagemaker') return trainOnSageMaker(opts, hyperparameters, io);
    requireLocalTrainOptions(opts);
    const showProgress = opts.progress !== false;
    let lastDraw = 0;
    const extra = opts.extraNormals
      ? await withExtraNormals(
          String(opts.input),
          String(opts.extraNormals),
          opts.extraNormalsWeight as number,
        )
      : undefined;
    if (extra)
      io.err(`feedback: ${extra.pairs} false-positive pairs added as ${extra.rows} normal rows\n`);
    try {
      const { model, report } = await train(extra?.path ?? String(opts.input), hyperparameters, {
        seed: opts.seed as number,
        ...(opts.threads !== undefined ? { threads: opts.threads as number } : {}),
        ...(opts.ipHashBuckets !== undefined
          ? { ipHashBuckets: opts.ipHashBuckets as number }
          : {}),
        ...(opts.validation ? { validation: String(opts.validation) } : {}),
        ...(opts.ipPrefixLevels ? { ipPrefixLevels: opts.ipPrefixLevels as number[] } : {}),
        onEpoch: (e) => io.err(`${showProgress ? '\r\x1b[K' : ''}${epochLine(e)}`),
        ...(showProgress
          ? {
              onProgress: (p: TrainProgress) => {
                const now = Date.now();
                if (now - lastDraw < 250) return;
                lastDraw = now;
                io.err(progressBar(p));
              },
            }
          : {}),
      });
      if (showProgress) io.err('\r\x1b[K');
      if (report.rejected > 0) {
        io.err(`${report.rejected} input rows rejected, e.g.:\n`);
        for (const r of report.rejects.slice(0, 5)) io.err(`  line ${r.line}: ${r.reason}\n`);
      }
      await saveModel(model, String(opts.out));
      const uploaded = opts.upload ? await uploadTrained(String(opts.out), opts, io) : undefined;
      io.err(
        `trained on ${report.positives} pairs (${report.distinctEntities} entities) in ${report.trainSeconds.toFixed(1)}s, ${Math.round(report.pairsPerSecond).toLocaleString('en-US')} pairs/s; model ${model.version} -> ${String(opts.out)}\n`,
      );
      io.out(
        `${JSON.stringify({
          model: String(opts.out),
          version: model.version,
          ...(uploaded ? { uploaded } : {}),
          positives: report.positives,
          ...(extra ? { extra_normal_pairs: extra.pairs } : {}),
          rejected: report.rejected,
          threads: report.threads,
          train_seconds: report.trainSeconds,
          pairs_per_second: report.pairsPerSecond,
          ...(report.finalDiscriminatorAuc !== undefined
            ? { discriminator_auc: report.finalDiscriminatorAuc }
            : {}),
          epochs: report.epochs,
        })}\n`,
      );
    } catch (e) {
      if (e instanceof IpInsightsError) throw new CliError(e.message, { cause: e });
      throw e;
    } finally {
      await extra?.cleanup();
    }
  });
}
