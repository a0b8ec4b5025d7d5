import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import {
  INPUT_FORMATS,
  type InputFormat,
  type ParseOptions,
  parseLogObject,
  SourcesError,
} from '@lakewatch/sources';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { type CliIo, processIo } from '../io.js';

interface NormalizeOptions {
  input: string;
  format?: string;
  vpcFlowFormat?: string;
  validate: number;
  rejects?: boolean;
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new CliError(`--validate must be a fraction from 0 to 1, got '${value}'`, {
      exitCode: 2,
    });
  return n;
}

async function checkReadable(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
    if ((await stat(path)).isDirectory()) throw new Error('is a directory');
  } catch (cause) {
    throw new CliError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * `lakewatch normalize --input FILE [--format F]`: OCSF 1.1.0 JSON lines on stdout, a JSON
 * summary (read / normalized / rejected by reason) on stderr; exit 0 unless the input itself
 * cannot be read (missing, unknown format, unreadable Parquet).
 */
export function registerNormalize(program: Command, io: CliIo): void {
  program
    .command('normalize')
    .description(
      'normalize one log file to OCSF 1.1.0 JSON lines on stdout; JSON summary on stderr',
    )
    .requiredOption('--input <file>', 'the log file (plain or gzip); - for stdin')
    .option('--format <format>', `input format (detected when absent): ${INPUT_FORMATS.join(', ')}`)
    .option('--vpc-flow-format <fields>', 'VPC Flow Logs fields for files without a header line')
    .option(
      '--validate <fraction>',
      'fraction of records validated against their OCSF class',
      parseRate,
      0,
    )
    .option('--rejects', 'also print each reject as a JSON line on stderr')
    .action(async (opts: NormalizeOptions) => {
      if (opts.format !== undefined && !INPUT_FORMATS.includes(opts.format as InputFormat))
        throw new CliError(
          `--format must be one of ${INPUT_FORMATS.join(', ')}, got '${opts.format}'`,
          { exitCode: 2 },
        );
      const stdin = opts.input === '-';
      if (!stdin) await checkReadable(opts.input);
      const options: ParseOptions = {
        sourceUri: stdin ? 'stdin:' : opts.input,
        validateSampleRate: opts.validate,
      };
      if (opts.format) options.format = opts.format as InputFormat;
      if (opts.vpcFlowFormat) options.vpcFlowFormat = opts.vpcFlowFormat;
      const input = stdin
        ? process.stdin
        : createReadStream(opts.input, { highWaterMark: 1 << 20 });
      const result = parseLogObject(input, options);
      // A reader that goes away (`| head`) ends the output quietly instead of an EPIPE crash.
      let closed = false;
      const onError = (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        closed = true;
        process.stdout.emit('drain');
      };
      const piped = io === processIo;
      if (piped) process.stdout.on('error', onError);
      try {
        for await (const batch of result) {
          if (closed) break;
          if (batch.records.length > 0) {
            let text = '';
            for (const record of batch.records) text += `${JSON.stringify(record)}\n`;
            io.out(text);
            // Constant memory when stdout is slower than the parser (a pipe into gzip, head…).
            if (piped && process.stdout.writableNeedDrain)
              await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
          }
          if (opts.rejects)
            for (const reject of batch.rejects) io.err(`${JSON.stringify({ reject })}\n`);
        }
      } catch (cause) {
        if (cause instanceof SourcesError || (cause as { code?: string }).code === 'ENOENT')
          throw new CliError((cause as Error).message, { cause });
        throw cause;
      } finally {
        if (piped) process.stdout.off('error', onError);
      }
      io.err(`${JSON.stringify(result.summary())}\n`);
    });
}
