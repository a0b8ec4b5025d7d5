import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { runDemo } from '../demo/run.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

function positive(flag: string, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
      throw new CliError(
        `${flag} must be a positive ${integer ? 'whole ' : ''}number, got '${value}'`,
        {
          exitCode: 2,
        },
      );
    return n;
  };
}

interface DemoFlags {
  dir: string;
  days: number;
  scale: string;
  instances?: number;
  seed: string;
  liveMinutes: number;
  logs?: string;
  keepRunning?: boolean;
  scoreMode: string;
  landDelayMs: number;
  drainSeconds: number;
}

/** `lakewatch demo` (= `npm start`): the whole pipeline on one machine, measured. */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'the whole pipeline on one machine: simulate an AWS estate, ingest its history into a lake,\n' +
        'train and calibrate IP Insights (HTML report), start the stack, land new log objects with\n' +
        'incidents, show each alert as it arrives, and score the alerts against the ground truth\n' +
        '(precision, recall, latency). The last output line is one JSON object.',
    )
    .option('--dir <dir>', 'output folder, replaced on each run', '.lakewatch/demo')
    .option('--days <n>', 'days of simulated history', positive('--days'), 2)
    .option('--scale <size>', 'small | medium | large', 'small')
    .option(
      '--instances <n>',
      'number of EC2 instances (instead of --scale)',
      positive('--instances', true),
    )
    .option('--seed <s>', 'simulation seed', 'lakewatch-demo')
    .option(
      '--live-minutes <m>',
      'minutes of live traffic with the incidents',
      positive('--live-minutes', true),
      60,
    )
    .option(
      '--logs <folder>',
      "land this folder's log files instead of the simulated live window (a 'lakewatch simulate' folder: its history/ trains, live/ lands, ground-truth.json scores)",
    )
    .option('--keep-running', 'leave the stack running at the end (stop it with lakewatch down)')
    .option('--score-mode <mode>', 'sagemaker (model server) or embedded', 'sagemaker')
    .option(
      '--land-delay-ms <ms>',
      'pause between landed objects',
      positive('--land-delay-ms'),
      250,
    )
    .option(
      '--drain-seconds <s>',
      'longest wait for the pipeline after the last object',
      positive('--drain-seconds'),
      90,
    )
    .action(async (flags: DemoFlags) => {
      const scale = flags.instances ?? flags.scale;
      if (typeof scale === 'string' && !['small', 'medium', 'large'].includes(scale))
        throw new CliError(`--scale must be small, medium or large, got '${scale}'`, {
          exitCode: 2,
        });
      if (flags.scoreMode !== 'sagemaker' && flags.scoreMode !== 'embedded')
        throw new CliError(`--score-mode must be sagemaker or embedded, got '${flags.scoreMode}'`, {
          exitCode: 2,
        });
      // Checked before anything runs: the live window comes from it only after the history,
      // the training and the stack (a minute of work to find a typo).
      if (
        flags.logs !== undefined &&
        !statSync(flags.logs, { throwIfNoEntry: false })?.isDirectory()
      )
        throw new CliError(`--logs ${flags.logs}: no such folder`, { exitCode: 2 });
      await runDemo(
        {
          dir: flags.dir,
          days: flags.days,
          scale: scale as 'small' | 'medium' | 'large' | number,
          seed: flags.seed,
          liveMinutes: flags.liveMinutes,
          ...(flags.logs ? { logs: flags.logs } : {}),
          keepRunning: flags.keepRunning === true,
          scoreMode: flags.scoreMode,
          landDelayMs: flags.landDelayMs,
          drainSeconds: flags.drainSeconds,
        },
        io,
      );
    });
}
