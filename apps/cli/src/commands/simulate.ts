import {
  INCIDENT_KINDS,
  type IncidentKind,
  InvalidOptionError,
  resolveIncidents,
  type ScaleName,
  SimulatorError,
  simulate,
} from '@lakewatch/simulator';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

interface SimulateFlags {
  out: string;
  days: number;
  seed: string;
  scale: ScaleName | number;
  liveMinutes: number;
  incidents: IncidentKind[];
  objectMinutes: 5 | 10;
  start?: string;
  gzipLevel: number;
  overwrite?: boolean;
}

function number(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new CliError(`${flag} must be a number, got '${value}'`, { exitCode: 2 });
    return n;
  };
}

function scale(value: string): ScaleName | number {
  if (value === 'small' || value === 'medium' || value === 'large') return value;
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new CliError(
      `--scale must be small, medium, large or a number of instances, got '${value}'`,
      { exitCode: 2 },
    );
  return n;
}

function incidents(value: string): IncidentKind[] {
  try {
    return resolveIncidents(value);
  } catch (e) {
    throw new CliError(`--incidents: ${(e as Error).message}`, { exitCode: 2, cause: e });
  }
}

/**
 * `lakewatch simulate`: writes a simulated AWS environment's VPC Flow Logs and Route 53 Resolver
 * query logs (history and live window, S3 key layout) with the incidents' ground truth, and
 * prints a JSON summary.
 */
export function registerSimulate(program: Command, io: CliIo): void {
  program
    .command('simulate')
    .description(
      'simulate an AWS environment: raw VPC Flow Logs v5 and Route 53 Resolver query logs as AWS delivers them to S3, with injected incidents and their ground truth',
    )
    .requiredOption(
      '--out <dir>',
      'output folder (history/, live/, ground-truth.json, environment.json)',
    )
    .option('--days <n>', 'days of normal history', number('--days'), 7)
    .option('--seed <s>', 'seed: the same seed and options give byte-identical output', 'lakewatch')
    .option('--scale <size>', 'small | medium | large | <number of instances>', scale, 'small')
    .option(
      '--live-minutes <m>',
      'minutes of the live window with the incidents (0: incidents in the history)',
      number('--live-minutes'),
      60,
    )
    .addOption(
      new Option(
        '--incidents <list>',
        `all | none | comma-separated kinds: ${INCIDENT_KINDS.join(', ')}`,
      )
        .argParser(incidents)
        .default(incidents('all'), 'all'),
    )
    .option(
      '--object-minutes <m>',
      'minutes per log object (5 or 10)',
      number('--object-minutes'),
      10,
    )
    .option('--start <iso>', 'start of the history (UTC)')
    .option('--gzip-level <n>', 'gzip level 1–9', number('--gzip-level'), 6)
    .option('--overwrite', "replace the simulator's earlier output in --out")
    .action(async (flags: SimulateFlags) => {
      let last = performance.now();
      try {
        const result = await simulate({
          out: flags.out,
          days: flags.days,
          seed: flags.seed,
          scale: flags.scale,
          liveMinutes: flags.liveMinutes,
          incidents: flags.incidents,
          objectMinutes: flags.objectMinutes,
          gzipLevel: flags.gzipLevel,
          overwrite: flags.overwrite ?? false,
          ...(flags.start !== undefined ? { start: flags.start } : {}),
          onObject: (p) => {
            const now = performance.now();
            if (now - last < 2000) return;
            last = now;
            io.err(`simulate: ${p.objects} objects written (${p.phase})\n`);
          },
        });
        io.out(`${JSON.stringify(result)}\n`);
      } catch (e) {
        if (e instanceof InvalidOptionError)
          throw new CliError(e.message, { exitCode: 2, cause: e });
        if (e instanceof SimulatorError) throw new CliError(e.message, { cause: e });
        throw e;
      }
    });
}
