import { evaluateDots, IpInsightsError, loadModel, readPairsCsv } from '@lakewatch/ipinsights';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

/**
 * `lakewatch eval`: ROC AUC and TPR at 1 % / 0.1 % FPR of `-dot_product` on a labeled file
 * (`entity,ip,label`, label 1 = anomalous). Prints one JSON object.
 */
export function registerEval(program: Command, io: CliIo): void {
  program
    .command('eval')
    .description('evaluate a model on labeled pairs (entity,ip,label; 1 = anomalous): prints JSON')
    .requiredOption('--model <dir>', 'model artifact')
    .requiredOption('--input <file>', 'labeled CSV with header entity,ip,label')
    .action(async (opts: { model: string; input: string }) => {
      try {
        const model = await loadModel(opts.model);
        const rows = await readPairsCsv(opts.input, true);
        const entities: string[] = [];
        const ips: string[] = [];
        const labels: number[] = [];
        for (let i = 0; i < rows.entities.length; i++) {
          if (rows.ips[i]! < 0) continue;
          entities.push(rows.entities[i]!);
          ips.push(rows.ipTexts[i]!);
          labels.push(rows.labels![i]!);
        }
        if (rows.rejects.length > 0) {
          io.err(`${rows.rejects.length} rows skipped, e.g.:\n`);
          for (const r of rows.rejects.slice(0, 5)) io.err(`  line ${r.line}: ${r.reason}\n`);
        }
        const metrics = evaluateDots(model.score(entities, ips), labels);
        if (!Number.isFinite(metrics.auc))
          throw new CliError(
            `${opts.input}: needs both normal (0) and anomalous (1) rows to compute an AUC`,
          );
        io.out(`${JSON.stringify(metrics)}\n`);
      } catch (e) {
        if (e instanceof IpInsightsError) throw new CliError(e.message, { cause: e });
        throw e;
      }
    });
}
