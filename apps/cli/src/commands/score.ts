import { writeFile } from 'node:fs/promises';
import { IpInsightsError, loadModel, readPairsCsv } from '@lakewatch/ipinsights';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `lakewatch score`: dot products for `entity,ip` pairs, one output row per input row in
 * input order. Rows that cannot be scored keep their place with an empty `dot_product` and
 * are listed on stderr (and in `--rejects` when given).
 */
export function registerScore(program: Command, io: CliIo): void {
  program
    .command('score')
    .description('score entity,ip pairs with a model: writes entity,ip,dot_product')
    .requiredOption('--model <dir>', 'model artifact')
    .requiredOption('--input <file>', 'pairs: entity,ip CSV (header line optional)')
    .requiredOption('--output <file>', 'output CSV: entity,ip,dot_product')
    .option('--rejects <file>', 'write rows that could not be scored, with the reason')
    .action(async (opts: { model: string; input: string; output: string; rejects?: string }) => {
      try {
        const model = await loadModel(opts.model);
        const rows = await readPairsCsv(opts.input);
        const goodEntities: string[] = [];
        const goodIps: string[] = [];
        for (let i = 0; i < rows.entities.length; i++) {
          if (rows.ips[i]! < 0) continue;
          goodEntities.push(rows.entities[i]!);
          goodIps.push(rows.ipTexts[i]!);
        }
        const dots = model.score(goodEntities, goodIps);
        const parts: string[] = ['entity,ip,dot_product\n'];
        for (let i = 0, k = 0; i < rows.entities.length; i++) {
          const dot = rows.ips[i]! < 0 ? '' : String(dots[k++]);
          parts.push(`${csvField(rows.entities[i]!)},${csvField(rows.ipTexts[i]!)},${dot}\n`);
        }
        await writeFile(opts.output, parts.join(''));
        if (rows.rejects.length > 0) {
          io.err(`${rows.rejects.length} rows could not be scored (empty dot_product), e.g.:\n`);
          for (const r of rows.rejects.slice(0, 5)) io.err(`  line ${r.line}: ${r.reason}\n`);
          if (opts.rejects)
            await writeFile(
              opts.rejects,
              `line,reason,text\n${rows.rejects.map((r) => `${r.line},${csvField(r.reason)},${csvField(r.text)}`).join('\n')}\n`,
            );
        }
        io.err(
          `scored ${dots.length} of ${rows.entities.length} rows with model ${model.version} -> ${opts.output}\n`,
        );
      } catch (e) {
        if (e instanceof IpInsightsError) throw new CliError(e.message, { cause: e });
        throw e;
      }
    });
}
