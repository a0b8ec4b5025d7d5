import { join } from 'node:path';
import {
  calibrate,
  IpInsightsError,
  loadModel,
  readPairsCsv,
  saveModel,
  withCalibration,
  writeCalibrationReport,
} from '@lakewatch/ipinsights';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

function parseRate(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new CliError(`${flag} must be a number from ${min} to ${max}, got '${value}'`, {
        exitCode: 2,
      });
    return n;
  };
}

/**
 * `lakewatch calibrate`: picks the threshold for a target FPR from held-out pairs, writes it
 * and the metrics into the artifact, and writes an HTML report with charts.
 */
export function registerCalibrate(program: Command, io: CliIo): void {
  program
    .command('calibrate')
    .description(
      'choose the anomaly threshold for a target false-positive rate, store it in the model, write a report',
    )
    .requiredOption('--model <dir>', 'model artifact (updated in place)')
    .requiredOption(
      '--input <file>',
      'held-out pairs: entity,ip (all normal; anomalies are generated) or entity,ip,label with a header',
    )
    .option(
      '--target-fpr <rate>',
      'false-positive rate to calibrate for',
      parseRate('--target-fpr', 1e-6, 0.5),
      0.01,
    )
    .option('--report <dir>', 'report directory (default: <model>/calibration)')
    .option(
      '--random <n>',
      'generated random-IP anomalies per normal pair',
      parseRate('--random', 0, 100),
      1,
    )
    .option(
      '--shuffled <n>',
      'generated shuffled-IP anomalies per normal pair',
      parseRate('--shuffled', 0, 100),
      1,
    )
    .option('--seed <n>', 'seed of generated anomalies', parseRate('--seed', 0, 2 ** 31), 0)
    .action(
      async (opts: {
        model: string;
        input: string;
        targetFpr: number;
        report?: string;
        random: number;
        shuffled: number;
        seed: number;
      }) => {
        try {
          const model = await loadModel(opts.model);
          const rows = await readPairsCsv(opts.input);
          const result = calibrate(
            model,
            {
              entities: rows.entities,
              ips: rows.ipTexts,
              ...(rows.labels ? { labels: rows.labels } : {}),
            },
            {
              targetFpr: opts.targetFpr,
              generate: { random: opts.random, shuffled: opts.shuffled },
              seed: opts.seed,
            },
          );
          if (result.skipped > 0) io.err(`${result.skipped} rows skipped (bad entity or IP)\n`);
          await saveModel(withCalibration(model, result.metrics), opts.model);
          const files = await writeCalibrationReport(
            opts.report ?? join(opts.model, 'calibration'),
            result,
            model.version,
          );
          const { roc: _roc, normalQuantiles: _q, ...summary } = result.metrics;
          io.err(
            `threshold ${result.metrics.threshold} written to ${opts.model}; report ${files.html}\n`,
          );
          io.out(`${JSON.stringify({ ...summary, report: files.html })}\n`);
        } catch (e) {
          if (e instanceof IpInsightsError) throw new CliError(e.message, { cause: e });
          throw e;
        }
      },
    );
}
